--TEST--
GearmanClient: timeout/setTimeout values and argument coercion
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->timeout());
var_dump($c->setTimeout(1500), $c->timeout());
var_dump($c->setTimeout(0), $c->timeout());
var_dump($c->setTimeout(-1), $c->timeout());
var_dump($c->setTimeout("250"), $c->timeout());
var_dump($c->setTimeout(1.5), $c->timeout());
var_dump(gearman_client_set_timeout($c, 42), gearman_client_timeout($c));
try {
    $c->setTimeout('abc');
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
try {
    $c->setTimeout();
} catch (ArgumentCountError $e) {
    echo $e->getMessage(), "\n";
}
var_dump($c->timeout(), $c->returnCode());
?>
--EXPECTF--
int(-1)
bool(true)
int(1500)
bool(true)
int(0)
bool(true)
int(-1)
bool(true)
int(250)

Deprecated: Implicit conversion from float 1.5 to int loses precision in %s on line 9
bool(true)
int(1)
bool(true)
int(42)
GearmanClient::setTimeout(): Argument #1 ($timeout) must be of type int, string given
GearmanClient::setTimeout() expects exactly 1 argument, 0 given
int(42)
int(0)
