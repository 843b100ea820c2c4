--TEST--
GearmanClient: addTaskBackground/High/Low: only the created callback fires
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
foreach (['Created', 'Data', 'Status', 'Complete', 'Fail'] as $cb) {
    $c->{"set{$cb}Callback"}(function (GearmanTask $t, $ctx) use ($cb) {
        echo "$cb $ctx handle=", preg_match('/^H:.+:\d+$/', $t->jobHandle()) ? "ok" : $t->jobHandle(), "\n";
    });
}
var_dump(get_class($c->addTaskBackground($fn, "a", "bg")));
var_dump(get_class($c->addTaskHighBackground($fn, "b", "high")));
var_dump(get_class($c->addTaskLowBackground($fn, "c", "low")));
var_dump(get_class(gearman_client_add_task_background($c, $fn, "d", "p")));
var_dump(get_class(gearman_client_add_task_high_background($c, $fn, "e", "ph")));
var_dump(get_class(gearman_client_add_task_low_background($c, $fn, "f", "pl")));
var_dump($c->runTasks(), $c->returnCode());
var_dump(gt_status()[$fn]);
?>
--EXPECT--
string(11) "GearmanTask"
string(11) "GearmanTask"
string(11) "GearmanTask"
string(11) "GearmanTask"
string(11) "GearmanTask"
string(11) "GearmanTask"
Created pl handle=ok
Created ph handle=ok
Created p handle=ok
Created low handle=ok
Created high handle=ok
Created bg handle=ok
bool(true)
int(0)
array(3) {
  [0]=>
  int(6)
  [1]=>
  int(0)
  [2]=>
  int(0)
}
