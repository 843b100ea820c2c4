--TEST--
GearmanJob: procedural gearman_job_send_* aliases inside a worker callback
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$client = gt_spawn('
$c = gt_client();
$c->setStatusCallback(function ($t) { echo "status ", $t->taskNumerator(), "/", $t->taskDenominator(), "\n"; });
$c->setDataCallback(function ($t) { echo "data ", $t->data(), "\n"; });
$c->setWarningCallback(function ($t) { echo "warning ", $t->data(), "\n"; });
$c->setCompleteCallback(function ($t) { echo "complete ", $t->data(), "\n"; });
$c->setFailCallback(function ($t) { echo "fail\n"; });
$c->setExceptionCallback(function ($t) { echo "exception ", $t->data(), "\n"; });
foreach (["complete", "fail", "exception"] as $x) { $c->addTask($ARGS["fn"], $x); $c->runTasks(); }
', ['fn' => $fn]);
$w = gt_worker();
$w->addFunction($fn, function (GearmanJob $job) {
    var_dump(gearman_job_send_status($job, 1, 3), gearman_job_send_data($job, "D"), gearman_job_send_warning($job, "W"));
    switch ($job->workload()) {
        case "complete": var_dump(gearman_job_send_complete($job, "C")); break;
        case "fail": var_dump(gearman_job_send_fail($job)); break;
        case "exception": var_dump(gearman_job_send_exception($job, "E")); break;
    }
    var_dump(gearman_job_return_code($job), gearman_job_set_return($job, GEARMAN_SUCCESS));
});
for ($i = 0; $i < 3; $i++) {
    var_dump(gearman_worker_work($w));
}
var_dump($client->wait(10));
echo $client->output();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
status 1/3
data D
warning W
complete C
status 1/3
data D
warning W
fail
status 1/3
data D
warning W
exception E
