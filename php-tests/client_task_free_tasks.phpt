--TEST--
GearmanClient: without FREE_TASKS task objects stay usable after runTasks
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "res";');
$c = gt_client();
var_dump($c->removeOptions(GEARMAN_CLIENT_FREE_TASKS), $c->options());
$t = $c->addTask($fn, "x", null, "my-unique-" . getmypid());
var_dump($c->runTasks());
var_dump(preg_match('/^H:.+:\d+$/', $t->jobHandle()), $t->functionName() === $fn, $t->unique() === "my-unique-" . getmypid());
var_dump($t->isKnown(), $t->isRunning(), $t->taskNumerator(), $t->taskDenominator(), $t->data(), $t->dataSize(), $t->returnCode());
// generated unique is a UUID
$t2 = $c->addTask($fn, "y");
var_dump((bool)preg_match('/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/', $t2->unique()));
$t3 = $c->addTask($fn, "z", null, "");
var_dump(strlen($t3->unique()));
var_dump($c->runTasks());
?>
--EXPECT--
bool(true)
int(0)
bool(true)
int(1)
bool(true)
bool(true)
bool(false)
bool(false)
int(0)
int(0)
string(0) ""
int(0)
int(0)
bool(true)
int(36)
bool(true)
