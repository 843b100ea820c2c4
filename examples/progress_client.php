<?php
/**
 * Client for examples/progress_worker.php: runs one job and prints the partial results
 * (data callback) and the progress (status callback) as they arrive, then the result.
 *
 *   php examples/progress_client.php [host] [port]
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);

$client = new GearmanClient();
$client->addServer($host, $port);
$client->setTimeout(10000);  // milliseconds: never wait forever for a missing worker

$client->setDataCallback(function (GearmanTask $task) {
    echo "data: ", $task->data();
});
$client->setStatusCallback(function (GearmanTask $task) {
    $done = $task->taskNumerator();
    $total = $task->taskDenominator();
    printf("progress: %d/%d (%d%%)\n", $done, $total, intdiv(100 * $done, max($total, 1)));
});
$client->setCompleteCallback(function (GearmanTask $task) {
    echo "result: ", $task->data(), " words\n";
});
$client->setFailCallback(function (GearmanTask $task) {
    echo "job failed\n";
});

$client->addTask('count_words', "the quick brown fox\njumps over\nthe lazy dog");
if (!$client->runTasks()) {
    fprintf(STDERR, "runTasks failed: %s\n", $client->error());
    exit(1);
}
