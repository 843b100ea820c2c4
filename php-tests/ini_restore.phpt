--TEST--
ini settings: ini_restore() puts every gearman.* setting back after ini_set() (gearman-rs only: pecl/gearman has no ini settings)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
$changes = [
    'gearman.max_packet_size' => '2M',
    'gearman.worker_poll_interval' => '250',
    'gearman.server_selection' => 'round_robin',
    'gearman.lazy_connect' => '1',
    'gearman.connect_timeout' => '50',
    'gearman.ssl_cafile' => '/nonexistent/ca.pem',
    'gearman.ssl_local_cert' => '/nonexistent/cert.pem',
    'gearman.ssl_local_pk' => '/nonexistent/key.pem',
    'gearman.ssl_verify_peer' => '0',
];
foreach ($changes as $name => $value) {
    $before = ini_get($name);
    $old = ini_set($name, $value);
    $during = ini_get($name);
    ini_restore($name);
    $after = ini_get($name);
    printf("%s: %s\n", $name, ($old === $before && $during === $value && $after === $before) ? 'restored' : "before=$before during=$during after=$after");
}
?>
--EXPECT--
gearman.max_packet_size: restored
gearman.worker_poll_interval: restored
gearman.server_selection: restored
gearman.lazy_connect: restored
gearman.connect_timeout: restored
gearman.ssl_cafile: restored
gearman.ssl_local_cert: restored
gearman.ssl_local_pk: restored
gearman.ssl_verify_peer: restored
