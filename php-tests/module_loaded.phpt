--TEST--
module: extension_loaded('gearman') and phpversion
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
var_dump(extension_loaded('gearman'));
var_dump(phpversion('gearman'));
var_dump(getenv('GEARMAN_TEST_PORT') !== false);
?>
--EXPECT--
bool(true)
string(5) "2.1.0"
bool(true)
