--TEST--
GearmanClient: set*Callback with a non-callable
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$c = new GearmanClient();
foreach (['setWorkloadCallback', 'setCreatedCallback', 'setDataCallback', 'setWarningCallback', 'setStatusCallback', 'setCompleteCallback', 'setFailCallback'] as $m) {
    try {
        var_dump($c->$m('no_such_function_xyz'));
    } catch (TypeError $e) {
        echo "$m: TypeError: ", $e->getMessage(), "\n";
    }
}
try {
    var_dump(gearman_client_set_complete_callback($c, [1, 2]));
} catch (TypeError $e) {
    echo "TypeError: ", $e->getMessage(), "\n";
}
var_dump($c->setCompleteCallback('strlen'), $c->setCompleteCallback('GearmanClient::returnCode'), $c->setDataCallback([$c, 'returnCode']), $c->clearCallbacks());
var_dump($c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::setWorkloadCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setCreatedCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setDataCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setWarningCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setStatusCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setCompleteCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: GearmanClient::setFailCallback(): function no_such_function_xyz is not callable in %s on line 6
bool(false)

Warning: gearman_client_set_complete_callback(): function Array is not callable in %s on line 12
bool(false)

Warning: GearmanClient::setCompleteCallback(): function GearmanClient::returnCode is not callable in %s on line 16
bool(true)
bool(false)
bool(true)
bool(true)
int(0)
