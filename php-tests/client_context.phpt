--TEST--
GearmanClient: setContext/context
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->context());
var_dump($c->setContext("hello"), $c->context());
var_dump($c->setContext("a\0b"), $c->context());
var_dump(gearman_client_set_context($c, ""), gearman_client_context($c));
var_dump($c->setContext(str_repeat("z", 5000)), strlen($c->context()));
var_dump($c->setContext(123), $c->context());
try {
    $c->setContext([]);
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
var_dump($c->returnCode());
?>
--EXPECT--
string(0) ""
bool(true)
string(5) "hello"
bool(true)
string(1) "a"
bool(true)
string(0) ""
bool(true)
int(5000)
bool(true)
string(3) "123"
GearmanClient::setContext(): Argument #1 ($data) must be of type string, array given
int(0)
