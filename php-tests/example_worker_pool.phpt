--TEST--
examples: worker_pool.php forks N workers that share the jobs, restarts a killed one, stops all on SIGTERM
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_fork') || !function_exists('posix_kill')) die('skip pcntl/posix'); ?>
--FILE--
<?php
require __DIR__ . '/_examples.inc';
function started(GtProc $pool): array {
    preg_match_all('/started worker (\d+)/', $pool->output(), $m);
    return array_map('intval', $m[1]);
}
$pool = gt_example('worker_pool.php', [3]);
var_dump(gt_wait_worker('pool_whoami', 3, 15, $pool));
$workers = started($pool);
echo count($workers), " workers started\n";

// Six concurrent jobs: every answer comes from one of the pool's processes, and they share the work.
$c = gt_client(20000);
$pids = [];
$c->setCompleteCallback(function (GearmanTask $t) use (&$pids) { $pids[] = (int)$t->data(); });
for ($i = 0; $i < 6; $i++) { $c->addTask('pool_whoami', "job $i"); }
var_dump($c->runTasks(), count($pids));
var_dump(array_diff($pids, $workers) === [], count(array_unique($pids)) >= 2);

// A worker that dies is replaced.
posix_kill($workers[0], SIGKILL);
$end = microtime(true) + 15;
while (count(started($pool)) < 4 && microtime(true) < $end) { usleep(50000); }
var_dump(count(started($pool)), gt_wait_worker('pool_whoami', 3, 15, $pool));
var_dump($c->doNormal('pool_whoami', 'after restart') !== '', $c->returnCode());

// SIGTERM: every worker stops, then the pool exits 0.
$pool->signal(SIGTERM);
var_dump($pool->wait(20), $pool->exit, gt_wait_no_workers('pool_whoami'));
$log = preg_replace(['/^\[pool \d+\] /m', '/worker \d+/'], ['', 'worker N'], $pool->output());
echo $log;
?>
--EXPECTF--
bool(true)
3 workers started
bool(true)
int(6)
bool(true)
bool(true)
int(4)
bool(true)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
started worker N
started worker N
started worker N
worker N killed by signal 9; starting a new one
started worker N
signal 15: stopping 3 worker(s)
worker N exited with 0
worker N exited with 0
worker N exited with 0
pool stopped
