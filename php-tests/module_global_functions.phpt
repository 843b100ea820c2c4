--TEST--
module: gearman_version, gearman_bugreport, gearman_verbose_name
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
var_dump((bool)preg_match('/^1\.1\.\d+/', gearman_version()));
var_dump(gearman_bugreport());
for ($i = 0; $i <= 7; $i++) {
    var_dump(gearman_verbose_name($i));
}
var_dump(gearman_verbose_name(100));
var_dump(gearman_verbose_name(-1));
try {
    var_dump(gearman_verbose_name("abc"));
} catch (TypeError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump(gearman_verbose_name("3"));
var_dump(gearman_verbose_name(GEARMAN_VERBOSE_DEBUG));
?>
--EXPECTF--
bool(true)
string(42) "https://github.com/gearman/gearmand/issues"
string(5) "NEVER"
string(5) "FATAL"
string(5) "ERROR"
string(4) "INFO"
string(5) "DEBUG"
string(5) "CRAZY"
string(7) "UNKNOWN"
string(7) "UNKNOWN"
string(7) "UNKNOWN"

Warning: gearman_verbose_name(): Input must be an integer greater than 0. in %s on line 9
NULL

Warning: gearman_verbose_name(): Unable to parse parameters. in %s on line 11
TypeError: gearman_verbose_name(): Argument #1 ($verbose) must be of type int, string given
string(4) "INFO"
string(5) "DEBUG"
