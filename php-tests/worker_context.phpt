--TEST--
GearmanWorker: addFunction context (always 2 args, copy per call, objects shared)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$client = gt_spawn('$c = gt_client(); for ($i = 0; $i < 4; $i++) $c->doNormal($ARGS["fn"] . "_" . ($i % 2), "x");', ['fn' => $fn]);
$w = gt_worker();
$arr = ["n" => 1];
$obj = new stdClass;
$obj->n = 1;
$w->addFunction($fn . "_0", function (GearmanJob $job, $ctx) {
    echo "arr: args=", func_num_args(), " ", json_encode($ctx), "\n";
    $ctx["n"]++;
}, $arr);
$w->addFunction($fn . "_1", function (GearmanJob $job, $ctx) {
    echo "obj: args=", func_num_args(), " ", json_encode($ctx), "\n";
    $ctx->n++;
}, $obj);
for ($i = 0; $i < 4; $i++) {
    $w->work();
}
var_dump($arr, $obj->n);
$client->wait(10);
$w2 = gt_worker();
$w2->addFunction($fn . "_0", function () { echo "no ctx: args=", func_num_args(), " ", json_encode(func_get_args()[1]), "\n"; });
$client2 = gt_spawn('$c = gt_client(); $c->doNormal($ARGS["fn"] . "_0", "x");', ['fn' => $fn]);
$w2->work();
$client2->wait(10);
?>
--EXPECT--
arr: args=2 {"n":1}
obj: args=2 {"n":1}
arr: args=2 {"n":1}
obj: args=2 {"n":2}
array(1) {
  ["n"]=>
  int(1)
}
int(3)
no ctx: args=2 null
