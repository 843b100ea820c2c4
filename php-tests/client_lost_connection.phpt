--TEST--
GearmanClient: server closes the connection mid-job (rc 14 LOST_CONNECTION)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
// a fake job server: accepts, reads the request, closes
$portFile = sys_get_temp_dir() . "/gt_fake_" . getmypid();
@unlink($portFile);
$srv = gt_spawn('
$s = stream_socket_server("tcp://127.0.0.1:0");
$n = stream_socket_get_name($s, false);
file_put_contents($ARGS["pf"] . ".tmp", substr(strrchr($n, ":"), 1));
rename($ARGS["pf"] . ".tmp", $ARGS["pf"]);
for ($i = 0; $i < 3; $i++) {
    $c = stream_socket_accept($s, 20);
    if (!$c) break;
    fread($c, 12);
    usleep(100000);
    fclose($c);
}
', ['pf' => $portFile]);
for ($i = 0; $i < 500 && !file_exists($portFile); $i++) usleep(10000);
$port = (int)file_get_contents($portFile);
unlink($portFile);
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(5000);
var_dump($c->doNormal("f", "x"), $c->returnCode(), $c->returnCode() == GEARMAN_LOST_CONNECTION);
var_dump($c->doBackground("f", "x"), $c->returnCode());
$c->addTask("f", "y");
var_dump($c->runTasks(), $c->returnCode());
?>
--EXPECTF--

Warning: GearmanClient::doNormal(): %s(GEARMAN_LOST_CONNECTION) lost connection to server (EOF) -> %s:%d: pid(%d) in %s on line 25
string(0) ""
int(14)
bool(true)

Warning: GearmanClient::doBackground(): %s(GEARMAN_LOST_CONNECTION) lost connection to server (EOF) -> %s:%d: pid(%d) in %s on line 26
string(0) ""
int(14)

Warning: GearmanClient::runTasks(): %s(GEARMAN_LOST_CONNECTION) lost connection to server (EOF) -> %s:%d: pid(%d) in %s on line 28
bool(false)
int(14)
