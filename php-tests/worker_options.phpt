--TEST--
GearmanWorker: options 644/708/900, setOptions/addOptions/removeOptions, timeout reset
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->options());
$w->addFunction("f", fn () => null);
var_dump($w->options());
$w2 = new GearmanWorker();
var_dump($w2->setTimeout(500), $w2->options(), $w2->timeout());
var_dump($w2->removeOptions(GEARMAN_WORKER_TIMEOUT_RETURN), $w2->options(), $w2->timeout());
$w3 = new GearmanWorker();
var_dump($w3->setOptions(GEARMAN_WORKER_NON_BLOCKING), $w3->options(), $w3->timeout());
var_dump($w3->addOptions(GEARMAN_WORKER_GRAB_UNIQ), $w3->options());
var_dump($w3->removeOptions(GEARMAN_WORKER_NON_BLOCKING), $w3->options());
var_dump(gearman_worker_set_options($w3, 0), gearman_worker_options($w3));
var_dump(gearman_worker_add_options($w3, GEARMAN_WORKER_NON_BLOCKING), gearman_worker_options($w3));
var_dump(gearman_worker_remove_options($w3, GEARMAN_WORKER_NON_BLOCKING), gearman_worker_options($w3));
var_dump(gearman_worker_set_timeout($w3, 100), gearman_worker_timeout($w3), $w3->options());
var_dump($w3->setTimeout(-1), $w3->timeout(), $w3->options());
var_dump($w3->returnCode());
?>
--EXPECT--
int(644)
int(708)
bool(true)
int(900)
int(500)
bool(true)
int(644)
int(10000)
bool(true)
int(6)
int(10000)
bool(true)
int(134)
bool(true)
int(132)
bool(true)
int(4)
bool(true)
int(6)
bool(true)
int(4)
bool(true)
int(100)
int(260)
bool(true)
int(-1)
int(260)
int(0)
