--TEST--
GearmanWorker: work() without servers, without functions, with a dead server
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->work(), $w->returnCode());
$w->addFunction("f", fn () => null);
var_dump($w->work(), $w->returnCode());
$w1 = gt_worker();
var_dump($w1->work(), $w1->returnCode());
$w2 = new GearmanWorker();
try {
    $w2->addServer('127.0.0.1', gt_dead_port());
} catch (GearmanException $e) {
    echo "addServer: ", $e->getMessage(), "\n";
}
$w2->addFunction("f", fn () => null);
$t = microtime(true);
var_dump(gearman_worker_work($w2), $w2->returnCode(), microtime(true) - $t < 5);
?>
--EXPECTF--

Warning: GearmanWorker::work(): GEARMAN_UNKNOWN_STATE in %s on line 4
bool(false)
int(13)

Warning: GearmanWorker::work(): GEARMAN_UNKNOWN_STATE in %s on line 6
bool(false)
int(13)

Warning: GearmanWorker::work(): %s(GEARMAN_NO_REGISTERED_FUNCTIONS) no functions have been registered -> %s:%d: pid(%d) in %s on line 8
bool(false)
int(34)
addServer: Failed to set exception option

Warning: gearman_worker_work(): %s(GEARMAN_COULD_NOT_CONNECT) Connection to 127.0.0.1:%d failed -> %s:%d: pid(%d) in %s on line 17
bool(false)
int(26)
bool(true)
