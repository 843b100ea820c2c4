<?php
/**
 * Benchmark orchestrator (run by scripts/bench.sh; needs no extension itself).
 *
 * For every scenario of bench/scenarios.php and every pair: one run under
 * pecl/gearman, then one under gearman-rs (interleaved: ref, ours, ref,
 * ours...), each against a fresh private gearmand on a free port. A run starts
 * the workers, then the clients, all released together by a start barrier,
 * waits for every process to end and collects their JSON lines plus
 * gearmand's CPU time from /proc. Prints per scenario: jobs/s median
 * [min-max], median (and range) of the paired ratios ours/ref, CPU us per job
 * of gearmand / clients / workers, the busiest process group, p50/p99
 * latency, MiB/s and RSS where they apply. Writes a Markdown table and the raw
 * runs to BENCH_OUT (default target/bench/).
 *
 * Options (environment): BENCH_PAIRS (5), BENCH_SCALE (1), BENCH_ONLY (comma
 * list of scenario names), BENCH_PIN (a CPU number: everything runs pinned
 * to it via taskset), GEARMAND_THREADS (4), BENCH_OURS (path of gearman_rs.so),
 * BENCH_REF (extension for the reference, default "gearman"; "none" to skip).
 */
$root = dirname(__DIR__);
require "$root/php-tests/_helper.inc";   // gt_start_listener(): no extension needed
$scenarios = require __DIR__ . '/scenarios.php';
$pairs = max(1, (int)(getenv('BENCH_PAIRS') ?: 5));
$scale = (float)(getenv('BENCH_SCALE') ?: 1);
$only = array_filter(explode(',', (string)getenv('BENCH_ONLY')));
$pin = getenv('BENCH_PIN');
$pin = ($pin === false || $pin === '') ? null : (string)(int)$pin;
$threads = (int)(getenv('GEARMAND_THREADS') ?: 4);
$ours = getenv('BENCH_OURS') ?: "$root/gearman_rs.so";
$refExt = getenv('BENCH_REF') ?: 'gearman';
$outDir = getenv('BENCH_OUT') ?: "$root/target/bench";
@mkdir($outDir, 0777, true);
$php = PHP_BINARY;
$gearmand = trim((string)shell_exec('command -v gearmand')) ?: '/usr/sbin/gearmand';
$tick = (int)trim((string)shell_exec('getconf CLK_TCK')) ?: 100;

$sides = [];
if ($refExt !== 'none') {
    exec(escapeshellarg($php) . ' -n -d extension=' . escapeshellarg($refExt)
        . ' -r ' . escapeshellarg('exit(class_exists("GearmanClient") ? 0 : 1);') . ' 2>/dev/null', $o, $rc);
    if ($rc === 0) {
        $sides['ref'] = $refExt;
    } else {
        fwrite(STDERR, "bench: reference extension '$refExt' not loadable; measuring gearman-rs only\n");
    }
}
$sides['ours'] = $ours;
$label = ['ref' => 'pecl/gearman', 'ours' => 'gearman-rs'];

function pinned(array $cmd): array {
    global $pin;
    return $pin === null ? $cmd : array_merge(['taskset', '-c', $pin], $cmd);
}

/** Starts a process; returns [handle, pid, stdout pipe]. */
function spawn(array $cmd, string $errFile): array {
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['file', $errFile, 'a']], $pipes);
    if (!is_resource($p)) {
        die('cannot start ' . implode(' ', $cmd) . "\n");
    }
    return [$p, proc_get_status($p)['pid'], $pipes[1]];
}

/** Waits for a spawned process (at most $secs) and returns its JSON line. */
function collect(array $proc, float $secs, string $what): array {
    [$p, $pid, $out] = $proc;
    stream_set_blocking($out, false);
    $buf = '';
    $end = microtime(true) + $secs;
    while (true) {
        $buf .= (string)stream_get_contents($out);
        $st = proc_get_status($p);
        if (!$st['running']) {
            $buf .= (string)stream_get_contents($out);
            break;
        }
        if (microtime(true) > $end) {
            proc_terminate($p, 9);
            die("bench: $what (pid $pid) did not finish within {$secs}s\n");
        }
        usleep(20000);
    }
    fclose($out);
    proc_close($p);
    $j = json_decode(trim($buf), true);
    if (!is_array($j) || ($st['exitcode'] ?? 1) !== 0) {
        die("bench: $what (pid $pid) failed (exit {$st['exitcode']}): " . trim($buf) . "\n");
    }
    return $j;
}

