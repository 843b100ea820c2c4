--TEST--
GearmanClient: do* arguments of every shape reach gearmand as given (strings read straight from the call, coerced values, null or absent unique, named arguments, the procedural alias)
--DESCRIPTION--
gearman-rs reads a method call's arguments without Zend's parser when they already are
strings (see args::method_strs); every other shape goes through zpp. Both must submit the
same function, workload and unique. A worker echoes what it got.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return $job->unique() . "|" . $job->workload();', 7);
gt_wait_worker($fn, 1, 10.0, $w);
$c = gt_client();
$show = fn ($r) => var_dump(str_replace("\0", "\\0", preg_replace('/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\|/', 'UUID|', $r)), $c->returnCode());
$show($c->doNormal($fn, "plain", "uq-1"));
$show($c->doNormal($fn, "no unique"));
// (@: pecl/gearman declares $unique as string, not ?string, and deprecates null.)
$show(@$c->doNormal($fn, "null unique", null));
$show($c->doNormal($fn, 12345, "uq-int"));
$show($c->doNormal(unique: "uq-named", workload: "named", function: $fn));
$show(gearman_client_do_normal($c, $fn, "procedural", "uq-proc"));
$show($c->doNormal($fn, "nul\0inside", "uq-nul"));
$bg = $c->doBackground($fn . "_bg", "queued", "uq-bg");
var_dump(str_starts_with($bg, "H:"), $c->jobStatusByUniqueKey("uq-bg")[0], gt_status()[$fn . "_bg"][0]);
$w->stop();
?>
--EXPECT--
string(10) "uq-1|plain"
int(0)
string(14) "UUID|no unique"
int(0)
string(16) "UUID|null unique"
int(0)
string(12) "uq-int|12345"
int(0)
string(14) "uq-named|named"
int(0)
string(18) "uq-proc|procedural"
int(0)
string(18) "uq-nul|nul\0inside"
int(0)
bool(true)
bool(true)
int(1)
