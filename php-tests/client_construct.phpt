--TEST--
GearmanClient: construction, fresh state, gearman_client_create
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c);
var_dump($c->returnCode(), $c->error(), $c->getErrno(), $c->options(), $c->timeout());
var_dump($c->context(), $c->doJobHandle(), $c->doStatus());
$p = gearman_client_create();
var_dump(get_class($p), gearman_client_options($p), gearman_client_timeout($p), gearman_client_return_code($p), gearman_client_error($p), gearman_client_get_errno($p));
var_dump((array)$c, json_encode($c));
$rc = new ReflectionClass('GearmanClient');
var_dump($rc->isFinal(), $rc->isInstantiable());
?>
--EXPECT--
object(GearmanClient)#1 (0) {
}
int(0)
bool(false)
int(0)
int(32)
int(-1)
string(0) ""
string(0) ""
array(2) {
  [0]=>
  int(0)
  [1]=>
  int(0)
}
string(13) "GearmanClient"
int(32)
int(-1)
int(0)
bool(false)
int(0)
array(0) {
}
string(2) "{}"
bool(false)
bool(true)
