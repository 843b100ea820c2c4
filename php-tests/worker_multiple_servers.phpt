--TEST--
GearmanWorker with several servers: registers on all of them, takes jobs from whichever has work, and picks up a server that comes back
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
[$gm1, $p1] = gt_start_gearmand();
[$gm2, $p2] = gt_start_gearmand();
$fn = gt_fn();
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServers("127.0.0.1:" . $ARGS["p1"] . ",127.0.0.1:" . $ARGS["p2"], false);
$w->addFunction($ARGS["fn"], fn (GearmanJob $job) => "served " . $job->workload());
$w->setTimeout(200);
for ($i = 0; $i < 300; $i++) { @$w->work(); }
', ['fn' => $fn, 'p1' => $p1, 'p2' => $p2]);
$registered = function () use ($fn, $p1, $p2) {
    return [(gt_status_of($p1)[$fn][2] ?? 0), (gt_status_of($p2)[$fn][2] ?? 0)];
};
for ($i = 0; $i < 100 && $registered() != [1, 1]; $i++) usleep(50000);
echo "registered on: ", json_encode($registered()), "\n";

foreach ([$p1, $p2] as $n => $port) {
    $c = new GearmanClient();
    $c->addServer('127.0.0.1', $port, false);
    $c->setTimeout(10000);
    echo "via server ", $n + 1, ": ", $c->doNormal($fn, "job" . ($n + 1)), "\n";
}

// Server 2 dies and comes back on the same port: the worker reconnects,
// registers again and serves it.
gt_stop_gearmand($gm2);
[$gm2] = gt_start_gearmand($p2);
for ($i = 0; $i < 200 && (gt_status_of($p2)[$fn][2] ?? 0) < 1; $i++) usleep(50000);
echo "registered again on server 2: ", gt_status_of($p2)[$fn][2] ?? 0, "\n";
$c = new GearmanClient();
$c->addServer('127.0.0.1', $p2, false);
$c->setTimeout(10000);
echo "via restarted server 2: ", $c->doNormal($fn, "job3"), "\n";
gt_stop_gearmand($gm1);
gt_stop_gearmand($gm2);
?>
--EXPECT--
registered on: [1,1]
via server 1: served job1
via server 2: served job2
registered again on server 2: 1
via restarted server 2: served job3
