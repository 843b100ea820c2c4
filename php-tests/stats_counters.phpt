--TEST--
GearmanClient::stats() and GearmanWorker::stats(): counters equal the operations performed (jobs, outcomes, retries, timeouts, bytes, per server)
--DESCRIPTION--
gearman-rs only: stats() does not exist in pecl/gearman.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$worker = gt_spawn('
$w = new GearmanWorker();
$w->addServer(gt_host(), gt_port());
$calls = 0;
$w->addFunction($ARGS["fn"], function (GearmanJob $job) use (&$calls) {
    $calls++;
    switch ($job->workload()) {
        case "fail": $job->sendFail(); return null;
        case "exception": $job->sendException("boom"); return null;
    }
    return strtoupper($job->workload());
});
while ($calls < 7) { @$w->work(); }
$w->setTimeout(100);
var_dump(@$w->work(), $w->returnCode() === GEARMAN_TIMEOUT);
echo json_encode($w->stats()), "\n";
');
gt_wait_worker($fn, 1, 10.0, $worker);

$c = gt_client();
$before = $c->stats();
echo "fresh: ", $before['jobs_submitted'], " ", $before['servers'][0]['state'] === 'up' ? 'up' : $before['servers'][0]['state'], "\n";
foreach (["a", "b", "c", "fail", "exception"] as $w) {
    $c->doNormal($fn, $w);
}
$c->doBackground("{$fn}_nobody", "x");
$s0 = $c->stats();
$c->doBackground("{$fn}_nobody", str_repeat("p", 100000));
$s1 = $c->stats();
$sent = $s1['bytes_sent'] - $s0['bytes_sent'];
// SUBMIT_JOB_BG: 12-byte header, function, NUL, 36-byte unique, NUL, workload.
echo "bytes for one 100,000-byte workload: ", $sent === 12 + strlen("{$fn}_nobody") + 1 + 36 + 1 + 100000 ? "exact" : $sent, "\n";
$c->setTimeout(300);
var_dump(@$c->doNormal("{$fn}_nobody", "t"), $c->returnCode() === GEARMAN_TIMEOUT);
$c->setTimeout(10000);
$c->setTaskFailedCallback(function (GearmanTask $t) {
    if ($t->retryCount() < 1) $t->retry(0);
});
var_dump($c->doNormal($fn, "fail"), $c->returnCode());

$s = $c->stats();
unset($s['servers'][0]['bytes_sent'], $s['servers'][0]['bytes_received']);
foreach (['bytes_sent', 'bytes_received'] as $k) {
    echo $k, " > 0 and equal to the server's: ", var_export($s[$k] > 0 && $s[$k] === $c->stats()['servers'][0][$k], true), "\n";
    unset($s[$k]);
}
var_dump($s);

var_dump($worker->wait(10));
$out = explode("\n", trim($worker->output()));
$ws = json_decode(end($out), true);
echo implode("\n", array_slice($out, 0, -1)), "\n";
echo "worker bytes > 0: ", var_export($ws['bytes_sent'] > 0 && $ws['bytes_received'] > 0, true), "\n";
unset($ws['bytes_sent'], $ws['bytes_received'], $ws['servers'][0]['bytes_sent'], $ws['servers'][0]['bytes_received']);
echo json_encode($ws), "\n";
?>
--EXPECTF--
fresh: 0 up
bytes for one 100,000-byte workload: exact
string(0) ""
bool(true)
string(0) ""
int(24)
bytes_sent > 0 and equal to the server's: true
bytes_received > 0 and equal to the server's: true
array(8) {
  ["jobs_submitted"]=>
  int(10)
  ["jobs_completed"]=>
  int(3)
  ["jobs_failed"]=>
  int(2)
  ["jobs_exceptions"]=>
  int(1)
  ["retries"]=>
  int(1)
  ["timeouts"]=>
  int(1)
  ["reconnects"]=>
  int(0)
  ["servers"]=>
  array(1) {
    [0]=>
    array(7) {
      ["address"]=>
      string(%d) "%s:%d"
      ["state"]=>
      string(2) "up"
      ["down_until"]=>
      NULL
      ["connects"]=>
      int(1)
      ["failures"]=>
      int(0)
      ["jobs"]=>
      int(10)
      ["last_error"]=>
      NULL
    }
  }
}
bool(true)
bool(false)
bool(true)
worker bytes > 0: true
{"jobs_received":7,"jobs_completed":3,"jobs_failed":3,"jobs_exceptions":1,"retries":0,"timeouts":1,"reconnects":0,"servers":[{"address":"%s:%d","state":"up","down_until":null,"connects":1,"failures":0,"jobs":7,"last_error":null}]}
