--TEST--
setTaskFailedCallback: tasks failing k = 0..5 times, retried up to 3 times with backoff: k <= 3 complete with retryCount = k, the others fail once after 3 retries
--DESCRIPTION--
gearman-rs addition (issue: task-failed callback with retry counting). The worker fails each
job (by unique key) as many times as its workload says, alternating WORK_FAIL and a thrown
exception, then succeeds.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '
    $u = $job->unique();
    $n = $GLOBALS["seen"][$u] = ($GLOBALS["seen"][$u] ?? 0) + 1;
    if ($n <= (int)$job->workload()) {
        if ($n % 2) { $job->sendFail(); return; }
        $job->sendException("attempt $n of $u"); return;
    }
    return "ok " . substr($u, 0, 2) . " after " . ($n - 1);
');

$c = gt_client();
$log = [];
$order = [];
$c->setTaskFailedCallback(function (GearmanTask $t, $ctx) use (&$log, &$order) {
    $why = $t->returnCode() == GEARMAN_WORK_FAIL ? 'fail' : ($t->returnCode() == GEARMAN_WORK_EXCEPTION ? 'exception' : 'rc' . $t->returnCode());
    $log[$ctx][] = "attempt " . ($t->retryCount() + 1) . " failed ($why)";
    if ($t->retryCount() < 3) {
        $order[] = $ctx;
        var_dump($t->retry(10 * (2 ** $t->retryCount())) === true);
        // A second retry() for the same attempt is refused.
        var_dump($t->retry() === false);
    }
});
$c->setCompleteCallback(function (GearmanTask $t, $ctx) use (&$log) {
    $log[$ctx][] = "complete retryCount=" . $t->retryCount() . " data=" . $t->data();
});
$c->setFailCallback(function (GearmanTask $t, $ctx) use (&$log) {
    $log[$ctx][] = "fail callback retryCount=" . $t->retryCount();
});
$c->setExceptionCallback(function (GearmanTask $t, $ctx) use (&$log) {
    $log[$ctx][] = "exception callback retryCount=" . $t->retryCount();
});
$tasks = [];
for ($k = 0; $k <= 5; $k++) {
    $tasks[] = $c->addTask($fn, (string)$k, "k$k", "u$k-" . getmypid());
}
// Outside the task-failed callback, retry() does nothing.
var_dump($tasks[0]->retry());
ob_start();
$ok = $c->runTasks();
$out = ob_get_clean();
var_dump($ok, $c->returnCode());
// Every retry() inside the callback returned true, every second one false.
echo "retry() answers: ", $out === str_repeat("bool(true)\nbool(true)\n", count($order)) ? "as expected" : $out, "\n";
ksort($log);
foreach ($log as $k => $lines) {
    echo "$k:\n  ", implode("\n  ", $lines), "\n";
}
echo "retries scheduled: ", count($order), "\n";
?>
--EXPECT--
bool(false)
bool(true)
int(0)
retry() answers: as expected
k0:
  complete retryCount=0 data=ok u0 after 0
k1:
  attempt 1 failed (fail)
  complete retryCount=1 data=ok u1 after 1
k2:
  attempt 1 failed (fail)
  attempt 2 failed (exception)
  complete retryCount=2 data=ok u2 after 2
k3:
  attempt 1 failed (fail)
  attempt 2 failed (exception)
  attempt 3 failed (fail)
  complete retryCount=3 data=ok u3 after 3
k4:
  attempt 1 failed (fail)
  attempt 2 failed (exception)
  attempt 3 failed (fail)
  attempt 4 failed (exception)
  exception callback retryCount=3
k5:
  attempt 1 failed (fail)
  attempt 2 failed (exception)
  attempt 3 failed (fail)
  attempt 4 failed (exception)
  exception callback retryCount=3
retries scheduled: 12
