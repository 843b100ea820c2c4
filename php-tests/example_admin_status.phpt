--TEST--
examples/admin_status.php: versions, queue depths and workers per function, and the cap on an unserved queue (which then refuses submissions)
--DESCRIPTION--
gearman-rs only: runs the example as it is shipped, against a private gearmand with known queues and workers.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
[$gm, $port] = gt_start_gearmand();
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
foreach (['a', 'b', 'c'] as $x) $c->doBackground('ex_orphan', $x);
$c->doBackground('ex_served', 'x');
$w = new GearmanWorker();
$w->addServer('127.0.0.1', $port, false);
$w->setId('reporting-1');
$w->addFunction('ex_served', fn () => null);
$w->addFunction('ex_idle', fn () => null);
var_dump(@$w->grabJob() instanceof GearmanJob);   // registers, and holds ex_served's job

// The version the gearmand binary itself reports (1.1.20+ds on Debian 12, other
// releases in the PHP version matrix's chroot).
$version = explode(' ', trim(shell_exec('/usr/sbin/gearmand --version')))[1];
$run = function () use ($port, $version) {
    $cmd = array_merge(gt_php_cmd(), [__DIR__ . '/../examples/admin_status.php', '127.0.0.1', (string)$port, 'ex_']);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    echo str_replace("gearmand $version\n", "gearmand <the version /usr/sbin/gearmand --version reports>\n", $out);
    echo "exit ", proc_close($p), "\n";
};
$run();
var_dump(@$c->doBackground('ex_orphan', 'd'), $c->returnCode() === GEARMAN_QUEUE_ERROR);
gt_stop_gearmand($gm);
$run();
?>
--EXPECTF--
bool(true)
gearmand <the version /usr/sbin/gearmand --version reports>
function                  queued running workers  served by
ex_idle                        0       0       1  reporting-1
ex_orphan                      3       0       0  -
  capped ex_orphan at 3 queued jobs: no worker serves it
ex_served                      1       1       1  reporting-1
exit 0
string(0) ""
bool(true)
gearmand at 127.0.0.1:%d: Connection to 127.0.0.1:%d failed (code 26)
exit 1
