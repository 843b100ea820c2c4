<?php
/**
 * One process of a benchmark scenario. Runs unchanged under pecl/gearman and
 * gearman-rs (the orchestrator, bench/run.php, picks the extension with
 * `php -n -d extension=...`). Every role prints one JSON line on stdout when
 * it ends; times are hrtime() nanoseconds (CLOCK_MONOTONIC, comparable across
 * processes), CPU is this process's user+system time from getrusage().
 *
 *   php bench.php client HOST PORT MODE N SIZE [START_AT_NS] [BATCH]
 *       MODE bg     N x doBackground('bench_bg', SIZE bytes)   (nobody runs them)
 *            drain  N x doBackground('bench_echo', ...)        (preload for workers)
 *            sync   N x doNormal('bench_echo', ...), result checked, latency kept
 *            sync_sleep  as sync, pausing 3 ms after each call so that the
 *                   worker has gone to sleep before every job (its steady
 *                   state under light load, whichever worker is faster)
 *            batch  N tasks as addTask('bench_echo') + runTasks() in batches of BATCH
 *   php bench.php worker HOST PORT [START_AT_NS] [EXIT_AFTER] [IDLE_MS] [STOP_FILE]
 *       echo worker for 'bench_echo'; exits after EXIT_AFTER jobs (0 = never)
 *       or, once it has done a job, after IDLE_MS without one; with STOP_FILE
 *       only once that file exists (the orchestrator creates it when the
 *       clients are done).
 *
 * START_AT_NS is a barrier: the process connects, warms up, then sleeps until
 * that hrtime so that the processes of one scenario start together.
 */
[$_, $role, $host, $port] = $argv + [null, null, '127.0.0.1', 4730];
$port = (int)$port;

function cpu_us(): int {
    $r = getrusage();
    return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1000000 + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec'];
}

/**
 * Scheduler counts of this process so far: voluntary context switches (it
 * blocked: one per wait for the peer), involuntary ones (it was preempted) and
 * the time it spent runnable but waiting for a CPU (/proc/self/schedstat), in us.
 */
function sched_counts(): array {
    $r = getrusage();
    $st = explode(' ', trim((string)@file_get_contents('/proc/self/schedstat')));
    return [(int)$r['ru_nvcsw'], (int)$r['ru_nivcsw'], isset($st[1]) ? intdiv((int)$st[1], 1000) : 0];
}

/** The JSON fields of the scheduler counts between $s0 and now. */
function sched_fields(array $s0): array {
    $s1 = sched_counts();
    return ['vcsw' => $s1[0] - $s0[0], 'ivcsw' => $s1[1] - $s0[1], 'rq_wait_us' => $s1[2] - $s0[2]];
}

/** VmRSS and VmHWM of this process in KiB. */
function mem_kib(): array {
    $s = (string)@file_get_contents('/proc/self/status');
    preg_match('/^VmRSS:\s+(\d+)/m', $s, $r);
    preg_match('/^VmHWM:\s+(\d+)/m', $s, $h);
    return [(int)($r[1] ?? -1), (int)($h[1] ?? -1)];
}

function wait_until(int $at): void {
    while (($left = $at - hrtime(true)) > 0) {
        usleep((int)min(100000, intdiv($left, 1000) + 1));
    }
}

function fail(string $msg): never {
    fwrite(STDERR, "bench.php: $msg\n");
    exit(1);
}

if ($role === 'worker') {
    [$startAt, $exitAfter, $idleMs] = [(int)($argv[4] ?? 0), (int)($argv[5] ?? 0), (int)($argv[6] ?? 500)];
    $stopFile = (string)($argv[7] ?? '');
    $w = new GearmanWorker();
    $w->addServer($host, $port);
    $jobs = 0;
    $w->addFunction('bench_echo', function (GearmanJob $job) use (&$jobs) {
        $jobs++;
        return $job->workload();
    });
    $w->setTimeout($idleMs);
    wait_until($startAt);
    $t0 = hrtime(true);
    $c0 = cpu_us();
    $s0 = sched_counts();
    $tLast = $t0;
    while (true) {
        $ok = $w->work();
        if ($ok) {
            $tLast = hrtime(true);
            if ($exitAfter > 0 && $jobs >= $exitAfter) {
                break;
            }
        } elseif ($w->returnCode() === GEARMAN_TIMEOUT) {
            if ($jobs > 0 && ($stopFile === '' || file_exists($stopFile))) {
                break;
            }
        } else {
            fail('worker: work() failed rc=' . $w->returnCode() . ' ' . $w->error());
        }
    }
    // CPU up to now: includes the idle wait after the last job (a few polls).
    $cLast = cpu_us();
    [$rss, $hwm] = mem_kib();
    echo json_encode(['role' => 'worker', 'ops' => $jobs, 't0' => $t0, 't1' => $tLast,
        'cpu_us' => $cLast - $c0, 'rss_kib' => $rss, 'hwm_kib' => $hwm] + sched_fields($s0)), "\n";
    exit(0);
}

