<?php
/**
 * Scheduled ("delayed") background jobs with gearman-rs: doBackgroundAt()
 * hands gearmand a job together with the Unix time it may run at
 * (SUBMIT_JOB_EPOCH). gearmand keeps it queued (in its persistent queue,
 * if it has one) and gives it to no worker before that second.
 *
 *   php -d extension=gearman_rs.so examples/schedule.php [host] [port] [function]
 *
 * The script schedules three reminders for now+3, now+1 and now+2 s, then
 * becomes the worker for them. The worker is idle in between: gearmand 1.1.x
 * does not wake sleeping workers when a scheduled job comes due, so a
 * gearman-rs worker grabs again every poll interval (setPollInterval(), ini
 * gearman.worker_poll_interval, default 1000 ms) and starts each job within
 * about a second of its time, in time order.
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
$function = $argv[3] ?? 'send_reminder';

$client = new GearmanClient();
$client->addServer($host, $port);
$client->setTimeout(5000);

$now = time();
foreach (['third' => 3, 'first' => 1, 'second' => 2] as $what => $in) {
    $workload = json_encode(['what' => $what, 'due' => $now + $in]);
    $handle = $client->doBackgroundAt($function, $workload, $now + $in);
    if ($client->returnCode() !== GEARMAN_SUCCESS) {
        fprintf(STDERR, "could not schedule %s: %s\n", $what, $client->error());
        exit(1);
    }
    printf("scheduled the %s reminder for now+%d s\n", $what, $in);
}

$worker = new GearmanWorker();
$worker->addServer($host, $port);
$worker->setPollInterval(1000);   // the default, spelled out
$worker->setTimeout(10000);       // give up if nothing comes for 10 s
$worker->addFunction($function, function (GearmanJob $job) {
    $reminder = json_decode($job->workload(), true);
    $late = microtime(true) - $reminder['due'];
    printf("%s reminder ran %s\n", $reminder['what'], $late >= 0 && $late < 1.0 ? 'within a second of its time' : sprintf('%.2f s off', $late));
});
for ($i = 0; $i < 3; $i++) {
    if (!$worker->work()) {
        fprintf(STDERR, "worker: %s\n", $worker->error());
        exit(1);
    }
}
