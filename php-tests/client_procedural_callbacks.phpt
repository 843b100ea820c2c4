--TEST--
GearmanClient: procedural set_*_callback aliases and task functions
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '$job->sendStatus(1, 2); $job->sendData("d"); $job->sendWarning("w"); if ($job->workload() == "fail") { $job->sendFail(); return; } if ($job->workload() == "exc") { $job->sendException("e"); return; } return "r";');
$c = gt_client();
$log = [];
foreach (['workload', 'created', 'data', 'warning', 'status', 'complete', 'exception', 'fail'] as $cb) {
    $f = "gearman_client_set_{$cb}_callback";
    var_dump($f($c, function (GearmanTask $t, $ctx) use ($cb, &$log) {
        $log[$ctx][] = "$cb:" . gearman_task_data($t) . ":" . gearman_task_data_size($t) . ":" . gearman_task_numerator($t) . "/" . gearman_task_denominator($t)
            . ":" . json_encode(gearman_task_is_known($t)) . ":" . (gearman_task_function_name($t) === gt_fn() ? "fn" : "?")
            . ":" . (strlen(gearman_task_unique($t)) === 36 ? "uuid" : "?") . ":" . (str_starts_with(gearman_task_job_handle($t), "H:") ? "H" : "?")
            . ":" . gearman_task_return_code($t);
    }));
}
gearman_client_add_task($c, $fn, "ok", "a");
gearman_client_add_task($c, $fn, "fail", "b");
gearman_client_add_task($c, $fn, "exc", "c");
var_dump(gearman_client_run_tasks($c));
ksort($log);
foreach ($log as $k => $v) echo "$k: ", implode(" ", $v), "\n";
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
a: created::0:0/0:true:fn:uuid:H:0 status::0:1/2:true:fn:uuid:H:0 data:d:1:1/2:true:fn:uuid:H:0 warning:w:1:1/2:true:fn:uuid:H:0 complete:r:1:1/2:false:fn:uuid:H:0
b: created::0:0/0:true:fn:uuid:H:0 status::0:1/2:true:fn:uuid:H:0 data:d:1:1/2:true:fn:uuid:H:0 warning:w:1:1/2:true:fn:uuid:H:0 fail::0:1/2:false:fn:uuid:H:0
c: created::0:0/0:true:fn:uuid:H:0 status::0:1/2:true:fn:uuid:H:0 data:d:1:1/2:true:fn:uuid:H:0 warning:w:1:1/2:true:fn:uuid:H:0 exception:e:1:1/2:false:fn:uuid:H:0