/**
 * CPU seconds (user+system, all threads) of a live process: the kernel's exact
 * run time per thread (/proc/PID/task/N/schedstat, ns), or clock ticks from
 * /proc/PID/stat (10 ms steps) where schedstat is missing.
 */
function proc_cpu(int $pid): float {
    global $tick;
    $ns = 0;
    foreach (glob("/proc/$pid/task/*", GLOB_ONLYDIR) ?: [] as $t) {
        $st = @file_get_contents("$t/schedstat");
        if ($st === false) {
            $s = (string)@file_get_contents("/proc/$pid/stat");
            $f = explode(' ', substr($s, strrpos($s, ')') + 2));
            return ((int)($f[11] ?? 0) + (int)($f[12] ?? 0)) / $tick;
        }
        $ns += (int)explode(' ', $st)[0];
    }
    return $ns / 1e9;
}

/**
 * Scheduler counts of a live process, all threads: voluntary context switches
 * (a thread blocked), involuntary ones (preempted), and the time its threads
 * spent runnable but waiting for a CPU, in seconds (/proc/PID/task/N/schedstat).
 */
function proc_sched(int $pid): array {
    $v = $iv = $wait = 0;
    foreach (glob("/proc/$pid/task/*", GLOB_ONLYDIR) ?: [] as $t) {
        $st = (string)@file_get_contents("$t/status");
        $v += preg_match('/^voluntary_ctxt_switches:\s+(\d+)/m', $st, $m) ? (int)$m[1] : 0;
        $iv += preg_match('/^nonvoluntary_ctxt_switches:\s+(\d+)/m', $st, $m) ? (int)$m[1] : 0;
        $wait += (int)(explode(' ', (string)@file_get_contents("$t/schedstat"))[1] ?? 0) / 1e9;
    }
    return [$v, $iv, $wait];
}

/**
 * Inter-processor interrupts the whole machine took so far: rescheduling and
 * function-call IPIs (/proc/interrupts RES + CAL), mostly a wakeup of a task
 * on another, idle CPU. Machine-wide: meaningful on an otherwise idle machine.
 */
function machine_ipis(): int {
    $n = 0;
    foreach (@file('/proc/interrupts') ?: [] as $l) {
        if (preg_match('/^\s*(RES|CAL):((?:\s+\d+)+)/', $l, $m)) {
            $n += array_sum(preg_split('/\s+/', trim($m[2])));
        }
    }
    return $n;
}

function gearmand_start(string $dir): array {
    global $gearmand, $threads;
    return gt_start_listener(function (int $port) use ($dir, $gearmand, $threads) {
        $log = "$dir/gearmand-$port.log";
        return spawn(pinned([$gearmand, '--listen=127.0.0.1', "--port=$port", "--threads=$threads",
            "--log-file=$log", '--verbose=ERROR', '--queue-type=builtin']), $log);
    });
}

function gearmand_stop(array $g): void {
    proc_terminate($g[0], 15);
    for ($i = 0; $i < 50 && proc_get_status($g[0])['running']; $i++) {
        usleep(100000);
    }
    if (proc_get_status($g[0])['running']) {
        proc_terminate($g[0], 9);
    }
    proc_close($g[0]);
}

/** One run of a scenario under one extension. */
function run_once(array $sc, string $ext, string $dir): array {
    global $php, $root;
    $bench = "$root/bench/bench.php";
    $cmd = fn (array $args) => pinned(array_merge([$php, '-n', '-d', "extension=$ext", $bench], $args));
    $err = "$dir/stderr.log";
    [$g, $port] = gearmand_start($dir);
    $host = ['127.0.0.1', (string)$port];
    if (isset($sc['preload'])) {
        [$pn, $psize] = $sc['preload'];
        collect(spawn($cmd(array_merge(['client'], $host, ['drain', (string)$pn, (string)$psize])), $err), 600, 'preload');
    }
    $procs = $sc['workers'] + $sc['clients'];
    $startAt = hrtime(true) + (int)((0.8 + 0.15 * $procs) * 1e9);
    $cpuG0 = proc_cpu($g[1]);
    $schedG0 = proc_sched($g[1]);
    $ipi0 = machine_ipis();
    $workers = [];
    $stop = "$dir/stop";
    @unlink($stop);
    for ($i = 0; $i < $sc['workers']; $i++) {
        // Drains are released by the barrier and end when idle; echo workers
        // serve at once (the clients' warm-up calls need them) and end once
        // the clients are done.
        $drain = $sc['measure'] === 'workers';
        $workers[] = spawn($cmd(array_merge(['worker'], $host,
            [(string)($drain ? $startAt : 0), '0', '1000', $drain ? '' : $stop])), $err);
    }
    $clients = [];
    for ($i = 0; $i < $sc['clients']; $i++) {
        $clients[] = spawn($cmd(array_merge(['client'], $host,
            [$sc['mode'], (string)$sc['n'], (string)$sc['size'], (string)$startAt, (string)($sc['batch'] ?? 1000)])), $err);
    }
    $res = ['clients' => [], 'workers' => []];
    foreach ($clients as $k => $c) {
        $res['clients'][] = collect($c, 900, "client $k");
    }
    touch($stop);
    foreach ($workers as $k => $w) {
        $res['workers'][] = collect($w, 900, "worker $k");
    }
    $res['gearmand_cpu'] = proc_cpu($g[1]) - $cpuG0;
    $res['ipis'] = machine_ipis() - $ipi0;
    $res['gearmand_sched'] = array_map(fn ($a, $b) => $a - $b, proc_sched($g[1]), $schedG0);
    gearmand_stop($g);
    return $res;
}

