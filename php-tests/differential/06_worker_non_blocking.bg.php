<?php
// Client for 06.
require __DIR__ . '/../_helper.inc';
$c = new GearmanClient();
$c->addServer(gt_host(), gt_port());
$c->setTimeout(30000);
foreach (["abc", "def", "ghi"] as $x) {
    echo $c->doNormal(gt_fn('nb'), $x), " rc=", $c->returnCode(), "\n";
}
