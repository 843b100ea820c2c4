--TEST--
GearmanWorker::setPollInterval / ini gearman.worker_poll_interval: an idle worker grabs again every interval, so a scheduled job starts on time on gearmand 1.1.x; 0 = never (pecl/gearman's behaviour: the due job waits for the next NOOP)
--DESCRIPTION--
gearman-rs only: pecl/gearman has neither setPollInterval nor INI settings (procedural alias gearman_worker_set_poll_interval).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
var_dump(ini_get('gearman.worker_poll_interval'));
$w = new GearmanWorker();
var_dump($w->setPollInterval(0), $w->setPollInterval(2147483647), gearman_worker_set_poll_interval($w, 250));
foreach ([-1, 2147483648] as $bad) {
    try { $w->setPollInterval($bad); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
}
try { gearman_worker_set_poll_interval($w, -5); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }

// Two idle workers: one with polling off through the INI setting, one
// with the INI default overridden by setPollInterval().
$code = '
ini_set("gearman.worker_poll_interval", $ARGS["ini"]);
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
if ($ARGS["set"] !== null) { $w->setPollInterval($ARGS["set"]); }
$w->addFunction($ARGS["fn"], function (GearmanJob $j) { printf("%s %.3f\n", $j->workload(), microtime(true)); });
$w->setTimeout(20000);
for ($i = 0; $i < $ARGS["jobs"]; $i++) { $w->work(); }
';
$off = gt_spawn($code, ['fn' => gt_fn('off'), 'ini' => '0', 'set' => null, 'jobs' => 2]);
$on = gt_spawn($code, ['fn' => gt_fn('on'), 'ini' => '0', 'set' => 300, 'jobs' => 1]);
var_dump(gt_wait_worker(gt_fn('off'), 1, 10.0, $off), gt_wait_worker(gt_fn('on'), 1, 10.0, $on));
usleep(200000);

$c = gt_client();
$t0 = microtime(true);
$when = time() + 1;
$c->doBackgroundAt(gt_fn('off'), "overdue", $when);
$c->doBackgroundAt(gt_fn('on'), "on-time", $when);
var_dump($on->wait(10));
[, $at] = explode(" ", trim($on->output()));
echo $at >= $when - 0.01 && $at - $when < 0.3 + 1.5 ? "polling worker ran it on time\n" : "polling worker ran it at " . ($at - $when) . " s\n";

// The non-polling worker still sleeps although its job is long due.
usleep((int)max(0, ($when + 2.5 - microtime(true)) * 1e6));
var_dump(trim($off->output()), gt_status()[gt_fn('off')]);
// Any new job's NOOP wakes it; the overdue job is handed out first.
$c->doBackground(gt_fn('off'), "wake-up");
var_dump($off->wait(10));
foreach (explode("\n", trim($off->output())) as $line) echo strtok($line, " "), "\n";
?>
--EXPECT--
string(4) "1000"
bool(true)
bool(true)
bool(true)
GearmanWorker::setPollInterval(): Argument #1 ($ms) must be between 0 and 2147483647
GearmanWorker::setPollInterval(): Argument #1 ($ms) must be between 0 and 2147483647
gearman_worker_set_poll_interval(): Argument #2 ($ms) must be between 0 and 2147483647
bool(true)
bool(true)
bool(true)
polling worker ran it on time
string(0) ""
array(3) {
  [0]=>
  int(1)
  [1]=>
  int(0)
  [2]=>
  int(1)
}
bool(true)
overdue
wake-up
