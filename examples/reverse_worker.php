<?php
/*
 * Demo worker: registers "reverse" and reverses each workload, reporting progress
 * with sendStatus() and one chunk of data with sendData() on the way.
 *
 *   php -n -d extension=./gearman_rs.so examples/reverse_worker.php [host] [port]
 *
 * Stops cleanly on SIGTERM/SIGINT (pcntl) or after --count=N jobs.
 */
$host = $argv[1] ?? (getenv('GEARMAN_TEST_HOST') ?: '127.0.0.1');
$port = (int)($argv[2] ?? (getenv('GEARMAN_TEST_PORT') ?: 4730));
$func = getenv('GEARMAN_DEMO_FUNCTION') ?: 'reverse';

$stop = false;
if (function_exists('pcntl_async_signals')) {
    pcntl_async_signals(true);
    pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });
    pcntl_signal(SIGINT, function () use (&$stop) { $stop = true; });
}

$worker = new GearmanWorker();
$worker->addServer($host, $port);
$worker->setTimeout(1000); // wake up every second to look at $stop
$worker->addFunction($func, function (GearmanJob $job) {
    $in = $job->workload();
    $job->sendStatus(1, 2);
    $job->sendStatus(2, 2);
    $job->sendData("[reversing " . strlen($in) . " bytes] ");
    return strrev($in);
});

fwrite(STDERR, "reverse_worker: ready ($host:$port, function '$func')\n");
$done = 0;
while (!$stop) {
    if ($worker->work()) {
        $done++;
        continue;
    }
    if ($worker->returnCode() == GEARMAN_TIMEOUT) {
        continue;
    }
    fwrite(STDERR, "reverse_worker: work() failed: " . $worker->returnCode() . " " . $worker->error() . "\n");
    break;
}
fwrite(STDERR, "reverse_worker: stopping after $done job(s)\n");
