<?php
/**
 * Per-operation cost of the PHP process, for pecl/gearman and gearman-rs (run
 * by scripts/perf-ops.sh; needs no extension itself).
 *
 * Each operation is measured by running bench/bench.php under callgrind
 * (user-space instructions, Ir) and under `strace -f -c` (syscalls) twice,
 * with K1 and K2 operations; (count(K2) - count(K1)) / (K2 - K1) is the cost
 * of one operation without PHP's start-up and the warm-up. Both numbers do
 * not depend on machine load. The peer processes (gearmand, and the worker or
 * client on the other side) run natively with the same extension.
 *
 * Environment: OPS_ONLY (comma list of row names), OPS_TOOLS ("callgrind,strace"),
 * BENCH_OURS, BENCH_REF (as for bench/run.php), OPS_K1 / OPS_K2 (200 / 1200).
 */
$root = dirname(__DIR__);
require "$root/php-tests/_helper.inc";   // gt_start_listener(): no extension needed
require "$root/bench/proc.inc";
$php = PHP_BINARY;
$bench = "$root/bench/bench.php";
$ours = getenv('BENCH_OURS') ?: "$root/gearman_rs.so";
$refExt = getenv('BENCH_REF') ?: 'gearman';
$only = array_filter(explode(',', (string)getenv('OPS_ONLY')));
$tools = array_filter(explode(',', (string)(getenv('OPS_TOOLS') ?: 'callgrind,strace')));
[$k1, $k2] = [(int)(getenv('OPS_K1') ?: 200), (int)(getenv('OPS_K2') ?: 1200)];
$gearmand = trim((string)shell_exec('command -v gearmand')) ?: '/usr/sbin/gearmand';
$dir = sys_get_temp_dir() . '/gearman-ops.' . getmypid();
@mkdir($dir, 0700, true);

$sides = [];
if ($refExt !== 'none') {
    exec(escapeshellarg($php) . ' -n -d extension=' . escapeshellarg($refExt)
        . ' -r ' . escapeshellarg('exit(class_exists("GearmanClient") ? 0 : 1);') . ' 2>/dev/null', $o, $rc);
    if ($rc === 0) {
        $sides['pecl/gearman'] = $refExt;
    }
}
$sides['gearman-rs'] = $ours;

/**
 * The operations. 'measured' is the process under the tool; 'ops(k)' the
 * number of operations a run with parameter k performs.
 *   client: bench.php client MODE N SIZE 0 BATCH; peer = native echo workers
 *   worker: bench.php worker exiting after its jobs; peer = native client
 */
$rows = [
    'client_bg' => ['title' => 'doBackground 16 B, client', 'measured' => 'client', 'mode' => 'bg',
        'ops' => fn ($k) => $k, 'peer_jobs' => fn ($k) => 0],
    'client_sync' => ['title' => 'doNormal 16 B, client', 'measured' => 'client', 'mode' => 'sync',
        'ops' => fn ($k) => $k, 'peer_jobs' => fn ($k) => $k + 1],
    'worker_sync' => ['title' => 'doNormal 16 B, worker', 'measured' => 'worker', 'mode' => 'sync',
        'ops' => fn ($k) => $k, 'peer_jobs' => fn ($k) => $k + 1],
    // The same job when the worker has gone to sleep before each one (the
    // client pauses 3 ms between calls): in worker_sync a faster worker races
    // ahead of the client and sleeps more often than a slower one, so that
    // row also measures how often each worker sleeps; this one does not.
    'worker_sync_sleep' => ['title' => 'doNormal 16 B, worker sleeping before each job', 'measured' => 'worker',
        'mode' => 'sync_sleep', 'ops' => fn ($k) => $k, 'peer_jobs' => fn ($k) => $k + 1],
    'worker_drain' => ['title' => 'drained background job, worker', 'measured' => 'worker', 'mode' => 'drain',
        'ops' => fn ($k) => $k, 'peer_jobs' => fn ($k) => $k],
    'client_batch' => ['title' => 'addTask+runTasks per task (1,000-task batches), client', 'measured' => 'client',
        'mode' => 'batch', 'ops' => fn ($k) => 1000 * (int)ceil($k / 200), 'peer_jobs' => fn ($k) => 1000 * (int)ceil($k / 200) + 1],
];

