--TEST--
GearmanClient: addServer defaults, string port, returnCode, exception option round trip
--DESCRIPTION--
gearman-rs fix: follows the HEAD signature addServer(?string $host, ...), so the TypeError says "of type ?string" (pecl/gearman 2.1.0: "of type string").
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->addServer(gt_host(), gt_port()));
var_dump($c->returnCode(), $c->error());
$c2 = new GearmanClient();
var_dump($c2->addServer(gt_host(), (string)gt_port()));   // numeric string coerced
var_dump($c2->returnCode());
$c3 = new GearmanClient();
var_dump($c3->addServer(gt_host(), gt_port(), false));
var_dump($c3->returnCode(), $c3->error());
$c4 = gearman_client_create();
var_dump(gearman_client_add_server($c4, gt_host(), gt_port()));
var_dump(gearman_client_return_code($c4));
// duplicates are allowed
var_dump($c4->addServer(gt_host(), gt_port()));
// defaults (localhost:4730) without the round trip: no I/O at all
$c5 = new GearmanClient();
var_dump($c5->addServer('localhost', 0, false), $c5->returnCode());
var_dump($c5->addServer('', -1, false), $c5->returnCode());
var_dump($c5->addServer('localhost', 70000, false), $c5->returnCode());
try {
    $c5->addServer(gt_host(), 'abc');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
try {
    $c5->addServer([]);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
bool(true)
int(0)
string(21) "GEARMAN_UNKNOWN_STATE"
bool(true)
int(0)
bool(true)
int(0)
bool(false)
bool(true)
int(0)
bool(true)
bool(true)
int(0)
bool(true)
int(0)
bool(true)
int(0)
GearmanClient::addServer(): Argument #2 ($port) must be of type int, string given
GearmanClient::addServer(): Argument #1 ($host) must be of type ?string, array given
