--TEST--
Reliability: binary workloads and results with NULs, from 1 byte to 64 MiB, round-trip exactly; an empty result too
--DESCRIPTION--
(An empty *workload* is rejected with rc 49 as by pecl/gearman, see client_do_validation.)
--INI--
memory_limit=-1
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
gt_start_worker($fn, 'ini_set("memory_limit", "-1"); return $job->workload() === "empty please" ? "" : strrev($job->workload());');
$c = gt_client(60000);
foreach ([1, 2, 1000, 65536, 1 << 20, 16 << 20, 64 << 20] as $size) {
    $w = substr(str_repeat("\0\1a\xff", ($size >> 2) + 1), 0, $size);
    $r = $c->doNormal($fn, $w);
    printf("%9d bytes: rc=%d exact=%s\n", $size, $c->returnCode(), $r === strrev($w) ? "yes" : "NO (got " . strlen($r) . ")");
    unset($w, $r);
}
var_dump($c->doNormal($fn, "empty please"), $c->returnCode());
?>
--EXPECT--
        1 bytes: rc=0 exact=yes
        2 bytes: rc=0 exact=yes
     1000 bytes: rc=0 exact=yes
    65536 bytes: rc=0 exact=yes
  1048576 bytes: rc=0 exact=yes
 16777216 bytes: rc=0 exact=yes
 67108864 bytes: rc=0 exact=yes
string(0) ""
int(0)
