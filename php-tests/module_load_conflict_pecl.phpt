--TEST--
module: gearman-rs enabled beside pecl/gearman stops PHP start-up with one clear line; loaded first, PHP's own warning applies
--DESCRIPTION--
gearman-rs only. Both extensions register the module "gearman". PHP on its own keeps whichever .so it loads
first and says only 'Module "gearman" is already loaded' for the other, so the implementation in use silently
depends on ini order. gearman-rs, when loaded second, refuses with one fatal line naming both files (exit 254,
no crash). Loaded first (only possible by hand: scripts/install.sh gives it a later ini priority), PHP's own
warning applies and gearman-rs is the module in use. Two copies of gearman-rs: module_load_conflict.phpt.
--SKIPIF--
<?php
require __DIR__ . '/_helper.inc'; gt_skipif(false);
if (!preg_match('#gearman_rs|libgearman_rs|/modules/gearman\.so$#', gt_ext(false))) die('skip needs gearman-rs as the extension under test');
if (!is_file(ini_get('extension_dir') . '/gearman.so')) die('skip pecl/gearman (gearman.so) is not installed');
?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
const PROBE = 'echo "running with ", (new ReflectionExtension("gearman"))->getINIEntries() ? "gearman-rs" : "pecl/gearman", "\n";';
function run(string ...$exts): void {
    $cmd = [PHP_BINARY, '-n'];
    foreach ($exts as $e) { $cmd[] = '-d'; $cmd[] = "extension=$e"; }
    array_push($cmd, '-d', 'display_errors=stderr', '-r', PROBE);
    $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $out = stream_get_contents($pipes[1]);
    // PHP 8.5+ appends a backtrace to fatal errors (fatal_error_backtraces): not part of the message.
    $err = trim(preg_replace('/^(Stack trace:|#\d+ .*)\n?/m', '', stream_get_contents($pipes[2])));
    $rc = proc_close($p);
    echo "exit $rc; stdout: ", trim($out) ?: '-', "\n";
    echo "stderr lines: ", $err === '' ? 0 : count(explode("\n", $err)), "\n", $err, "\n";
}
$ours = realpath(gt_ext(false));

echo "== pecl/gearman, then gearman-rs\n";
run('gearman', $ours);
echo "== gearman-rs, then pecl/gearman\n";
run($ours, 'gearman');
?>
--EXPECTF--
== pecl/gearman, then gearman-rs
exit 254; stdout: -
stderr lines: 1
%AFatal error: PHP Startup: gearman-rs: not loading %s: the gearman extension is already loaded from %s/gearman.so; enable only one of them in Unknown on line 0
== gearman-rs, then pecl/gearman
exit 0; stdout: running with gearman-rs
stderr lines: 1
%AWarning: Module "gearman" is already loaded in Unknown on line 0
