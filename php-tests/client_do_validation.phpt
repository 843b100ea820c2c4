--TEST--
GearmanClient: do* argument validation (empty workload/function, long function/unique) and TypeErrors
--DESCRIPTION--
gearman-rs fix: the method is registered as doLow (HEAD stub), so its warnings say
"GearmanClient::doLow()" where pecl/gearman 2.1.0 says "GearmanClient::dolow()".
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
$c->addServer('127.0.0.1', gt_dead_port(), false);   // nothing may be sent: validation comes first
$fn = gt_fn();
var_dump($c->doNormal($fn, ""), $c->returnCode());
var_dump($c->doNormal("", "x"), $c->returnCode());
var_dump($c->doNormal(str_repeat("f", 513), "x"), $c->returnCode());
var_dump($c->doNormal($fn, "x", str_repeat("u", 65)), $c->returnCode());
var_dump($c->doBackground("", "x"), $c->returnCode());
var_dump($c->doBackground($fn, ""), $c->returnCode());
var_dump($c->doHighBackground($fn, "x", str_repeat("u", 65)), $c->returnCode());
var_dump($c->doHigh($fn, ""), $c->doLow($fn, ""), $c->returnCode());
var_dump(gearman_client_do_normal($c, "", "x"), gearman_client_return_code($c));
foreach ([fn () => $c->doNormal([], "x"), fn () => $c->doNormal($fn, []), fn () => $c->doNormal($fn), fn () => $c->doBackground($fn, new stdClass),
          fn () => gearman_client_do_normal(new GearmanWorker(), $fn, "x"), fn () => GearmanClient::doNormal($fn, "x")] as $f) {
    try {
        $f();
    } catch (Error $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
?>
--EXPECTF--

Warning: GearmanClient::doNormal(): %s(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 6
string(0) ""
int(49)

Warning: GearmanClient::doNormal(): %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 7
string(0) ""
int(49)

Warning: GearmanClient::doNormal(): %s(GEARMAN_INVALID_ARGUMENT) function name longer then GEARMAN_MAX_FUNCTION_SIZE -> %s:%d: pid(%d) in %s on line 8
string(0) ""
int(49)

Warning: GearmanClient::doNormal(): %s(GEARMAN_INVALID_ARGUMENT) unique name longer then GEARMAN_MAX_UNIQUE_SIZE -> %s:%d: pid(%d) in %s on line 9
string(0) ""
int(49)

Warning: GearmanClient::doBackground(): %s(GEARMAN_INVALID_ARGUMENT) function argument was empty -> %s:%d: pid(%d) in %s on line 10
string(0) ""
int(49)

Warning: GearmanClient::doBackground(): %s(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 11
string(0) ""
int(49)

Warning: GearmanClient::doHighBackground(): %s(GEARMAN_INVALID_ARGUMENT) unique name longer then GEARMAN_MAX_UNIQUE_SIZE -> %s:%d: pid(%d) in %s on line 12
string(0) ""
int(49)

Warning: GearmanClient::doHigh(): %s(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 13

Warning: GearmanClient::doLow(): %s(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s:%d: pid(%d) in %s on line 13
string(0) ""
string(0) ""
int(49)

Warning: gearman_client_do_normal(): %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) in %s on line 14
string(0) ""
int(49)
TypeError: GearmanClient::doNormal(): Argument #1 ($function) must be of type string, array given
TypeError: GearmanClient::doNormal(): Argument #2 ($workload) must be of type string, array given
ArgumentCountError: GearmanClient::doNormal() expects at least 2 arguments, 1 given
TypeError: GearmanClient::doBackground(): Argument #2 ($workload) must be of type string, stdClass given
TypeError: gearman_client_do_normal(): Argument #1 ($obj) must be of type GearmanClient, GearmanWorker given
Error: Non-static method GearmanClient::doNormal() cannot be called statically
