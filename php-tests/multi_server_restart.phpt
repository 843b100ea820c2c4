--TEST--
Multi-server: a gearmand killed mid-run and restarted: round-robin doNormal calls keep succeeding on the others, the worker (connected to all three) re-registers on the restarted one and the client uses it again
--DESCRIPTION--
gearman-rs only: round-robin selection (setServerSelection) and stats(). The time bounds are hang checks.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$g = [];
$ports = [];
for ($i = 0; $i < 3; $i++) {
    [$g[$i], $ports[$i]] = gt_start_gearmand();
}
$list = implode(',', array_map(fn($p) => "127.0.0.1:$p", $ports));
$worker = gt_spawn('
$w = new GearmanWorker();
$w->addServers($ARGS["list"]);
$w->addFunction($ARGS["fn"], fn(GearmanJob $j) => strtoupper($j->workload()));
while (true) { @$w->work(); }
', ['list' => $list]);

function registered(int $port, string $fn, float $timeout): bool
{
    $end = microtime(true) + $timeout;
    do {
        if ((gt_status_of($port)[$fn][2] ?? 0) >= 1) return true;
        usleep(50000);
    } while (microtime(true) < $end);
    return false;
}
foreach ($ports as $p) {
    registered($p, $fn, 10) or print("worker not registered on $p\n");
}

$c = new GearmanClient();
$c->addServers($list);
$c->setTimeout(10000);
$c->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN);
$ok = 0;
$bad = [];
for ($i = 0; $i < 150; $i++) {
    if ($i === 50) {
        gt_stop_gearmand($g[1]);           // SIGKILL, like a crash
    }
    if ($i === 100) {
        [$g[1]] = gt_start_gearmand($ports[1]);
    }
    $r = $c->doNormal($fn, "x$i");
    if ($r === "X$i" && $c->returnCode() === GEARMAN_SUCCESS) {
        $ok++;
    } else {
        $bad[] = "$i: rc=" . $c->returnCode() . " " . $c->error();
    }
}
echo "doNormal across the kill and restart: $ok of 150 ok\n", implode("\n", $bad);

echo "worker re-registered: ", var_export(registered($ports[1], $fn, 40), true), "\n";
// The client probes the restarted server once its back-off is over.
$end = microtime(true) + 40;
while (gt_queued_on($ports[1], "{$fn}_bg") === 0 && microtime(true) < $end) {
    $c->doBackground("{$fn}_bg", "b");
    usleep(10000);
}
echo "client uses it again: ", var_export(gt_queued_on($ports[1], "{$fn}_bg") > 0, true), "\n";
$ok = 0;
for ($i = 0; $i < 30; $i++) {
    $ok += $c->doNormal($fn, "y") === "Y" ? 1 : 0;
}
echo "after: $ok of 30 ok\n";
$s = $c->stats();
// List order is newest first: index 1 is the middle server of the list.
$mid = $s['servers'][1];
echo "restarted server: connects=", $mid['connects'], " failures>0=", var_export($mid['failures'] > 0, true), " state=", $mid['state'], "\n";
echo "reconnects: ", $s['reconnects'], "\n";
$worker->stop();
foreach ($g as $p) {
    gt_stop_gearmand($p);
}
?>
--EXPECT--
doNormal across the kill and restart: 150 of 150 ok
worker re-registered: true
client uses it again: true
after: 30 of 30 ok
restarted server: connects=2 failures>0=true state=up
reconnects: 1
