--TEST--
NUL bytes in a function name or unique key are refused (rc 49); a worker callback returning a non-stringable object fails the job with WORK_EXCEPTION
--DESCRIPTION--
gearman-rs fix: pecl/gearman (C strings) truncates a function name or unique key at the first NUL
and submits the truncated job; gearman-rs refuses it with GEARMAN_INVALID_ARGUMENT (49), since the
truncated name would reach a different function or coalesce with a different job. A worker callback
returning an object without __toString(): pecl/gearman completes the job with an empty result;
gearman-rs fails the job with WORK_EXCEPTION carrying the Error's message, so
the client does not take a broken result for a success.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = gt_client(5000);
var_dump(@$c->doBackground(gt_fn() . "\0tail", "w"), $c->returnCode());
var_dump(@$c->doNormal(gt_fn(), "w", "uniq\0tail"), $c->returnCode());
var_dump(@$c->addTask(gt_fn() . "\0tail", "w"), $c->returnCode());
var_dump(@$c->addTask(gt_fn(), "w", null, "uniq\0tail"), $c->returnCode());

$fn = gt_fn('_obj');
$w = gt_start_worker($fn, 'return $job->workload() === "obj" ? new stdClass : "fine";');
$c->setExceptionCallback(function (GearmanTask $t) { echo "exception callback: ", $t->data(), "\n"; });
$c->addTask($fn, "obj");
$c->addTask($fn, "str");
var_dump($c->runTasks());
// the Error also reaches the worker's caller (as any exception from a callback)
$w->wait(5);
echo strstr($w->output(), "Uncaught Error: Object of class stdClass could not be converted to string") !== false ? "worker saw the Error\n" : $w->output();
?>
--EXPECT--
string(0) ""
int(49)
string(0) ""
int(49)
bool(false)
int(49)
bool(false)
int(49)
exception callback: Object of class stdClass could not be converted to string
bool(true)
worker saw the Error
