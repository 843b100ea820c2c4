<?php
/*
 * 1 MiB round trips over TLS through stunnel, next to the same over plain TCP, against the
 * gearmand in GEARMAN_TEST_HOST/PORT (scripts/bench-tls.sh sets it up). Prints MiB/s of
 * payload per direction (a 1 MiB echo counts as 1 MiB). A measurement, not a test.
 *   echo:     GearmanClient::ping() with 1 MiB (ECHO_REQ/ECHO_RES through gearmand)
 *   doNormal: 1 MiB workload to a worker that returns it (client and worker both on TLS)
 */
require __DIR__ . '/../php-tests/_tls.inc';
$n = (int)(getenv('BENCH_N') ?: 50);
$st = gt_stunnel_start();
$fn = 'bench_tls_' . getmypid();
$payload = random_bytes(1 << 20);

function worker(string $fn, int $port, ?array $tls): GtProc
{
    $p = gt_spawn('
$w = new GearmanWorker();
if ($ARGS["tls"]) $w->setSslOptions($ARGS["tls"]);
$w->addServer("127.0.0.1", $ARGS["port"]);
$w->addFunction($ARGS["fn"], fn (GearmanJob $j) => $j->workload());
while ($w->work()) {}
', ['fn' => $fn, 'port' => $port, 'tls' => $tls]);
    gt_wait_worker($fn, 1, 10.0, $p) or die("worker did not start\n" . $p->output());
    return $p;
}

function client(int $port, ?array $tls): GearmanClient
{
    $c = new GearmanClient();
    if ($tls) {
        $c->setSslOptions($tls);
    }
    $c->addServer('127.0.0.1', $port);
    $c->setTimeout(60000);
    return $c;
}

function measure(string $label, int $n, callable $op): void
{
    $op(); // connect + warm up
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $op();
    }
    $s = (hrtime(true) - $t) / 1e9;
    printf("%-54s %8.1f MiB/s  (%6.2f ms per round trip, n=%d)\n", $label, $n / $s, 1000 * $s / $n, $n);
}

$tls = gt_tls_client_cert_opts();
foreach ([['plain TCP', gt_port(), null], ['TLS via stunnel (client certificate)', $st['ports']['mtls'], $tls]] as [$label, $port, $opts]) {
    $c = client($port, $opts);
    measure("echo 1 MiB, $label", $n, function () use ($c, $payload) {
        if (!$c->ping($payload)) die("ping failed: " . $c->error() . "\n");
    });
    $w = worker($fn . strlen($label), $port, $opts);
    measure("doNormal 1 MiB, $label", $n, function () use ($c, $payload, $fn, $label) {
        if ($c->doNormal($fn . strlen($label), $payload) !== $payload) die("doNormal failed: " . $c->error() . "\n");
    });
    $w->stop();
}
