--TEST--
GearmanJob: setReturn range checking
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$j = new GearmanJob();
foreach ([0, 1, 24, 52, 53, 54, -1, 1000] as $v) {
    echo "$v: ";
    var_dump($j->setReturn($v), $j->returnCode());
}
try {
    $j->setReturn("abc");
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECTF--
0: bool(true)
int(0)
1: bool(true)
int(1)
24: bool(true)
int(24)
52: bool(true)
int(52)
53: bool(true)
int(53)
54: 
Warning: GearmanJob::setReturn(): Invalid gearman_return_t: 54 in %s on line 6
bool(false)
int(53)
-1: 
Warning: GearmanJob::setReturn(): Invalid gearman_return_t: -1 in %s on line 6
bool(false)
int(53)
1000: 
Warning: GearmanJob::setReturn(): Invalid gearman_return_t: 1000 in %s on line 6
bool(false)
int(53)
GearmanJob::setReturn(): Argument #1 ($gearman_return_t) must be of type int, string given
