<?php
// Differential (e): a grabJob() loop (the worker sends results itself).
// The jobs are queued first: on the reference a grabJob() that follows an empty grabJob()
// after a grabbed job segfaults (see php-tests/worker_grab_job_loop.phpt), so this script
// never polls an empty queue.
require __DIR__ . '/../_helper.inc';
var_dump(gt_wait_status(gt_fn('g'), 3, null, 20));
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$w->addFunction(gt_fn('g'), function () { return "never called by grabJob"; });
for ($i = 0; $i < 3; $i++) {
    $job = $w->grabJob();
    if (!$job) {
        echo "grabJob failed rc ", $w->returnCode(), "\n";
        exit(1);
    }
    echo get_class($job), " ", $job->functionName() === gt_fn('g') ? "fn ok" : "fn ?", " workload=", $job->workload(),
        " unique=", $job->unique(), " rc=", $w->returnCode(), "\n";
    var_dump($job->sendStatus(1, 1), $job->sendData("d"), $job->sendComplete(strtoupper($job->workload())), $job->returnCode());
}
