--TEST--
GearmanClient: ping
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = gt_client();
var_dump($c->ping("hello"), $c->returnCode());
var_dump(gearman_client_ping($c, str_repeat("x", 10000)), $c->returnCode());
var_dump($c->ping(""), $c->returnCode());
?>
--EXPECTF--
bool(true)
int(0)
bool(true)
int(0)

Warning: GearmanClient::ping(): %s(GEARMAN_INVALID_ARGUMENT) workload_size was 0 -> %s:%d: pid(%d) in %s on line 6
bool(false)
int(49)
