--TEST--
Reliability: against a server that accepts but never answers, every blocking call ends with GEARMAN_TIMEOUT near its timeout, without spinning the CPU
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$peer = gt_spawn('
$srv = stream_socket_server("tcp://127.0.0.1:" . $ARGS["port"]);
$keep = [];
while ($c = @stream_socket_accept($srv, 60)) { $keep[] = $c; }   // accept, read nothing, answer nothing
', ['port' => $port]);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port, $e, $es, 0.1); $i++) usleep(50000);

function cpu(): float {
    $r = getrusage();
    return $r['ru_utime.tv_sec'] + $r['ru_utime.tv_usec'] / 1e6 + $r['ru_stime.tv_sec'] + $r['ru_stime.tv_usec'] / 1e6;
}
function measure(string $what, callable $call, callable $rc): void {
    $t = microtime(true); $c0 = cpu();
    $r = @$call();
    $elapsed = microtime(true) - $t; $used = cpu() - $c0;
    printf("%-24s %s rc=%d  on time: %s  idle: %s\n", $what, json_encode($r), $rc(),
        $elapsed >= 0.29 && $elapsed < 0.8 ? "yes" : "NO ($elapsed s)",
        $used < 0.1 ? "yes" : "NO ($used s CPU)");
}
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(300);
$rc = fn () => $c->returnCode();
measure("doNormal", fn () => $c->doNormal("f", "x"), $rc);
measure("doBackground", fn () => $c->doBackground("f", "x"), $rc);
measure("jobStatus", fn () => $c->jobStatus("H:x:1"), $rc);
measure("ping", fn () => $c->ping("x"), $rc);
$c->addTask("f", "x");
measure("runTasks", fn () => $c->runTasks(), $rc);
$w = new GearmanWorker();
$w->addServer('127.0.0.1', $port, false);
$w->setTimeout(300);
$w->addFunction("f", fn () => "never");
measure("work", fn () => $w->work(), fn () => $w->returnCode());
$peer->signal(9);
?>
--EXPECT--
doNormal                 "" rc=47  on time: yes  idle: yes
doBackground             "" rc=47  on time: yes  idle: yes
jobStatus                [false,false,0,0] rc=47  on time: yes  idle: yes
ping                     false rc=47  on time: yes  idle: yes
runTasks                 false rc=47  on time: yes  idle: yes
work                     false rc=47  on time: yes  idle: yes
