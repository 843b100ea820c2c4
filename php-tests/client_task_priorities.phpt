--TEST--
GearmanClient: addTaskHigh/addTaskLow and procedural task functions complete
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return strtoupper($job->workload());');
$c = gt_client();
$got = [];
$c->setCompleteCallback(function (GearmanTask $t) use (&$got) { $got[] = $t->data(); });
$c->addTaskHigh($fn, "high");
$c->addTaskLow($fn, "low");
$c->addTask($fn, "normal");
gearman_client_add_task($c, $fn, "p");
gearman_client_add_task_high($c, $fn, "ph");
gearman_client_add_task_low($c, $fn, "pl");
var_dump(gearman_client_run_tasks($c));
sort($got);
echo implode(",", $got), "\n";
?>
--EXPECT--
bool(true)
HIGH,LOW,NORMAL,P,PH,PL
