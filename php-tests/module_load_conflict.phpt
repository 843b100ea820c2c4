--TEST--
module: a second copy of gearman-rs stops PHP start-up with one clear line; the same file twice is PHP's harmless warning
--DESCRIPTION--
gearman-rs only. Two copies of gearman-rs (say gearman.so from PIE and gearman_rs.so from scripts/install.sh)
both register the module "gearman"; the second refuses with one fatal line naming both files (exit 254, no
crash, no endless recursion between the two copies' checks). Loading the same file twice stays PHP's harmless
warning. The same check against pecl/gearman: module_load_conflict_pecl.phpt.
--SKIPIF--
<?php
require __DIR__ . '/_helper.inc'; gt_skipif(false);
if (!preg_match('#gearman_rs|libgearman_rs|/modules/gearman\.so$#', gt_ext(false))) die('skip needs gearman-rs as the extension under test');
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
$copy = sys_get_temp_dir() . '/gt_conflict_' . getmypid() . '.so';
copy($ours, $copy);

echo "== two copies of gearman-rs\n";
run($ours, $copy);
echo "== the same file twice\n";
run($ours, $ours);
unlink($copy);
?>
--EXPECTF--
== two copies of gearman-rs
exit 254; stdout: -
stderr lines: 1
%AFatal error: PHP Startup: gearman-rs: not loading %s/gt_conflict_%d.so: the gearman extension is already loaded from %s; enable only one of them in Unknown on line 0
== the same file twice
exit 0; stdout: running with gearman-rs
stderr lines: 1
%AWarning: Module "gearman" is already loaded in Unknown on line 0
