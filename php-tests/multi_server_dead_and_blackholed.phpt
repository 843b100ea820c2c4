--TEST--
Multi-server: a refused or blackholed server is skipped for its back-off period (1,000 doBackground calls pay one connect timeout, not one per call, and a new client of the same process pays none); with every server down each call tries them all; a down server that comes back is used again
--DESCRIPTION--
gearman-rs fix: pecl/gearman tries a dead server again on every call, paying the connect timeout each time
(for a blackholed host: the whole timeout, and the call fails). gearman.connect_timeout is a gearman-rs setting.
The time bounds are hang checks with wide margins, not performance assertions.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (!is_executable('/usr/sbin/gearmand')) die('skip no gearmand'); ?>
--INI--
gearman.connect_timeout=500
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
[$g1, $p1] = gt_start_gearmand();
[$g2, $p2] = gt_start_gearmand();
$hole = gt_blackhole_port();

function run_calls(GearmanClient $c, string $fn, int $n): array
{
    $ok = 0;
    $t = microtime(true);
    for ($i = 0; $i < $n; $i++) {
        if ($c->doBackground($fn, "w$i") !== '' && $c->returnCode() === GEARMAN_SUCCESS) {
            $ok++;
        }
    }
    return [$ok, microtime(true) - $t];
}

// One of three servers blackholed, round robin: every third call would
// start there.
$c = new GearmanClient();
var_dump($c->addServers("127.0.0.1:$p1,127.0.0.1:$p2,127.0.0.1:$hole", false));
$c->setTimeout(5000);
$c->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN);
[$ok, $took] = run_calls($c, "{$fn}_bh", 1000);
echo "blackholed: $ok of 1000 ok\n";
// Paying the 0.5 s connect timeout on every third call would take ~170 s.
echo $took < 20 ? "bounded\n" : "took $took s\n";
echo "queued: ", gt_queued_on($p1, "{$fn}_bh") + gt_queued_on($p2, "{$fn}_bh"), "\n";
$hs = $c->stats()['servers'][0];
echo "hole: connects=", $hs['connects'], " failures>0=", var_export($hs['failures'] > 0, true),
    " last_error=", str_contains((string)$hs['last_error'], "Connection to 127.0.0.1:$hole failed") ? "connect failed" : $hs['last_error'], "\n";

// A new client in the same process (a PHP-FPM worker's next request)
// starts with what the first one learned: no connect timeout again.
unset($c);
$c = new GearmanClient();
$c->addServers("127.0.0.1:$p1,127.0.0.1:$p2,127.0.0.1:$hole", false);
$c->setTimeout(5000);
$c->setServerSelection(GEARMAN_SERVER_SELECTION_ROUND_ROBIN);
echo "new client sees the hole as: ", $c->stats()['servers'][0]['state'], "\n";
$slow = 0;
for ($i = 0; $i < 300; $i++) {
    $t = microtime(true);
    $c->doBackground("{$fn}_bh2", "w");
    $slow += (microtime(true) - $t > 0.4) ? 1 : 0;
}
echo "calls that waited for a connect: $slow\n";

// A refused server (nothing listening) under FIRST, listed first.
$dead = gt_dead_port();
$c2 = new GearmanClient();
$c2->addServer('127.0.0.1', $p1, false);
$c2->addServer('127.0.0.1', $dead, false);
$c2->setTimeout(5000);
[$ok] = run_calls($c2, "{$fn}_dead", 200);
$ds = $c2->stats()['servers'][0];
echo "refused: $ok of 200 ok, connect attempts on the dead server: ", $ds['failures'] < 20 ? "few" : $ds['failures'], ", state: ", $ds['state'], "\n";
var_dump(is_float($ds['down_until']) && $ds['down_until'] > microtime(true) - 1);

// Every server down: each call still tries them all (no bookkeeping
// shortcut), and a server that is back is used at once.
$d1 = gt_dead_port();
$d2 = gt_dead_port();
$c3 = new GearmanClient();
$c3->addServers("127.0.0.1:$d1,127.0.0.1:$d2", false);
$c3->setTimeout(5000);
for ($i = 0; $i < 3; $i++) {
    var_dump(@$c3->doBackground("{$fn}_down", "w"), $c3->returnCode() === GEARMAN_COULD_NOT_CONNECT);
}
$f = $c3->stats()['servers'];
echo "attempts: ", $f[0]['failures'], " ", $f[1]['failures'], "\n";
[$g3] = gt_start_gearmand($d1);
var_dump(strlen($c3->doBackground("{$fn}_down", "w")) > 0, $c3->returnCode(), gt_queued_on($d1, "{$fn}_down"));
foreach ([$g1, $g2, $g3] as $p) {
    gt_stop_gearmand($p);
}
?>
--EXPECT--
bool(true)
blackholed: 1000 of 1000 ok
bounded
queued: 1000
hole: connects=0 failures>0=true last_error=connect failed
new client sees the hole as: down
calls that waited for a connect: 0
refused: 200 of 200 ok, connect attempts on the dead server: few, state: down
bool(true)
string(0) ""
bool(true)
string(0) ""
bool(true)
string(0) ""
bool(true)
attempts: 3 3
bool(true)
int(0)
int(1)
