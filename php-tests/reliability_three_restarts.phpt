--TEST--
Reliability: a `while ($w->work())`-style worker and one GearmanClient survive three gearmand restarts in a row and complete every job submitted after each
--DESCRIPTION--
gearman-rs fix: pecl/gearman's worker spins or dies after the server goes away. Uses a private gearmand.
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
$w->addFunction($ARGS["fn"], fn (GearmanJob $job) => strrev($job->workload()));
$w->setTimeout(20000);
$done = 0;
while ($done < 12) {
    if ($w->work()) { $done++; continue; }
    // The server went away: the same object reconnects on the next call.
    echo "work() rc=", $w->returnCode(), "\n";
    usleep(50000);
}
echo "worker done: $done jobs\n";
', ['fn' => $fn, 'port' => $port]);
$wait_worker = function () use ($fn, &$port) {
    for ($i = 0; $i < 200 && (gt_status_of($port)[$fn][2] ?? 0) < 1; $i++) usleep(50000);
};
$wait_worker();
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(10000);
for ($round = 0; $round <= 3; $round++) {
    if ($round > 0) {
        gt_stop_gearmand($gm);
        [$gm] = gt_start_gearmand($port);
        $wait_worker();
    }
    $results = [];
    for ($j = 0; $j < 3; $j++) {
        $results[] = $c->doNormal($fn, "r{$round}j{$j}") . "/" . $c->returnCode();
    }
    echo "round $round: ", implode(" ", $results), "\n";
}
var_dump($w->wait(15));
$out = $w->output();
echo preg_match('/worker done: 12 jobs/', $out) ? "worker finished all 12 jobs\n" : "worker output:\n$out";
gt_stop_gearmand($gm);
?>
--EXPECT--
round 0: 0j0r/0 1j0r/0 2j0r/0
round 1: 0j1r/0 1j1r/0 2j1r/0
round 2: 0j2r/0 1j2r/0 2j2r/0
round 3: 0j3r/0 1j3r/0 2j3r/0
bool(true)
worker finished all 12 jobs
