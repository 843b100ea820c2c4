--TEST--
GearmanClient: null $unique is accepted silently everywhere (gearman-rs fix: pecl/gearman 2.1.0 emits a deprecation for doNormal/addTask although the stub says ?string)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
var_dump(strlen($c->doBackground($fn, "x", null)) > 0);
var_dump($c->doNormal($fn, "", null));
var_dump($c->addTask($fn, "x", null, null) instanceof GearmanTask);
?>
--EXPECTF--
bool(true)

Warning: GearmanClient::doNormal(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 6
string(0) ""
bool(true)
