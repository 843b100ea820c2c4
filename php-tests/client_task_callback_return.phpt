--TEST--
GearmanClient: callback return codes (WORK_FAIL/PAUSE stop runTasks and re-invoke, other codes warn)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r" . $job->workload();');
$c = gt_client();
$calls = 0;
$ret = GEARMAN_WORK_FAIL;
$c->setCompleteCallback(function (GearmanTask $t) use (&$calls, &$ret) {
    $calls++;
    echo "complete #$calls: ", $t->data(), " returning ", json_encode($ret), "\n";
    return $ret;
});
$c->addTask($fn, "1");
var_dump($c->runTasks(), $c->returnCode());
$ret = GEARMAN_PAUSE;
var_dump($c->runTasks(), $c->returnCode());
$ret = null;
var_dump($c->runTasks(), $c->returnCode());
var_dump($c->runTasks(), $c->returnCode());
$c->addTask($fn, "2");
$ret = GEARMAN_LOST_CONNECTION;
var_dump($c->runTasks(), $c->returnCode());
$ret = "not a number";
var_dump($c->runTasks(), $c->returnCode());
$c->addTask($fn, "3");
$ret = 0;
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--
complete #1: r1 returning 24
bool(true)
int(24)
complete #2: r1 returning 38
bool(true)
int(38)
complete #3: r1 returning null
bool(true)
int(0)
bool(true)
int(0)
complete #4: r2 returning 14

Warning: GearmanClient::runTasks(): GEARMAN_IO_WAIT in %s on line 22
bool(false)
int(14)
complete #5: r2 returning "not a number"
bool(true)
int(0)
complete #6: r3 returning 0
bool(true)
int(0)
