<?php
// Worker for 02: reports progress slowly.
require __DIR__ . '/../_helper.inc';
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$w->addFunction(gt_fn('bg'), function (GearmanJob $job) {
    for ($i = 1; $i <= 3; $i++) {
        usleep(150000);
        $job->sendStatus($i, 3);
    }
    usleep(150000);
    return "done";
});
var_dump($w->work(), $w->returnCode());
