--TEST--
GearmanClient: setTimeout expiry while waiting for a worker (rc 47 warning)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client(300);
$t = microtime(true);
var_dump($c->doNormal($fn, "x"), $c->returnCode(), $c->returnCode() == GEARMAN_TIMEOUT);
$dt = microtime(true) - $t;
var_dump($dt > 0.2 && $dt < 5);
var_dump($c->error());
$c->addTask($fn, "y");
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::doNormal(): gearman_wait(GEARMAN_TIMEOUT) timeout reached, 1 servers were poll(), no servers were available, pipe:false -> %s:%d: pid(%d) in %s on line 6
string(0) ""
int(47)
bool(true)
bool(true)
string(%d) "gearman_wait(GEARMAN_TIMEOUT) timeout reached, 1 servers were poll(), no servers were available, pipe:false -> %s:%d: pid(%d)"

Warning: GearmanClient::runTasks(): gearman_wait(GEARMAN_TIMEOUT) timeout reached, 1 servers were poll(), no servers were available, pipe:false -> %s:%d: pid(%d) in %s on line 11
bool(false)
int(47)
