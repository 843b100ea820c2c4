--TEST--
GearmanTask: new GearmanTask() is a detached object
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$t = new GearmanTask();
var_dump($t);
var_dump($t->returnCode(), $t->functionName(), $t->unique(), $t->jobHandle(), $t->isKnown(), $t->isRunning());
var_dump($t->taskNumerator(), $t->taskDenominator(), $t->data(), $t->dataSize());
var_dump(gearman_task_return_code($t), gearman_task_function_name($t), gearman_task_unique($t), gearman_task_job_handle($t));
var_dump(gearman_task_is_known($t), gearman_task_is_running($t), gearman_task_numerator($t), gearman_task_denominator($t));
var_dump(gearman_task_data($t), gearman_task_data_size($t));
try {
    gearman_task_data(new GearmanClient());
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
object(GearmanTask)#1 (0) {
}
int(0)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
int(0)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
gearman_task_data(): Argument #1 ($obj) must be of type GearmanTask, GearmanClient given
