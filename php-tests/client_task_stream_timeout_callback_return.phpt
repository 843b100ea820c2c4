--TEST--
GearmanTask::sendWorkload()/recvData() return values, setTimeout() beyond 32 bits (client and worker alike), out-of-range task callback return values
--DESCRIPTION--
gearman-rs fix: sendWorkload()/recvData() return false for a task object without a task, 29 / [0, ""]
inside a callback, as pecl/gearman (which segfaults for a task added but not yet run; gearman-rs
answers 29 / [0, ""] there too). recvData() with a negative length: ValueError (pecl/gearman: a fatal
"Possible integer overflow"). setTimeout() beyond 32 bits saturates to -2147483648..2147483647 on
client and worker (pecl/gearman wraps: 2**32+5 became 5 ms, 2**40 became 0). A task callback's
return value is read as a 32-bit gearman_return_t, as pecl/gearman does: -5 is 4294967291 (warning,
false), 2**32+20 is 20 (true), 2**40 is 0 (carry on); 2**32+1 (IO_WAIT) is treated like `true`.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fresh = new GearmanTask();
var_dump($fresh->sendWorkload("x"), $fresh->recvData(10));
$c = gt_client(5000);
$c->setStatusCallback(function (GearmanTask $t) {
    var_dump($t->sendWorkload("x"), $t->recvData(10));
    try { $t->recvData(-1); } catch (ValueError $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
});
$t = $c->addTaskStatus("H:nosuch:1");
var_dump($t->sendWorkload("x"), $t->recvData(10));
var_dump($c->runTasks());
var_dump($t->sendWorkload("x"), $t->recvData(10));   // finished and freed

$w = new GearmanWorker();
foreach ([2**31, 2**32 + 5, 2**40, -(2**32) + 100, -2, 1500] as $v) {
    $c->setTimeout($v); $w->setTimeout($v);
    echo "setTimeout($v): client ", $c->timeout(), " worker ", $w->timeout(), "\n";
}

$c = gt_client(5000);
foreach (['-5', '2**32+20', '2**40', '2**32+1'] as $expr) {
    $v = eval("return $expr;");
    $n = 0;
    $c->setStatusCallback(function () use (&$v, &$n) { $n++; return $v; });
    $c->addTaskStatus("H:nosuch:2");
    $r = @$c->runTasks();
    echo "callback returns $expr: runTasks ", json_encode($r), " rc=", $c->returnCode(), " calls=$n\n";
    $v = 0;
    $c->runTasks();    // finish a stopped run (the callback is called again)
}
?>
--EXPECT--
bool(false)
bool(false)
int(29)
array(2) {
  [0]=>
  int(0)
  [1]=>
  string(0) ""
}
int(29)
array(2) {
  [0]=>
  int(0)
  [1]=>
  string(0) ""
}
ValueError: GearmanTask::recvData(): Argument #1 ($data_len) must be greater than or equal to 0
bool(true)
bool(false)
bool(false)
setTimeout(2147483648): client 2147483647 worker 2147483647
setTimeout(4294967301): client 2147483647 worker 2147483647
setTimeout(1099511627776): client 2147483647 worker 2147483647
setTimeout(-4294967196): client -2147483648 worker -2147483648
setTimeout(-2): client -2 worker -2
setTimeout(1500): client 1500 worker 1500
callback returns -5: runTasks false rc=4294967291 calls=1
callback returns 2**32+20: runTasks true rc=20 calls=1
callback returns 2**40: runTasks true rc=0 calls=1
callback returns 2**32+1: runTasks true rc=0 calls=1
