<?php
// Differential (d): a worker that uses sendStatus/sendData/sendWarning/sendComplete/sendFail.
require __DIR__ . '/../_helper.inc';
$w = new GearmanWorker();
var_dump($w->addServer(gt_host(), gt_port()));
$jobs = 0;
var_dump($w->addFunction(gt_fn('w'), function (GearmanJob $job, $ctx) use (&$jobs) {
    $jobs++;
    echo "job $jobs: ", $job->workload(), " size=", $job->workloadSize(), " ctx=", json_encode($ctx), "\n";
    switch ($job->workload()) {
        case "status":
            var_dump($job->sendStatus(1, 3), $job->sendStatus(3, 3));
            return "status done";
        case "data":
            var_dump($job->sendData("a"), $job->sendData("b"), $job->sendWarning("w"));
            return "c";
        case "complete":
            var_dump($job->sendComplete("explicit"));
            return "ignored";
        case "fail":
            var_dump($job->sendFail());
            return null;
    }
    return "?";
}, ["ctx"]));
var_dump($w->options());
while ($jobs < 4) {
    $ok = $w->work();
    echo "work: ", json_encode($ok), " rc=", $w->returnCode(), "\n";
}
