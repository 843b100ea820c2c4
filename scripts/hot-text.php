<?php
/**
 * Writes link/hot-text.ld: the functions of gearman_rs.so that run in common
 * use, as a linker script that build.rs hands to the linker: they come first
 * in .text (after the PLT), laid out together; the linker appends the other
 * functions after them (one .text section still, which valgrind needs to name
 * functions).
 *
 * Why: the kernel maps a shared object's code in 64 KiB windows (fault-around)
 * or whole page-cache folios, not page by page. The ~130 KB of code a client
 * or worker runs was spread over 12 such windows of the 1.7 MB .text (the rest
 * is mostly TLS code: rustls, ring), so every PHP process had ~770 KB of our
 * code resident. Packed, it takes a few windows.
 *
 * How: bench/bench.php's client (batch, doNormal, doBackground) and worker
 * (doNormal, drain) run under callgrind --dump-instr=yes against a private
 * gearmand, with a native peer, as bench/ops.php does; every function of
 * gearman_rs.so with an executed instruction is listed (its mangled name, as
 * in its section's name). Names are stable across builds of the same profile
 * (symbol hashes depend on the crate and the item, not on code); a pattern
 * that matches nothing is no error, so a stale list only loses some of the
 * effect. Regenerate after large changes:
 *
 *   SKIP_BUILD=1 php -n scripts/hot-text.php     (uses ./gearman_rs.so)
 */
$root = dirname(__DIR__);
require "$root/php-tests/_helper.inc";
require "$root/bench/proc.inc";
$php = PHP_BINARY;
$so = "$root/gearman_rs.so";
$bench = "$root/bench/bench.php";
$out = "$root/link/hot-text.ld";
$gearmand = trim((string)shell_exec('command -v gearmand')) ?: '/usr/sbin/gearmand';
if (!getenv('SKIP_BUILD')) {
    passthru('bash ' . escapeshellarg("$root/scripts/setup.sh") . ' >/dev/null', $rc);
    $rc === 0 or die("hot-text: setup.sh failed\n");
}
is_file($so) or die("hot-text: $so not found\n");
$dir = sys_get_temp_dir() . '/gearman-hot.' . getmypid();
@mkdir($dir, 0700, true);
$log = "$dir/run.log";

// [measured role, client mode, operations, jobs the worker does, tasks per
// runTasks]. The 10k batch also runs the cycle collector (10,000 task objects
// are its threshold) and the release of a large task table. The measured
// workers end as the benchmark's do: on a work() timeout once they are done
// (GEARMAN_TIMEOUT, its error message), the echo worker only after its client
// (stop file), the drain once the queue is empty.
$runs = [['client', 'batch', 2000, 2001, 1000], ['client', 'batch', 10000, 10001, 10000],
    ['client', 'sync', 200, 201, 1], ['client', 'bg', 200, 0, 1], ['worker', 'sync', 200, 0, 1],
    ['worker', 'drain', 200, 0, 1]];
$files = [];
foreach ($runs as $i => [$role, $mode, $n, $jobs, $batch]) {
    [$g, $port] = gt_start_listener(fn (int $port) => start([$gearmand, '--listen=127.0.0.1', "--port=$port",
        '--threads=2', '--verbose=ERROR', "--log-file=$dir/gearmand.log", '--queue-type=builtin'], $log));
    $base = [$php, '-n', '-d', "extension=$so", $bench];
    $host = ['127.0.0.1', (string)$port];
    $files[$role][] = $cg = "$dir/callgrind.$i";
    $wrap = ['valgrind', '--tool=callgrind', '--dump-instr=yes', '--compress-pos=no', '--compress-strings=no',
        "--callgrind-out-file=$cg", '--quiet'];
    $worker = fn (array $args) => array_merge($base, ['worker'], $host, $args);
    $client = array_merge($base, ['client'], $host, [$mode, (string)$n, '16', '0', (string)$batch]);
    if ($role === 'client') {
        $peer = $jobs ? start($worker(['0', (string)$jobs, '600000']), $log) : null;
        finish(start(array_merge($wrap, $client), $log), 600, "client $mode", $log);
        $peer && finish($peer, 600, 'peer worker', $log);
    } elseif ($mode === 'drain') {
        finish(start(array_merge($base, ['client'], $host, ['drain', (string)$n, '16']), $log), 600, 'preload', $log);
        finish(start(array_merge($wrap, $worker(['0', '0', '1000'])), $log), 600, 'worker drain', $log);
    } else {
        $stop = "$dir/stop.$i";
        $me = start(array_merge($wrap, $worker(['0', '0', '1000', $stop])), $log);
        finish(start($client, $log), 600, 'peer client', $log);
        touch($stop);
        finish($me, 600, "worker $mode", $log);
    }
    proc_terminate($g, 15);
    proc_close($g);
}

