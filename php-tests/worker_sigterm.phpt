--TEST--
GearmanWorker: SIGTERM handled by pcntl stops an idle while(!$stop && work()) loop promptly
--DESCRIPTION--
gearman-rs fix: on the reference an idle work() keeps blocking after SIGTERM (libgearman
restarts poll() on EINTR, the pcntl handler never runs) so the worker only dies by SIGKILL.
gearman-rs returns from work() on EINTR so the PHP signal handler runs and the loop ends.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
if (!function_exists('pcntl_signal')) { echo "no pcntl\n"; exit; }
$fn = gt_fn();
$w = gt_spawn('
pcntl_async_signals(true);
$stop = false;
pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; echo "got SIGTERM\n"; });
$w = gt_worker();
$w->addFunction($ARGS["fn"], fn () => "x");
echo "working\n";
$n = 0;
while (!$stop && $w->work()) { $n++; }
echo "loop ended: stop=", json_encode($stop), " jobs=$n rc=", $w->returnCode(), "\n";
', ['fn' => $fn]);
var_dump(gt_wait_worker($fn, 1, 10, $w));
usleep(200000);
$t = microtime(true);
$w->signal(SIGTERM);
$exited = $w->wait(5);
var_dump($exited, microtime(true) - $t < 3);
echo $w->output();
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
working
got SIGTERM
loop ended: stop=true jobs=0 rc=%d