/** Throughput and per-job costs of one run. */
function summarize(array $sc, array $r): array {
    $group = $r[$sc['measure']];
    $ops = array_sum(array_column($group, 'ops'));
    $span = (max(array_column($group, 't1')) - min(array_column($group, 't0'))) / 1e9;
    $cOps = array_sum(array_column($r['clients'], 'ops'));
    $wOps = array_sum(array_column($r['workers'], 'ops'));
    $s = [
        'ops' => $ops,
        'secs' => $span,
        'jobs_s' => $ops / max($span, 1e-9),
        'cpu_gearmand' => $r['gearmand_cpu'] * 1e6 / max($ops, 1),
        'cpu_clients' => $cOps ? array_sum(array_column($r['clients'], 'cpu_us')) / $cOps : null,
        'cpu_workers' => $wOps ? array_sum(array_column($r['workers'], 'cpu_us')) / $wOps : null,
    ];
    // Scheduler counts per job: wakeups (voluntary switches: a process
    // blocked and had to be woken), preemptions, us waiting for a CPU.
    $per = fn (array $g, string $k) => $g ? array_sum(array_column($g, $k)) / max($ops, 1) : null;
    $s['sched'] = [
        'ipis' => $r['ipis'] / max($ops, 1),
        'vcsw' => [$r['gearmand_sched'][0] / max($ops, 1), $per($r['clients'], 'vcsw'), $per($r['workers'], 'vcsw')],
        'ivcsw' => [$r['gearmand_sched'][1] / max($ops, 1), $per($r['clients'], 'ivcsw'), $per($r['workers'], 'ivcsw')],
        'rq_wait_us' => [$r['gearmand_sched'][2] * 1e6 / max($ops, 1), $per($r['clients'], 'rq_wait_us'), $per($r['workers'], 'rq_wait_us')],
    ];
    if ($r['clients']) {
        $s['p50_us'] = median(array_filter(array_column($r['clients'], 'p50_us'), 'is_numeric'));
        $s['p99_us'] = max(array_column($r['clients'], 'p99_us') ?: [null]);
        $s['mibs'] = array_sum(array_column($r['clients'], 'bytes')) / 1048576 / max($span, 1e-9);
        $s['client_rss'] = max(array_column($r['clients'], 'rss_kib'));
        $s['client_hwm'] = max(array_column($r['clients'], 'hwm_kib'));
    }
    if ($r['workers']) {
        $s['worker_rss'] = max(array_column($r['workers'], 'rss_kib'));
        $s['worker_hwm'] = max(array_column($r['workers'], 'hwm_kib'));
    }
    return $s;
}

function median(array $v): ?float {
    $v = array_values(array_filter($v, fn ($x) => $x !== null));
    if (!$v) {
        return null;
    }
    sort($v);
    $n = count($v);
    return $n % 2 ? (float)$v[intdiv($n, 2)] : ($v[$n / 2 - 1] + $v[$n / 2]) / 2;
}

function fmt(?float $v, int $dec = 0): string {
    return $v === null ? '-' : number_format($v, $dec, '.', ',');
}

/** Medians over runs of the scheduler counts of summarize(). */
function sched_median(array $runs): array {
    $col = fn (string $k, int $i) => median(array_map(fn ($r) => $r['sched'][$k][$i], $runs));
    $out = ['ipis' => median(array_map(fn ($r) => $r['sched']['ipis'], $runs))];
    foreach (['vcsw', 'ivcsw', 'rq_wait_us'] as $k) {
        $out[$k] = [$col($k, 0), $col($k, 1), $col($k, 2)];
    }
    return $out;
}

