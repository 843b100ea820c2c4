--TEST--
GearmanClient: addTaskStatus (status callback, task accessors)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
$h = $c->doBackground($fn, "queued job");
$c->setStatusCallback(function (GearmanTask $t, $ctx) use ($h) {
    echo "status ctx=$ctx known=", json_encode($t->isKnown()), " running=", json_encode($t->isRunning()),
        " num=", $t->taskNumerator(), " den=", $t->taskDenominator(), " fn_is_handle=", json_encode($t->functionName() === $h),
        " unique=", json_encode($t->unique()), "\n";
});
$t = $c->addTaskStatus($h, "ctx1");
var_dump(get_class($t), $c->returnCode());
$t2 = gearman_client_add_task_status($c, "H:nosuchhost:1", "ctx2");
var_dump($c->runTasks(), $c->returnCode());
var_dump($t->isKnown(), $t->functionName());
?>
--EXPECT--
string(11) "GearmanTask"
int(0)
status ctx=ctx2 known=false running=false num=0 den=0 fn_is_handle=false unique=""
status ctx=ctx1 known=true running=false num=0 den=0 fn_is_handle=true unique=""
bool(true)
int(0)
bool(false)
bool(false)
