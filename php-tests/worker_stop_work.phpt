--TEST--
GearmanWorker::stopWork() / gearman_worker_stop_work(): from a signal handler, from a job; the non-blocking work()/wait() loop and signals
--DESCRIPTION--
gearman-rs only: stopWork() does not exist in pecl/gearman.
- a handler (SIGUSR2) calling stopWork() ends an idle work() with false, returnCode GEARMAN_SHUTDOWN (2);
- stopWork() called inside a job: the job is completed and work() returns true; the next work()
  returns false with GEARMAN_SHUTDOWN; the request is used up, so a later work() serves again;
- non-blocking loop: wait() keeps waiting across SIGHUP and ends with GEARMAN_SHUTDOWN on SIGTERM.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_signal')) die('skip no pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_spawn('
$w = gt_worker();
pcntl_signal(SIGUSR2, function () use ($w) { echo "USR2 handler: ", json_encode(gearman_worker_stop_work($w)), "\n"; });
$w->addFunction($ARGS["fn"], function ($job) use ($w) {
    if ($job->workload() === "stop") { echo "job asks stopWork: ", json_encode($w->stopWork()), "\n"; }
    return strtoupper($job->workload());
});
$n = 0;
while ($w->work()) { $n++; }
echo "1st loop ended jobs=$n rc=", $w->returnCode(), "\n";
$n = 0;
while ($w->work()) { $n++; }
echo "2nd loop ended jobs=$n rc=", $w->returnCode(), "\n";
$t = microtime(true);
while ($w->work()) { $n++; }
echo "3rd loop ended jobs=$n rc=", $w->returnCode(), "\n";
// non-blocking
$stop = false;
pcntl_signal(SIGHUP, function () { echo "HUP\n"; });
pcntl_signal(SIGTERM, function () use (&$stop) { echo "TERM\n"; $stop = true; });
$w->addOptions(GEARMAN_WORKER_NON_BLOCKING);
$n = 0;
while (true) {
    if (@$w->work()) { $n++; continue; }
    if ($w->returnCode() != GEARMAN_IO_WAIT && $w->returnCode() != GEARMAN_NO_JOBS) break;
    if (!@$w->wait()) break;
}
echo "non-blocking loop ended jobs=$n rc=", $w->returnCode(), " stop=", json_encode($stop), "\n";
', ['fn' => $fn]);
var_dump(gt_wait_worker($fn, 1, 10, $w));
usleep(200000);
$c = gt_client();
$w->signal(SIGUSR2);            // 1st loop: idle stop from a handler
usleep(300000);
var_dump($c->doNormal($fn, "a"));  // 2nd loop serves
var_dump($c->doNormal($fn, "stop")); // job asks to stop: completed, then 2nd loop ends
usleep(300000);
var_dump($c->doNormal($fn, "b"));  // 3rd loop serves again
$w->signal(SIGUSR2);
usleep(300000);
var_dump($c->doNormal($fn, "c"));  // non-blocking loop
$w->signal(SIGHUP);
usleep(200000);
var_dump($c->doNormal($fn, "d"));
$w->signal(SIGTERM);
var_dump($w->wait(5));
echo $w->output();
?>
--EXPECT--
bool(true)
string(1) "A"
string(4) "STOP"
string(1) "B"
string(1) "C"
string(1) "D"
bool(true)
USR2 handler: true
1st loop ended jobs=0 rc=2
job asks stopWork: true
2nd loop ended jobs=2 rc=2
USR2 handler: true
3rd loop ended jobs=3 rc=2
HUP
TERM
non-blocking loop ended jobs=2 rc=2 stop=true
