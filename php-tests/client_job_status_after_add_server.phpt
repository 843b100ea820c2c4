--TEST--
jobStatus: a handle made while the client had one server is still asked of that server after addServer() puts another in front, until 1,024 newer handles push it out
--DESCRIPTION--
gearman-rs fix: pecl/gearman asks the first reachable server (the newest added), which does not know
the handle (README, "server choice with several servers"). This pins that the client remembers the
creating server of its recent handles even while it has only one server, where that seems useless.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
[$ga, $a] = gt_start_gearmand();
[$gb, $b] = gt_start_gearmand();
// Both gearmands number their handles H:<host>:1, 2, ...: A's handle for
// the job below must not be one that B also hands out in this test.
$pre = new GearmanClient();
$pre->addServer('127.0.0.1', $a);
for ($i = 0; $i < 1100; $i++) {
    $pre->doBackground("{$fn}_pre", 'p');
}
$c = new GearmanClient();
$c->setTimeout(10000);
$c->addServer('127.0.0.1', $a);
$h = $c->doBackground($fn, 'x');
echo "queued on A: ", gt_queued_on($a, $fn), "\n";
$c->addServer('127.0.0.1', $b);
echo "after addServer(B): ", json_encode($c->jobStatus($h)), "\n";
// B, now first, does not know it: a client without the memory asks B.
$other = new GearmanClient();
$other->setTimeout(10000);
$other->addServer('127.0.0.1', $a);
$other->addServer('127.0.0.1', $b);
echo "another client: ", json_encode($other->jobStatus($h)), "\n";
for ($i = 0; $i < 1023; $i++) {
    if ($c->doBackground("{$fn}_b", 'y') === '') {
        // (pecl/gearman: every call after the status requests times out.)
        echo "doBackground $i failed: rc ", $c->returnCode(), "\n";
        break;
    }
}
echo "1,023 newer handles: ", json_encode($c->jobStatus($h)), "\n";
$c->doBackground("{$fn}_b", 'y');
echo "1,024 newer handles: ", json_encode($c->jobStatus($h)), "\n";
echo "queued on B: ", gt_queued_on($b, "{$fn}_b"), "\n";
gt_stop_gearmand($ga);
gt_stop_gearmand($gb);
?>
--EXPECT--
queued on A: 1
after addServer(B): [true,false,0,0]
another client: [false,false,0,0]
1,023 newer handles: [true,false,0,0]
1,024 newer handles: [false,false,0,0]
queued on B: 1024
