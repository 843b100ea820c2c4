--TEST--
GearmanAdmin: cancelJob of a queued job (the worker never sees it), maxQueue then a full-queue submission failing as pecl/gearman reports it (rc 42), maxQueueByPriority, createFunction/dropFunction, raw command(), gearmand's ERR replies as GearmanException, ValueErrors, reconnect after a gearmand restart
--DESCRIPTION--
gearman-rs only: GearmanAdmin. Uses a private gearmand (restarted by the test).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
[$gm, $port] = gt_start_gearmand();
$admin = new GearmanAdmin('127.0.0.1', $port, 5000);
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(5000);
$try = function (callable $f) {
    try {
        $r = $f();
        echo "ok: ", var_export($r, true), "\n";
    } catch (Throwable $e) {
        echo get_class($e), " [", $e->getCode(), "] ", $e->getMessage(), "\n";
    }
};

echo "-- cancelJob\n";
$keep = $c->doBackground('adm_cancel', 'keep');
$drop = $c->doBackground('adm_cancel', 'drop');
$later = $c->doBackgroundAt('adm_cancel', 'later', time() + 3600);
var_dump($admin->cancelJob($drop), $admin->cancelJob($later));
$ignored = array_column(array_filter($admin->showJobs(), fn ($j) => $j['ignore']), 'handle');
sort($ignored);
$expect = [$drop, $later];
sort($expect);
var_dump($ignored === $expect);
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer("127.0.0.1", $ARGS["port"], false);
$w->addFunction("adm_cancel", function (GearmanJob $j) { echo "worker saw ", $j->workload(), "\n"; });
$w->setTimeout(2000);
while ($w->work());
echo "worker idle\n";
', ['port' => $port]);
var_dump($w->wait(15));
echo $w->output();
$try(fn () => $admin->cancelJob($keep));
$try(fn () => $admin->cancelJob('H:nowhere:1'));

echo "-- maxQueue\n";
var_dump($admin->createFunction('adm_full'), $admin->status()['adm_full']);
var_dump($admin->maxQueue('adm_full', 2));
$c->doBackground('adm_full', '1');
$c->doBackgroundAt('adm_full', '2', time() + 3600);
var_dump($c->doBackground('adm_full', '3'), $c->returnCode() === GEARMAN_QUEUE_ERROR);
var_dump($c->doBackgroundAt('adm_full', '4', time()), $c->returnCode());
// Per priority: high jobs may fill up to 3, normal ones no longer fit.
var_dump($admin->maxQueueByPriority('adm_full', 3, 2, 0));
var_dump($c->doHighBackground('adm_full', '5') !== '', $c->returnCode());
var_dump(@$c->doBackground('adm_full', '6'), $c->returnCode());
var_dump(@$c->doHighBackground('adm_full', '7'), $c->returnCode());
var_dump($c->doLowBackground('adm_full', '8') !== '', $c->returnCode());
var_dump($admin->maxQueue('adm_full', 0), $c->doBackground('adm_full', '9') !== '');
var_dump($admin->status()['adm_full']['queued']);

echo "-- createFunction / dropFunction\n";
var_dump($admin->createFunction('adm_new'), isset($admin->status()['adm_new']));
var_dump($admin->dropFunction('adm_new'), isset($admin->status()['adm_new']));
$try(fn () => $admin->dropFunction('adm_new'));
// Queued jobs do not keep a function; a registered worker does.
$busy = new GearmanWorker();
$busy->addServer('127.0.0.1', $port, false);
$busy->addFunction('adm_busy', fn () => null);
var_dump(@$busy->grabJob(), $busy->returnCode() === GEARMAN_NO_JOBS);
$try(fn () => $admin->dropFunction('adm_busy'));
var_dump($admin->dropFunction('adm_full'));

echo "-- command\n";
echo $admin->command('verbose');
echo str_replace((string)$admin->getPid(), 'PID', $admin->command('GETPID'));
$listing = $admin->command('show unique jobs');
var_dump(str_ends_with($listing, "\n.\n"));
$try(fn () => $admin->command('show nothing'));
$try(fn () => $admin->command('shutdown'));
$try(fn () => $admin->command(''));

