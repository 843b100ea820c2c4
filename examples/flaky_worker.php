<?php
/**
 * A worker for examples/retry_with_backoff.php: fails each job (by unique
 * key) twice, then succeeds. Exits after $argv[3] jobs (default: run forever).
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
$limit = (int)($argv[3] ?? 0);
$failures = [];

$worker = new GearmanWorker();
$worker->addServer($host, $port);
$worker->addFunction('flaky', function (GearmanJob $job) use (&$failures) {
    $key = $job->unique();
    $failures[$key] = ($failures[$key] ?? 0) + 1;
    if ($failures[$key] <= 2) {
        $job->sendFail();
        return;
    }
    return strrev($job->workload());
});
for ($n = 0; $limit === 0 || $n < $limit; $n++) {
    if (!$worker->work() && $worker->returnCode() !== GEARMAN_WORK_FAIL) {
        break;
    }
}
