--TEST--
GearmanClient/GearmanWorker::getErrno(): 0 when fresh and after a refused connection
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->getErrno());
$c->addServer('127.0.0.1', gt_dead_port(), false);
var_dump(@$c->doNormal('f', 'x'), $c->returnCode(), $c->getErrno(), gearman_client_get_errno($c));
$w = new GearmanWorker();
var_dump($w->getErrno());
try { $w->addServer('127.0.0.1', gt_dead_port()); } catch (GearmanException $e) { echo $e->getMessage(), "\n"; }
$w->addFunction('f', fn () => 'x');
var_dump(@$w->work(), $w->returnCode(), $w->getErrno(), gearman_worker_errno($w));
?>
--EXPECT--
int(0)
string(0) ""
int(26)
int(0)
int(0)
int(0)
Failed to set exception option
bool(false)
int(26)
int(0)
int(0)
