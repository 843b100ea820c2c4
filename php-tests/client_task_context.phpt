--TEST--
GearmanClient: callback context argument rules (func_num_args 1 vs 2, by value)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_start_worker($fn, 'return "r";');
$c = gt_client();
$c->setCompleteCallback(function () {
    $a = func_get_args();
    echo "complete: args=", count($a), " ctx=", count($a) > 1 ? json_encode($a[1]) : "-", "\n";
    if (count($a) > 1 && is_array($a[1])) {
        $a[1][] = "changed";
    }
});
$arr = ["a"];
$obj = new stdClass;
$obj->n = 1;
$c->addTask($fn, "1");
$c->addTask($fn, "2", null);
$c->addTask($fn, "3", "str");
$c->addTask($fn, "4", 42);
$c->addTask($fn, "5", $arr);
$c->addTask($fn, "6", $obj);
var_dump($c->runTasks());
var_dump($arr);
?>
--EXPECT--
complete: args=2 ctx={"n":1}
complete: args=2 ctx=["a"]
complete: args=2 ctx=42
complete: args=2 ctx="str"
complete: args=2 ctx=null
complete: args=1 ctx=-
bool(true)
array(1) {
  [0]=>
  string(1) "a"
}
