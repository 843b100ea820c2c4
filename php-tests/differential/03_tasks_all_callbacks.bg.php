<?php
// Worker for 03 (5 foreground jobs + 1 background job).
require __DIR__ . '/../_helper.inc';
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$n = 0;
$w->addFunction(gt_fn('tasks'), function (GearmanJob $job) use (&$n) {
    $n++;
    switch ($job->workload()) {
        case "data":
            $job->sendData("part1");
            $job->sendWarning("warn");
            $job->sendData("part2");
            return "final";
        case "fail":
            $job->sendFail();
            return null;
        case "exception":
            $job->sendException("boom");
            return null;
        default:
            $job->sendStatus(1, 1);
            return strtoupper($job->workload());
    }
});
while ($n < 6) {
    $w->work();
}
echo "worker done: $n\n";
