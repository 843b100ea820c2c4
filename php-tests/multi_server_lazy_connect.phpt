--TEST--
gearman.lazy_connect=1: addServer()/addServers() with a dead server neither connect nor throw; the live one serves, the EXCEPTIONS option is negotiated on first use, the dead one is reported by the call that uses it; Off (default) throws as pecl/gearman does
--DESCRIPTION--
gearman-rs only: the gearman.lazy_connect INI setting (pecl/gearman always throws "Failed to set exception option"
from addServer() when a server is down; the default here does the same).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--INI--
gearman.lazy_connect=1
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, '
    if ($job->workload() === "exception") { $job->sendException("boom"); return "x"; }
    return strtoupper($job->workload());
');
$dead = gt_dead_port();

echo "-- client, lazy\n";
$c = new GearmanClient();
var_dump($c->addServer('127.0.0.1', $dead), $c->returnCode());
var_dump($c->addServer(gt_host(), gt_port()));
$c->setTimeout(10000);
var_dump($c->doNormal($fn, "abc"), $c->returnCode());
// Without the EXCEPTIONS option gearmand would turn this into WORK_FAIL (24).
var_dump($c->doNormal($fn, "exception"), $c->returnCode());

echo "-- only dead servers: the call reports it\n";
$c2 = new GearmanClient();
var_dump($c2->addServers("127.0.0.1:$dead"));
$c2->setTimeout(2000);
var_dump(@$c2->doNormal($fn, "x"), $c2->returnCode() === GEARMAN_COULD_NOT_CONNECT, str_contains($c2->error(), "Connection to 127.0.0.1:$dead failed"));
$c2->setTaskFailedCallback(function (GearmanTask $t) { echo "task failed hook: rc=", $t->returnCode(), "\n"; });
$c2->addTaskBackground($fn, "bg");
var_dump(@$c2->runTasks(), $c2->returnCode());

echo "-- setOptions(GEARMAN_CLIENT_EXCEPTION) does not connect either\n";
$c3 = new GearmanClient();
$c3->addServer('127.0.0.1', gt_blackhole_port(), false);
$c3->addServer(gt_host(), gt_port(), false);
$t = microtime(true);
var_dump($c3->setOptions(128 /* GEARMAN_CLIENT_EXCEPTION, not a PHP constant */), microtime(true) - $t < 1.0);
$c3->setTimeout(10000);
var_dump($c3->doNormal($fn, "exception"), $c3->returnCode());

echo "-- worker, lazy\n";
$w2 = new GearmanWorker();
var_dump($w2->addServer('127.0.0.1', $dead), $w2->addServers("127.0.0.1:$dead"), $w2->returnCode());

echo "-- default (Off): pecl/gearman's throw\n";
ini_set('gearman.lazy_connect', '0');
foreach ([new GearmanClient(), new GearmanWorker()] as $o) {
    try {
        $o->addServer('127.0.0.1', $dead);
        echo get_class($o), ": no exception\n";
    } catch (GearmanException $e) {
        echo get_class($o), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
-- client, lazy
bool(true)
int(0)
bool(true)
string(3) "ABC"
int(0)
string(0) ""
int(23)
-- only dead servers: the call reports it
bool(true)
string(0) ""
bool(true)
bool(true)
task failed hook: rc=26
bool(false)
int(26)
-- setOptions(GEARMAN_CLIENT_EXCEPTION) does not connect either
bool(true)
bool(true)
string(0) ""
int(23)
-- worker, lazy
bool(true)
bool(true)
int(0)
-- default (Off): pecl/gearman's throw
GearmanClient: Failed to set exception option
GearmanWorker: Failed to set exception option
