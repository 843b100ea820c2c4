<?php
/**
 * A worker to run under a supervisor (systemd, supervisord, Kubernetes). On SIGTERM or
 * SIGINT it finishes the job in hand, stops taking new ones and exits 0, so a deploy or a
 * scale-down never loses a job. If gearmand goes away it keeps retrying; an unexpected
 * error exits 1 and the supervisor restarts it.
 *
 *   php examples/supervised_worker.php [host] [port]
 *
 * With gearman-rs a signal makes an idle work() return false at once, so the handler's
 * flag is seen without waiting for a job or a timeout; pecl/gearman keeps blocking in
 * work() until a job arrives or setTimeout() expires.
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);

function say(string $msg): void
{
    fprintf(STDERR, "[worker %d] %s\n", getmypid(), $msg);
}

pcntl_async_signals(true);
$stop = false;
foreach ([SIGTERM, SIGINT] as $signal) {
    pcntl_signal($signal, function (int $signal) use (&$stop) {
        $stop = true;
        say("signal $signal: finishing the current job, then exiting");
    });
}

$worker = new GearmanWorker();
$worker->addServer($host, $port);
$worker->setTimeout(5000);  // milliseconds; bounds each idle wait (pecl/gearman needs it for $stop)
$worker->addFunction('slow_upper', function (GearmanJob $job): string {
    for ($step = 1; $step <= 5; $step++) {
        usleep(200000);  // the real work
        $job->sendStatus($step, 5);
    }
    return strtoupper($job->workload());
});

say('ready');
$jobs = 0;
while (!$stop) {
    if ($worker->work()) {
        $jobs++;
        continue;
    }
    if ($stop) {                         // interrupted by our signal
        break;
    }
    switch ($worker->returnCode()) {
        case GEARMAN_TIMEOUT:            // idle for setTimeout() ms, or another signal
            break;
        case GEARMAN_COULD_NOT_CONNECT:  // gearmand down or restarting: retry
        case GEARMAN_LOST_CONNECTION:
        case GEARMAN_NO_ACTIVE_FDS:
            say('gearmand unreachable, retrying: ' . $worker->error());
            sleep(1);
            break;
        default:
            say('work() failed: ' . $worker->error());
            exit(1);
    }
}
$worker->unregisterAll();
say("stopped cleanly after $jobs job(s)");
exit(0);
