<?php
/*
 * Differential runner (used by scripts/test.sh):
 *   php -n _run.php NAME REF_EXT OURS_HELPER_EXT OURS_EXT OUT_DIR
 * Runs NAME.main.php (and NAME.bg.php in the background, if present) once with the
 * reference extension for both processes, once with ours, normalises the outputs
 * (job handles, UUIDs, pids, function names, libgearman file:line) and compares them.
 * Exit 0 when main output, main exit code and bg output are identical.
 */
[$_, $name, $refExt, $oursHelperExt, $oursExt, $outDir] = $argv + array_fill(0, 6, null);
$dir = __DIR__;
@mkdir($outDir, 0777, true);

function run_side(string $dir, string $name, string $ext, string $bgExt, string $tag, string $outDir): array
{
    $fn = "diff_{$name}_{$tag}_" . getmypid();
    $fn = preg_replace('/[^A-Za-z0-9_]/', '_', $fn);
    $env = getenv();
    $env['GT_FN_BASE'] = $fn;
    $env['GT_TEST_NAME'] = $name;
    $env['GEARMAN_TEST_EXT'] = $ext;
    $env['GEARMAN_TEST_WORKER_EXT'] = $bgExt;
    $php = fn ($e) => [PHP_BINARY, '-n', '-d', "extension=$e", '-d', 'extension=posix'];
    $bg = null;
    $bgLog = "$outDir/$name.$tag.bg.out";
    if (is_file("$dir/$name.bg.php")) {
        $bg = proc_open(array_merge($php($bgExt), ["$dir/$name.bg.php"]),
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', $bgLog, 'w'], 2 => ['file', $bgLog, 'a']],
            $pipes, $dir, $env);
    }
    $mainLog = "$outDir/$name.$tag.main.out";
    $main = proc_open(array_merge($php($ext), ["$dir/$name.main.php"]),
        [0 => ['file', '/dev/null', 'r'], 1 => ['file', $mainLog, 'w'], 2 => ['file', $mainLog, 'a']],
        $pipes, $dir, $env);
    $exit = wait_proc($main, 90.0);
    $bgExit = null;
    if ($bg) {
        $bgExit = wait_proc($bg, 10.0);
    }
    return [
        'main' => normalise((string)file_get_contents($mainLog), $fn),
        'exit' => $exit,
        'bg' => $bg ? normalise((string)file_get_contents($bgLog), $fn) : '',
    ];
}

function wait_proc($p, float $timeout)
{
    $end = microtime(true) + $timeout;
    while (true) {
        $st = proc_get_status($p);
        if (!$st['running']) {
            proc_close($p);
            return $st['signaled'] ? 'signal ' . $st['termsig'] : $st['exitcode'];
        }
        if (microtime(true) > $end) {
            proc_terminate($p, 15);
            usleep(500000);
            if (proc_get_status($p)['running']) {
                proc_terminate($p, 9);
            }
            proc_close($p);
            return 'timeout';
        }
        usleep(20000);
    }
}

function normalise(string $s, string $fn): string
{
    $s = str_replace($fn, 'FN', $s);
    $s = preg_replace('/H:[^:\s"\']+:\d+/', 'H:HOST:N', $s);
    $s = preg_replace('/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i', 'UUID', $s);
    $s = preg_replace('/pid\(\d+\)/', 'pid(N)', $s);
    $s = preg_replace('#libgearman/[\w./-]+:\d+#', 'FILE:LINE', $s);
    $s = preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:PORT', $s);
    return $s;
}

$ref = run_side($dir, $name, $refExt, $refExt, 'ref', $outDir);
$ours = run_side($dir, $name, $oursExt, $oursHelperExt, 'ours', $outDir);

$ok = true;
foreach (['exit', 'main', 'bg'] as $k) {
    if ($ref[$k] !== $ours[$k]) {
        $ok = false;
        file_put_contents("$outDir/$name.ref.$k", $ref[$k] . "\n");
        file_put_contents("$outDir/$name.ours.$k", $ours[$k] . "\n");
        echo "--- $name: $k differs (reference vs ours)\n";
        passthru('diff -u ' . escapeshellarg("$outDir/$name.ref.$k") . ' ' . escapeshellarg("$outDir/$name.ours.$k") . ' | head -60');
    }
}
if ($ref['exit'] !== 0 && $ref['exit'] !== null) {
    echo "--- $name: reference run exited with {$ref['exit']} (test script problem?)\n";
    echo $ref['main'], "\n";
    $ok = false;
}
exit($ok ? 0 : 1);
