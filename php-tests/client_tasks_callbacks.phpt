--TEST--
GearmanClient: addTask + runTasks with every callback (per-task order, task state inside callbacks)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '
    switch ($job->workload()) {
        case "ok": $job->sendStatus(1, 4); $job->sendData("chunk1"); $job->sendWarning("careful"); $job->sendData("chunk2"); $job->sendStatus(4, 4); return "result";
        case "fail": $job->sendFail(); return null;
        case "exc": $job->sendException("it broke"); return null;
    }
');
$c = gt_client();
$log = [];
$state = function (string $cb) use (&$log) {
    return function (GearmanTask $t, $ctx) use ($cb, &$log) {
        $log[$ctx][] = sprintf("%s args=%d known=%s running=%s num=%s den=%s data=%s size=%s fn=%s handle=%s",
            $cb, func_num_args(), json_encode($t->isKnown()), json_encode($t->isRunning()), json_encode($t->taskNumerator()),
            json_encode($t->taskDenominator()), json_encode($t->data()), json_encode($t->dataSize()),
            $t->functionName() === gt_fn() ? "FN" : json_encode($t->functionName()), preg_match('/^H:.+:\d+$/', (string)$t->jobHandle()) ? "H" : json_encode($t->jobHandle()));
    };
};
foreach (['Workload', 'Created', 'Data', 'Warning', 'Status', 'Complete', 'Exception', 'Fail'] as $cb) {
    var_dump($c->{"set{$cb}Callback"}($state(strtolower($cb))));
}
$tasks = [];
foreach (["ok", "fail", "exc"] as $wl) {
    $tasks[$wl] = $c->addTask($fn, $wl, $wl);
}
var_dump(get_class($tasks["ok"]), $c->returnCode());
var_dump($tasks["ok"]->jobHandle(), $tasks["ok"]->isKnown(), $tasks["ok"]->functionName() === $fn, $tasks["ok"]->data());
var_dump($c->runTasks(), $c->returnCode(), $c->error());
ksort($log);
foreach ($log as $ctx => $lines) {
    echo "== $ctx\n", implode("\n", $lines), "\n";
}
// FREE_TASKS (default): finished tasks are detached
var_dump($tasks["ok"]->jobHandle(), $tasks["ok"]->isKnown(), $tasks["ok"]->functionName(), $tasks["ok"]->unique(),
    $tasks["ok"]->taskNumerator(), $tasks["ok"]->data(), $tasks["ok"]->dataSize(), $tasks["ok"]->returnCode());
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
string(11) "GearmanTask"
int(0)
string(0) ""
bool(false)
bool(true)
string(0) ""
bool(true)
int(0)
string(15) "GEARMAN_IO_WAIT"
== exc
created args=2 known=true running=false num=0 den=0 data="" size=0 fn=FN handle=H
exception args=2 known=false running=false num=0 den=0 data="it broke" size=8 fn=FN handle=H
== fail
created args=2 known=true running=false num=0 den=0 data="" size=0 fn=FN handle=H
fail args=2 known=false running=false num=0 den=0 data="" size=0 fn=FN handle=H
== ok
created args=2 known=true running=false num=0 den=0 data="" size=0 fn=FN handle=H
status args=2 known=true running=false num=1 den=4 data="" size=0 fn=FN handle=H
data args=2 known=true running=true num=1 den=4 data="chunk1" size=6 fn=FN handle=H
warning args=2 known=true running=true num=1 den=4 data="careful" size=7 fn=FN handle=H
data args=2 known=true running=true num=1 den=4 data="chunk2" size=6 fn=FN handle=H
status args=2 known=true running=true num=4 den=4 data="" size=0 fn=FN handle=H
complete args=2 known=false running=false num=4 den=4 data="result" size=6 fn=FN handle=H
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
bool(false)
int(0)
