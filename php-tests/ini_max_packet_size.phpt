--TEST--
gearman.max_packet_size (gearman-rs addition): a reply larger than the limit is a clear error, not an allocation; the limit applies to objects created after it is set
--DESCRIPTION--
gearman-rs only: pecl/gearman has no INI settings.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
var_dump(ini_get('gearman.max_packet_size'));
$fn = gt_fn();
gt_start_worker($fn, 'return str_repeat("r", (int)$job->workload());');
$big = gt_client();
var_dump(ini_set('gearman.max_packet_size', '2K'));
$small = gt_client();
var_dump(strlen($small->doNormal($fn, "1000")), $small->returnCode());
$r = @$small->doNormal($fn, "4000");
var_dump($r, $small->returnCode() !== 0, str_contains((string)$small->error(), "GEARMAN_"));
// The client created before ini_set keeps the default limit.
var_dump(strlen($big->doNormal($fn, "4000")), $big->returnCode());
?>
--EXPECT--
string(2) "1G"
string(2) "1G"
int(1000)
int(0)
string(0) ""
bool(true)
bool(true)
int(4000)
int(0)
