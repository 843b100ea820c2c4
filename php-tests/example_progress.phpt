--TEST--
examples: progress_worker.php reports progress with sendData/sendStatus, progress_client.php prints it in order
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_examples.inc';
$worker = gt_example('progress_worker.php', [1]);   // exits after one job
var_dump(gt_wait_worker('count_words', 1, 10, $worker));
[$rc, $out, $err] = gt_run_example('progress_client.php');
echo "client exit $rc\n", $out, $err;
var_dump($worker->wait(10), $worker->exit);
echo $worker->output();
?>
--EXPECT--
bool(true)
client exit 0
data: line 1: 4 words
progress: 1/3 (33%)
data: line 2: 2 words
progress: 2/3 (66%)
data: line 3: 3 words
progress: 3/3 (100%)
result: 9 words
bool(true)
int(0)
