--TEST--
GearmanClient: null $unique (deprecation for doNormal/addTask, silent for doBackground)
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

Deprecated: GearmanClient::doNormal(): Passing null to parameter #3 ($unique) of type ?string is deprecated in %s on line 6

Warning: GearmanClient::doNormal(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 6
string(0) ""

Deprecated: GearmanClient::addTask(): Passing null to parameter #4 ($unique_key) of type ?string is deprecated in %s on line 7
bool(true)
