--TEST--
GearmanWorker::work(): each job's GearmanJob object starts fresh, and one the callback kept, gave a property or watched with a WeakReference behaves as a separate object (the worker reuses only job objects nothing else can see)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$client = gt_spawn('
$c = gt_client();
foreach (["1", "2", "3", "4", "5", "6", "7"] as $p) {
    echo "client $p: ", $c->doNormal($ARGS["fn"], $p), " rc=", $c->returnCode(), "\n";
}
', ['fn' => $fn]);
$w = gt_worker();
$kept = null;
$weak = null;
$ids = [];
$w->addFunction($fn, function (GearmanJob $job) use (&$kept, &$weak, &$ids) {
    $n = $job->workload();
    $ids[$n] = spl_object_id($job);
    echo "job $n: rc=", $job->returnCode(), " handle=", (int)is_string($job->handle()),
        " props=", count(get_object_vars($job)), "\n";
    switch ($n) {
        case "1":
            @$job->tag = "one";
            $job->setReturn(GEARMAN_SUCCESS);
            return "r1";
        case "2":
            $kept = $job;
            return "r2";
        case "3":
            var_dump($kept === $job);
            $weak = WeakReference::create($job);
            $job->sendComplete("c3");
            return "ignored";
        case "4":
            var_dump($weak->get());
            $job->sendStatus(1, 2);
            return "r4";
        case "5":
            var_dump($job->sendData("d5"), $job->returnCode());
            return "r5";
        default:
            return "r$n";
    }
});
for ($i = 0; $i < 7; $i++) {
    if (!$w->work()) {
        echo "work failed: ", $w->returnCode(), " ", $w->error(), "\n";
    }
}
var_dump($kept instanceof GearmanJob);
// Jobs no one kept: one object after the other, each freed before the next
// exists, so they share one object id (as with pecl/gearman).
var_dump($ids["6"] === $ids["7"]);
var_dump($client->wait(10));
echo $client->output();
?>
--EXPECT--
job 1: rc=0 handle=1 props=0
job 2: rc=0 handle=1 props=0
job 3: rc=0 handle=1 props=0
bool(false)
job 4: rc=0 handle=1 props=0
NULL
job 5: rc=0 handle=1 props=0
bool(true)
int(0)
job 6: rc=0 handle=1 props=0
job 7: rc=0 handle=1 props=0
bool(true)
bool(true)
bool(true)
client 1: r1 rc=0
client 2: r2 rc=0
client 3: c3 rc=0
client 4: r4 rc=0
client 5: d5r5 rc=0
client 6: r6 rc=0
client 7: r7 rc=0