if ($role !== 'client') {
    fail("usage: bench.php client|worker HOST PORT ...");
}
[$mode, $n, $size] = [$argv[4], (int)$argv[5], (int)$argv[6]];
[$startAt, $batch] = [(int)($argv[7] ?? 0), max(1, (int)($argv[8] ?? 1000))];
$payload = substr(str_repeat('0123456789abcdef', intdiv($size, 16) + 1), 0, $size);
$c = new GearmanClient();
$c->addServer($host, $port);
$c->setTimeout(120000);
$lat = [];
$rssMid = -1;

// Warm-up outside the measurement: connects (and, for round trips, proves a
// worker is there).
if ($mode === 'bg' || $mode === 'drain') {
    $fn = $mode === 'bg' ? 'bench_bg' : 'bench_echo';
    if ($c->doBackground($fn === 'bench_echo' ? 'bench_warm' : $fn, $payload) === '') {
        fail('warm-up doBackground failed rc=' . $c->returnCode());
    }
} elseif ($c->doNormal('bench_echo', $payload) !== $payload) {
    fail('warm-up doNormal failed rc=' . $c->returnCode());
}
$done = 0;
if ($mode === 'batch') {
    $c->setCompleteCallback(function (GearmanTask $t) use (&$done) { $done++; });
}
wait_until($startAt);
$t0 = hrtime(true);
$c0 = cpu_us();
$s0 = sched_counts();
switch ($mode) {
    case 'bg':
    case 'drain':
        for ($i = 0; $i < $n; $i++) {
            if ($c->doBackground($fn, $payload) === '') {
                fail('doBackground failed rc=' . $c->returnCode());
            }
        }
        break;
    case 'sync':
    case 'sync_sleep':
        $pause = $mode === 'sync_sleep' ? 3000 : 0;
        for ($i = 0; $i < $n; $i++) {
            $s = hrtime(true);
            $r = $c->doNormal('bench_echo', $payload);
            $lat[] = hrtime(true) - $s;
            if ($r !== $payload) {
                fail('doNormal: wrong result rc=' . $c->returnCode() . ' len=' . strlen((string)$r));
            }
            if ($pause) {
                usleep($pause);
            }
        }
        break;
    case 'batch':
        for ($left = $n; $left > 0; $left -= $k) {
            $k = min($batch, $left);
            for ($i = 0; $i < $k; $i++) {
                $c->addTask('bench_echo', $payload);
            }
            if (!$c->runTasks()) {
                fail('runTasks failed rc=' . $c->returnCode());
            }
            if ($rssMid < 0 && $n - $left + $k >= $n / 2) {
                $rssMid = mem_kib()[0];
            }
        }
        if ($done !== $n) {
            fail("batch: $done of $n tasks completed");
        }
        break;
    default:
        fail("unknown mode $mode");
}
$t1 = hrtime(true);
$c1 = cpu_us();
$sched = sched_fields($s0);
[$rss, $hwm] = mem_kib();
$p = [null, null];
if ($lat) {
    sort($lat);
    $p = [$lat[intdiv(count($lat) - 1, 2)] / 1000, $lat[(int)floor((count($lat) - 1) * 0.99)] / 1000];
}
echo json_encode(['role' => 'client', 'ops' => $n, 't0' => $t0, 't1' => $t1, 'cpu_us' => $c1 - $c0,
    'bytes' => $n * $size, 'p50_us' => $p[0], 'p99_us' => $p[1],
    'rss_kib' => $rss, 'hwm_kib' => $hwm, 'rss_mid_kib' => $rssMid] + $sched), "\n";
