<?php
/**
 * One side of a benchmark run (see scripts/bench.sh, which runs every scenario under
 * pecl/gearman and under gearman-rs against the same gearmand and prints the ratio).
 *
 *   php bench.php worker HOST PORT                 echo worker (runs until killed)
 *   php bench.php client HOST PORT SCENARIO N      prints "wall_seconds cpu_seconds ops"
 *
 * Scenarios: big (doNormal of 1 MiB, echoed back), small (doNormal of 16 bytes),
 * background (doBackground of 16 bytes; nobody runs them, measures client cost).
 */
[$_, $role, $host, $port] = $argv + [null, null, '127.0.0.1', 4730];
$port = (int)$port;

if ($role === 'worker') {
    $w = new GearmanWorker();
    $w->addServer($host, $port);
    $w->addFunction('bench_echo', fn (GearmanJob $job) => $job->workload());
    while (true) { $w->work(); }
}

[$scenario, $n] = [$argv[4], (int)$argv[5]];
$c = new GearmanClient();
$c->addServer($host, $port);
$c->setTimeout(60000);
$payload = $scenario === 'big' ? str_repeat("0123456789abcdef", 65536) : "0123456789abcdef";
$fn = $scenario === 'background' ? 'bench_bg_' . getmypid() : 'bench_echo';

// One warm-up call (connects, exceptions option) outside the measurement.
if ($scenario !== 'background') {
    $c->doNormal($fn, $payload);
}
$ru0 = getrusage();
$t0 = hrtime(true);
for ($i = 0; $i < $n; $i++) {
    if ($scenario === 'background') {
        $h = $c->doBackground($fn, $payload);
        if ($h === '') { fwrite(STDERR, "doBackground failed rc=" . $c->returnCode() . "\n"); exit(1); }
    } else {
        $r = $c->doNormal($fn, $payload);
        if ($r !== $payload) { fwrite(STDERR, "bad result rc=" . $c->returnCode() . " len=" . strlen($r) . "\n"); exit(1); }
    }
}
$wall = (hrtime(true) - $t0) / 1e9;
$ru1 = getrusage();
$cpu = ($ru1['ru_utime.tv_sec'] - $ru0['ru_utime.tv_sec']) + ($ru1['ru_utime.tv_usec'] - $ru0['ru_utime.tv_usec']) / 1e6
     + ($ru1['ru_stime.tv_sec'] - $ru0['ru_stime.tv_sec']) + ($ru1['ru_stime.tv_usec'] - $ru0['ru_stime.tv_usec']) / 1e6;
printf("%.6f %.6f %d\n", $wall, $cpu, $n);
