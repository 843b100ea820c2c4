--TEST--
GearmanClient: addServer to a dead server throws GearmanException (exceptions option), not with setupExceptionHandler=false
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$dead = gt_dead_port();
$c = new GearmanClient();
try {
    var_dump($c->addServer('127.0.0.1', $dead));
} catch (GearmanException $e) {
    echo get_class($e), ": ", $e->getMessage(), " code=", $e->getCode(), "\n";
}
var_dump($c->returnCode());
var_dump(is_string($c->error()));
// once a dead server is in the list, the next addServer (default flag) throws too
try {
    var_dump($c->addServer(gt_host(), gt_port()));
} catch (GearmanException $e) {
    echo "second: ", $e->getMessage(), "\n";
}
$c2 = new GearmanClient();
var_dump($c2->addServer('127.0.0.1', $dead, false));
var_dump($c2->returnCode());
try {
    var_dump($c2->enableExceptionHandler());
} catch (GearmanException $e) {
    echo "enableExceptionHandler: ", $e->getMessage(), "\n";
}
$c3 = new GearmanClient();
var_dump($c3->addServer(gt_host(), gt_port(), false));
var_dump($c3->enableExceptionHandler());
var_dump(gearman_client_enable_exception_handler($c3));
try {
    $c4 = new GearmanClient();
    $c4->addServers("127.0.0.1:$dead");
} catch (GearmanException $e) {
    echo "addServers: ", $e->getMessage(), "\n";
}
?>
--EXPECT--
GearmanException: Failed to set exception option code=0
int(0)
bool(true)
second: Failed to set exception option
bool(true)
int(0)
enableExceptionHandler: Failed to set exception option
bool(true)
bool(true)
bool(true)
addServers: Failed to set exception option
