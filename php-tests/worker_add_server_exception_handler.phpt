--TEST--
GearmanWorker: addServer(..., false), addServers(..., false), enableExceptionHandler (HEAD API)
--DESCRIPTION--
gearman-rs fix: the 2.1.x HEAD API (GearmanWorker::addServer/addServers $setupExceptionHandler,
GearmanWorker::enableExceptionHandler) does not exist in pecl/gearman 2.1.0 (ArgumentCountError there).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$dead = gt_dead_port();
$w = new GearmanWorker();
var_dump($w->addServer('127.0.0.1', $dead, false), $w->returnCode());
try {
    $w->enableExceptionHandler();
} catch (GearmanException $e) {
    echo "enableExceptionHandler: ", $e->getMessage(), "\n";
}
$w2 = new GearmanWorker();
var_dump($w2->addServers(gt_host() . ":" . gt_port(), false));
var_dump($w2->enableExceptionHandler(), gearman_worker_enable_exception_handler($w2));
var_dump(gearman_worker_add_server($w2, gt_host(), gt_port(), false));
?>
--EXPECTF--
bool(true)
int(0)
enableExceptionHandler: Failed to set exception option
bool(true)
bool(true)
bool(true)
bool(true)
