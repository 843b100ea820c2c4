<?php
// Worker for 01: reverses the workload, sends status and data on the way; "fail" fails.
require __DIR__ . '/../_helper.inc';
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$n = 0;
$w->addFunction(gt_fn('reverse'), function (GearmanJob $job) use (&$n) {
    $n++;
    if ($job->workload() === "fail") {
        $job->sendFail();
        return null;
    }
    $job->sendStatus(1, 2);
    $job->sendData("");
    $job->sendStatus(2, 2);
    return strrev($job->workload());
});
while ($n < 5) {
    $ok = $w->work();
    echo "work: ", json_encode($ok), " rc=", $w->returnCode(), "\n";
}
