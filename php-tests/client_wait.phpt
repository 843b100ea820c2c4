--TEST--
GearmanClient: wait() without pending I/O (rc 7 warning)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = gt_client();
var_dump($c->wait(), $c->returnCode());
$c2 = new GearmanClient();
var_dump(gearman_client_wait($c2), $c2->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::wait(): gearman_wait(GEARMAN_NO_ACTIVE_FDS) no active file descriptors -> %s:%d: pid(%d) in %s on line 4
bool(false)
int(7)

Warning: gearman_client_wait(): gearman_wait(GEARMAN_NO_ACTIVE_FDS) no active file descriptors -> %s:%d: pid(%d) in %s on line 6
bool(false)
int(7)
