--TEST--
GearmanWorker: addServer/addServers (2.1.0-compatible forms)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->addServer(gt_host(), gt_port()), $w->returnCode(), $w->error());
var_dump($w->addServers(gt_host() . ":" . gt_port()), $w->returnCode());
var_dump(gearman_worker_add_server($w, gt_host(), gt_port()), gearman_worker_add_servers($w, gt_host() . ":" . gt_port()));
var_dump($w->addServer('no.such.host.invalid', 1), $w->returnCode());
$w2 = new GearmanWorker();
try {
    $w2->addServers("127.0.0.1:" . gt_dead_port());
} catch (GearmanException $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump($w->ping("x"), $w->returnCode());
var_dump(gearman_worker_ping($w, "y"));
?>
--EXPECTF--
bool(true)
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
bool(true)
int(0)
bool(true)
bool(true)

Warning: GearmanWorker::addServer(): no.such.host.invalid:1 getaddrinfo:Name or service not known pid(%d) in %s on line 7
bool(false)
int(12)
GearmanException: Failed to set exception option
bool(true)
int(0)
bool(true)
