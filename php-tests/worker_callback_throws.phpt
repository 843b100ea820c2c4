--TEST--
GearmanWorker: an exception thrown in the callback propagates out of work(); the client gets WORK_EXCEPTION
--DESCRIPTION--
gearman-rs fix: the reference sends WORK_EXCEPTION with the fixed text "Unable to add worker
function" when the callback throws; gearman-rs sends the exception message itself ("it broke").
Everything else (exception propagates out of work(), client rc 23) is as on the reference.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$client = gt_spawn('
$c = gt_client();
$c->setExceptionCallback(function (GearmanTask $t) { echo "client exception callback: ", $t->data(), "\n"; });
$c->addTask($ARGS["fn"], "x");
var_dump($c->runTasks());
var_dump($c->doNormal($ARGS["fn"], "y"), $c->returnCode());
', ['fn' => $fn]);
for ($i = 0; $i < 2; $i++) {
    $w = gt_worker();
    $w->addFunction($fn, function (GearmanJob $job) {
        throw new RuntimeException("it broke");
    });
    try {
        var_dump($w->work());
    } catch (RuntimeException $e) {
        echo "work() threw ", get_class($e), ": ", $e->getMessage(), " rc=", $w->returnCode(), "\n";
    }
    unset($w);
}
var_dump($client->wait(10));
echo $client->output();
?>
--EXPECTF--
work() threw RuntimeException: it broke rc=23
work() threw RuntimeException: it broke rc=23
bool(true)
client exception callback: it broke
bool(true)
string(0) ""
int(23)