/** Runs one measurement; returns the tool's output file. */
function measure(array $row, string $ext, int $k, string $tool): string {
    global $php, $bench, $gearmand, $dir;
    $log = "$dir/run.log";
    [$g, $port] = gt_start_listener(fn (int $port) => start([$gearmand, '--listen=127.0.0.1', "--port=$port", '--threads=2',
        '--verbose=ERROR', "--log-file=$dir/gearmand.log", '--queue-type=builtin'], $log));
    $base = [$php, '-n', '-d', "extension=$ext", $bench];
    $host = ['127.0.0.1', (string)$port];
    $out = "$dir/$tool.out." . getmypid() . ".$k";
    @unlink($out);
    $wrap = $tool === 'callgrind'
        ? ['valgrind', '--tool=callgrind', "--callgrind-out-file=$out", '--quiet']
        : ['strace', '-f', '-c', '-o', $out];
    $ops = $row['ops']($k);
    $peerJobs = $row['peer_jobs']($k);
    $never = '600000';
    if ($row['measured'] === 'client') {
        $peer = $peerJobs ? start(array_merge($base, ['worker'], $host, ['0', (string)$peerJobs, $never]), $log) : null;
        $me = start(array_merge($wrap, $base, ['client'], $host, [$row['mode'], (string)$ops, '16', '0', '1000']), $log);
        finish($me, 900, "measured client", $log);
        if ($peer) {
            finish($peer, 60, 'peer worker', $log);
        }
    } else {
        if ($row['mode'] === 'drain') {
            finish(start(array_merge($base, ['client'], $host, ['drain', (string)$ops, '16']), $log), 300, 'preload', $log);
            $me = start(array_merge($wrap, $base, ['worker'], $host, ['0', (string)$peerJobs, $never]), $log);
            finish($me, 900, 'measured worker', $log);
        } else {
            $me = start(array_merge($wrap, $base, ['worker'], $host, ['0', (string)$peerJobs, $never]), $log);
            $peer = start(array_merge($base, ['client'], $host, [$row['mode'], (string)$ops, '16']), $log);
            finish($peer, 900, 'peer client', $log);
            finish($me, 900, 'measured worker', $log);
        }
    }
    proc_terminate($g, 15);
    proc_close($g);
    return $out;
}

function callgrind_ir(string $file): int {
    $s = (string)file_get_contents($file);
    if (!preg_match('/^(?:summary|totals):\s+(\d+)/m', $s, $m)) {
        die("ops: no total in $file\n");
    }
    return (int)$m[1];
}

/** syscall name => calls, plus 'total'. */
function strace_counts(string $file): array {
    $c = [];
    foreach (file($file) as $line) {
        $f = preg_split('/\s+/', trim($line));
        if (count($f) >= 5 && is_numeric($f[0]) && is_numeric($f[3])) {
            $c[end($f)] = (int)$f[3];
        }
    }
    return $c;
}

$res = [];
foreach ($rows as $name => $row) {
    if ($only && !in_array($name, $only, true)) {
        continue;
    }
    foreach ($sides as $side => $ext) {
        $n = $row['ops']($k2) - $row['ops']($k1);
        if ($n <= 0) {
            die("ops: $name needs OPS_K2 - OPS_K1 larger\n");
        }
        if (in_array('callgrind', $tools, true)) {
            $a = callgrind_ir(measure($row, $ext, $k1, 'callgrind'));
            $b = callgrind_ir(measure($row, $ext, $k2, 'callgrind'));
            $res[$name][$side]['ir'] = ($b - $a) / $n;
        }
        if (in_array('strace', $tools, true)) {
            $a = strace_counts(measure($row, $ext, $k1, 'strace'));
            $b = strace_counts(measure($row, $ext, $k2, 'strace'));
            $per = [];
            foreach ($b as $sys => $cnt) {
                $d = ($cnt - ($a[$sys] ?? 0)) / $n;
                if ($sys !== 'total' && abs($d) >= 0.05) {
                    $per[$sys] = $d;
                }
            }
            arsort($per);
            $res[$name][$side]['sys'] = (($b['total'] ?? 0) - ($a['total'] ?? 0)) / $n;
            $res[$name][$side]['sys_detail'] = $per;
        }
        fwrite(STDERR, '.');
    }
}
fwrite(STDERR, "\n");

$ref = 'pecl/gearman';
$rs = 'gearman-rs';
$fmtSys = function (array $d) {
    return implode(' ', array_map(fn ($k, $v) => sprintf('%s %.1f', $k, $v), array_keys($d), $d));
};
echo "Per-operation cost of the PHP process (difference of $k1 and $k2 operations; " . gmdate('Y-m-d H:i') . " UTC)\n\n";
echo "| operation | pecl/gearman instructions | gearman-rs instructions | ratio | syscalls pecl → gearman-rs | syscalls per op (gearman-rs) |\n|---|---|---|---|---|---|\n";
foreach ($res as $name => $r) {
    $ir = fn ($s) => isset($r[$s]['ir']) ? number_format($r[$s]['ir']) : '-';
    $sy = fn ($s) => isset($r[$s]['sys']) ? sprintf('%.1f', $r[$s]['sys']) : '-';
    printf("| %s | %s | %s | %s | %s → %s | %s |\n", $rows[$name]['title'], $ir($ref), $ir($rs),
        isset($r[$ref]['ir'], $r[$rs]['ir']) ? sprintf('%.2f×', $r[$rs]['ir'] / $r[$ref]['ir']) : '-',
        $sy($ref), $sy($rs), $fmtSys($r[$rs]['sys_detail'] ?? []));
}
if (isset($res) && array_filter(array_column(array_column($res, $ref), 'sys_detail'))) {
    echo "\nsyscalls per op, pecl/gearman:\n";
    foreach ($res as $name => $r) {
        printf("  %-14s %s\n", $name, $fmtSys($r[$ref]['sys_detail'] ?? []));
    }
}
exec('rm -rf ' . escapeshellarg($dir));
