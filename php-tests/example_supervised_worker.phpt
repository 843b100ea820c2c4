--TEST--
examples: supervised_worker.php finishes the job in hand on SIGTERM, then exits 0; idle, it exits at once
--DESCRIPTION--
The idle case relies on a signal ending an idle work() (gearman-rs fix, see worker_sigterm.phpt): under
pecl/gearman the example waits for its 5 s setTimeout instead.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_signal')) die('skip pcntl'); ?>
--FILE--
<?php
require __DIR__ . '/_examples.inc';
// 1. SIGTERM while a job runs: the client still gets the result, the worker exits 0.
$worker = gt_example('supervised_worker.php');
var_dump(gt_wait_worker('slow_upper', 1, 10, $worker));
$client = gt_spawn('$c = gt_client(20000); echo "client got: ", $c->doNormal("slow_upper", "finish me"), " rc=", $c->returnCode(), "\n";');
var_dump(gt_wait_status('slow_upper', null, 1, 10));   // the job is running
$worker->signal(SIGTERM);
var_dump($client->wait(20), $worker->wait(20), $worker->exit);
echo $client->output();
echo preg_replace('/^\[worker \d+\] /m', '', $worker->output());
var_dump(gt_wait_no_workers('slow_upper'));              // unregistered: no worker left

// 2. SIGTERM while idle: exits promptly (well before its 5 s work() timeout).
$worker = gt_example('supervised_worker.php');
var_dump(gt_wait_worker('slow_upper', 1, 10, $worker));
$t = microtime(true);
$worker->signal(SIGTERM);
var_dump($worker->wait(20), $worker->exit, microtime(true) - $t < 4);
echo preg_replace('/^\[worker \d+\] /m', '', $worker->output());
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
int(0)
client got: FINISH ME rc=0
ready
signal 15: finishing the current job, then exiting
stopped cleanly after 1 job(s)
bool(true)
bool(true)
bool(true)
int(0)
bool(true)
ready
signal 15: finishing the current job, then exiting
stopped cleanly after 0 job(s)
