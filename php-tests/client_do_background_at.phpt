--TEST--
GearmanClient::doBackgroundAt: a job held by gearmand until a Unix time; handle and returnCode as doBackground; a past time runs now; a job due in 2 s reaches an idle worker in 2 s ± 1.5 s; bad times are ValueErrors
--DESCRIPTION--
gearman-rs only: pecl/gearman has no way to submit SUBMIT_JOB_EPOCH (procedural alias gearman_client_do_background_at).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$c = gt_client();

echo "-- validation\n";
foreach ([-1, PHP_INT_MAX, 253402300800] as $bad) {
    try { $c->doBackgroundAt($fn, "x", $bad); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
}
try { gearman_client_do_background_at($c, $fn, "x", -1); } catch (ValueError $e) { echo $e->getMessage(), "\n"; }
var_dump($c->doBackgroundAt("", "x", time()), $c->returnCode());
var_dump($c->doBackgroundAt($fn, "", time()), $c->returnCode());

echo "-- submission\n";
// An idle worker, already asleep (default poll interval), reports when it got each job.
$w = gt_spawn('
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$w->addFunction($ARGS["fn"], function (GearmanJob $j) { printf("%s %.3f %s\n", $j->workload(), microtime(true), $j->unique()); });
for ($i = 0; $i < 3; $i++) { $w->work(); }
');
var_dump(gt_wait_worker($fn, 1, 10.0, $w));
usleep(200000);

$t0 = microtime(true);
$h = $c->doBackgroundAt($fn, "past", time() - 3600);
var_dump($h, $c->returnCode(), $c->doJobHandle() === $h);
$h0 = gearman_client_do_background_at($c, $fn, "epoch-zero", 0, "uniq-" . getmypid());
var_dump($h0 !== $h);

$due = microtime(true) + 2.0;
$h2 = $c->doBackgroundAt($fn, "in-2s", (int)round($due));
var_dump($c->returnCode(), $c->doJobHandle() === $h2);
// Held by gearmand, not assigned yet.
var_dump($c->jobStatus($h2));

var_dump($w->wait(15));
$ran = [];
foreach (explode("\n", trim($w->output())) as $line) {
    [$what, $at, $uq] = explode(" ", $line);
    $ran[$what] = [(float)$at, $uq];
}
echo implode(",", array_keys($ran)), "\n";
var_dump($ran["past"][0] - $t0 < 1.5, $ran["epoch-zero"][1] === "uniq-" . getmypid());
$late = $ran["in-2s"][0] - $t0;
echo abs($late - 2.0) <= 1.5 ? "in-2s ran within 2 s +- 1.5 s\n" : "in-2s ran after $late s\n";
// Never before its second on gearmand's clock.
var_dump($ran["in-2s"][0] >= round($due) - 0.01);
?>
--EXPECTF--
-- validation
GearmanClient::doBackgroundAt(): Argument #3 ($timestamp) must be a Unix time between 0 and 253402300799
GearmanClient::doBackgroundAt(): Argument #3 ($timestamp) must be a Unix time between 0 and 253402300799
GearmanClient::doBackgroundAt(): Argument #3 ($timestamp) must be a Unix time between 0 and 253402300799
gearman_client_do_background_at(): Argument #4 ($timestamp) must be a Unix time between 0 and 253402300799

Warning: GearmanClient::doBackgroundAt(): _client_do_background(GEARMAN_INVALID_ARGUMENT) function argument was empty -> %s in %s on line %d
string(0) ""
int(49)

Warning: GearmanClient::doBackgroundAt(): add_task(GEARMAN_INVALID_ARGUMENT) invalid workload -> %s in %s on line %d
string(0) ""
int(49)
-- submission
bool(true)
string(%d) "H:%s:%d"
int(0)
bool(true)
bool(true)
int(0)
bool(true)
array(4) {
  [0]=>
  bool(true)
  [1]=>
  bool(false)
  [2]=>
  int(0)
  [3]=>
  int(0)
}
bool(true)
past,epoch-zero,in-2s
bool(true)
bool(true)
in-2s ran within 2 s +- 1.5 s
bool(true)
