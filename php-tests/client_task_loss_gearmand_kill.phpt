--TEST--
runTasks() across a gearmand kill (one server, then two): every task's outcome is seen exactly once, runTasks() never returns true while a task is unresolved
--DESCRIPTION--
gearman-rs fix: tasks that were in flight on a connection that died stay pending: the runTasks() that
sees the loss returns false (rc 14), every later one returns false too (rc 26 while no server is
reachable; pecl/gearman says rc 7 and never recovers) and submits them again, so once a server
answers they complete and runTasks() returns true. On 174f9bb the second runTasks() returned true
and the 8 lost tasks had no callback at all.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!function_exists('posix_kill')) die('skip no posix'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

function worker(array $ports, string $fn): GtProc
{
    return gt_spawn('
$w = new GearmanWorker();
foreach ($ARGS["ports"] as $p) $w->addServer("127.0.0.1", $p);
$w->setTimeout(200);
$w->addFunction($ARGS["fn"], function ($j) { usleep(10000); return strtoupper($j->workload()); });
while (true) { if (!@$w->work() && $w->returnCode() != GEARMAN_TIMEOUT) usleep(50000); }
', ['ports' => $ports, 'fn' => $fn]);
}

function wait_registered(int $port, string $fn): bool
{
    for ($i = 0; $i < 300; $i++) {
        if ((gt_status_of($port)[$fn][2] ?? 0) > 0) return true;
        usleep(20000);
    }
    return false;
}

/** A client whose complete callback SIGKILLs $victim after $after completions. */
function client(array $ports, &$seen, &$done, $victim, int $after): GearmanClient
{
    $c = new GearmanClient();
    foreach ($ports as $p) $c->addServer('127.0.0.1', $p, false);
    $c->setTimeout(5000);
    $record = function (string $what) use (&$seen) {
        return function ($t) use ($what, &$seen) { $seen[$t->unique()][] = $what . ($what === 'complete' ? ':' . $t->data() : ''); };
    };
    $c->setFailCallback($record('fail'));
    $c->setExceptionCallback($record('exception'));
    $c->setCompleteCallback(function ($t) use (&$seen, &$done, $victim, $after) {
        $seen[$t->unique()][] = 'complete:' . $t->data();
        if (++$done == $after) { posix_kill(proc_get_status($victim)['pid'], SIGKILL); usleep(100000); }
    });
    return $c;
}

function report(string $label, array $seen, int $n): void
{
    $once = 0; $bad = [];
    for ($i = 0; $i < $n; $i++) {
        $o = $seen["u$i"] ?? [];
        if ($o === ['complete:W' . $i]) $once++; else $bad["u$i"] = $o;
    }
    echo "$label: $once/$n tasks seen exactly once", $bad ? ' BAD ' . json_encode($bad) : '', "\n";
}

// ---- one server, killed mid-batch, then restarted on the same port
$fn = gt_fn('_one');
[$g, $port] = gt_start_gearmand();
$w = worker([$port], $fn);
var_dump(wait_registered($port, $fn));
$seen = []; $done = 0;
$c = client([$port], $seen, $done, $g, 2);
for ($i = 0; $i < 10; $i++) $c->addTask($fn, "w$i", null, "u$i");
var_dump(@$c->runTasks(), $c->returnCode(), $done);
var_dump(@$c->runTasks(), $c->returnCode(), $done);   // no server: still false
var_dump(@$c->runTasks(), $c->returnCode(), $done);
proc_close($g);
[$g, $port] = gt_start_gearmand($port);
var_dump(wait_registered($port, $fn));
var_dump(@$c->runTasks(), $c->returnCode());          // resubmitted: all resolved
var_dump($c->runTasks());
report('one server', $seen, 10);
$w->stop();
gt_stop_gearmand($g);

// ---- two servers, one killed mid-batch
$fn = gt_fn('_two');
[$g1, $p1] = gt_start_gearmand();
[$g2, $p2] = gt_start_gearmand();
$w = worker([$p1, $p2], $fn);
var_dump(wait_registered($p1, $fn) && wait_registered($p2, $fn));
$seen = []; $done = 0;
$c = client([$p1, $p2], $seen, $done, $g1, 10);
for ($i = 0; $i < 60; $i++) $c->addTask($fn, "w$i", null, "u$i");
$rets = [];
for ($r = 0; $r < 5 && count($seen) < 60; $r++) {
    $rets[] = [@$c->runTasks(), $c->returnCode()];
}
echo json_encode($rets), "\n";
var_dump($c->runTasks());
report('two servers', $seen, 60);
$w->stop();
proc_close($g1);
gt_stop_gearmand($g2);
?>
--EXPECT--
bool(true)
bool(false)
int(14)
int(2)
bool(false)
int(26)
int(2)
bool(false)
int(26)
int(2)
bool(true)
bool(true)
int(0)
bool(true)
one server: 10/10 tasks seen exactly once
bool(true)
[[false,14],[true,0]]
bool(true)
two servers: 60/60 tasks seen exactly once
