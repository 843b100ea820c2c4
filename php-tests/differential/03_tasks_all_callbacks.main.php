<?php
// Differential (c): addTask + runTasks with every callback set.
require __DIR__ . '/../_helper.inc';
$fn = gt_fn('tasks');
$client = new GearmanClient();
$client->addServer(gt_host(), gt_port());
$client->setTimeout(20000);
$log = [];
$mk = function (string $name) use (&$log) {
    return function (GearmanTask $task, $context = null) use ($name, &$log) {
        $log[$context ?? '(none)'][] = sprintf("%s: args=%d handle=%s known=%s running=%s status=%s/%s data=%s",
            $name, func_num_args(), $task->jobHandle(), json_encode($task->isKnown()), json_encode($task->isRunning()),
            json_encode($task->taskNumerator()), json_encode($task->taskDenominator()), json_encode($task->data()));
    };
};
var_dump($client->setWorkloadCallback($mk('workload')));
var_dump($client->setCreatedCallback($mk('created')));
var_dump($client->setDataCallback($mk('data')));
var_dump($client->setWarningCallback($mk('warning')));
var_dump($client->setStatusCallback($mk('status')));
var_dump($client->setCompleteCallback($mk('complete')));
var_dump($client->setFailCallback($mk('fail')));
var_dump($client->setExceptionCallback($mk('exception')));
$tasks = [];
$tasks[] = $client->addTask($fn, "normal", "t-normal");
$tasks[] = $client->addTaskHigh($fn, "data", "t-high");
$tasks[] = $client->addTaskLow($fn, "fail", "t-low");
$tasks[] = $client->addTask($fn, "exception", "t-exc");
$tasks[] = $client->addTask($fn, "nocontext");
$tasks[] = $client->addTaskBackground($fn, "background", "t-bg");
foreach ($tasks as $t) {
    echo get_class($t), " fn=", $t->functionName() === $fn ? "ok" : "?", " unique=", strlen($t->unique()), "\n";
}
var_dump($client->runTasks(), $client->returnCode());
ksort($log);
foreach ($log as $ctx => $lines) {
    echo "== $ctx\n  ", implode("\n  ", $lines), "\n";
}
foreach ($tasks as $t) {
    echo json_encode([$t->jobHandle(), $t->isKnown(), $t->data()]), "\n";
}
