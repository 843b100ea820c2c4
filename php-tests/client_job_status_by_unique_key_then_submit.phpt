--TEST--
GearmanClient: a submit after jobStatusByUniqueKey works on the same client
--DESCRIPTION--
gearman-rs fix: on the reference (libgearman 1.1.20) the first job submitted after a
jobStatusByUniqueKey() call on the same client never matches its JOB_CREATED and hangs
until the timeout (rc 47). gearman-rs submits it normally.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$u = "uniq-" . getmypid();
$c = gt_client(3000);
$h = $c->doBackground($fn, "job", $u);
echo "status: ", json_encode($c->jobStatusByUniqueKey($u)), "\n";
$h2 = $c->doBackground($fn, "job2");
var_dump($c->returnCode(), strlen($h2) > 0 && $h2 !== $h);
$w = gt_start_worker($fn, 'return "r:" . $job->workload();');
var_dump($c->doNormal($fn, "job3"), $c->returnCode());
?>
--EXPECTF--
status: [true,false,0,0]
int(0)
bool(true)
string(6) "r:job3"
int(0)
