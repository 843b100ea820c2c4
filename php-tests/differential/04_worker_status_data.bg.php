<?php
// Client for 04.
require __DIR__ . '/../_helper.inc';
$c = new GearmanClient();
$c->addServer(gt_host(), gt_port());
$c->setTimeout(20000);
$c->setStatusCallback(function (GearmanTask $t) { echo "status ", $t->taskNumerator(), "/", $t->taskDenominator(), "\n"; });
$c->setDataCallback(function (GearmanTask $t) { echo "data ", $t->data(), "\n"; });
$c->setWarningCallback(function (GearmanTask $t) { echo "warning ", $t->data(), "\n"; });
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete ", $t->data(), "\n"; });
$c->setFailCallback(function (GearmanTask $t) { echo "fail\n"; });
foreach (["status", "data", "complete", "fail"] as $x) {
    $c->addTask(gt_fn('w'), $x);
    $c->runTasks();
}
