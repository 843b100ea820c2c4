--TEST--
Reliability: a client whose preferred server is down submits to the next one (doNormal, doBackground, unique keys, task batches)
--DESCRIPTION--
gearman-rs fix: with pecl/gearman the addTask/runTasks batch times out (rc 47) when the preferred server is down;
do* calls fail over on both.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
gt_start_worker($fn, 'return strtoupper($job->workload());');
$c = new GearmanClient();
var_dump($c->addServer(gt_host(), gt_port(), false));
// Added last, so tried first (libgearman's order): it is down.
var_dump($c->addServer('127.0.0.1', gt_dead_port(), false));
$c->setTimeout(10000);
var_dump($c->doNormal($fn, "one"), $c->returnCode());
var_dump(strlen($c->doBackground($fn, "two")) > 0, $c->returnCode());
$keys = [];
for ($i = 0; $i < 6; $i++) {
    $keys[] = $c->doNormal($fn, "k$i", "key-$i-" . getmypid());
}
echo implode(" ", $keys), "\n";
$done = [];
$c->setCompleteCallback(function (GearmanTask $t) use (&$done) { $done[] = "complete " . $t->data(); });
$c->addTask($fn, "t1", null, "u1-" . getmypid());
$c->addTask($fn, "t2");
var_dump($c->runTasks(), $c->returnCode());
sort($done);   // completion order depends on timing
echo implode("\n", $done), "\n";
?>
--EXPECT--
bool(true)
bool(true)
string(3) "ONE"
int(0)
bool(true)
int(0)
K0 K1 K2 K3 K4 K5
bool(true)
int(0)
complete T1
complete T2
