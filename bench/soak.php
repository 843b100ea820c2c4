<?php
/**
 * Long-running stability: N doNormal round trips served by a worker in another
 * process (both on the same extension), RSS of both reported at intervals.
 *
 *   php bench/soak.php worker HOST PORT          (started by scripts/soak.sh)
 *   php bench/soak.php client HOST PORT N WORKER_PID
 * Also exercises what leaks in long runs: a context and closure per job on the
 * worker side, callbacks and a task context per batch on the client side.
 */
[$_, $role, $host, $port] = $argv + [null, null, '127.0.0.1', 4730];
$port = (int)$port;

function rss_kib(int $pid): int {
    $s = @file_get_contents("/proc/$pid/status");
    return $s && preg_match('/^VmRSS:\s+(\d+)/m', $s, $m) ? (int)$m[1] : -1;
}

if ($role === 'worker') {
    $w = new GearmanWorker();
    $w->addServer($host, $port);
    $counter = 0;
    $w->addFunction('soak_echo', function (GearmanJob $job, &$ctx) {
        $ctx++;
        $job->sendStatus(1, 2);
        return $job->workload();
    }, $counter);
    while (true) { $w->work(); }
}

[$n, $wpid] = [(int)$argv[4], (int)$argv[5]];
$c = new GearmanClient();
$c->addServer($host, $port);
$c->setTimeout(30000);
$c->setCompleteCallback(function (GearmanTask $t, $ctx) { return GEARMAN_SUCCESS; });
$payload = str_repeat("x", 100);
$samples = [];
$report = function (int $i) use (&$samples, $wpid) {
    gc_collect_cycles();
    $samples[] = [$i, rss_kib(getmypid()), rss_kib($wpid)];
    printf("%9d round trips: client RSS %7d KiB, worker RSS %7d KiB\n", ...end($samples));
};
for ($i = 0; $i < $n; $i++) {
    if ($i % 10 === 0) {
        // Every tenth round trip goes through the task API with a context.
        $c->addTask('soak_echo', $payload, ['i' => $i]);
        if (!$c->runTasks()) { fwrite(STDERR, "runTasks failed rc=" . $c->returnCode() . "\n"); exit(1); }
    } elseif ($c->doNormal('soak_echo', $payload) !== $payload) {
        fwrite(STDERR, "round trip $i failed rc=" . $c->returnCode() . "\n"); exit(1);
    }
    if ($i === 10000 || ($i > 0 && $i % (int)max(10000, $n / 5) === 0)) $report($i);
}
$report($n);
// Growth measured from the 10,000th round trip (after warm-up allocations).
[$first, $last] = [$samples[0], end($samples)];
printf("RSS growth from %d to %d round trips: client %+d KiB, worker %+d KiB\n",
    $first[0], $last[0], $last[1] - $first[1], $last[2] - $first[2]);
