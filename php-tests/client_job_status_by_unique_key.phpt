--TEST--
GearmanClient: jobStatusByUniqueKey (queued/unknown, does not touch returnCode)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$u = "uniq-" . getmypid();
$c = gt_client();
$c->doBackground($fn, "job", $u);
$c2 = gt_client();
echo "queued: ", json_encode($c2->jobStatusByUniqueKey($u)), " rc=", $c2->returnCode(), "\n";
$c3 = gt_client();
echo "unknown: ", json_encode(gearman_client_job_status_by_unique_key($c3, "nope-" . getmypid())), " rc=", $c3->returnCode(), "\n";
?>
--EXPECT--
queued: [true,false,0,0] rc=0
unknown: [false,false,0,0] rc=0
