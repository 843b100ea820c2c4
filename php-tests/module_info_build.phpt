--TEST--
module: php --ri gearman names the PHP API, thread safety and source version/commit the binary was built for
--DESCRIPTION--
gearman-rs only: rows "built for PHP API", "thread safety" and "build" in the phpinfo table (pecl/gearman has none).
The API and thread safety must be those of the PHP running it (PHP refuses a mismatched module), the
version the one in Cargo.toml, the commit HEAD's in a git checkout (else a hash or "unknown").
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
function run(array $cmd): string {
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
    proc_close($p);
    return $out;
}
$ri = run(array_merge(gt_php_cmd(gt_ext(false)), ['--ri', 'gearman']));
$rows = [];
foreach (explode("\n", $ri) as $line) {
    if (preg_match('/^(.+?) => (.*)$/', $line, $m)) {
        $rows[$m[1]] = $m[2];
    }
}
// The running PHP's module API, as php -i reports it.
preg_match('/^PHP Extension => (\d+)$/m', run([PHP_BINARY, '-n', '-i']), $m);
var_dump($rows['built for PHP API'] === $m[1]);
var_dump($rows['thread safety'] === (PHP_ZTS ? 'ZTS (thread-safe build)' : 'NTS (non-thread-safe build)'));
// The version: Cargo.toml's; where the tree has none (the version matrix copies only php-tests/
// into its chroot), the one the implementation row reports.
$cargo = @file_get_contents(__DIR__ . '/../Cargo.toml');
if (!($cargo !== false && preg_match('/^version = "([^"]+)"/m', $cargo, $v))) {
    preg_match('/^gearman-rs (\d+\.\d+\.\d+\S*) \(/', $rows['implementation'] ?? '', $v);
}
// In a git checkout the commit is HEAD's (setup.sh rebuilds, build.rs reruns when HEAD moves);
// elsewhere (a copy without .git, a chroot without git) a hash or "unknown".
$head = trim((string)shell_exec('git -C ' . escapeshellarg(__DIR__ . '/..') . ' rev-parse --short=12 HEAD 2>/dev/null'));
$commit = $head !== '' ? preg_quote($head, '/') : '([0-9a-f]{12}|unknown)';
var_dump(isset($v[1]) && preg_match('/^gearman-rs ' . preg_quote($v[1], '/') . ', commit ' . $commit . '$/', $rows['build']) === 1);
echo $rows['build'], "\n";
?>
--EXPECTF--
bool(true)
bool(true)
bool(true)
gearman-rs %s, commit %s
