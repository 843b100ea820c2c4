--TEST--
Scheduled jobs: 5 jobs at now+1 ... now+5 s each run within a second of their time on one idle worker, and 5 more survive a crash and restart of a sqlite-backed gearmand (-q libsqlite3) and still run on time
--DESCRIPTION--
gearman-rs only: doBackgroundAt + the worker poll interval. Uses a private gearmand with a persistent sqlite queue, killed (SIGKILL, by pid) and restarted on the same port and database.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind (run-tests -m): the test measures start times to the second, valgrind slows the worker 10-30x'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$dir = sys_get_temp_dir() . '/gt_sqlite_' . getmypid();
@mkdir($dir);
$db = "$dir/queue.sqlite";
$args = ['--queue-type=libsqlite3', "--libsqlite3-db=$db"];
[$gm, $port] = gt_start_gearmand(0, $args);
$fn = gt_fn();
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer("127.0.0.1", $ARGS["port"], false);
$w->addFunction($ARGS["fn"], function (GearmanJob $j) { printf("%s %.3f\n", $j->workload(), microtime(true)); });
$w->setTimeout(30000);
$done = 0;
while ($done < 10) {
    if (@$w->work()) { $done++; continue; }
    usleep(50000); // gearmand is down: the next work() reconnects
}
', ['fn' => $fn, 'port' => $port]);
for ($i = 0; $i < 200 && (gt_status_of($port)[$fn][2] ?? 0) < 1; $i++) usleep(50000);
usleep(200000);

/** Waits for $n lines of worker output; returns [workload => time]. */
$ran = function (int $n) use ($w): array {
    $out = [];
    for ($i = 0; $i < 300 && count($out) < $n; $i++) {
        usleep(50000);
        $out = [];
        foreach (explode("\n", $w->output()) as $line) {
            $f = explode(" ", $line);
            if (count($f) === 2) $out[$f[0]] = (float)$f[1];
            elseif ($line !== '') echo "worker: $line\n";
        }
    }
    return $out;
};
$check = function (array $ran, array $due) {
    foreach ($due as $what => $t) {
        if (!isset($ran[$what])) { echo "$what did not run\n"; continue; }
        $late = $ran[$what] - $t;
        echo $what, $late >= -0.01 && $late <= 1.0 ? " ran within a second of its time\n" : " ran $late s from its time\n";
    }
};

$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(10000);

echo "-- five jobs at now+1 ... now+5\n";
$base = time();
$due = [];
for ($k = 1; $k <= 5; $k++) {
    $due["a$k"] = $base + $k;
    $c->doBackgroundAt($fn, "a$k", $base + $k);
}
$check($ran(5), $due);

echo "-- five more, then gearmand crashes and restarts on the same database\n";
$base = time();
$due = [];
for ($k = 3; $k <= 7; $k++) {
    $due["b$k"] = $base + $k;
    $c->doBackgroundAt($fn, "b$k", $base + $k);
}
var_dump(gt_status_of($port)[$fn]);
gt_stop_gearmand($gm);
[$gm] = gt_start_gearmand($port, $args);
// Replayed from sqlite (the first is due 3 s after submission).
var_dump(gt_status_of($port)[$fn][0] ?? 0);
$check(array_intersect_key($ran(10), $due), $due);
var_dump($w->wait(10));
gt_stop_gearmand($gm);
@unlink($db);
@rmdir($dir);
?>
--EXPECT--
-- five jobs at now+1 ... now+5
a1 ran within a second of its time
a2 ran within a second of its time
a3 ran within a second of its time
a4 ran within a second of its time
a5 ran within a second of its time
-- five more, then gearmand crashes and restarts on the same database
array(3) {
  [0]=>
  int(5)
  [1]=>
  int(0)
  [2]=>
  int(1)
}
int(5)
b3 ran within a second of its time
b4 ran within a second of its time
b5 ran within a second of its time
b6 ran within a second of its time
b7 ran within a second of its time
bool(true)
