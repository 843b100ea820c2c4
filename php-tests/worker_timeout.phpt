--TEST--
GearmanWorker: setTimeout makes an idle work() return false with rc 47
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = gt_worker();
$w->addFunction(gt_fn(), fn () => "x");
var_dump($w->setTimeout(300));
$t = microtime(true);
var_dump($w->work(), $w->returnCode(), $w->returnCode() == GEARMAN_TIMEOUT);
$dt = microtime(true) - $t;
var_dump($dt >= 0.25 && $dt < 5);
var_dump($w->work(), $w->returnCode());
?>
--EXPECT--
bool(true)
bool(false)
int(47)
bool(true)
bool(true)
bool(false)
int(47)
