--TEST--
GearmanWorker: a by-reference $context parameter keeps changes between jobs
--DESCRIPTION--
gearman-rs fix: on the reference a callback declared function($job, &$context) gets a copy and
PHP warns "Argument #2 ($context) must be passed by reference, value given" on every call; gearman-rs
passes a real reference (no warning) and changes persist across calls.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$client = gt_spawn('$c = gt_client(); for ($i = 0; $i < 3; $i++) $c->doNormal($ARGS["fn"], "x");', ['fn' => $fn]);
$w = gt_worker();
$w->addFunction($fn, function (GearmanJob $job, &$count) {
    $count++;
    echo "call $count\n";
    return (string)$count;
}, 0);
for ($i = 0; $i < 3; $i++) {
    $w->work();
}
$client->wait(10);
echo "done\n";
?>
--EXPECTF--
call 1
call 2
call 3
done
