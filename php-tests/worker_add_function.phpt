--TEST--
GearmanWorker: addFunction validation and callable forms
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->addFunction("f1", "strlen"), $w->returnCode());
var_dump($w->addFunction("f2", function () {}), $w->addFunction("f3", [new ArrayObject([]), 'count']), $w->addFunction("f4", "ArrayObject::count"));
var_dump($w->addFunction("f5", "no_such_function_xyz"), $w->returnCode());
var_dump($w->addFunction("", "strlen"), $w->returnCode());
var_dump($w->addFunction(str_repeat("f", 513), "strlen"), $w->returnCode());
var_dump(gearman_worker_add_function($w, "f6", "strlen", "ctx", 5), $w->returnCode());
try {
    $w->addFunction([], "strlen");
} catch (TypeError $e) {
    echo "TypeError: ", $e->getMessage(), "\n";
}
try {
    $w->addFunction("f7");
} catch (ArgumentCountError $e) {
    echo "ArgumentCountError: ", $e->getMessage(), "\n";
}
?>
--EXPECTF--
bool(true)
int(0)

Warning: GearmanWorker::addFunction(): Function 'ArrayObject::count' is not a valid callback in %s on line 5
bool(true)
bool(true)
bool(false)

Warning: GearmanWorker::addFunction(): Function 'no_such_function_xyz' is not a valid callback in %s on line 6
bool(false)
int(0)

Warning: GearmanWorker::addFunction(): Unable to add function to Gearman Worker: %s(GEARMAN_INVALID_ARGUMENT) invalid function -> %s:%d: pid(%d) GEARMAN_INVALID_ARGUMENT in %s on line 7
bool(false)
int(49)

Warning: GearmanWorker::addFunction(): Unable to add function to Gearman Worker: %s(GEARMAN_INVALID_ARGUMENT) function name longer then GEARMAN_MAX_FUNCTION_SIZE -> %s:%d: pid(%d) GEARMAN_INVALID_ARGUMENT in %s on line 8
bool(false)
int(49)
bool(true)
int(0)

Warning: GearmanWorker::addFunction(): Function name must be a string in %s on line 11
ArgumentCountError: GearmanWorker::addFunction() expects at least 2 arguments, 1 given
