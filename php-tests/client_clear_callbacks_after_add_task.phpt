--TEST--
GearmanClient: clearCallbacks after addTask is harmless
--DESCRIPTION--
gearman-rs fix: on the reference clearCallbacks() after addTask() leaves the task with
callback slots that find no callable; runTasks() then throws
"Error: Invalid callback , no array or string given". gearman-rs ignores the cleared slots.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r";');
$c = gt_client();
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete (should not be called)\n"; });
$c->setCreatedCallback(function (GearmanTask $t) { echo "created (should not be called)\n"; });
$t = $c->addTask($fn, "1");
var_dump($c->clearCallbacks());
var_dump($c->runTasks(), $c->returnCode());
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete: ", $t->data(), "\n"; });
$c->addTask($fn, "2");
var_dump($c->runTasks());
?>
--EXPECTF--
bool(true)
bool(true)
int(0)
complete: r
bool(true)
