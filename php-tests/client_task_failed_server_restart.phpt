--TEST--
setTaskFailedCallback: a job lost because gearmand died is reported (LOST_CONNECTION) and its retry succeeds on the restarted server
--DESCRIPTION--
gearman-rs only. Uses a private gearmand (killed and restarted by the test), not the shared one.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
[$gm, $port] = gt_start_gearmand();
$fn = gt_fn();
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer("127.0.0.1", $ARGS["port"], false);
$w->addFunction($ARGS["fn"], function (GearmanJob $job) { usleep(300000); return "ok " . $job->workload(); });
$w->setTimeout(5000);
for ($i = 0; $i < 200; $i++) { if (!@$w->work()) usleep(50000); }
', ['fn' => $fn, 'port' => $port]);
// Wait until the worker has registered with the private server.
for ($i = 0; $i < 100 && (gt_status_of($port)[$fn][2] ?? 0) < 1; $i++) usleep(50000);

$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(15000);
$killed = false;
$c->setCreatedCallback(function (GearmanTask $t) use (&$gm, &$killed) {
    echo "created (attempt ", $t->retryCount() + 1, ")\n";
    if (!$killed) { usleep(100000); gt_stop_gearmand($gm); $killed = true; echo "gearmand killed\n"; }
});
$c->setTaskFailedCallback(function (GearmanTask $t) use (&$gm, $port) {
    echo "attempt ", $t->retryCount() + 1, " failed rc=", $t->returnCode(), "\n";
    [$gm] = gt_start_gearmand($port);
    echo "gearmand restarted\n";
    var_dump($t->retry(200));
});
$c->setCompleteCallback(function (GearmanTask $t) {
    echo "complete: ", $t->data(), " retryCount=", $t->retryCount(), "\n";
});
$c->addTask($fn, "payload", null, "restart-" . getmypid());
var_dump($c->runTasks(), $c->returnCode());
gt_stop_gearmand($gm);
?>
--EXPECT--
created (attempt 1)
gearmand killed
attempt 1 failed rc=14
gearmand restarted
bool(true)
created (attempt 2)
complete: ok payload retryCount=1
bool(true)
int(0)
