<?php
/**
 * One process of the multi-server benchmark (see bench/multi_server.sh).
 *
 *   php multi_server.php worker SERVERS                 echo worker on every server (runs until killed)
 *   php multi_server.php client SERVERS STRATEGY N FN [TIMEOUT_MS]
 *                                                       N doNormal (FN = bench_ms_echo) or doBackground
 *                                                       (any other FN); prints one JSON line:
 *                                                       {"ok":…, "seconds":…, "per_server":{addr: jobs}}
 *   php multi_server.php blackhole                      prints a port whose connects hang, holds it until killed
 *
 * SERVERS is an addServers() list; STRATEGY is first, round_robin or random.
 */
[$_, $role] = $argv + [null, null];

if ($role === 'blackhole') {
    // A listening socket with backlog 0 whose accept queue we fill ourselves:
    // after that the kernel drops every SYN, like a host behind a firewall.
    $ctx = stream_context_create(['socket' => ['backlog' => 0]]);
    $srv = stream_socket_server('tcp://127.0.0.1:0', $en, $es, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $ctx);
    $port = (int)substr(strrchr(stream_socket_get_name($srv, false), ':'), 1);
    $keep = [];
    while (($c = @stream_socket_client("tcp://127.0.0.1:$port", $en, $es, 0.3)) !== false) {
        $keep[] = $c;
    }
    echo $port, "\n";
    fflush(STDOUT);
    while (true) {
        sleep(60);
    }
}

$servers = $argv[2];
if ($role === 'worker') {
    $w = new GearmanWorker();
    $w->addServers($servers);
    $w->addFunction('bench_ms_echo', fn (GearmanJob $job) => $job->workload());
    while (true) {
        $w->work();
    }
}

[$strategy, $n, $fn, $timeout] = [$argv[3], (int)$argv[4], $argv[5], (int)($argv[6] ?? 30000)];
$c = new GearmanClient();
$c->addServers($servers, false);
$c->setTimeout($timeout);
if (defined('GEARMAN_SERVER_SELECTION_FIRST')) {
    $c->setServerSelection(constant('GEARMAN_SERVER_SELECTION_' . strtoupper($strategy)));
}
$ok = 0;
$t = microtime(true);
for ($i = 0; $i < $n; $i++) {
    $r = $fn === 'bench_ms_echo' ? @$c->doNormal($fn, "0123456789abcdef") : @$c->doBackground($fn, "0123456789abcdef");
    if ($c->returnCode() === GEARMAN_SUCCESS) {
        $ok++;
    }
}
$seconds = microtime(true) - $t;
$per = [];
if (method_exists($c, 'stats')) {
    foreach ($c->stats()['servers'] as $s) {
        $per[$s['address']] = $s['jobs'];
    }
}
echo json_encode(['ok' => $ok, 'seconds' => $seconds, 'per_server' => $per]), "\n";
