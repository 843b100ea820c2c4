--TEST--
setTaskFailedCallback: a job lost because gearmand died is reported (LOST_CONNECTION) and its retry succeeds on the restarted server
--DESCRIPTION--
gearman-rs only. Uses a private gearmand (killed and restarted by the test), not the shared one.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
function start_gearmand(int $port) {
    $p = proc_open(['/usr/sbin/gearmand', '--listen=127.0.0.1', "--port=$port", '--log-file=none', '--threads=1'],
        [['file', '/dev/null', 'r'], ['file', '/dev/null', 'w'], ['file', '/dev/null', 'w']], $pipes);
    for ($i = 0; $i < 100; $i++) {
        if ($c = @fsockopen('127.0.0.1', $port, $e, $es, 0.2)) { fclose($c); return $p; }
        usleep(50000);
    }
    die("gearmand did not start\n");
}
function stop_gearmand($p) {
    proc_terminate($p, SIGKILL);
    for ($i = 0; $i < 100 && proc_get_status($p)['running']; $i++) usleep(20000);
    proc_close($p);
}
$gm = start_gearmand($port);
$fn = gt_fn();
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer("127.0.0.1", $ARGS["port"], false);
$w->addFunction($ARGS["fn"], function (GearmanJob $job) { usleep(300000); return "ok " . $job->workload(); });
$w->setTimeout(5000);
for ($i = 0; $i < 200; $i++) { if (!@$w->work()) usleep(50000); }
', ['fn' => $fn, 'port' => $port]);
// Wait until the worker has registered with the private server.
for ($i = 0; $i < 100; $i++) {
    $a = @fsockopen('127.0.0.1', $port); fwrite($a, "status\n"); $st = '';
    while (($l = fgets($a)) !== false && $l !== ".\n") $st .= $l;
    fclose($a);
    if (preg_match("/^" . preg_quote($fn) . "\t\d+\t\d+\t1/m", $st)) break;
    usleep(50000);
}

$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(15000);
$killed = false;
$c->setCreatedCallback(function (GearmanTask $t) use (&$gm, &$killed) {
    echo "created (attempt ", $t->retryCount() + 1, ")\n";
    if (!$killed) { usleep(100000); stop_gearmand($gm); $killed = true; echo "gearmand killed\n"; }
});
$c->setTaskFailedCallback(function (GearmanTask $t) use (&$gm, $port) {
    echo "attempt ", $t->retryCount() + 1, " failed rc=", $t->returnCode(), "\n";
    $gm = start_gearmand($port);
    echo "gearmand restarted\n";
    var_dump($t->retry(200));
});
$c->setCompleteCallback(function (GearmanTask $t) {
    echo "complete: ", $t->data(), " retryCount=", $t->retryCount(), "\n";
});
$c->addTask($fn, "payload", null, "restart-" . getmypid());
var_dump($c->runTasks(), $c->returnCode());
stop_gearmand($gm);
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
