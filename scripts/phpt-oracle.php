<?php
/*
 * Fill in the expectation of .phpt files from the ORACLE (the reference pecl/gearman).
 *
 *   GEARMAN_TEST_HOST=127.0.0.1 GEARMAN_TEST_PORT=NNNN \
 *     php -n scripts/phpt-oracle.php [--check] php-tests/foo.phpt ...
 *
 * Runs the --FILE-- section with `php -n -d extension=gearman` (helper processes use the
 * reference too) and replaces the --EXPECT--/--EXPECTF-- section with what it printed,
 * turning run-dependent bits (job handles, UUIDs, pids, ports, paths, libgearman file:line,
 * per-test function names) into EXPECTF patterns. Tests whose --DESCRIPTION-- says
 * "gearman-rs fix:" are never rewritten (their expectation is written by hand).
 * --check: only report whether the reference output matches the current expectation.
 */
$check = false;
$files = [];
foreach (array_slice($argv, 1) as $a) {
    if ($a === '--check') { $check = true; } else { $files[] = $a; }
}
$ext = getenv('ORACLE_EXT') ?: 'gearman';
$rc = 0;
foreach ($files as $file) {
    $src = file_get_contents($file);
    if (!preg_match_all('/^--([A-Z_]+)--\r?\n/m', $src, $m, PREG_OFFSET_CAPTURE)) {
        fwrite(STDERR, "$file: no sections\n"); $rc = 1; continue;
    }
    $sections = [];
    $order = [];
    foreach ($m[1] as $i => [$name, $off]) {
        $start = $m[0][$i][1] + strlen($m[0][$i][0]);
        $end = $m[0][$i + 1][1] ?? strlen($src);
        $sections[$name] = substr($src, $start, $end - $start);
        $order[] = $name;
    }
    $fix = str_contains($sections['DESCRIPTION'] ?? '', 'gearman-rs fix:');
    $php = preg_replace("/\\.phpt$/", ".php", realpath($file));
    file_put_contents($php, $sections['FILE']);
    $env = getenv();
    $env['GEARMAN_TEST_EXT'] = $ext;
    $env['GEARMAN_TEST_WORKER_EXT'] = $ext;
    foreach (explode("\n", $sections['ENV'] ?? '') as $l) {
        if (str_contains($l, '=')) { [$k, $v] = explode('=', $l, 2); $env[trim($k)] = trim($v); }
    }
    $cmd = [PHP_BINARY, '-n', '-d', "extension=$ext", '-d', 'extension=posix', '-d', 'display_errors=1',
            '-d', 'error_reporting=' . E_ALL, '-d', 'html_errors=0', '-d', 'log_errors=0'];
    foreach (explode("\n", trim($sections['INI'] ?? '')) as $l) {
        if (trim($l) !== '') { $cmd[] = '-d'; $cmd[] = trim($l); }
    }
    $cmd[] = $php;
    $t = microtime(true);
    $p = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, dirname($php), $env);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    $exit = proc_close($p);
    $t = microtime(true) - $t;
    @unlink($php);
    $out = rtrim(str_replace("\r\n", "\n", $out));
    [$expect, $isF] = to_expectf($out, realpath(dirname($file)) . '/' . basename($php));
    $key = $isF ? 'EXPECTF' : 'EXPECT';
    $cur = $sections['EXPECTF'] ?? $sections['EXPECT'] ?? null;
    if ($check || $fix) {
        $same = $cur !== null && (rtrim($cur) === $expect
            || (isset($sections['EXPECTF']) && preg_match(expectf_regex(rtrim($cur)), $out)));
        printf("%-50s %s%s (%.1fs)\n", basename($file), $same ? 'same' : 'DIFFERENT', $fix ? ' [gearman-rs fix]' : '', $t);
        if (!$same && (!$fix || getenv('ORACLE_VERBOSE'))) {
            echo "---- reference output:\n$out\n----\n";
            if (!$fix) $rc = 1;
        }
        continue;
    }
    unset($sections['EXPECT'], $sections['EXPECTF']);
    $new = '';
    foreach ($order as $name) {
        if ($name === 'EXPECT' || $name === 'EXPECTF') continue;
        $new .= "--$name--\n" . rtrim($sections[$name], "\n") . "\n";
        if ($name === 'FILE') $new .= "--$key--\n$expect\n";
    }
    file_put_contents($file, $new);
    printf("%-50s written %s (%d lines, exit %d, %.1fs)\n", basename($file), $key, substr_count($expect, "\n") + 1, $exit, $t);
}
exit($rc);

function expectf_regex(string $e): string
{
    $r = preg_quote($e, '/');
    $r = strtr($r, ['%%' => '%', '%s' => '[^\r\n]+', '%S' => '[^\r\n]*', '%a' => '.+', '%A' => '.*',
        '%d' => '\d+', '%i' => '[+-]?\d+', '%x' => '[0-9a-fA-F]+', '%w' => '\s*', '%f' => '[+-]?\.?\d+\.?\d*(?:[Ee][+-]?\d+)?',
        '%c' => '.', '%e' => '\/']);
    return '/^' . $r . '$/s';
}

function to_expectf(string $out, string $phpPath): array
{
    $o = $out;
    $o = str_replace($phpPath, '%s', $o);
    $o = preg_replace('/\bgt_[A-Za-z0-9_]+?_\d{2,}\b/', 'gt_%s', $o);
    $o = preg_replace('/\bH:[^:\s"\']+:\d+/', 'H:%s:%d', $o);
    $o = preg_replace('/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i', '%s', $o);
    $o = preg_replace('/pid\(\d+\)/', 'pid(%d)', $o);
    $o = preg_replace('#libgearman/[\w./-]+:\d+#', '%s:%d', $o);
    $o = preg_replace('/127\.0\.0\.1:\d+/', '127.0.0.1:%d', $o);
    $o = preg_replace('#/tmp/\S+\.php#', '%s', $o);
    // string(N) lengths around substituted values can no longer be exact
    $lines = explode("\n", $o);
    $orig = explode("\n", $out);
    foreach ($lines as $i => $l) {
        if ($l !== ($orig[$i] ?? null) && preg_match('/^(\s*)string\(\d+\) "/', $l)) {
            $lines[$i] = preg_replace('/^(\s*)string\(\d+\)/', '$1string(%d)', $l);
        }
    }
    $o = implode("\n", $lines);
    return [$o, $o !== $out];
}
