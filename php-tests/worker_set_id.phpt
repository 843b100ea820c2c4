--TEST--
GearmanWorker: setId validation and the id seen by gearmand
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$w = new GearmanWorker();
var_dump($w->setId(""), $w->returnCode());
var_dump($w->setId(str_repeat("a", 255)));
var_dump($w->setId("has space"));
var_dump($w->setId("ctl\x01"));
$id = "gt-id-" . getmypid();
var_dump($w->setId($id), $w->options());
var_dump(gearman_worker_set_id($w, $id));
$w->addServer(gt_host(), gt_port());
$w->addFunction(gt_fn(), fn () => null);
$w->setTimeout(100);
@$w->work();
$found = false;
foreach (explode("\n", gt_admin("workers")) as $line) {
    if (str_contains($line, gt_fn())) {
        $found = str_contains($line, " $id :");
    }
}
var_dump($found);
?>
--EXPECT--
bool(false)
int(0)
bool(false)
bool(false)
bool(false)
bool(true)
int(2692)
bool(true)
bool(true)
