--TEST--
GearmanClient: options/setOptions/addOptions/removeOptions
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
var_dump($c->options());
var_dump($c->setOptions(GEARMAN_CLIENT_NON_BLOCKING));
var_dump($c->options());
var_dump($c->addOptions(GEARMAN_CLIENT_FREE_TASKS | GEARMAN_CLIENT_UNBUFFERED_RESULT));
var_dump($c->options());
var_dump($c->removeOptions(GEARMAN_CLIENT_NON_BLOCKING));
var_dump($c->options());
var_dump($c->addOptions(GEARMAN_CLIENT_NO_NEW), $c->options());
var_dump($c->addOptions(GEARMAN_CLIENT_ALLOCATED | GEARMAN_CLIENT_TASK_IN_USE), $c->options());
var_dump($c->setOptions(0), $c->options());
var_dump($c->addOptions(64), $c->options());   // GENERATE_UNIQUE (not exported)
var_dump($c->removeOptions(64), $c->options());
var_dump($c->setOptions(GEARMAN_CLIENT_FREE_TASKS), $c->options());
var_dump($c->returnCode());
var_dump(gearman_client_set_options($c, GEARMAN_CLIENT_NON_BLOCKING), gearman_client_options($c));
var_dump(gearman_client_add_options($c, GEARMAN_CLIENT_FREE_TASKS), gearman_client_options($c));
var_dump(gearman_client_remove_options($c, GEARMAN_CLIENT_NON_BLOCKING), gearman_client_options($c));
try {
    $c->setOptions("x");
} catch (TypeError $e) {
    echo $e->getMessage(), "\n";
}
?>
--EXPECT--
int(32)
bool(true)
int(2)
bool(true)
int(42)
bool(true)
int(40)
bool(true)
int(40)
bool(true)
int(40)
bool(true)
int(0)
bool(true)
int(64)
bool(true)
int(0)
bool(true)
int(32)
int(0)
bool(true)
int(2)
bool(true)
int(34)
bool(true)
int(32)
GearmanClient::setOptions(): Argument #1 ($option) must be of type int, string given
