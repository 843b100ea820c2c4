--TEST--
examples/schedule.php: three reminders scheduled out of order run in time order, each within a second of its time
--DESCRIPTION--
gearman-rs only: runs the example as it is shipped, against the test gearmand.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$cmd = array_merge(gt_php_cmd(), [__DIR__ . '/../examples/schedule.php', gt_host(), (string)gt_port(), gt_fn()]);
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
echo "exit ", proc_close($p), "\n";
?>
--EXPECT--
scheduled the third reminder for now+3 s
scheduled the first reminder for now+1 s
scheduled the second reminder for now+2 s
first reminder ran within a second of its time
second reminder ran within a second of its time
third reminder ran within a second of its time
exit 0
