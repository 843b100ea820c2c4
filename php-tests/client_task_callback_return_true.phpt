--TEST--
GearmanClient: a callback returning true does not abort runTasks
--DESCRIPTION--
gearman-rs fix: on the reference a callback returning true (= 1, GEARMAN_IO_WAIT) breaks
the run loop: runTasks() warns "(GEARMAN_NO_ACTIVE_FDS) no active file descriptors", returns
false with rc 7 and the remaining tasks never complete. gearman-rs treats true like 0.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r" . $job->workload();');
$c = gt_client(3000);
$c->setCreatedCallback(function (GearmanTask $t) { return true; });
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete: ", $t->data(), "\n"; return true; });
$c->addTask($fn, "1");
$c->addTask($fn, "2");
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--
complete: r2
complete: r1
bool(true)
int(0)
