--TEST--
GearmanWorker signal contract: SIGHUP/SIGUSR1/SIGCHLD keep both loop styles serving, SIGTERM stops them (idle and busy)
--DESCRIPTION--
gearman-rs fix: an idle work() interrupted by a signal runs the pending pcntl handlers at once, then
- SIGTERM/SIGINT/SIGQUIT (or a handler calling stopWork()): work() returns false with GEARMAN_SHUTDOWN;
- any other signal: work() keeps waiting in the same call (as pecl/gearman, whose loop survives SIGHUP);
- a busy worker finishes and reports its job first.
On 174f9bb the first SIGHUP ended `while ($w->work())` (false, rc 47) and later jobs were not served.
Each combination of loop style ("plain" = while ($w->work()), "flag" = while (!$stop && $w->work())),
async/sync pcntl signals and idle/busy SIGTERM runs in its own worker process.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_signal')) die('skip no pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

function scenario(string $loop, bool $async, string $term): void
{
    $fn = gt_fn("_{$loop}_" . ($async ? 'a' : 's') . "_$term");
    $w = gt_spawn('
pcntl_async_signals($ARGS["async"]);
$stop = false;
$got = [];
foreach ([SIGHUP, SIGUSR1, SIGCHLD, SIGTERM] as $s) {
    pcntl_signal($s, function ($n) use (&$got, &$stop) { $got[] = $n; if ($n == SIGTERM) $stop = true; });
}
$w = gt_worker();
$w->addFunction($ARGS["fn"], function ($job) {
    if ($job->workload() === "slow") { usleep(600000); file_put_contents($GLOBALS["ARGS"]["mark"], "slow done"); }
    return strtoupper($job->workload());
});
$n = 0;
if ($ARGS["loop"] === "plain") { while ($w->work()) { $n++; } }
else { while (!$stop && $w->work()) { $n++; } }
$end = microtime(true);
file_put_contents($ARGS["mark"] . ".end", sprintf("%.6f", $end));
echo "ended jobs=$n rc=", $w->returnCode(), " stop=", json_encode($stop), " got=", implode(",", $got), "\n";
', ['fn' => $fn, 'async' => $async, 'loop' => $loop, 'mark' => $mark = tempnam(sys_get_temp_dir(), 'gt_sig')]);
    $ok = gt_wait_worker($fn, 1, 10, $w);
    usleep(200000);
    $c = gt_client(4000);
    // idle: harmless signals, then jobs
    foreach ([SIGHUP, SIGUSR1, SIGCHLD] as $s) { $w->signal($s); usleep(100000); }
    $served = 0;
    for ($i = 0; $i < 5; $i++) { $served += $c->doNormal($fn, "j$i") === "J$i" ? 1 : 0; }
    // busy: SIGHUP while a job runs, the job and later ones are served
    $bg = gt_spawn('$c = gt_client(4000); echo "busy result: ", $c->doNormal($ARGS["f"], "slow"), "\n";', ['f' => $fn]);
    usleep(250000);
    $w->signal(SIGHUP);
    $bg->wait(10);
    $busyHup = trim($bg->output());
    $served += $c->doNormal($fn, "after") === "AFTER" ? 1 : 0;
    // SIGTERM, idle or busy
    @unlink($mark);
    if ($term === 'busy') {
        $bg = gt_spawn('$c = gt_client(4000); echo "busy result: ", $c->doNormal($ARGS["f"], "slow"), "\n";', ['f' => $fn]);
        usleep(250000);
    }
    $sent = microtime(true);
    $w->signal(SIGTERM);
    $exited = $w->wait(10);
    $end = (float)@file_get_contents($mark . '.end');
    $lat = $end - $sent;
    $busyTerm = $term === 'busy' ? ($bg->wait(10) ? trim($bg->output()) : 'client hung') : '-';
    printf("%s/%s/%s: registered=%s served=%d/6 busy-hup=[%s] exited=%s stopped-in-time=%s busy-term=[%s] slow-finished=%s\n  %s",
        $loop, $async ? 'async' : 'sync', $term, json_encode($ok), $served, $busyHup, json_encode($exited),
        json_encode($lat > 0 && $lat < ($term === 'busy' ? 2.0 : 0.5)), $busyTerm,
        json_encode($term !== 'busy' || @file_get_contents($mark) === 'slow done'), $w->output());
    @unlink($mark); @unlink($mark . '.end');
}

scenario('plain', true, 'idle');
scenario('plain', false, 'busy');
scenario('flag', false, 'idle');
scenario('flag', true, 'busy');
?>
--EXPECT--
plain/async/idle: registered=true served=6/6 busy-hup=[busy result: SLOW] exited=true stopped-in-time=true busy-term=[-] slow-finished=true
  ended jobs=7 rc=2 stop=true got=1,10,17,1,15
plain/sync/busy: registered=true served=6/6 busy-hup=[busy result: SLOW] exited=true stopped-in-time=true busy-term=[busy result: SLOW] slow-finished=true
  ended jobs=8 rc=2 stop=true got=1,10,17,1,15
flag/sync/idle: registered=true served=6/6 busy-hup=[busy result: SLOW] exited=true stopped-in-time=true busy-term=[-] slow-finished=true
  ended jobs=7 rc=2 stop=true got=1,10,17,1,15
flag/async/busy: registered=true served=6/6 busy-hup=[busy result: SLOW] exited=true stopped-in-time=true busy-term=[busy result: SLOW] slow-finished=true
  ended jobs=8 rc=0 stop=true got=1,10,17,1,15