echo "-- arguments gearmand cannot take\n";
$try(fn () => $admin->command("status\r\nshutdown"));
$try(fn () => $admin->command('a b c d e f'));
$try(fn () => $admin->cancelJob(''));
$try(fn () => $admin->createFunction('two words'));
$try(fn () => $admin->dropFunction("x\0"));
$try(fn () => $admin->maxQueue('f', -1));
$try(fn () => $admin->maxQueueByPriority('f', 1, 2, 2147483648));
$try(fn () => new GearmanAdmin(''));
$try(fn () => new GearmanAdmin('127.0.0.1', 70000));
$try(fn () => new GearmanAdmin('127.0.0.1', 4730, -1));
$try(fn () => (new ReflectionClass('GearmanAdmin'))->isFinal());

echo "-- gearmand restarts\n";
$pid1 = $admin->getPid();
gt_stop_gearmand($gm);
$try(fn () => $admin->version());
[$gm] = gt_start_gearmand($port);
$pid2 = $admin->getPid();
var_dump($pid2 !== $pid1, $pid2 === proc_get_status($gm)['pid']);
gt_stop_gearmand($gm);
?>
--EXPECTF--
-- cancelJob
bool(true)
bool(true)
bool(true)
bool(true)
worker saw keep
worker idle
GearmanException [52] UNKNOWN_JOB
GearmanException [52] UNKNOWN_JOB
-- maxQueue
bool(true)
array(3) {
  ["queued"]=>
  int(0)
  ["running"]=>
  int(0)
  ["workers"]=>
  int(0)
}
bool(true)

Warning: GearmanClient::doBackground(): _client_run_tasks(GEARMAN_QUEUE_ERROR) QUEUE_ERROR:Job queue is full -> %s in %s on line %d
string(0) ""
bool(true)

Warning: GearmanClient::doBackgroundAt(): _client_run_tasks(GEARMAN_QUEUE_ERROR) QUEUE_ERROR:Job queue is full -> %s in %s on line %d
string(0) ""
int(42)
bool(true)
bool(true)
int(0)
string(0) ""
int(42)
string(0) ""
int(42)
bool(true)
int(0)
bool(true)
bool(true)
int(5)
-- createFunction / dropFunction
bool(true)
bool(true)
bool(true)
bool(false)
GearmanException [18] function not found
bool(false)
bool(true)
GearmanException [18] there are still connected workers or executing clients
bool(true)
-- command
OK ERROR
OK PID
bool(true)
GearmanException [49] UNKNOWN_SHOW_ARGUMENTS
GearmanException [9] UNKNOWN_COMMAND Unknown server commandshutdown
GearmanException [9] UNKNOWN_COMMAND Unknown server command
-- arguments gearmand cannot take
ValueError [0] GearmanAdmin::command(): Argument #1 ($line) must not contain line breaks or NUL bytes
ValueError [0] GearmanAdmin::command(): Argument #1 ($line) must have at most 5 words (gearmand drops the connection otherwise)
ValueError [0] GearmanAdmin::cancelJob(): Argument #1 ($job_handle) must not be empty
ValueError [0] GearmanAdmin::createFunction(): Argument #1 ($function_name) must not contain spaces, tabs, line breaks or NUL bytes
ValueError [0] GearmanAdmin::dropFunction(): Argument #1 ($function_name) must not contain spaces, tabs, line breaks or NUL bytes
ValueError [0] GearmanAdmin::maxQueue(): Argument #2 ($size) must be between 0 (no limit) and 2147483647
ValueError [0] GearmanAdmin::maxQueueByPriority(): Argument #4 ($low) must be between 0 (no limit) and 2147483647
ValueError [0] GearmanAdmin::__construct(): Argument #1 ($host) must be a host name or address
ValueError [0] GearmanAdmin::__construct(): Argument #2 ($port) must be between 1 and 65535
ValueError [0] GearmanAdmin::__construct(): Argument #3 ($timeout) must be between 1 and 2147483647 (milliseconds)
ok: true
-- gearmand restarts
GearmanException [26] Connection to 127.0.0.1:%d failed
bool(true)
bool(true)
