--TEST--
GearmanWorker: a job that runs past its addFunction() timeout (CAN_DO_TIMEOUT) gets ERROR JOB_NOT_FOUND for its late WORK_COMPLETE; the next work() serves normally, blocking and non-blocking
--DESCRIPTION--
gearman-rs fix: on the reference the ERROR reply to the late WORK_COMPLETE makes the next work() fail
with rc 11 (GEARMAN_UNEXPECTED_PACKET), and in non-blocking mode the work() after that segfaults
(GearmanManager turns this into a crash-and-restart storm). gearman-rs ignores the stale ERROR:
every work() serves its job and the worker lives on.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
foreach ([false, true] as $nb) {
    $fn = gt_fn($nb ? '_nb' : '_b');
    $w = gt_spawn('
$w = gt_worker();
$first = true;
// timeout 1 s: gearmand gives up on the job after 1 s; only the first call is slow
$w->addFunction($ARGS["fn"], function ($j) use (&$first, &$last) {
    if ($first) { $first = false; sleep(2); }
    $last = $j->workload();
    return strtoupper($j->workload());
}, null, 1);
if ($ARGS["nb"]) $w->addOptions(GEARMAN_WORKER_NON_BLOCKING);
$w->setTimeout(8000);
$last = null; $results = [];
// until the last job ("fast2") is served: how many work() calls that takes depends on whether
// gearmand re-queues the timed-out job; each of them must succeed
for ($i = 0; $i < 8 && $last !== "fast2"; $i++) {
    while (true) {
        $r = @$w->work(); $rc = $w->returnCode();
        if ($ARGS["nb"] && !$r && ($rc == GEARMAN_IO_WAIT || $rc == GEARMAN_NO_JOBS)) { @$w->wait(); continue; }
        break;
    }
    $results[] = json_encode($r) . "/$rc";
}
echo "served fast2: ", json_encode($last === "fast2"), ", every work(): ", implode(" ", array_unique($results)), "\n";
', ['fn' => $fn, 'nb' => $nb]);
    gt_wait_worker($fn, 1, 10, $w);
    $c = gt_client(8000);
    $c->doBackground($fn, "slow");
    usleep(2500000);          // the late WORK_COMPLETE has been answered with ERROR
    $r1 = $c->doNormal($fn, "fast");
    $r2 = $c->doNormal($fn, "fast2");
    $exited = $w->wait(15);
    echo ($nb ? "non-blocking" : "blocking"), ": client ", json_encode([$r1, $r2]), " worker exited=", json_encode($exited), " code=", json_encode($w->exit), "\n", $w->output();
}
?>
--EXPECT--
blocking: client ["FAST","FAST2"] worker exited=true code=0
served fast2: true, every work(): true/0
non-blocking: client ["FAST","FAST2"] worker exited=true code=0
served fast2: true, every work(): true/0
