<?php
// Client for 05: three background jobs, then wait until they are gone.
require __DIR__ . '/../_helper.inc';
$c = new GearmanClient();
$c->addServer(gt_host(), gt_port());
$c->setTimeout(30000);
$handles = [];
foreach (["one", "two", "three"] as $x) {
    $handles[] = $c->doBackground(gt_fn('g'), $x, "u-$x");
}
$end = microtime(true) + 30;
foreach ($handles as $h) {
    while ($c->jobStatus($h)[0] && microtime(true) < $end) {
        usleep(20000);
    }
}
echo "all done: ", json_encode(array_map(fn ($h) => $c->jobStatus($h), $handles)), "\n";
