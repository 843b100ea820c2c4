<?php
// Differential (f): the canonical non-blocking worker loop with work()/wait().
require __DIR__ . '/../_helper.inc';
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$w->addOptions(GEARMAN_WORKER_NON_BLOCKING);
var_dump($w->options());
$done = 0;
$w->addFunction(gt_fn('nb'), function (GearmanJob $job) use (&$done) {
    $done++;
    return strrev($job->workload());
});
$end = microtime(true) + 30;
while ($done < 3 && microtime(true) < $end) {
    if (@$w->work() || $w->returnCode() == GEARMAN_SUCCESS) {
        continue;
    }
    if (!in_array($w->returnCode(), [GEARMAN_IO_WAIT, GEARMAN_NO_JOBS])) {
        echo "work rc ", $w->returnCode(), "\n";
        break;
    }
    if (!@$w->wait() && $w->returnCode() == GEARMAN_NO_ACTIVE_FDS) {
        usleep(100000);
    }
}
var_dump($done);