/**
 * The scheduler counts as text: wakeups (voluntary context switches) and
 * preemptions of gearmand/clients/workers, their us waiting for a CPU, and the
 * machine's IPIs (a wakeup on another, idle CPU; see README "Benchmarks").
 */
function sched_text(array $s): string {
    $three = fn (array $v, int $dec) => implode('/', array_map(fn ($x) => fmt($x, $dec), $v));
    return 'wakeups ' . $three($s['vcsw'], 2) . ', preempted ' . $three($s['ivcsw'], 2)
        . ', runqueue wait us ' . $three($s['rq_wait_us'], 1) . ' (gmd/cli/wrk), machine IPIs ' . fmt($s['ipis'], 2);
}

$machine = trim((string)shell_exec("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2")) . ', '
    . trim((string)shell_exec('nproc')) . ' CPUs, ' . php_uname('s') . ' ' . php_uname('r')
    . ', PHP ' . PHP_VERSION . ', ' . trim((string)shell_exec(escapeshellarg($gearmand) . ' --version 2>&1 | grep -m1 .'));
$load = trim((string)@file_get_contents('/proc/loadavg'));
$date = gmdate('Y-m-d H:i') . ' UTC';
$dir = sys_get_temp_dir() . '/gearman-bench.' . getmypid();
@mkdir($dir, 0700, true);
printf("gearman benchmark, %s\nmachine: %s\nload average at start: %s\n%s, %d pairs per scenario, scale %s, gearmand --threads=%d\n\n",
    $date, $machine, $load, $pin === null ? 'unpinned' : "everything pinned to CPU $pin", $pairs, $scale, $threads);

$table = [];
$raw = [];
foreach ($scenarios as $name => $sc) {
    if ($only && !in_array($name, $only, true)) {
        continue;
    }
    $sc += ['batch' => 1000, 'show' => []];
    if (empty($sc['fixed_n'])) {
        $sc['n'] = (int)max(1, round($sc['n'] * $scale));
        if (isset($sc['preload'])) {
            $sc['preload'][0] = (int)max(1, round($sc['preload'][0] * $scale));
        }
    }
    $runs = ['ref' => [], 'ours' => []];
    $scSides = ($sc['ref'] ?? true) ? $sides : ['ours' => $sides['ours']];
    for ($p = 0; $p < $pairs; $p++) {
        foreach ($scSides as $side => $ext) {
            $runs[$side][] = summarize($sc, run_once($sc, $ext, $dir));
        }
        fwrite(STDERR, '.');
    }
    fwrite(STDERR, "\n");
    $raw[$name] = $runs;
    $ops = $runs['ours'][0]['ops'];
    printf("== %s: %s (%s jobs per run)\n", $name, $sc['title'], number_format($ops));
    printf("   %-13s %-28s %-26s %-14s %s\n", '', 'jobs/s median [min-max]', 'CPU us/job gmd/cli/wrk', 'p50/p99 us',
        implode(' ', array_filter([in_array('mibs', $sc['show']) ? 'MiB/s' : '', in_array('rss', $sc['show']) ? 'RSS KiB client/worker (peak)' : ''])));
    $row = ['name' => $name, 'title' => $sc['title']];
    foreach ($scSides as $side => $_) {
        $rs = $runs[$side];
        $js = array_column($rs, 'jobs_s');
        $m = fn ($k) => median(array_column($rs, $k));
        $extra = [];
        if (in_array('mibs', $sc['show'])) {
            $extra[] = fmt($m('mibs'), 1);
        }
        if (in_array('rss', $sc['show'])) {
            $extra[] = fmt($m('client_rss')) . ' / ' . fmt($m('worker_rss')) . ' (' . fmt($m('client_hwm')) . ' / ' . fmt($m('worker_hwm')) . ')';
        }
        $lat = in_array('latency', $sc['show']) ? fmt($m('p50_us')) . ' / ' . fmt($m('p99_us')) : '-';
        $cpu = [$m('cpu_gearmand'), $m('cpu_clients'), $m('cpu_workers')];
        // The busiest group: the one that used the largest share of a CPU
        // over the measured span (the likely bottleneck).
        $per = 1e6 / max(median($js), 1e-9);
        $busy = ['gearmand' => $cpu[0], 'client' => $cpu[1] !== null ? $cpu[1] / max(1, $sc['clients']) : null,
            'worker' => $cpu[2] !== null ? $cpu[2] / max(1, $sc['workers']) : null];
        arsort($busy);
        $top = array_key_first($busy);
        printf("   %-13s %-28s %-26s %-14s %s   busiest per process: %s %d%%\n", $label[$side],
            fmt(median($js)) . ' [' . fmt(min($js)) . '-' . fmt(max($js)) . ']',
            implode(' / ', array_map(fn ($v) => fmt($v, 1), $cpu)), $lat, implode('  ', $extra),
            $top, (int)round(100 * $busy[$top] / $per));
        $sched = sched_median($rs);
        printf("   %-13s scheduler per job: %s\n", '', sched_text($sched));
        $row[$side] = ['jobs_s' => median($js), 'min' => min($js), 'max' => max($js), 'cpu' => $cpu,
            'lat' => $lat, 'extra' => implode('  ', $extra), 'busiest' => $top, 'sched' => $sched];
    }
    if (isset($runs['ref'][0])) {
        $ratios = [];
        foreach ($runs['ours'] as $i => $o) {
            $ratios[] = $o['jobs_s'] / $runs['ref'][$i]['jobs_s'];
        }
        $row['ratio'] = median($ratios);
        $row['ratio_min'] = min($ratios);
        $row['ratio_max'] = max($ratios);
        printf("   ratio gearman-rs / pecl (median of %d pairs): %.2fx [%.2f-%.2f]\n", count($ratios), $row['ratio'], $row['ratio_min'], $row['ratio_max']);
    }
    echo "\n";
    $table[] = $row;
}

