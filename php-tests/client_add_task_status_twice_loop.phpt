--TEST--
GearmanClient: addTaskStatus() twice then runTasks(), in a loop, for handles gearmand does not know: every run completes with two "unknown" status callbacks
--DESCRIPTION--
gearman-rs fix: the reference segfaults in this loop (about one run of the script in three).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = gt_client(5000);
$seen = 0; $bad = [];
$c->setStatusCallback(function (GearmanTask $t) use (&$seen, &$bad) {
    $seen++;
    if ($t->isKnown() || $t->isRunning()) $bad[] = $t->jobHandle();
});
$ok = 0;
for ($i = 0; $i < 200; $i++) {
    $c->addTaskStatus("H:nosuch:$i");
    $c->addTaskStatus("H:nosuch:x$i");
    if ($c->runTasks() && $c->returnCode() === GEARMAN_SUCCESS) $ok++;
}
var_dump($ok, $seen, $bad);
?>
--EXPECT--
int(200)
int(400)
array(0) {
}
