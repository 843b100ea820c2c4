--TEST--
GearmanWorker: construction and fresh state
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w);
var_dump($w->returnCode(), $w->error(), $w->getErrno(), $w->options(), $w->timeout());
$p = gearman_worker_create();
var_dump(get_class($p), gearman_worker_options($p), gearman_worker_timeout($p), gearman_worker_return_code($p), gearman_worker_error($p), gearman_worker_errno($p));
?>
--EXPECT--
object(GearmanWorker)#1 (0) {
}
int(0)
bool(false)
int(0)
int(644)
int(-1)
string(13) "GearmanWorker"
int(644)
int(-1)
int(0)
bool(false)
int(0)