// Function symbols of the .so by address (nm: value, size, type, name).
$syms = [];
exec('nm -S --defined-only ' . escapeshellarg($so), $lines, $rc);
$rc === 0 or die("hot-text: nm failed\n");
foreach ($lines as $l) {
    $f = preg_split('/\s+/', trim($l));
    if (count($f) === 4 && strpbrk($f[2], 'tTwW') !== false) {
        $syms[] = [hexdec($f[0]), hexdec($f[1]), $f[3]];
    }
}
usort($syms, fn ($a, $b) => $a[0] <=> $b[0]);
$starts = array_column($syms, 0);
[$aliases, $byName] = [[], []];
foreach ($syms as [$a, , $name]) {
    $aliases[$a][] = $name;
    $byName[$name] = $a;
}
$find = function (int $a) use ($syms, $starts): ?string {
    [$lo, $hi] = [0, count($starts) - 1];
    while ($lo < $hi) {
        $mid = intdiv($lo + $hi + 1, 2);
        $starts[$mid] <= $a ? $lo = $mid : $hi = $mid - 1;
    }
    return $syms[$lo][0] <= $a && $a < $syms[$lo][0] + $syms[$lo][1] ? $syms[$lo][2] : null;
};
// Executed instruction addresses of our object, and where get_module (run at
// load) starts: callgrind gives addresses relative to the object or absolute
// (it does the latter for a library with .text.hot), the difference to nm's
// address of get_module tells which.
$hot = [];  // name => [role => true]
$getModule = null;
foreach ($syms as [$a, , $name]) {
    if ($name === 'get_module') {
        $getModule = $a;
    }
}
$getModule !== null or die("hot-text: no get_module in $so\n");
foreach ($files as $role => $cgs) foreach ($cgs as $cg) {
    [$ours, $fn, $addrs, $entry] = [false, '', [], null];
    foreach (new SplFileObject($cg) as $line) {
        if (str_starts_with($line, 'ob=')) {
            $ours = basename(trim(substr($line, 3))) === basename($so);
        } elseif (str_starts_with($line, 'fn=')) {
            $fn = trim(substr($line, 3));
        } elseif ($ours && str_starts_with($line, '0x')) {
            $a = hexdec(strtok($line, ' '));
            $addrs[$a] = true;
            if ($fn === 'get_module' && ($entry === null || $a < $entry)) {
                $entry = $a;
            }
        }
    }
    $entry !== null or die("hot-text: get_module did not run in $cg\n");
    foreach (array_keys($addrs) as $a) {
        $name = $find($a - $entry + $getModule);
        if ($name !== null) {
            // Functions with identical code share one section, named after
            // any of them: list every name at that address.
            foreach ($aliases[$byName[$name]] as $alias) {
                $hot[$alias][$role] = true;
            }
        }
    }
}
// Growing a Vec, VecDeque or hash table runs when a queue or buffer first
// gets longer than before, which depends on timing (how many replies one
// read brings), and a hash table rehashes in place after many inserts and
// removals (200k tasks): every instance of those small functions (~20 KB)
// is listed.
foreach ($syms as [, , $name]) {
    if (preg_match('/grow_one|do_reserve_and_handle|finish_grow|reserve_rehash|rehash_in_place|VecDeque.*4grow/', $name)) {
        $hot[$name] ??= [];
    }
}
count($hot) > 50 or die('hot-text: only ' . count($hot) . " functions found; see $dir\n");
// ThinLTO renames some local functions NAME.llvm.HASH, where HASH depends on
// the build (the source path too), and #[cold] ones go to .text.unlikely.NAME:
// one pattern per function matches all four section names.
//
// Order: a client runs the functions both roles run and its own, a worker
// the former and its own, so they come in groups: both | client only |
// (growth functions that did not run) | worker only. With the code segment
// aligned to 64 KiB (build.rs), a client maps the windows from the start to
// the end of its group (~145 KB: three), a worker the first one or two (both
// roles' ~58 KB after the PLT) and those of its group (~60 KB) instead of
// the whole list's span.
$rank = fn (array $roles): int => match (true) {
    !$roles => 2,
    !isset($roles['worker']) => 1,
    !isset($roles['client']) => 3,
    default => 0,
};
$names = [];
foreach ($hot as $name => $roles) {
    $key = preg_replace('/\.llvm\.\d+$/', '', $name);
    $names[$key] = array_merge($names[$key] ?? [], $roles);
}
uksort($names, fn ($a, $b) => [$rank($names[$a]), $a] <=> [$rank($names[$b]), $b]);
$names = array_keys($names);
// Before them: the PLT (calls to __tls_get_addr, PHP's allocator and libc
// from C code and thread locals go through it; the linker would put it after
// .text, 1.7 MB away, costing a window of its own), libc_nonshared's code
// (pthread_atfork, run at load) and the C runtime's (crtbeginS.o: frame_dummy
// runs at load from .init_array, __do_global_dtors_aux at unload), which have
// no section per function; callgrind does not name the latter (no symbol
// size), and after the list they cost a window of their own.
$script = "/* Generated by scripts/hot-text.php (" . gmdate('Y-m-d') . "): the PLT and the functions of gearman_rs.so\n"
    . " * that run in common use, first in .text (see build.rs). Regenerate after large changes. */\n"
    . "SECTIONS\n{\n  .plt : { *(.plt) *(.iplt) }\n  .text :\n  {\n    *libc_nonshared.a:*(.text .text.*)\n"
    . "    *crtbeginS.o(.text .text.*)\n    *crtendS.o(.text .text.*)\n";
foreach ($names as $n) {
    $script .= "    *(.text.$n .text.$n.llvm.* .text.unlikely.$n .text.unlikely.$n.llvm.*)\n";
}
$script .= "  }\n}\nINSERT AFTER .fini;\n";
@mkdir(dirname($out));
file_put_contents($out, $script);
echo 'hot-text: ' . count($names) . " functions -> $out\n";
if (!getenv('HOT_KEEP')) exec('rm -rf ' . escapeshellarg($dir));
