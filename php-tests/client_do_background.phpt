--TEST--
GearmanClient: doBackground/doHighBackground/doLowBackground, doJobHandle, jobStatus lifecycle
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
$h = $c->doBackground($fn, "job1");
var_dump($h, $c->returnCode(), $c->doJobHandle() === $h);
var_dump($c->jobStatus($h), $c->returnCode());
$h2 = $c->doHighBackground($fn, "job2");
$h3 = $c->doLowBackground($fn, "job3");
var_dump($h2 !== $h && $h3 !== $h2, $c->doJobHandle() === $h3);
$h4 = gearman_client_do_background($c, $fn, "p1", null);
$h5 = gearman_client_do_high_background($c, $fn, "p2");
$h6 = gearman_client_do_low_background($c, $fn, "p3");
var_dump(gearman_client_do_job_handle($c) === $h6, gearman_client_do_status($c));
// same unique key + function -> same job
$u = "same-" . getmypid();
var_dump($c->doBackground($fn, "a", $u) === $c->doBackground($fn, "b", $u));
// doNormal does not change doJobHandle
var_dump(gt_wait_status($fn, 7));
$w = gt_start_worker($fn, 'return "ok";', 7);
var_dump($w->wait(20));
var_dump($c->jobStatus($h), $c->jobStatus($h6));
var_dump(gearman_client_job_status($c, $h2), $c->returnCode());
?>
--EXPECTF--
string(%d) "H:%s:%d"
int(0)
bool(true)
array(4) {
  [0]=>
  bool(true)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
int(0)
bool(true)
bool(true)
bool(true)
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(0)
}
bool(true)
bool(true)
bool(true)
array(4) {
  [0]=>
  bool(false)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
array(4) {
  [0]=>
  bool(false)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
array(4) {
  [0]=>
  bool(false)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
int(0)
