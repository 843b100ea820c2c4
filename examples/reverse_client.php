<?php
/*
 * Demo client for examples/reverse_worker.php:
 *   1. doNormal()      - blocking call, prints the result
 *   2. doBackground()  - fire and forget, then polls jobStatus() until it is gone
 *   3. addTask()+runTasks() with created/data/status/complete/fail callbacks
 *
 *   php -n -d extension=./gearman_rs.so examples/reverse_client.php [host] [port]
 */
$host = $argv[1] ?? (getenv('GEARMAN_TEST_HOST') ?: '127.0.0.1');
$port = (int)($argv[2] ?? (getenv('GEARMAN_TEST_PORT') ?: 4730));
$func = getenv('GEARMAN_DEMO_FUNCTION') ?: 'reverse';
$ok = true;

$client = new GearmanClient();
$client->addServer($host, $port);
$client->setTimeout(10000);

echo "== doNormal\n";
$result = $client->doNormal($func, "Hello, Gearman!");
if ($client->returnCode() != GEARMAN_SUCCESS) {
    echo "doNormal failed: rc=", $client->returnCode(), " ", $client->error(), "\n";
    $ok = false;
} else {
    echo "result: $result\n";
}

echo "== doBackground\n";
$handle = $client->doBackground($func, "background job");
if ($client->returnCode() != GEARMAN_SUCCESS) {
    echo "doBackground failed: rc=", $client->returnCode(), "\n";
    $ok = false;
} else {
    echo "job handle: $handle\n";
    for ($i = 0; $i < 100; $i++) {
        [$known, $running, $num, $den] = $client->jobStatus($handle);
        if (!$known) {
            echo "background job finished\n";
            break;
        }
        echo "known=", var_export($known, true), " running=", var_export($running, true), " $num/$den\n";
        usleep(100000);
    }
}

echo "== addTask + runTasks\n";
$client->setCreatedCallback(function (GearmanTask $t, $ctx) {
    echo "[$ctx] created\n";
});
$client->setDataCallback(function (GearmanTask $t, $ctx) {
    echo "[$ctx] data: ", $t->data(), "\n";
});
$client->setStatusCallback(function (GearmanTask $t, $ctx) {
    echo "[$ctx] status: ", $t->taskNumerator(), "/", $t->taskDenominator(), "\n";
});
$client->setCompleteCallback(function (GearmanTask $t, $ctx) {
    echo "[$ctx] complete: ", $t->data(), "\n";
});
$client->setFailCallback(function (GearmanTask $t, $ctx) use (&$ok) {
    echo "[$ctx] FAILED\n";
    $ok = false;
});
foreach (["abc", "gearman-rs", "racecar"] as $i => $word) {
    $client->addTask($func, $word, "task$i");
}
if (!$client->runTasks()) {
    echo "runTasks failed: rc=", $client->returnCode(), " ", $client->error(), "\n";
    $ok = false;
}
echo $ok ? "demo client: OK\n" : "demo client: FAILED\n";
exit($ok ? 0 : 1);
