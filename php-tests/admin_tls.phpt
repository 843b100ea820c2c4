--TEST--
GearmanAdmin::setSslOptions: the admin protocol over TLS (stunnel in front of gearmand, server auth and client certificates) gives what the plaintext port gives; TLS failures and a plaintext/TLS mismatch are GearmanExceptions within the timeout, never a hang or a plaintext fallback
--DESCRIPTION--
gearman-rs only: GearmanAdmin with the same TLS settings as GearmanClient::setSslOptions(). Real stunnel4, certificates made now with openssl.
--SKIPIF--
<?php require __DIR__ . '/_tls.inc'; gt_tls_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_tls.inc';
$st = gt_stunnel_start();
$p = $st['ports'];
$plain = new GearmanAdmin(gt_host(), gt_port(), 5000);
$pid = $plain->getPid();

echo "-- server authentication\n";
$a = new GearmanAdmin('127.0.0.1', $p['valid'], 5000);
var_dump($a->setSslOptions(gt_tls_opts()));
var_dump($a->getPid() === $pid, $a->version() === $plain->version());
$fn = gt_fn();
var_dump($a->createFunction($fn), isset($plain->status()[$fn]), isset($a->status()[$fn]));
var_dump(str_ends_with($a->command('workers'), "\n.\n"));

echo "-- client certificate\n";
$m = new GearmanAdmin('127.0.0.1', $p['mtls'], 5000);
var_dump($m->setSslOptions(gt_tls_client_cert_opts()), $m->getPid() === $pid);

echo "-- failures\n";
$try = function (string $label, int $port, ?array $tls, string $expect) {
    $a = new GearmanAdmin('127.0.0.1', $port, 2000);
    $t = microtime(true);
    try {
        if ($tls !== null) $a->setSslOptions($tls);
        $a->version();
        echo "$label: no error\n";
    } catch (GearmanException $e) {
        $dt = microtime(true) - $t;
        $ok = str_contains($e->getMessage(), $expect) && $dt < 2 + 2;
        echo "$label: ", $ok ? "GearmanException [{$e->getCode()}]" : "unexpected: [{$e->getCode()}] {$e->getMessage()} " . round($dt, 1) . " s", "\n";
    }
};
$try('unknown CA', $p['untrusted'], gt_tls_opts(), 'not issued by a trusted CA');
$try('wrong host', $p['wronghost'], gt_tls_opts(), 'host name mismatch');
$try('client certificate missing', $p['mtls'], gt_tls_opts(), 'client certificate');
$try('TLS to a plaintext gearmand', gt_port(), gt_tls_opts(), 'not a TLS endpoint');
$try('unreadable CA file', $p['valid'], ['cafile' => '/nonexistent/ca.pem'], '/nonexistent/ca.pem');
// Plaintext admin commands to a TLS port: stunnel drops the connection
// (or answers with a TLS alert); either way an error, not a hang.
$a = new GearmanAdmin('127.0.0.1', $p['valid'], 2000);
$t = microtime(true);
try { $a->version(); echo "plaintext to TLS: no error\n"; }
catch (GearmanException $e) { echo "plaintext to TLS: GearmanException", microtime(true) - $t < 4 ? "" : " (slow)", "\n"; }

echo "-- options\n";
foreach ([['nope' => 1], ['verify_peer' => 'yes']] as $bad) {
    try { (new GearmanAdmin())->setSslOptions($bad); } catch (Throwable $e) { echo get_class($e), ": ", $e->getMessage(), "\n"; }
}
gt_stunnel_stop($st);
?>
--EXPECTF--
-- server authentication
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
-- client certificate
bool(true)
bool(true)
-- failures
unknown CA: GearmanException [26]
wrong host: GearmanException [26]
client certificate missing: GearmanException [%d]
TLS to a plaintext gearmand: GearmanException [26]
unreadable CA file: GearmanException [49]
plaintext to TLS: GearmanException
-- options
ValueError: unknown SSL option "nope" (known: cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, allow_self_signed)
TypeError: SSL option "verify_peer" must be of type bool, string given
