--TEST--
GearmanWorker: grabJob polling loop with empty polls between jobs does not crash
--DESCRIPTION--
gearman-rs fix: on the reference, grabJob() after an empty grabJob() (rc 35) that followed a
grabbed job segfaults (observed with pecl/gearman 2.1.0 + libgearman 1.1.20, blocking mode).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();
$w = gt_worker();
$w->addFunction($fn, fn () => 1);
for ($i = 0; $i < 3; $i++) {
    $c->doBackground($fn, "j$i");
    $job = $w->grabJob();
    echo "grabbed ", $job ? $job->workload() : 'false', "\n";
    if ($job) {
        var_dump($job->sendComplete("x"));
    }
    $r = @$w->grabJob();
    echo "empty grab: ", var_export($r, true), " rc=", $w->returnCode(), "\n";
}
echo "end\n";
?>
--EXPECTF--
grabbed j0
bool(true)
empty grab: false rc=35
grabbed j1
bool(true)
empty grab: false rc=35
grabbed j2
bool(true)
empty grab: false rc=35
end
