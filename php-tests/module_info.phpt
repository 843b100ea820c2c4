--TEST--
module: php --ri gearman table and ReflectionExtension identity
--DESCRIPTION--
gearman-rs fix: the phpinfo table has extra rows (implementation, built for PHP API, thread safety, build; module_info_build.phpt checks their values) and the extension has INI settings (gearman.max_packet_size, gearman.worker_poll_interval, gearman.server_selection,
gearman.lazy_connect, gearman.connect_timeout); the reference has neither. The class list ends with GearmanAdmin (a gearman-rs addition).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$e = new ReflectionExtension('gearman');
var_dump($e->getName(), $e->getVersion(), $e->getINIEntries(), $e->getDependencies());
var_dump($e->getClassNames());
$cmd = array_merge(gt_php_cmd(gt_ext(false)), ['--ri', 'gearman']);
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
echo stream_get_contents($pipes[1]), stream_get_contents($pipes[2]);
proc_close($p);
?>
--EXPECTF--
string(7) "gearman"
string(5) "2.1.0"
array(9) {
  ["gearman.max_packet_size"]=>
  string(2) "1G"
  ["gearman.worker_poll_interval"]=>
  string(4) "1000"
  ["gearman.server_selection"]=>
  string(5) "first"
  ["gearman.lazy_connect"]=>
  string(1) "0"
  ["gearman.connect_timeout"]=>
  string(4) "1000"
  ["gearman.ssl_cafile"]=>
  string(0) ""
  ["gearman.ssl_local_cert"]=>
  string(0) ""
  ["gearman.ssl_local_pk"]=>
  string(0) ""
  ["gearman.ssl_verify_peer"]=>
  string(1) "1"
}
array(0) {
}
array(6) {
  [0]=>
  string(13) "GearmanClient"
  [1]=>
  string(11) "GearmanTask"
  [2]=>
  string(13) "GearmanWorker"
  [3]=>
  string(10) "GearmanJob"
  [4]=>
  string(16) "GearmanException"
  [5]=>
  string(12) "GearmanAdmin"
}

gearman

gearman support => enabled
extension version => 2.1.0
libgearman version => 1.1.%s
Default TCP Host => localhost
Default TCP Port => 4730
implementation => gearman-rs %s (native Rust, no libgearman)
built for PHP API => %d
thread safety => %s
build => gearman-rs %s, commit %s
