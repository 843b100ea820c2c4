--TEST--
setTimeout() is a deadline through retries: a task-failed callback that always retries cannot extend runTasks()/doNormal(); retryCount()/returnCode() keep their final values after the run
--DESCRIPTION--
gearman-rs only: the retry API. On 174f9bb retry() restarted the deadline (runTasks ran until the
callback stopped retrying, here a 6 s guard) and retryCount() read 0 once runTasks() had returned.
Now: the call returns within the timeout (+ a generous margin here); the retry() whose attempt could
not start before the deadline returns false; the task then ends as without the hook (fail callback,
or a timeout with the task pending); retryCount() and returnCode() keep their final values.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn('_flop');
// fails every job; "twice:*" jobs fail twice per unique key, then succeed
$w = gt_start_worker($fn, '
$u = $job->unique();
if (str_starts_with($job->workload(), "twice") && ($GLOBALS["fails"][$u] = ($GLOBALS["fails"][$u] ?? 0) + 1) > 2) return "ok";
$job->sendFail();
return "";
');
$T = 1000;
$guard = microtime(true) + 6;

function client_with_hook(int $T, float $guard, array &$log, ?GearmanTask &$saved): GearmanClient
{
    $c = gt_client();
    $c->setTimeout($T);
    $c->setTaskFailedCallback(function (GearmanTask $t) use (&$log, &$saved, $guard) {
        $saved = $t;
        $ok = microtime(true) < $guard ? $t->retry() : false; // "forever" (the guard only ends old builds)
        $log[] = [$t->retryCount(), $ok, $t->returnCode()];
    });
    $c->setFailCallback(function ($t) use (&$log) { $log[] = 'fail callback'; });
    return $c;
}

function summary(array $log): string
{
    $entries = array_values(array_filter($log, 'is_array'));
    $refused = array_keys(array_filter($entries, fn ($e) => !$e[1]));
    $last = end($entries);
    return sprintf("attempts>3=%s refused=%s last-refused=%s fail-callbacks=%d",
        json_encode(count($entries) > 3), json_encode(count($refused)),
        json_encode($refused === [count($entries) - 1]), count(array_filter($log, 'is_string')));
}

// runTasks
$log = []; $saved = null;
$c = client_with_hook($T, $guard, $log, $saved);
$task = $c->addTask($fn, "x");
$t0 = microtime(true);
$r = @$c->runTasks();
$el = microtime(true) - $t0;
echo "runTasks in time: ", json_encode($el < ($T + 400) / 1000), "\n";
echo summary($log), "\n";
$entries = array_values(array_filter($log, 'is_array'));
$lastSeen = end($entries)[0];
$timedOut = !$r;
echo "outcome: ", $timedOut
    ? "timeout rc=" . $c->returnCode() . " fail-callback=" . json_encode(in_array('fail callback', $log, true))
    : "fail callback, runTasks true", "\n";
echo "retryCount after run == last seen: ", json_encode($task->retryCount() === $lastSeen && $lastSeen > 0), "\n";
echo "returnCode after run: ", json_encode($timedOut ? in_array($task->returnCode(), [0, GEARMAN_TIMEOUT]) : $task->returnCode() === GEARMAN_WORK_FAIL), "\n";

// doNormal
$log = []; $saved = null;
$c = client_with_hook($T, $guard, $log, $saved);
$t0 = microtime(true);
$res = @$c->doNormal($fn, "y");
$el = microtime(true) - $t0;
echo "doNormal in time: ", json_encode($el < ($T + 400) / 1000), " result=", json_encode($res), " rc in [WORK_FAIL, TIMEOUT]: ",
    json_encode(in_array($c->returnCode(), [GEARMAN_WORK_FAIL, GEARMAN_TIMEOUT])), "\n";
echo summary($log), "\n";
$entries = array_values(array_filter($log, 'is_array'));
echo "saved task retryCount after doNormal == last seen: ", json_encode($saved->retryCount() === end($entries)[0] && end($entries)[0] > 0), "\n";

// a task that succeeds on its third attempt: retryCount() 2 and returnCode() 0 after the run
$log = []; $saved = null;
$c = client_with_hook(10000, $guard, $log, $saved);
$c->setCompleteCallback(function ($t) use (&$log) { $log[] = 'complete:' . $t->data(); });
$task = $c->addTask($fn, "twice", null, gt_fn('_u'));
var_dump($c->runTasks());
echo count($log) < 10 ? json_encode($log) : count($log) . ' log entries', "\n";
var_dump($task->retryCount(), $task->returnCode());
?>
--EXPECTF--
runTasks in time: true
attempts>3=true refused=1 last-refused=true fail-callbacks=%d
outcome: %s
retryCount after run == last seen: true
returnCode after run: true
doNormal in time: true result="" rc in [WORK_FAIL, TIMEOUT]: true
attempts>3=true refused=1 last-refused=true fail-callbacks=0
saved task retryCount after doNormal == last seen: true
bool(true)
[[1,true,24],[2,true,24],"complete:ok"]
int(2)
int(0)
