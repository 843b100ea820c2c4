--TEST--
gearman.server_selection INI setting: default strategy of new clients (first / round_robin / random / number); setServerSelection() validates its argument
--DESCRIPTION--
gearman-rs only: the INI setting, setServerSelection()/serverSelection() and their procedural aliases.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--INI--
gearman.server_selection=round_robin
--FILE--
<?php
var_dump((new GearmanClient())->serverSelection() === GEARMAN_SERVER_SELECTION_ROUND_ROBIN);
foreach (['random', '1', 'FIRST', 'bogus'] as $v) {
    ini_set('gearman.server_selection', $v);
    $c = new GearmanClient();
    echo "$v => ", gearman_client_server_selection($c), "\n";
}
$c = new GearmanClient();
var_dump(gearman_client_set_server_selection($c, GEARMAN_SERVER_SELECTION_RANDOM), $c->serverSelection());
try {
    $c->setServerSelection(3);
} catch (ValueError $e) {
    echo get_class($e), ": ", $e->getMessage(), "\n";
}
var_dump($c->serverSelection());
?>
--EXPECT--
bool(true)
random => 2
1 => 1
FIRST => 0
bogus => 0
bool(true)
int(2)
ValueError: GearmanClient::setServerSelection(): Argument #1 ($strategy) must be one of GEARMAN_SERVER_SELECTION_FIRST, GEARMAN_SERVER_SELECTION_ROUND_ROBIN or GEARMAN_SERVER_SELECTION_RANDOM
int(2)
