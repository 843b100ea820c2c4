--TEST--
GearmanTask: sendWorkload/recvData outside streaming
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
$c->removeOptions(GEARMAN_CLIENT_FREE_TASKS);
$t = $c->addTaskBackground($fn, "x");
var_dump($c->runTasks());
var_dump($t->recvData(10), gearman_task_recv_data($t, 5));
var_dump(is_int($t->sendWorkload("abc")) || $t->sendWorkload("abc") === false);
?>
--EXPECT--
bool(true)
array(2) {
  [0]=>
  int(0)
  [1]=>
  string(0) ""
}
array(2) {
  [0]=>
  int(0)
  [1]=>
  string(0) ""
}
bool(true)
