--TEST--
GearmanWorker: what work() returns and what the client gets for each callback behaviour
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$cases = ["return", "null", "false", "true", "int", "float", "array", "data", "status", "complete", "fail", "exception",
          "exception_empty", "setreturn_fail", "setreturn_exception", "setreturn_success", "setreturn_then_status"];
$client = gt_spawn('
$c = gt_client();
foreach ($ARGS["cases"] as $case) {
    $r = $c->doNormal($ARGS["fn"], $case);
    echo "client $case: ", json_encode($r), " rc=", $c->returnCode(), "\n";
}
', ['cases' => $cases, 'fn' => $fn]);
foreach ($cases as $case) {
    $w = gt_worker();
    $w->addFunction($fn, function (GearmanJob $job) {
        $r = null;
        switch ($job->workload()) {
            case "return": return "x";
            case "null": return null;
            case "false": return false;
            case "true": return true;
            case "int": return 42;
            case "float": return 2.5;
            case "array": return [1];
            case "data": $job->sendData("d1"); $job->sendData("d2"); return "f";
            case "status": $job->sendStatus(1, 2); $job->sendWarning("w"); return "r";
            case "complete": var_dump($job->sendComplete("c"), $job->sendData("late"), $job->sendFail()); return "ignored";
            case "fail": var_dump($job->sendFail(), $job->returnCode()); return "x";
            case "exception": var_dump($job->sendException("boom")); return "x";
            case "exception_empty": var_dump($job->sendException(""), $job->returnCode()); return "x";
            case "setreturn_fail": var_dump($job->setReturn(GEARMAN_WORK_FAIL), $job->returnCode()); return "x";
            case "setreturn_exception": $job->setReturn(GEARMAN_WORK_EXCEPTION); return "x";
            case "setreturn_success": $job->setReturn(GEARMAN_SUCCESS); return "x";
            case "setreturn_then_status": $job->setReturn(GEARMAN_WORK_FAIL); $job->sendStatus(1, 1); var_dump($job->returnCode()); return "s";
        }
    });
    $r = $w->work();
    echo "worker $case: ", json_encode($r), " rc=", $w->returnCode(), "\n";
    unset($w);
}
var_dump($client->wait(20));
echo $client->output();
?>
--EXPECTF--
worker return: true rc=0
worker null: true rc=0
worker false: true rc=0
worker true: true rc=0
worker int: true rc=0
worker float: true rc=0

Warning: Array to string conversion in %s on line 37
worker array: true rc=0
worker data: true rc=0
worker status: true rc=0
bool(true)
bool(true)
bool(true)
worker complete: true rc=0
bool(true)
int(0)
worker fail: true rc=0
bool(true)
worker exception: true rc=0

Warning: GearmanJob::sendException(): gearman_job_send_exception(GEARMAN_INVALID_ARGUMENT) No exception was provided -> %s:%d: pid(%d) in %s on line 30
bool(false)
int(49)

Warning: GearmanWorker::work(): GEARMAN_UNKNOWN_STATE in %s on line 37
worker exception_empty: false rc=49
bool(true)
int(24)
worker setreturn_fail: false rc=24
worker setreturn_exception: false rc=23
worker setreturn_success: true rc=0
int(0)
worker setreturn_then_status: true rc=0
bool(true)
client return: "x" rc=0
client null: "" rc=0
client false: "" rc=0
client true: "1" rc=0
client int: "42" rc=0
client float: "2.5" rc=0
client array: "Array" rc=0
client data: "d1d2f" rc=0
client status: "r" rc=0
client complete: "c" rc=0
client fail: "" rc=24
client exception: "" rc=23
client exception_empty: "" rc=24
client setreturn_fail: "" rc=24
client setreturn_exception: "" rc=24
client setreturn_success: "x" rc=0
client setreturn_then_status: "s" rc=0
