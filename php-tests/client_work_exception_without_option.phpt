--TEST--
GearmanClient: worker exception seen as WORK_FAIL when the client did not enable exceptions
--DESCRIPTION--
gearman-rs fix: without the "exceptions" option gearmand turns a worker exception into a
WORK_FAIL packet whose job handle carries a trailing NUL; libgearman 1.1 (the reference) ignores
it, so doNormal()/runTasks() hang until the timeout (rc 47). gearman-rs accepts the packet:
the job fails (rc 24 / fail callback).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '$job->sendException("boom"); return null;');
$c = new GearmanClient();
$c->addServer(gt_host(), gt_port(), false);
$c->setTimeout(3000);
var_dump($c->doNormal($fn, "x"), $c->returnCode());
$c->setFailCallback(function (GearmanTask $t) { echo "fail callback\n"; });
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete callback\n"; });
$c->addTask($fn, "y");
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--
string(0) ""
int(24)
fail callback
bool(true)
int(0)
