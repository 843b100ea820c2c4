--TEST--
GearmanClient: calls without servers (rc 13 warnings)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->doNormal("f", "x"), $c->returnCode());
var_dump($c->error());
var_dump($c->doBackground("f", "x"), $c->returnCode());
var_dump($c->ping("x"), $c->returnCode());
var_dump($c->jobStatus("H:x:1"), $c->returnCode());
$c->addTask("f", "x");
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::doNormal(): %s(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d) in %s on line 4
string(0) ""
int(13)
string(%d) "_client_run_task(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d)"

Warning: GearmanClient::doBackground(): %s(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d) in %s on line 6
string(0) ""
int(13)

Warning: GearmanClient::ping(): %s(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d) in %s on line 7
bool(false)
int(13)

Warning: GearmanClient::jobStatus(): %s(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d) in %s on line 8
array(4) {
  [0]=>
  bool(false)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
int(13)

Warning: GearmanClient::runTasks(): %s(GEARMAN_NO_SERVERS) no servers provided -> %s:%d: pid(%d) in %s on line 10
bool(false)
int(13)
