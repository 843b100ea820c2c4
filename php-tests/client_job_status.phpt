--TEST--
GearmanClient: jobStatus for queued, running (with status), finished and unknown handles
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$flag = sys_get_temp_dir() . "/gt_flag_" . getmypid();
@unlink($flag);
$c = gt_client();
$h = $c->doBackground($fn, "job");
echo "queued: ", json_encode($c->jobStatus($h)), " rc=", $c->returnCode(), "\n";
$w = gt_start_worker($fn, '$job->sendStatus(3, 10); while (!file_exists($ARGS["flag"])) usleep(10000); return "done";', 1, ['flag' => $flag]);
$end = microtime(true) + 10;
do {
    $st = $c->jobStatus($h);
    usleep(20000);
} while ($st[2] != 3 && microtime(true) < $end);
echo "running: ", json_encode($st), "\n";
touch($flag);
$w->wait(10);
echo "finished: ", json_encode($c->jobStatus($h)), "\n";
echo "unknown: ", json_encode($c->jobStatus("H:nosuchhost:999999")), " rc=", $c->returnCode(), "\n";
echo "garbage: ", json_encode(gearman_client_job_status($c, "not a handle")), " rc=", $c->returnCode(), "\n";
@unlink($flag);
?>
--EXPECT--
queued: [true,false,0,0] rc=0
running: [true,true,3,10]
finished: [false,false,0,0]
unknown: [false,false,0,0] rc=0
garbage: [false,false,0,0] rc=0
