<?php
/*
 * One client, several gearmand servers: round-robin spreading, dead servers
 * skipped cheaply, and the client's own counters (gearman-rs additions).
 *
 *   php -d extension=./gearman_rs.so -d gearman.lazy_connect=1 \
 *       examples/multi_server.php 127.0.0.1:4730,127.0.0.1:4731 [jobs] [function]
 *
 * With gearman.lazy_connect=1, addServers() succeeds even when a server is
 * down; that server is marked down at first use and skipped (for a back-off
 * period of 100 ms doubling up to 30 s) while the others take the jobs.
 */
$servers = $argv[1] ?? '127.0.0.1:4730';
$jobs = (int)($argv[2] ?? 100);
$fn = $argv[3] ?? 'multi_server_example';

$client = new GearmanClient();
$client->addServers($servers);
$client->setTimeout(5000);
$client->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN);

$ok = 0;
for ($i = 0; $i < $jobs; $i++) {
    $client->doBackground($fn, "job $i");
    if ($client->returnCode() === GEARMAN_SUCCESS) {
        $ok++;
    }
}
printf("%d of %d background jobs submitted\n", $ok, $jobs);

$s = $client->stats();
printf("jobs submitted %d, completed %d, failed %d, exceptions %d, retries %d, timeouts %d\n",
    $s['jobs_submitted'], $s['jobs_completed'], $s['jobs_failed'], $s['jobs_exceptions'], $s['retries'], $s['timeouts']);
printf("bytes sent %d, received %d, reconnects %d\n", $s['bytes_sent'], $s['bytes_received'], $s['reconnects']);
printf("%-24s %-16s %8s %8s %6s  %s\n", 'server', 'state', 'connects', 'failures', 'jobs', 'last error');
foreach ($s['servers'] as $srv) {
    $state = $srv['state'] === 'down'
        ? sprintf('down for %.1fs', max(0, $srv['down_until'] - microtime(true)))
        : $srv['state'];
    printf("%-24s %-16s %8d %8d %6d  %s\n", $srv['address'], $state, $srv['connects'], $srv['failures'],
        $srv['jobs'], $srv['last_error'] ?? '-');
}
