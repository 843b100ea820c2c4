--TEST--
TLS: failover past a failing TLS server, a forked child opens its own session, reconnect after stunnel restarts
--DESCRIPTION--
gearman-rs only. A client with two servers (the preferred one presents an expired certificate)
runs its jobs on the other. After pcntl_fork() parent and child each open their own TLS session on
first use (no session is shared). When stunnel restarts, client and worker reconnect over TLS.
--SKIPIF--
<?php require __DIR__ . '/_tls.inc'; gt_tls_skipif(); if (!function_exists('pcntl_fork')) die('skip no pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/_tls.inc';
$st = gt_stunnel_start();
$p = $st['ports'];
$fn = gt_fn();
$worker = gt_spawn('
$w = new GearmanWorker();
$w->setSslOptions($ARGS["tls"]);
$w->addServer("127.0.0.1", $ARGS["port"]);
$w->addFunction($ARGS["fn"], fn (GearmanJob $j) => "w" . getmypid() . ":" . $j->workload());
$w->setTimeout(500);
$end = microtime(true) + 60;
while (microtime(true) < $end) {
    if (!@$w->work()) {
        $rc = $w->returnCode();
        if ($rc !== GEARMAN_TIMEOUT && $rc !== GEARMAN_SUCCESS) usleep(100000);
    }
}
', ['port' => $p['mtls'], 'fn' => $fn, 'tls' => gt_tls_client_cert_opts()]);
gt_wait_worker($fn, 1, 10.0, $worker) or die("worker did not register\n" . $worker->output());
$wp = $worker->pid;

echo "-- failover\n";
$c = new GearmanClient();
$c->setSslOptions(gt_tls_client_cert_opts());
$c->addServer('127.0.0.1', $p['mtls'], false);
$c->addServer('127.0.0.1', $p['expired'], false);   // newest first: tried first
$c->setTimeout(10000);
var_dump($c->doNormal($fn, "a") === "w$wp:a");
$c->addTask($fn, "b");
$c->addTask($fn, "c");
var_dump($c->runTasks());

echo "-- fork\n";
$pid = pcntl_fork();
if ($pid === 0) {
    $ok = true;
    for ($i = 0; $i < 3; $i++) {
        $ok = $ok && $c->doNormal($fn, "child$i") === "w$wp:child$i";
    }
    exit($ok ? 0 : 1);
}
$ok = true;
for ($i = 0; $i < 3; $i++) {
    $ok = $ok && $c->doNormal($fn, "parent$i") === "w$wp:parent$i";
}
pcntl_waitpid($pid, $status);
var_dump($ok, pcntl_wexitstatus($status));

echo "-- stunnel restart\n";
$ports = $st['ports'];
gt_stunnel_stop($st);
var_dump(@$c->doNormal($fn, "down"), $c->returnCode() !== GEARMAN_SUCCESS);
$st = gt_stunnel_start(null, $ports);
gt_wait_worker($fn, 1, 10.0) or print("worker did not come back\n" . $worker->output());
var_dump($c->doNormal($fn, "again") === "w$wp:again");
$worker->stop();
?>
--EXPECT--
-- failover
bool(true)
bool(true)
-- fork
bool(true)
int(0)
-- stunnel restart
string(0) ""
bool(true)
bool(true)
