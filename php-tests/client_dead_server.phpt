--TEST--
GearmanClient: unreachable server (rc 26 COULD_NOT_CONNECT warning)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$port = gt_dead_port();
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
var_dump($c->doNormal("f", "x"), $c->returnCode(), $c->returnCode() == GEARMAN_COULD_NOT_CONNECT);
var_dump($c->getErrno());
var_dump($c->doBackground("f", "x"), $c->returnCode());
var_dump($c->ping("x"), $c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::doNormal(): %s(GEARMAN_COULD_NOT_CONNECT) Connection to 127.0.0.1:%d failed -> %s:%d: pid(%d) in %s on line 6
string(0) ""
int(26)
bool(true)
int(0)

Warning: GearmanClient::doBackground(): %s(GEARMAN_COULD_NOT_CONNECT) Connection to 127.0.0.1:%d failed -> %s:%d: pid(%d) in %s on line 8
string(0) ""
int(26)

Warning: GearmanClient::ping(): %s(GEARMAN_COULD_NOT_CONNECT) Connection to 127.0.0.1:%d failed -> %s:%d: pid(%d) in %s on line 9
bool(false)
int(26)
