--TEST--
GearmanWorker signals: ignored SIGTERM keeps an idle work() serving, default SIGTERM kills it, a handler installed or reset later is honoured
--DESCRIPTION--
gearman-rs fix (pins the stop-signal contract of worker_signal_contract.phpt for dispositions other
than "pcntl handler installed before work()"): an idle worker notices stop signals without
re-reading the signal dispositions before every sleep (it wraps pcntl_signal() instead) and holds
signals while idle only once a pcntl handler may exist. Each scenario runs in its own worker process:
- default: no pcntl_signal() at all; SIGTERM while idle kills the worker (default action);
- ignored: pcntl_signal(SIGTERM, SIG_IGN); SIGTERM while idle is discarded, work() keeps serving,
  with ("held") and without ("plain") another pcntl handler installed;
- late: the SIGTERM handler is installed by the first job's callback (after work() slept once);
  an idle SIGTERM then runs it and ends `while ($w->work())` with GEARMAN_SHUTDOWN;
- reset: a SIGTERM handler installed before work() is reset to SIG_DFL by the first job's
  callback; an idle SIGTERM then kills the worker.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_signal')) die('skip no pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

function scenario(string $name, string $setup, string $inJob): void
{
    $fn = gt_fn("_$name");
    $w = gt_spawn('
$got = [];
' . $setup . '
$w = gt_worker();
$w->addFunction($ARGS["fn"], function ($job) use (&$got) {
    static $first = true;
    if ($first) { $first = false; ' . $inJob . ' }
    echo "job ", $job->workload(), "\n"; // before the result: the test may kill us once it has it
    return strtoupper($job->workload());
});
$n = 0;
while ($w->work()) { $n++; }
echo "ended jobs=$n rc=", $w->returnCode(), " got=", implode(",", $got), "\n";
', ['fn' => $fn]);
    $ok = gt_wait_worker($fn, 1, 10, $w);
    $c = gt_client(4000);
    $first = $c->doNormal($fn, "a");
    usleep(500000); // idle again, asleep
    $w->signal(SIGTERM);
    // Generous: the scenarios that end do so at once; the others must
    // still be serving after this long.
    $alive = !$w->wait(3.0);
    $after = $alive ? $c->doNormal($fn, "b") : '-';
    if ($alive) {
        $w->signal(SIGKILL);
    }
    $exited = $w->wait(5);
    printf("%s: registered=%s first=%s alive-after-SIGTERM=%s after=%s exited=%s exit=%s\n  %s",
        $name, json_encode($ok), $first, json_encode($alive), $after, json_encode($exited),
        $alive ? 'killed by test' : json_encode($w->exit), $w->output());
}

scenario('default', '', '');
scenario('ignored_plain', 'pcntl_signal(SIGTERM, SIG_IGN);', '');
scenario('ignored_held', 'pcntl_signal(SIGTERM, SIG_IGN); pcntl_signal(SIGHUP, function ($n) use (&$got) { $got[] = $n; });', '');
scenario('late', 'pcntl_async_signals(false);', 'pcntl_signal(SIGTERM, function ($n) use (&$got) { $got[] = $n; });');
scenario('reset', 'pcntl_async_signals(true); pcntl_signal(SIGTERM, function ($n) use (&$got) { $got[] = $n; });', 'pcntl_signal(SIGTERM, SIG_DFL);');
?>
--EXPECT--
default: registered=true first=A alive-after-SIGTERM=false after=- exited=true exit=-1
  job a
ignored_plain: registered=true first=A alive-after-SIGTERM=true after=B exited=true exit=killed by test
  job a
job b
ignored_held: registered=true first=A alive-after-SIGTERM=true after=B exited=true exit=killed by test
  job a
job b
late: registered=true first=A alive-after-SIGTERM=false after=- exited=true exit=0
  job a
ended jobs=1 rc=2 got=15
reset: registered=true first=A alive-after-SIGTERM=false after=- exited=true exit=-1
  job a
