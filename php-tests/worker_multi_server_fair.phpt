--TEST--
GearmanWorker with three servers that all have a backlog takes jobs from each in turn (none starved), and serves a server added with addServers whose gearmand is blackholed without stalling
--DESCRIPTION--
The time bound is a hang check.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--INI--
gearman.connect_timeout=300
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$g = [];
$ports = [];
foreach (['A', 'B', 'C'] as $i => $name) {
    [$g[$i], $ports[$i]] = gt_start_gearmand();
    $c = new GearmanClient();
    $c->addServer('127.0.0.1', $ports[$i]);
    for ($k = 0; $k < 60; $k++) {
        $c->doBackground($fn, "$name$k");
    }
}
$w = new GearmanWorker();
$w->addServers(implode(',', array_map(fn($p) => "127.0.0.1:$p", $ports)) . ",127.0.0.1:" . gt_blackhole_port(), false);
$seen = [];
$w->addFunction($fn, function (GearmanJob $j) use (&$seen) { $seen[] = $j->workload()[0]; });
$w->setTimeout(5000);
$t = microtime(true);
for ($i = 0; $i < 90; $i++) {
    if (!$w->work() && $w->returnCode() !== GEARMAN_SUCCESS) {
        echo "work: ", $w->returnCode(), " ", $w->error(), "\n";
        break;
    }
}
$took = microtime(true) - $t;
$n = array_count_values($seen);
ksort($n);
echo "first 90 jobs: "; foreach ($n as $k => $v) echo "$k=$v "; echo "\n";
echo $took < 20 ? "bounded\n" : "took $took s\n";
$s = $w->stats();
echo "jobs_received=", $s['jobs_received'], " blackholed server: ", $s['servers'][0]['state'], " connects=", $s['servers'][0]['connects'], "\n";
foreach ($g as $p) {
    gt_stop_gearmand($p);
}
?>
--EXPECT--
first 90 jobs: A=30 B=30 C=30 
bounded
jobs_received=90 blackholed server: down connects=0
