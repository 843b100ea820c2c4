--TEST--
GearmanClient::addTaskBackgroundAt: scheduled jobs in a runTasks batch with the usual callbacks, contexts and unique keys; tasks at different times run in time order; the task-failed hook sees failed submissions; bad times are ValueErrors
--DESCRIPTION--
gearman-rs only: SUBMIT_JOB_EPOCH tasks (procedural alias gearman_client_add_task_background_at).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
try { $c->addTaskBackgroundAt($fn, "x", -1); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
try { gearman_client_add_task_background_at($c, $fn, "x", PHP_INT_MAX, null); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
var_dump(@$c->addTaskBackgroundAt("", "x", 1), $c->returnCode());

$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$w->addFunction($ARGS["fn"], function (GearmanJob $j) { printf("%s %.3f\n", $j->workload(), microtime(true)); });
for ($i = 0; $i < 4; $i++) { $w->work(); }
');
var_dump(gt_wait_worker($fn, 1, 10.0, $w));
usleep(200000);

$events = [];
$c->setCreatedCallback(function (GearmanTask $t, $ctx) use (&$events) {
    $events[] = "created $ctx " . ($t->jobHandle() !== "" ? "with handle" : "without handle") . " unique=" . $t->unique();
});
$c->setCompleteCallback(function () use (&$events) { $events[] = "complete?!"; });
$base = time();
$pid = getmypid();
// Added newest-last, submitted newest-first: gearmand gets +1, +2, +3 in
// reverse order of their times, and still hands them out in time order.
$t3 = $c->addTaskBackgroundAt($fn, "t+3", $base + 3, "C3", "u3-$pid");
$t2 = gearman_client_add_task_background_at($c, $fn, "t+2", $base + 2, "C2", "u2-$pid");
$t1 = $c->addTaskBackgroundAt($fn, "t+1", $base + 1, "C1", "u1-$pid");
$tp = $c->addTaskBackgroundAt($fn, "past", $base - 60, "CP", "up-$pid");
var_dump($t1 instanceof GearmanTask, $t1->unique(), $t1->functionName() === $fn);
var_dump($c->runTasks(), $c->returnCode());
sort($events);
echo implode("\n", $events), "\n";

var_dump($w->wait(15));
$order = [];
foreach (explode("\n", trim($w->output())) as $line) {
    [$what, $at] = explode(" ", $line);
    $order[] = $what;
    if ($what !== "past") {
        $due = $base + (int)substr($what, 2);
        if ($at < $due - 0.01 || $at > $due + 1.0 + 1.5) echo "$what ran at ", $at - $due, " s from its time\n";
    }
}
echo implode(" ", $order), "\n";

echo "-- failed submission and the task-failed hook\n";
$c = new GearmanClient();
$c->addServer('127.0.0.1', gt_dead_port(), false);
$c->setTimeout(2000);
$c->setTaskFailedCallback(function (GearmanTask $t, $ctx) {
    echo "attempt ", $t->retryCount() + 1, " of $ctx failed rc=", $t->returnCode(), "\n";
    if ($t->retryCount() < 1) $t->retry(10);
});
$c->addTaskBackgroundAt($fn, "never", time() + 5, "CTX");
var_dump(@$c->runTasks(), $c->returnCode());
?>
--EXPECTF--
GearmanClient::addTaskBackgroundAt(): Argument #3 ($timestamp) must be a Unix time between 0 and 253402300799
gearman_client_add_task_background_at(): Argument #4 ($timestamp) must be a Unix time between 0 and 253402300799
bool(false)
int(49)
bool(true)
bool(true)
string(%d) "u1-%d"
bool(true)
bool(true)
int(0)
created C1 with handle unique=u1-%d
created C2 with handle unique=u2-%d
created C3 with handle unique=u3-%d
created CP with handle unique=up-%d
bool(true)
past t+1 t+2 t+3
-- failed submission and the task-failed hook
attempt 1 of CTX failed rc=26
attempt 2 of CTX failed rc=26
bool(false)
int(26)
