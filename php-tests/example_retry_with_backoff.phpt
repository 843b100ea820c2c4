--TEST--
examples: retry_with_backoff.php retries each failing job with backoff until flaky_worker.php succeeds
--DESCRIPTION--
gearman-rs only: setTaskFailedCallback()/GearmanTask::retry() are gearman-rs additions.
flaky_worker.php fails every job twice, so each of the three jobs needs two retries (100 ms, 200 ms).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); if (!method_exists('GearmanClient', 'setTaskFailedCallback')) die('skip gearman-rs only'); ?>
--FILE--
<?php
require __DIR__ . '/_examples.inc';
$worker = gt_example('flaky_worker.php', [9]);   // 3 jobs x 3 attempts, then exits
var_dump(gt_wait_worker('flaky', 1, 10, $worker));
[$rc, $out, $err] = gt_run_example('retry_with_backoff.php');
echo "client exit $rc\n";
$lines = explode("\n", trim($out));
sort($lines);
echo implode("\n", $lines), "\n";
// stderr: one line per failed attempt, "[H:i:s] job-x attempt N failed: worker reported failure"
$failures = preg_replace('/^\[\d\d:\d\d:\d\d\] /m', '', trim($err));
$failures = explode("\n", $failures);
sort($failures);
echo implode("\n", $failures), "\n";
var_dump($worker->wait(10), $worker->exit);
?>
--EXPECT--
bool(true)
client exit 0
job-a done after 2 retries: 0 daolyap
job-b done after 2 retries: 1 daolyap
job-c done after 2 retries: 2 daolyap
job-a attempt 1 failed: worker reported failure
job-a attempt 2 failed: worker reported failure
job-b attempt 1 failed: worker reported failure
job-b attempt 2 failed: worker reported failure
job-c attempt 1 failed: worker reported failure
job-c attempt 2 failed: worker reported failure
bool(true)
int(0)
