--TEST--
GearmanWorker: grabJob without and with a queued job
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_worker();
$w->addFunction($fn, fn () => "never called");
$t = microtime(true);
var_dump($w->grabJob(), $w->returnCode(), microtime(true) - $t < 5);
$c = gt_client();
$h = $c->doBackground($fn, "grab me", "gu-" . getmypid());
$job = $w->grabJob();
var_dump(get_class($job), $w->returnCode());
var_dump($job->handle() === $h, $job->functionName() === $fn, $job->workload(), $job->workloadSize(), $job->unique() === "gu-" . getmypid());
var_dump($job->sendStatus(1, 2), $job->sendComplete("done"), $job->returnCode());
// WORK_COMPLETE (worker connection) and GET_STATUS (client connection) may be
// served by gearmand in either order: wait, bounded, for the status to settle.
for ($i = 0; $i < 100 && $c->jobStatus($h)[0]; $i++) usleep(20000);
var_dump(json_encode($c->jobStatus($h)));
$job2 = gearman_worker_grab_job($w);
var_dump($job2, $w->returnCode());
?>
--EXPECTF--

Warning: GearmanWorker::grabJob(): GEARMAN_UNKNOWN_STATE in %s on line 7
bool(false)
int(35)
bool(true)
string(10) "GearmanJob"
int(0)
bool(true)
bool(true)
string(7) "grab me"
int(7)
bool(true)
bool(true)
bool(true)
int(0)
string(17) "[false,false,0,0]"

Warning: gearman_worker_grab_job(): GEARMAN_UNKNOWN_STATE in %s on line %d
bool(false)
int(35)
