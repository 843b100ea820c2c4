--TEST--
GearmanClient: addServer with an unresolvable host (rc 12, warning, false)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->addServer('no.such.host.invalid', 4730));
var_dump($c->returnCode(), $c->returnCode() == GEARMAN_GETADDRINFO);
var_dump($c->error());
var_dump(gearman_client_add_server($c, 'no.such.host.invalid', 4730, false));
var_dump($c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::addServer(): no.such.host.invalid:4730 getaddrinfo:Name or service not known pid(%d) in %s on line 4
bool(false)
int(12)
bool(true)
string(%d) "no.such.host.invalid:4730 getaddrinfo:Name or service not known pid(%d)"

Warning: gearman_client_add_server(): no.such.host.invalid:4730 getaddrinfo:Name or service not known pid(%d) in %s on line 7
bool(false)
int(12)
