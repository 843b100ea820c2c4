--TEST--
setTaskFailedCallback: doNormal retries inside the call; a task waiting out its backoff does not block the others; failed background submissions are reported and retryable
--DESCRIPTION--
gearman-rs only: the task-failed hook (procedural alias gearman_client_set_task_failed_callback).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '
    $u = $job->unique();
    $n = $GLOBALS["seen"][$u] = ($GLOBALS["seen"][$u] ?? 0) + 1;
    if (str_starts_with($job->workload(), "flaky") && $n <= 2) { $job->sendFail(); return; }
    if ($job->workload() === "slow") { usleep(100000); }
    return "done " . $job->workload() . " after " . ($n - 1);
');

echo "-- doNormal with the procedural alias\n";
$c = gt_client();
$attempts = [];
var_dump(gearman_client_set_task_failed_callback($c, function (GearmanTask $t, $ctx) use (&$attempts) {
    $attempts[] = $t->returnCode() . "/" . $t->retryCount();
    $t->retry(5);
}));
var_dump($c->doNormal($fn, "flaky-do", "do-" . getmypid()), $c->returnCode());
echo "attempts seen: ", implode(" ", $attempts), "\n";

echo "-- backoff of one task does not block the batch\n";
$c = gt_client();
$events = [];
$c->setTaskFailedCallback(function (GearmanTask $t, $ctx) use (&$events) {
    $events[] = "failed $ctx #" . $t->retryCount();
    $t->retry(400);
});
$c->setCompleteCallback(function (GearmanTask $t, $ctx) use (&$events) {
    $events[] = "complete $ctx: " . $t->data();
});
// Submission is newest-first, so the single worker gets A first: A fails,
// and B runs (and completes) while A waits out its 400 ms backoff.
$c->addTask($fn, "slow", "B", "b-" . getmypid());
$c->addTask($fn, "flaky-a", "A", "a-" . getmypid());
var_dump($c->runTasks());
echo implode("\n", $events), "\n";

echo "-- background submission to a dead server\n";
$c = new GearmanClient();
$c->addServer('127.0.0.1', gt_dead_port(), false);
$c->setTimeout(2000);
$tries = 0;
$c->setTaskFailedCallback(function (GearmanTask $t, $ctx) use (&$tries) {
    $tries++;
    echo "attempt ", $t->retryCount() + 1, " failed rc=", $t->returnCode(), "\n";
    if ($t->retryCount() < 2) $t->retry(10);
});
$c->addTaskBackground($fn, "bg", "BG");
var_dump(@$c->runTasks(), $c->returnCode(), $tries);
var_dump(gearman_client_clear_callbacks($c));
?>
--EXPECTF--
-- doNormal with the procedural alias
bool(true)
string(21) "done flaky-do after 2"
int(0)
attempts seen: 24/0 24/1
-- backoff of one task does not block the batch
bool(true)
failed A #0
complete B: done slow after 0
failed A #1
complete A: done flaky-a after 2
-- background submission to a dead server
attempt 1 failed rc=26
attempt 2 failed rc=26
attempt 3 failed rc=26
bool(false)
int(26)
int(3)
bool(true)
