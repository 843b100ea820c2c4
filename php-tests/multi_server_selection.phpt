--TEST--
Multi-server: ROUND_ROBIN and RANDOM spread 3,000 doBackground calls over 3 gearmands within 15%; FIRST keeps pecl's order; unique keys still coalesce; jobStatus asks the server that made the handle
--DESCRIPTION--
gearman-rs only: setServerSelection() and the GEARMAN_SERVER_SELECTION_* constants do not exist in pecl/gearman
(it sends everything to the first reachable server).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$g = [];
$ports = [];
for ($i = 0; $i < 3; $i++) {
    [$g[$i], $ports[$i]] = gt_start_gearmand();
}
$c = new GearmanClient();
// addServers puts each item in front: the last one listed is "first".
var_dump($c->addServers(implode(',', array_map(fn($p) => "127.0.0.1:$p", $ports))));
$c->setTimeout(10000);

function spread(GearmanClient $c, array $ports, string $fn, int $n): array
{
    for ($i = 0; $i < $n; $i++) {
        if ($c->doBackground($fn, "w$i") === '' || $c->returnCode() !== GEARMAN_SUCCESS) {
            echo "call $i failed: ", $c->error(), "\n";
            break;
        }
    }
    return array_map(fn($p) => gt_queued_on($p, $fn), $ports);
}

function within(array $counts, int $total): string
{
    $even = $total / count($counts);
    foreach ($counts as $k) {
        if (abs($k - $even) > 0.15 * $even) {
            return "NOT within 15%: " . implode(' ', $counts);
        }
    }
    return array_sum($counts) === $total ? "within 15%" : "lost jobs: " . implode(' ', $counts);
}

var_dump($c->serverSelection() === GEARMAN_SERVER_SELECTION_FIRST);
$first = spread($c, $ports, "{$fn}_first", 300);
echo "first: ", implode(' ', $first), "\n";

var_dump($c->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN));
$rr = spread($c, $ports, "{$fn}_rr", 3000);
echo "round robin: ", within($rr, 3000), "\n";

var_dump($c->setServerSelection(GEARMAN_SERVER_SELECTION_RANDOM));
$rnd = spread($c, $ports, "{$fn}_rand", 3000);
echo "random: ", within($rnd, 3000), "\n";

// Unique keys: each key twice, round robin would put the copies on
// different servers; hash(unique) keeps them together so gearmand coalesces.
$c->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN);
for ($round = 0; $round < 2; $round++) {
    for ($k = 0; $k < 30; $k++) {
        $c->doBackground("{$fn}_u", "w", "key-$k");
    }
}
$u = array_map(fn($p) => gt_queued_on($p, "{$fn}_u"), $ports);
echo "unique: ", array_sum($u), " jobs for 30 keys, on ", count(array_filter($u)), " servers\n";

// jobStatus goes to the server that created the handle.
$known = 0;
for ($i = 0; $i < 6; $i++) {
    $h = $c->doBackground("{$fn}_st", "w$i");
    $known += $c->jobStatus($h)[0] ? 1 : 0;
}
echo "jobStatus known: $known of 6\n";
// So does addTaskStatus (a random start would mostly miss).
$c->setServerSelection(GEARMAN_SERVER_SELECTION_RANDOM);
$handles = [];
for ($i = 0; $i < 6; $i++) {
    $handles[] = $c->doBackground("{$fn}_st", "v$i");
}
$known = 0;
$c->setStatusCallback(function (GearmanTask $t) use (&$known) { $known += $t->isKnown() ? 1 : 0; });
foreach ($handles as $h) {
    $c->addTaskStatus($h);
}
$c->runTasks();
echo "addTaskStatus known: $known of 6\n";

$s = $c->stats();
echo "submitted: ", $s['jobs_submitted'], "\n";
foreach ($s['servers'] as $srv) {
    echo $srv['state'], " connects=", $srv['connects'], " failures=", $srv['failures'], " jobs=", $srv['jobs'], "\n";
}
foreach ($g as $p) {
    gt_stop_gearmand($p);
}
?>
--EXPECTF--
bool(true)
bool(true)
first: 0 0 300
bool(true)
round robin: within 15%
bool(true)
random: within 15%
unique: 30 jobs for 30 keys, on 3 servers
jobStatus known: 6 of 6
addTaskStatus known: 6 of 6
submitted: 6372
up connects=1 failures=0 jobs=%d
up connects=1 failures=0 jobs=%d
up connects=1 failures=0 jobs=%d
