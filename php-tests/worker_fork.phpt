--TEST--
GearmanWorker/GearmanClient: objects created before pcntl_fork() work in parent and child
--DESCRIPTION--
gearman-rs fix: on the reference a client/worker created (and connected) before
pcntl_fork() shares its socket between parent and child, so replies get mixed up (each side
receives the other's results and times out). gearman-rs reconnects in the process that did not
create the connection, so both sides work independently.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
if (!function_exists('pcntl_fork')) { echo "no pcntl\n"; exit; }
$fn = gt_fn();
$srv = gt_start_worker($fn, 'return "r:" . $job->workload();');
$c = gt_client();
var_dump($c->doNormal($fn, "before"));
$w = gt_worker();
$w->addFunction($fn . "_w", fn (GearmanJob $j) => "w:" . $j->workload());
$pid = pcntl_fork();
if ($pid === 0) {
    // child: use the inherited client
    $r = [];
    for ($i = 0; $i < 5; $i++) {
        $r[] = $c->doNormal($fn, "child$i");
    }
    file_put_contents(sys_get_temp_dir() . "/gt_fork_" . getmypid(), implode(",", $r));
    // and the inherited worker
    $w->setTimeout(5000);
    $ok = $w->work();
    file_put_contents(sys_get_temp_dir() . "/gt_fork_" . getmypid(), " work=" . json_encode($ok), FILE_APPEND);
    posix_kill(getmypid(), SIGKILL); // skip shutdown functions of the parent's helpers
}
$r = [];
for ($i = 0; $i < 5; $i++) {
    $r[] = $c->doNormal($fn, "parent$i");
}
echo implode(",", $r), "\n";
$c2 = gt_client();
echo $c2->doNormal($fn . "_w", "job-for-child"), "\n";
pcntl_waitpid($pid, $status);
$f = sys_get_temp_dir() . "/gt_fork_$pid";
echo file_get_contents($f), "\n";
@unlink($f);
var_dump($c->doNormal($fn, "after"));
?>
--EXPECTF--
string(8) "r:before"
r:parent0,r:parent1,r:parent2,r:parent3,r:parent4
w:job-for-child
r:child0,r:child1,r:child2,r:child3,r:child4 work=true
string(7) "r:after"
