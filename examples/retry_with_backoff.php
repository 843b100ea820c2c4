<?php
/**
 * The classic "retry failed Gearman jobs" snippet, done with gearman-rs's
 * setTaskFailedCallback(): log each failure, retry up to 3 times with
 * exponential backoff (100 ms, 200 ms, 400 ms), notify after the last one.
 *
 *   php -d extension=gearman_rs.so examples/retry_with_backoff.php [host] [port]
 *
 * Needs a worker for "flaky": examples/flaky_worker.php fails each job twice
 * (start it with a job limit of 0 = forever, or 9 for this demo's 3 jobs x 3 attempts).
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
const MAX_RETRIES = 3;

$client = new GearmanClient();
$client->addServer($host, $port);
$client->setTimeout(10000);   // never wait forever for a missing worker

$client->setTaskFailedCallback(function (GearmanTask $task, $context) {
    $why = [
        GEARMAN_WORK_FAIL => 'worker reported failure',
        GEARMAN_WORK_EXCEPTION => 'worker threw: ' . $task->data(),
        GEARMAN_LOST_CONNECTION => 'lost connection to gearmand',
        GEARMAN_TIMEOUT => 'timed out',
        GEARMAN_COULD_NOT_CONNECT => 'no job server reachable',
    ][$task->returnCode()] ?? 'error ' . $task->returnCode();
    $attempt = $task->retryCount() + 1;
    fprintf(STDERR, "[%s] %s attempt %d failed: %s\n", date('H:i:s'), $task->unique(), $attempt, $why);

    if ($task->retryCount() < MAX_RETRIES) {
        $delay = 100 * (2 ** $task->retryCount());   // 100, 200, 400 ms
        $task->retry($delay);                         // re-submitted after the delay
        return;
    }
    // Not retried: the task now ends as it would have without this callback,
    // so the fail (or exception) callback below runs once.
});

$client->setFailCallback(function (GearmanTask $task, $context) {
    fprintf(STDERR, "giving up on %s after %d retries: notify someone\n", $task->unique(), $task->retryCount());
});
$client->setCompleteCallback(function (GearmanTask $task, $context) {
    printf("%s done after %d retries: %s\n", $task->unique(), $task->retryCount(), $task->data());
});

foreach (['job-a', 'job-b', 'job-c'] as $i => $name) {
    $client->addTask('flaky', "payload $i", null, $name);
}
$client->runTasks();
