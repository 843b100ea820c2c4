--TEST--
GearmanClient: addTask workload conversion (int, float, bool, array) and validation
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "[" . $job->workload() . "]";');
$c = gt_client();
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete: ", $t->data(), "\n"; });
var_dump($c->addTask($fn, 123) instanceof GearmanTask);
var_dump($c->addTask($fn, 1.25) instanceof GearmanTask);
var_dump($c->runTasks());
foreach ([true, false, null, "", []] as $wl) {
    try {
        $r = $c->addTask($fn, $wl);
        var_dump(is_object($r) ? get_class($r) : $r, $c->returnCode());
    } catch (TypeError $e) {
        echo "TypeError: ", $e->getMessage(), "\n";
    }
}
var_dump($c->addTask("", "x"), $c->returnCode());
var_dump($c->addTask(str_repeat("f", 513), "x"), $c->returnCode());
var_dump($c->addTask($fn, "x", null, str_repeat("u", 65)), $c->returnCode());
?>
--EXPECTF--
bool(true)
bool(true)
complete: [1.25]
complete: [123]
bool(true)
string(11) "GearmanTask"
int(0)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 12
bool(false)
int(49)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 12
bool(false)
int(49)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 12
bool(false)
int(49)

Warning: Array to string conversion in %s on line 12
string(11) "GearmanTask"
int(0)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 18
bool(false)
int(49)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) function name longer then GEARMAN_MAX_FUNCTION_SIZE -> %s:%d: pid(%d) in %s on line 19
bool(false)
int(49)

Warning: GearmanClient::addTask(): add_task(GEARMAN_INVALID_ARGUMENT) unique name longer then GEARMAN_MAX_UNIQUE_SIZE -> %s:%d: pid(%d) in %s on line 20
bool(false)
int(49)
