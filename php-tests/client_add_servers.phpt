--TEST--
GearmanClient: addServers list syntax
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$h = gt_host(); $p = gt_port();
$c = new GearmanClient();
var_dump($c->addServers("$h:$p"), $c->returnCode());
var_dump($c->addServers("$h:$p,$h:$p"), $c->returnCode());
$c2 = new GearmanClient();
var_dump($c2->addServers("$h:$p", false), $c2->returnCode());
var_dump($c2->addServers("", false), $c2->returnCode());
var_dump($c2->addServers("localhost,localhost:4731", false), $c2->returnCode());
var_dump($c2->addServers("localhost:abc", false), $c2->returnCode());
var_dump($c2->addServers("$h:$p, no.such.host.invalid:1", false), $c2->returnCode());
var_dump(gearman_client_add_servers($c2, "$h:$p", false), gearman_client_return_code($c2));
// the servers actually work
$c3 = new GearmanClient();
$c3->addServers("$h:$p");
var_dump($c3->ping("x"));
?>
--EXPECTF--
bool(true)
int(0)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
int(0)

Warning: GearmanClient::addServers():  no.such.host.invalid:1 getaddrinfo:Name or service not known pid(%d) in %s on line 12
bool(false)
int(12)
bool(true)
int(0)
bool(true)
