--TEST--
GearmanJob: new GearmanJob() outside a worker
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$j = new GearmanJob();
var_dump($j);
var_dump($j->returnCode(), $j->handle(), $j->functionName(), $j->unique(), $j->workload(), $j->workloadSize());
var_dump($j->sendData("x"), $j->sendWarning("x"), $j->returnCode());
var_dump($j->sendStatus(1, 2), $j->returnCode());
var_dump($j->sendComplete("x"), $j->sendException("x"), $j->sendFail(), $j->returnCode());
var_dump($j->setReturn(GEARMAN_WORK_FAIL), $j->returnCode());
var_dump(gearman_job_send_data($j, "y"), gearman_job_set_return($j, 0), gearman_job_return_code($j));
// __destruct() takes no parameters and ignores extra arguments, as pecl/gearman's does.
var_dump($j->__destruct(), $j->__destruct(1, 2), (new GearmanWorker())->__destruct(1));
?>
--EXPECTF--
object(GearmanJob)#1 (0) {
}
int(0)
bool(false)
bool(false)
bool(false)
string(0) ""
int(0)
bool(false)
bool(false)
int(0)

Warning: GearmanJob::sendStatus(): (null) in %s on line 7
bool(false)
int(49)

Warning: GearmanJob::sendComplete(): (null) in %s on line 8

Warning: GearmanJob::sendException(): (null) in %s on line 8

Warning: GearmanJob::sendFail(): (null) in %s on line 8
bool(false)
bool(false)
bool(false)
int(49)
bool(true)
int(24)
bool(false)
bool(true)
int(0)
NULL
NULL
NULL
