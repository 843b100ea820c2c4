<?php
/**
 * A worker that reports progress while it works: after each step it sends a partial
 * result with sendData() and "step i of n" with sendStatus(), so the client can show
 * progress before the job completes (examples/progress_client.php prints both;
 * GearmanClient::jobStatus() sees the same numbers for background jobs).
 *
 *   php examples/progress_worker.php [host] [port] [jobs]   (exit after `jobs` jobs; 0 = never)
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
$limit = (int)($argv[3] ?? 0);

$worker = new GearmanWorker();
$worker->addServer($host, $port);
$worker->addFunction('count_words', function (GearmanJob $job): string {
    $lines = explode("\n", $job->workload());
    $total = count($lines);
    $words = 0;
    foreach ($lines as $i => $line) {
        $n = str_word_count($line);
        $words += $n;
        $job->sendData("line " . ($i + 1) . ": $n words\n");  // partial result
        $job->sendStatus($i + 1, $total);                     // progress: step i+1 of $total
    }
    return (string)$words;                                    // final result
});

for ($done = 0; $limit === 0 || $done < $limit; $done++) {
    if (!$worker->work()) {
        fprintf(STDERR, "work() failed: %s\n", $worker->error());
        exit(1);
    }
}
