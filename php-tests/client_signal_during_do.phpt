--TEST--
GearmanClient: a pcntl signal handler runs while doNormal() blocks, and the call still returns the job's result
--DESCRIPTION--
gearman-rs fix: libgearman restarts poll() on EINTR, so with pecl/gearman the handler only runs after
the call returns.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!function_exists('pcntl_signal')) die('skip pcntl'); if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind (run-tests -m): valgrind defers signal delivery in blocked syscalls'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
gt_start_worker($fn, 'usleep(800000); return "slow result";');
$c = gt_client();
$events = [];
pcntl_signal(SIGUSR1, function () use (&$events) { $events[] = "handler ran"; });
exec("(sleep 0.2; kill -USR1 " . getmypid() . ") > /dev/null 2>&1 &");
$r = $c->doNormal($fn, "x");
$events[] = "doNormal returned: $r (rc " . $c->returnCode() . ")";
echo implode("\n", $events), "\n";
?>
--EXPECT--
handler ran
doNormal returned: slow result (rc 0)
