--TEST--
GearmanClient: doNormal outcomes WORK_FAIL, WORK_EXCEPTION (exceptions on), WORK_DATA concatenation, warnings ignored
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '
    switch ($job->workload()) {
        case "fail": $job->sendFail(); return "x";
        case "setreturn": $job->setReturn(GEARMAN_WORK_FAIL); return "x";
        case "exception": $job->sendException("boom"); return "x";
        case "data": $job->sendData("d1"); $job->sendData("d2"); return "final";
        case "status": $job->sendStatus(1, 2); $job->sendWarning("w"); return "r";
        case "complete": $job->sendComplete("c"); return "ignored";
        case "null": return null;
        case "false": return false;
        case "true": return true;
        case "int": return 42;
        case "float": return 1.5;
    }
    return "?";
');
$c = gt_client();
foreach (["fail", "setreturn", "exception", "data", "status", "complete", "null", "false", "true", "int", "float"] as $case) {
    $r = $c->doNormal($fn, $case);
    echo $case, ": ";
    var_dump($r, $c->returnCode(), $c->error());
}
?>
--EXPECT--
fail: string(0) ""
int(24)
string(17) "GEARMAN_WORK_FAIL"
setreturn: string(0) ""
int(24)
string(17) "GEARMAN_WORK_FAIL"
exception: string(0) ""
int(23)
string(22) "GEARMAN_WORK_EXCEPTION"
data: string(9) "d1d2final"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
status: string(1) "r"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
complete: string(1) "c"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
null: string(0) ""
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
false: string(0) ""
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
true: string(1) "1"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
int: string(2) "42"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
float: string(3) "1.5"
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
