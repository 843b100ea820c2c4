--TEST--
GearmanWorker: NON_BLOCKING work()/wait() loop
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$w = gt_worker();
$w->addOptions(GEARMAN_WORKER_NON_BLOCKING);
$done = 0;
$w->addFunction($fn, function (GearmanJob $job) use (&$done) { $done++; return strrev($job->workload()); });
$client = gt_spawn('
$c = gt_client();
foreach (["abc", "def", "ghi"] as $x) echo $c->doNormal($ARGS["fn"], $x), "\n";
', ['fn' => $fn]);
$seen = [];
$end = microtime(true) + 20;
while ($done < 3 && microtime(true) < $end) {
    $ok = @$w->work();
    $rc = $w->returnCode();
    $seen[$rc] = true;
    if ($ok || $rc == GEARMAN_SUCCESS) continue;
    if ($rc != GEARMAN_IO_WAIT && $rc != GEARMAN_NO_JOBS) { echo "unexpected rc $rc\n"; break; }
    if (!@$w->wait()) {
        $seen["wait" . $w->returnCode()] = true;
        if ($w->returnCode() == GEARMAN_NO_ACTIVE_FDS) usleep(100000);
    }
}
var_dump($done);
var_dump(isset($seen[GEARMAN_SUCCESS]), isset($seen[GEARMAN_IO_WAIT]) || isset($seen[GEARMAN_NO_JOBS]));
var_dump($client->wait(10));
echo $client->output();
$w2 = new GearmanWorker();
var_dump($w2->wait(), $w2->returnCode());
?>
--EXPECTF--
int(3)
bool(true)
bool(true)
bool(true)
cba
fed
ihg

Warning: GearmanWorker::wait(): gearman_wait(GEARMAN_NO_ACTIVE_FDS) no active file descriptors -> %s:%d: pid(%d) in %s on line 30
bool(false)
int(7)
