--TEST--
GearmanClient: error() and getErrno() shapes
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->error(), $c->getErrno());
$c->addServer(gt_host(), gt_port());
var_dump($c->error());
$c->setTimeout(10000);
$c->doBackground(gt_fn(), "x");
var_dump($c->error());
$c2 = new GearmanClient();
@$c2->doNormal("f", "x");
var_dump((bool)preg_match('/^_client_run_task\(GEARMAN_NO_SERVERS\) no servers provided -> \S+:\d+: pid\(\d+\)$/', $c2->error()));
var_dump(gearman_client_error($c2) === $c2->error(), gearman_client_get_errno($c2));
?>
--EXPECT--
bool(false)
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
string(21) "GEARMAN_UNKNOWN_STATE"
bool(true)
bool(true)
int(0)
