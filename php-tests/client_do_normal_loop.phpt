--TEST--
GearmanClient: legacy reverse_client loop with returnCode checks
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '$job->sendStatus(1, 2); $job->sendData("chunk:"); return strrev($job->workload());');
$c = gt_client();
$calls = 0;
do {
    $calls++;
    $result = $c->doNormal($fn, "Hello World!");
    switch ($c->returnCode()) {
        case GEARMAN_WORK_DATA:
            echo "Data: $result\n";
            break;
        case GEARMAN_WORK_STATUS:
            list($numerator, $denominator) = $c->doStatus();
            echo "Status: $numerator/$denominator\n";
            break;
        case GEARMAN_WORK_FAIL:
            echo "Failed\n";
            exit;
        case GEARMAN_SUCCESS:
            break;
        default:
            echo "RET: " . $c->returnCode() . "\n";
            exit;
    }
} while ($c->returnCode() != GEARMAN_SUCCESS);
echo "Success: $result after $calls call(s)\n";
?>
--EXPECT--
Success: chunk:!dlroW olleH after 1 call(s)
