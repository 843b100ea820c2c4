--TEST--
examples/multi_server.php: round robin over a live and a dead server with gearman.lazy_connect=1, counters printed
--DESCRIPTION--
gearman-rs only: runs the documented example of setServerSelection(), gearman.lazy_connect and stats().
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$dead = gt_dead_port();
$cmd = array_merge(gt_php_cmd(gt_ext(false)), ['-d', 'gearman.lazy_connect=1', __DIR__ . '/../examples/multi_server.php',
    gt_host() . ':' . gt_port() . ",127.0.0.1:$dead", '20', $fn]);
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
var_dump(proc_close($p));
var_dump(gt_status()[$fn][0] ?? 0);
?>
--EXPECTF--
20 of 20 background jobs submitted
jobs submitted 20, completed 0, failed 0, exceptions 0, retries 0, timeouts 0
bytes sent %d, received %d, reconnects 0
server                   state            connects failures   jobs  last error
127.0.0.1:%d          down for %fs           0 %w%d      0  gearman_connection_st::connect(GEARMAN_COULD_NOT_CONNECT) Connection to 127.0.0.1:%d failed
%s:%d          up                      1        0     20  -
int(0)
int(20)
