--TEST--
GearmanClient: exception thrown inside a task callback propagates out of runTasks
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r" . $job->workload();');
$c = gt_client();
$calls = 0;
$c->setCompleteCallback(function (GearmanTask $t) use (&$calls) {
    $calls++;
    throw new RuntimeException("from callback " . $t->data());
});
$c->addTask($fn, "1");
$c->addTask($fn, "2");
try {
    $c->runTasks();
    echo "no exception\n";
} catch (RuntimeException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump($calls, $c->returnCode());
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete: ", $t->data(), "\n"; });
$c->addTask($fn, "3");
var_dump($c->runTasks());
?>
--EXPECT--
RuntimeException: from callback r2
int(1)
int(0)
complete: r3
bool(true)
