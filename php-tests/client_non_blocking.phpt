--TEST--
GearmanClient: NON_BLOCKING runTasks + wait loop; do* return at once
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'usleep(100000); return "r" . $job->workload();');
$c = gt_client();
$c->addOptions(GEARMAN_CLIENT_NON_BLOCKING);
var_dump($c->options());
$done = [];
$c->setCompleteCallback(function (GearmanTask $t) use (&$done) { $done[] = $t->data(); });
$c->addTask($fn, "1");
$c->addTask($fn, "2");
$rcs = [];
$iterations = 0;
while (++$iterations < 10000) {
    $ok = $c->runTasks();
    $rc = $c->returnCode();
    $rcs[$rc] = true;
    if (!$ok) {
        echo "runTasks failed rc=$rc\n";
        break;
    }
    if ($rc == GEARMAN_SUCCESS) {
        break;
    }
    if ($rc == GEARMAN_IO_WAIT) {
        @$c->wait();
    }
}
sort($done);
var_dump($done);
ksort($rcs);
var_dump(array_keys($rcs));
// do* in non-blocking mode return at once with IO_WAIT
// (fresh connections: setupExceptionHandler=false, so nothing is connected yet)
$c2 = new GearmanClient();
$c2->addServer(gt_host(), gt_port(), false);
$c2->setOptions(GEARMAN_CLIENT_NON_BLOCKING);
var_dump($c2->doNormal($fn . "_none", "x"), $c2->returnCode());
$c3 = new GearmanClient();
$c3->addServer(gt_host(), gt_port(), false);
$c3->setOptions(GEARMAN_CLIENT_NON_BLOCKING);
var_dump($c3->doBackground($fn . "_none", "x"), $c3->returnCode());
?>
--EXPECT--
int(34)
array(2) {
  [0]=>
  string(2) "r1"
  [1]=>
  string(2) "r2"
}
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(1)
}
string(0) ""
int(1)
string(0) ""
int(1)
