--TEST--
GearmanAdmin against a real gearmand with known queues and workers: status, priorityStatus, workers, showJobs, showUniqueJobs, version, getPid (values exact); status() and workers() equal gearadmin --status / --workers for the same server
--DESCRIPTION--
gearman-rs only: GearmanAdmin. Uses a private gearmand so that no other test's functions or connections show up.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!is_executable('/usr/bin/gearadmin')) die('skip no gearadmin (gearman-tools)'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
[$gm, $port] = gt_start_gearmand();
$admin = new GearmanAdmin('127.0.0.1', $port, 5000);
var_dump($admin->status(), $admin->showJobs());

// Queues: two functions, all three priorities, unique keys.
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->doHighBackground('adm_a', '1', 'u-high');
$c->doBackground('adm_a', '2', 'u-normal');
$c->doLowBackground('adm_a', '3', 'u-low1');
$c->doLowBackground('adm_a', '4', 'u-low2');
$c->doBackground('adm_b', '5', 'u-b');
$c->doBackgroundAt('adm_b', '6', time() + 3600, 'u-later');
// A worker with an id, registered for adm_c and twice for adm_b, that
// holds adm_b's job (running) until told to finish.
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer("127.0.0.1", $ARGS["port"], false);
$w->setId("adm-worker");
$w->addFunction("adm_c", fn () => "c");
$w->register("adm_b");
$w->addFunction("adm_b", function () { echo "running\n"; while (!file_exists($GLOBALS["ARGS"]["flag"])) usleep(20000); return "b"; });
$w->work();
', ['port' => $port, 'flag' => $flag = sys_get_temp_dir() . '/gt_adm_flag_' . getmypid()]);
for ($i = 0; $i < 200 && strpos($w->output(), "running") === false; $i++) usleep(50000);

$status = $admin->status();
ksort($status);
var_dump($status);
$prio = $admin->priorityStatus();
ksort($prio);
echo json_encode($prio), "\n";
$rows = $admin->workers();
$mine = array_values(array_filter($rows, fn ($r) => $r['id'] === 'adm-worker'));
var_dump(count($mine), $mine[0]['ip'], $mine[0]['functions'], is_int($mine[0]['fd']));
// The client and this admin connection, without id or functions.
var_dump(count(array_filter($rows, fn ($r) => $r['id'] === '-' && $r['functions'] === [])));
$jobs = $admin->showJobs();
var_dump(count($jobs), array_unique(array_map(fn ($j) => json_encode([$j['retries'], $j['ignore'], $j['queued']]), $jobs)));
$uniques = array_column($admin->showUniqueJobs(), 'unique');
sort($uniques);
echo implode(' ', $uniques), "\n";
$pid = $admin->getPid();
// The version the gearmand binary itself reports (1.1.20+ds on Debian 12, other
// releases in the PHP version matrix's chroot).
$binary_version = explode(' ', trim(shell_exec('/usr/sbin/gearmand --version')))[1];
var_dump($pid === proc_get_status($gm)['pid'], $admin->version() === $binary_version);

echo "-- gearadmin, same server, same moment\n";
$ga = fn (string $opt) => shell_exec("gearadmin -h 127.0.0.1 -p $port $opt");
$theirs = array_filter(explode("\n", $ga('--status')), fn ($l) => $l !== '' && $l !== '.');
$ours = [];
foreach ($admin->status() as $fn => $s) $ours[] = "$fn\t{$s['queued']}\t{$s['running']}\t{$s['workers']}";
sort($theirs); sort($ours);
var_dump($theirs === $ours);
var_dump(trim($ga('--server-version')) === $admin->version(), (int)trim($ga('--getpid')) === $pid);
// workers: gearadmin's listing has one more anonymous row, its own
// connection (ours stays open); every row of ours is in theirs.
$theirs = array_filter(explode("\n", $ga('--workers')), fn ($l) => $l !== '' && $l !== '.');
$ours = [];
foreach ($admin->workers() as $r) $ours[] = rtrim("{$r['fd']} {$r['ip']} {$r['id']} : " . implode(' ', $r['functions']));
var_dump(count($theirs) === count($ours) + 1, array_values(array_diff($ours, $theirs)));

touch($flag);
var_dump($w->wait(10));
unlink($flag);
$s = $admin->status();
var_dump($s['adm_b']);
gt_stop_gearmand($gm);
?>
--EXPECT--
array(0) {
}
array(0) {
}
array(3) {
  ["adm_a"]=>
  array(3) {
    ["queued"]=>
    int(4)
    ["running"]=>
    int(0)
    ["workers"]=>
    int(0)
  }
  ["adm_b"]=>
  array(3) {
    ["queued"]=>
    int(2)
    ["running"]=>
    int(1)
    ["workers"]=>
    int(2)
  }
  ["adm_c"]=>
  array(3) {
    ["queued"]=>
    int(0)
    ["running"]=>
    int(0)
    ["workers"]=>
    int(1)
  }
}
{"adm_a":{"high":1,"normal":1,"low":2,"workers":0},"adm_b":{"high":0,"normal":1,"low":0,"workers":2},"adm_c":{"high":0,"normal":0,"low":0,"workers":1}}
int(1)
string(9) "127.0.0.1"
array(3) {
  [0]=>
  string(5) "adm_c"
  [1]=>
  string(5) "adm_b"
  [2]=>
  string(5) "adm_b"
}
bool(true)
int(2)
int(6)
array(1) {
  [0]=>
  string(14) "[0,false,true]"
}
u-b u-high u-later u-low1 u-low2 u-normal
bool(true)
bool(true)
-- gearadmin, same server, same moment
bool(true)
bool(true)
bool(true)
bool(true)
array(0) {
}
bool(true)
array(3) {
  ["queued"]=>
  int(1)
  ["running"]=>
  int(0)
  ["workers"]=>
  int(0)
}
