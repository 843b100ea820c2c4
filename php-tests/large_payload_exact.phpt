--TEST--
Large workloads and results (around 1 MiB and 16 MiB, random bytes) arrive byte-exact in both directions; each workload()/result is an ordinary PHP string (copy-on-write)
--DESCRIPTION--
gearman-rs receives a large result or workload straight into the PHP string it
becomes (no copy); this pins that the bytes, the length and PHP's value
semantics are what a copy would give.
--INI--
memory_limit=-1
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
// The worker answers sha1(workload) . strrev(workload): the first part shows
// what the worker received, the rest what the client receives back.
gt_start_worker($fn, '
    ini_set("memory_limit", "-1");
    $a = $job->workload();
    $b = $job->workload();
    $a[0] = $a[0] === "X" ? "Y" : "X";   // a write to one copy ...
    if ($a === $b || $b !== $job->workload() || strlen($b) !== $job->workloadSize()) {
        return "value semantics broken";   // ... must not show in another
    }
    return sha1($b) . strrev($b);
');
$c = gt_client(60000);
foreach ([(1 << 20) - 1, 1 << 20, (1 << 20) + 7, 16 << 20, (16 << 20) + 1] as $size) {
    $w = random_bytes($size);
    $r = $c->doNormal($fn, $w);
    $rc = $c->returnCode();
    $r2 = $r;
    $r2[5] = $r2[5] === "X" ? "Y" : "X";   // the result is ours to change
    printf("%9d bytes: rc=%d worker got it exactly: %s, client got it back exactly: %s, copy independent: %s\n",
        $size, $rc,
        substr($r, 0, 40) === sha1($w) ? "yes" : "NO",
        substr($r, 40) === strrev($w) ? "yes" : "NO (" . strlen($r) . " bytes)",
        $r !== $r2 && substr($r, 40) === strrev($w) ? "yes" : "NO");
    unset($w, $r, $r2);
}
// The same through runTasks: GearmanTask::data() in the complete callback.
$w = random_bytes(16 << 20);
$c->setCompleteCallback(function (GearmanTask $t) use ($w) {
    $d = $t->data();
    $d2 = $d;
    $d2[0] = $d2[0] === "X" ? "Y" : "X";
    printf("runTasks: data() %d bytes, exact: %s, again the same: %s, copy independent: %s\n", $t->dataSize(),
        substr($d, 0, 40) === sha1($w) && substr($d, 40) === strrev($w) ? "yes" : "NO",
        $t->data() === $d ? "yes" : "NO", $d !== $d2 && $t->data() === $d ? "yes" : "NO");
});
$c->addTask($fn, $w);
var_dump($c->runTasks());
?>
--EXPECT--
  1048575 bytes: rc=0 worker got it exactly: yes, client got it back exactly: yes, copy independent: yes
  1048576 bytes: rc=0 worker got it exactly: yes, client got it back exactly: yes, copy independent: yes
  1048583 bytes: rc=0 worker got it exactly: yes, client got it back exactly: yes, copy independent: yes
 16777216 bytes: rc=0 worker got it exactly: yes, client got it back exactly: yes, copy independent: yes
 16777217 bytes: rc=0 worker got it exactly: yes, client got it back exactly: yes, copy independent: yes
runTasks: data() 16777256 bytes, exact: yes, again the same: yes, copy independent: yes
bool(true)
