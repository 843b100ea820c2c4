--TEST--
GearmanJob: accessors inside the callback (handle, functionName, unique, workload, workloadSize)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$u = "u-" . getmypid();
$client = gt_spawn('
$c = gt_client();
echo "client: ", $c->doNormal($ARGS["fn"], "payload\0bin", $ARGS["u"]), " rc=", $c->returnCode(), "\n";
echo "client2: ", $c->doNormal($ARGS["fn"], "x"), "\n";
', ['fn' => $fn, 'u' => $u]);
$w = gt_worker();
$w->addFunction($fn, function (GearmanJob $job, $ctx) use ($fn, $u) {
    var_dump(func_num_args(), $ctx);
    var_dump((bool)preg_match('/^H:.+:\d+$/', $job->handle()), $job->functionName() === $fn);
    var_dump($job->unique() === $u || (bool)preg_match('/^[0-9a-f-]{36}$/', $job->unique()));
    var_dump(bin2hex($job->workload()), $job->workloadSize(), $job->returnCode());
    var_dump(gearman_job_handle($job) === $job->handle(), gearman_job_function_name($job) === $fn, gearman_job_workload($job) === $job->workload(),
        gearman_job_workload_size($job), gearman_job_unique($job) === $job->unique(), gearman_job_return_code($job));
    return "ok";
});
var_dump($w->work(), $w->work());
var_dump($client->wait(10));
echo $client->output();
?>
--EXPECT--
int(2)
NULL
bool(true)
bool(true)
bool(true)
string(22) "7061796c6f61640062696e"
int(11)
int(0)
bool(true)
bool(true)
bool(true)
int(11)
bool(true)
int(0)
int(2)
NULL
bool(true)
bool(true)
bool(true)
string(2) "78"
int(1)
int(0)
bool(true)
bool(true)
bool(true)
int(1)
bool(true)
int(0)
bool(true)
bool(true)
bool(true)
client: ok rc=0
client2: ok
