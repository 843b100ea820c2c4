<?php
// Differential (a): the classic reverse client - doNormal in a loop with returnCode checks.
require __DIR__ . '/../_helper.inc';
$fn = gt_fn('reverse');
$client = new GearmanClient();
var_dump($client->addServer(gt_host(), gt_port()));
$client->setTimeout(20000);
foreach (["Hello World!", "racecar", "gearman-rs", str_repeat("ab", 1000)] as $workload) {
    do {
        $result = $client->doNormal($fn, $workload);
        switch ($client->returnCode()) {
            case GEARMAN_WORK_DATA:
                echo "Data: $result\n";
                break;
            case GEARMAN_WORK_STATUS:
                [$numerator, $denominator] = $client->doStatus();
                echo "Status: $numerator/$denominator\n";
                break;
            case GEARMAN_WORK_FAIL:
                echo "Failed\n";
                exit(1);
            case GEARMAN_SUCCESS:
                break;
            default:
                echo "RET: " . $client->returnCode() . " " . $client->error() . "\n";
                exit(1);
        }
    } while ($client->returnCode() != GEARMAN_SUCCESS);
    echo "Success: ", strlen($result) > 40 ? md5($result) : $result, "\n";
}
var_dump($client->doNormal($fn, "fail"), $client->returnCode());
var_dump($client->error(), $client->doJobHandle(), $client->doStatus());