$md = "Measured $date on $machine; " . ($pin === null ? 'unpinned' : "pinned to one CPU") . ", $pairs pairs, "
    . "scale $scale, load average at start $load.\n\n"
    . "| scenario | pecl/gearman jobs/s | gearman-rs jobs/s | ratio (median of pairs) | CPU us/job gearmand/client/worker (pecl → rs) | p50/p99 us (pecl → rs) | other (pecl → rs) |\n"
    . "|---|---|---|---|---|---|---|\n";
foreach ($table as $row) {
    $r = $row['ref'] ?? null;
    $o = $row['ours'];
    $cell = fn ($x) => $x ? fmt($x['jobs_s']) . ' [' . fmt($x['min']) . '–' . fmt($x['max']) . ']' : '-';
    $cpu = fn ($x) => $x ? implode('/', array_map(fn ($v) => fmt($v, 1), $x['cpu'])) : '-';
    $md .= sprintf("| %s: %s | %s | %s | %s | %s → %s | %s → %s | %s |\n", $row['name'], $row['title'], $cell($r), $cell($o),
        isset($row['ratio']) ? sprintf('%.2f× [%.2f–%.2f]', $row['ratio'], $row['ratio_min'], $row['ratio_max']) : '-',
        $cpu($r), $cpu($o), $r['lat'] ?? '-', $o['lat'],
        ($r['extra'] ?? '') !== '' || $o['extra'] !== '' ? ($r['extra'] ?? '-') . ' → ' . $o['extra'] : '');
}
$md .= "\nScheduler counts per job, medians (pecl → rs): wakeups = voluntary context switches of gearmand/clients/workers,"
    . " preempted = involuntary ones, runqueue wait = us runnable but without a CPU, IPIs = the machine's rescheduling and"
    . " function-call interrupts (a wakeup on another CPU that was idle; machine-wide).\n\n"
    . "| scenario | wakeups gmd/cli/wrk | preempted gmd/cli/wrk | runqueue wait us gmd/cli/wrk | machine IPIs |\n|---|---|---|---|---|\n";
foreach ($table as $row) {
    $pair = function (string $k, int $dec) use ($row) {
        $one = fn ($side) => isset($row[$side]) ? implode('/', array_map(fn ($x) => fmt($x, $dec), (array)$row[$side]['sched'][$k])) : '-';
        return $one('ref') . ' → ' . $one('ours');
    };
    $md .= sprintf("| %s | %s | %s | %s | %s |\n", $row['name'], $pair('vcsw', 2), $pair('ivcsw', 2), $pair('rq_wait_us', 1), $pair('ipis', 2));
}
$tag = $pin === null ? 'unpinned' : 'pinned';
file_put_contents("$outDir/bench-$tag.md", $md);
file_put_contents("$outDir/bench-$tag.json", json_encode(['date' => $date, 'machine' => $machine, 'load' => $load,
    'pin' => $pin, 'pairs' => $pairs, 'scale' => $scale, 'runs' => $raw], JSON_PRETTY_PRINT));
echo $md, "\n(written to $outDir/bench-$tag.md and .json)\n";
exec('rm -rf ' . escapeshellarg($dir));
