--TEST--
GearmanWorker: register/unregister/unregisterAll return codes
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->unregisterAll(), $w->returnCode());
var_dump($w->register("r1"), $w->returnCode());
var_dump($w->register("r2", 10), $w->returnCode());
var_dump($w->register(""), $w->returnCode());
var_dump($w->unregister("r1"), $w->returnCode());
var_dump($w->unregister("nope"), $w->returnCode());
var_dump($w->unregisterAll(), $w->returnCode());
var_dump(gearman_worker_register($w, "p1"), gearman_worker_unregister($w, "p1"), gearman_worker_unregister_all($w), gearman_worker_return_code($w));
?>
--EXPECTF--

Warning: GearmanWorker::unregisterAll(): (null) in %s on line 4
bool(false)
int(34)
bool(true)
int(0)
bool(true)
int(0)

Warning: GearmanWorker::register(): %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 7
bool(false)
int(49)
bool(true)
int(0)

Warning: GearmanWorker::unregister(): %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 9
bool(false)
int(33)
bool(true)
int(0)

Warning: gearman_worker_unregister_all(): %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 11
bool(true)
bool(true)
bool(false)
int(34)
