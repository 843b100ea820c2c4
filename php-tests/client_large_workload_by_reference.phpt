--TEST--
Client: large workloads (sent from the caller's string, not copied) arrive exactly after a failover, and a task keeps the workload it was added with
--DESCRIPTION--
gearman-rs sends a workload of 16 KiB or more from the PHP string itself (a
reference held by the task, see CHANGELOG); the submission is queued again on
the next server when the preferred one is down, and PHP's copy-on-write keeps
an added task's workload when the caller's variable changes before runTasks().
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
gt_start_worker($fn, '$w = $job->workload(); return strlen($w) . ":" . md5($w);');
$sum = fn(string $w) => strlen($w) . ":" . md5($w);

$c = new GearmanClient();
$c->addServer(gt_host(), gt_port(), false);
// Added last, so tried first: it is down.
$c->addServer('127.0.0.1', gt_dead_port(), false);
$c->setTimeout(20000);
foreach ([16 << 10, 100000, 3 << 20] as $size) {
    $w = substr(str_repeat("\0\1b\xfe" . $size, ($size >> 2) + 1), 0, $size);
    $r = $c->doNormal($fn, $w);
    printf("doNormal %7d: rc=%d %s\n", $size, $c->returnCode(), $r === $sum($w) ? "exact" : "WRONG $r");
}
$r = $c->doNormal($fn, 123456789012345678);   // an int: converted, then sent
var_dump($r === $sum("123456789012345678"));

$c2 = new GearmanClient();
$c2->addServer(gt_host(), gt_port(), false);
$c2->setTimeout(20000);
$got = [];
$c2->setCompleteCallback(function (GearmanTask $t) use (&$got) { $got[$t->unique()] = $t->data(); });
$a = str_repeat("A", 200000);
$b = $a;                       // one string, two variables
$c2->addTask($fn, $a, null, "ua-" . getmypid());
$c2->addTask($fn, $b, null, "ub-" . getmypid());
$a[0] = "X";                   // separates $a; the tasks keep the original
$b .= "tail";                  // separates $b too
var_dump($c2->runTasks(), $c2->returnCode());
$orig = str_repeat("A", 200000);
var_dump($got["ua-" . getmypid()] === $sum($orig), $got["ub-" . getmypid()] === $sum($orig));
var_dump($a[0], strlen($b));
?>
--EXPECT--
doNormal   16384: rc=0 exact
doNormal  100000: rc=0 exact
doNormal 3145728: rc=0 exact
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
string(1) "X"
int(200004)
