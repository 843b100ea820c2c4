--TEST--
stubs/gearman.stub.php matches what the loaded extension registers (regenerate with scripts/gen-stubs.php)
--DESCRIPTION--
gearman-rs only: compares gearman-rs's committed stub with its own Reflection (meaningless for pecl/gearman).
--FILE--
<?php
ob_start();
include __DIR__ . '/../scripts/gen-stubs.php';
$generated = ob_get_clean();
$committed = file_get_contents(__DIR__ . '/../stubs/gearman.stub.php');
var_dump(strlen($committed) > 1000);
if ($generated === $committed) {
    echo "in sync\n";
} else {
    $g = explode("\n", $generated); $c = explode("\n", $committed);
    foreach ($g as $i => $line) {
        if (($c[$i] ?? null) !== $line) { echo "first difference at line ", $i + 1, ":\n- ", $c[$i] ?? '', "\n+ ", $line, "\n"; break; }
    }
}
?>
--EXPECT--
bool(true)
in sync
