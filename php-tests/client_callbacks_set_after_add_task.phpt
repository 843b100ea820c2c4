--TEST--
GearmanClient: callbacks set after addTask do not fire for it; replaced callbacks use the new callable
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r" . $job->workload();');
$c = gt_client();
$c->setCompleteCallback(function (GearmanTask $t) { echo "old complete: ", $t->data(), "\n"; });
$c->addTask($fn, "1");
$c->setCreatedCallback(function (GearmanTask $t) { echo "created (set after addTask)\n"; });
$c->setCompleteCallback(function (GearmanTask $t) { echo "new complete: ", $t->data(), "\n"; });
var_dump($c->runTasks());
$c->addTask($fn, "2");
var_dump($c->runTasks());
var_dump(gearman_client_clear_callbacks($c));
$c->addTask($fn, "3");
var_dump($c->runTasks());
?>
--EXPECT--
new complete: r1
bool(true)
created (set after addTask)
new complete: r2
bool(true)
bool(true)
bool(true)
