--TEST--
TLS: setSslOptions() keys, types and files; the SSL option bits; ini defaults; verification switches
--DESCRIPTION--
gearman-rs only: setSslOptions()/gearman_*_set_ssl_options() with PHP's stream-context key names,
GEARMAN_CLIENT_SSL (256) and GEARMAN_WORKER_SSL (1024), gearman.ssl_* ini defaults.
Bad keys or types throw naming the key; unusable files return false with the reason.
--SKIPIF--
<?php require __DIR__ . '/_tls.inc'; gt_tls_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_tls.inc';
$st = gt_stunnel_start();
$p = $st['ports'];
$d = $st['dir'];
$fn = gt_fn();
$worker = gt_start_worker($fn, 'return "ok:" . $job->workload();');

var_dump(GEARMAN_CLIENT_SSL, GEARMAN_WORKER_SSL);

echo "-- bad input\n";
$c = new GearmanClient();
foreach ([['nope' => 1], [0 => 'x'], ['cafile' => 1], ['verify_peer' => 'yes'], ['passphrase' => 'secret'],
          ['allow_self_signed' => null]] as $bad) {
    try {
        $c->setSslOptions($bad);
        echo "no exception\n";
    } catch (Throwable $e) {
        echo get_class($e), ": ", $e->getMessage(), "\n";
    }
}
try { gearman_worker_set_ssl_options(new GearmanWorker(), ['capath' => []]); } catch (TypeError $e) { echo $e->getMessage(), "\n"; }
var_dump($c->options() & GEARMAN_CLIENT_SSL);

echo "-- unusable files: false, warning, error(), and still no plaintext\n";
var_dump($c->setSslOptions(['cafile' => "$d/missing.pem"]));
var_dump($c->returnCode() !== GEARMAN_SUCCESS, str_contains($c->error(), 'missing.pem'));
var_dump(($c->options() & GEARMAN_CLIENT_SSL) === GEARMAN_CLIENT_SSL);
$c->addServer('127.0.0.1', gt_port(), false);
var_dump(@$c->doNormal($fn, "x"), $c->returnCode() === GEARMAN_COULD_NOT_CONNECT, str_contains($c->error(), 'missing.pem'));
var_dump(@(new GearmanClient())->setSslOptions(gt_tls_opts(['local_cert' => "$d/client.pem", 'local_pk' => "$d/client-encrypted.key"])));
var_dump(@(new GearmanWorker())->setSslOptions(['local_pk' => "$d/client.key"]));

echo "-- the SSL bit cannot be removed\n";
$c = new GearmanClient();
$c->setSslOptions(gt_tls_opts());
$c->removeOptions(GEARMAN_CLIENT_SSL);
$c->setOptions(GEARMAN_CLIENT_NON_BLOCKING);
var_dump(($c->options() & GEARMAN_CLIENT_SSL) === GEARMAN_CLIENT_SSL);
$c->removeOptions(GEARMAN_CLIENT_NON_BLOCKING);
$w = new GearmanWorker();
$w->addOptions(GEARMAN_WORKER_SSL);
$w->setOptions(0);
var_dump(($w->options() & GEARMAN_WORKER_SSL) === GEARMAN_WORKER_SSL);

function run(array $opts, string $host, int $port): string
{
    global $fn;
    $c = new GearmanClient();
    $c->setSslOptions($opts);
    $c->addServer($host, $port, false);
    $c->setTimeout(5000);
    $r = @$c->doNormal($fn, "j");
    return $c->returnCode() === GEARMAN_SUCCESS ? $r : "rc " . $c->returnCode();
}

echo "-- verification switches\n";
echo run(gt_tls_opts(), 'localhost', $p['valid']), "\n";
echo run(['capath' => $d], '127.0.0.1', $p['valid']), "\n";
echo run(gt_tls_opts(['verify_peer_name' => false]), '127.0.0.1', $p['wronghost']), "\n";
echo run(gt_tls_opts(['peer_name' => 'wrong.example.invalid']), '127.0.0.1', $p['wronghost']), "\n";
echo run(gt_tls_opts(['peer_name' => 'localhost']), '127.0.0.1', $p['wronghost']), "\n";
echo run(gt_tls_opts(['verify_peer' => false]), '127.0.0.1', $p['untrusted']), "\n";
echo run(gt_tls_opts(['verify_peer' => false]), '127.0.0.1', $p['expired']), "\n";
echo run(gt_tls_opts(['allow_self_signed' => true]), '127.0.0.1', $p['selfsigned']), "\n";
echo run(gt_tls_opts(['allow_self_signed' => true]), '127.0.0.1', $p['untrusted']), "\n";
echo run(gt_tls_opts(['local_cert' => "$d/client-combined.pem"]), '127.0.0.1', $p['mtls']), "\n";

echo "-- ini defaults\n";
ini_set('gearman.ssl_cafile', "$d/ca.pem");
ini_set('gearman.ssl_local_cert', "$d/client.pem");
ini_set('gearman.ssl_local_pk', "$d/client.key");
$c = new GearmanClient();
$c->addOptions(GEARMAN_CLIENT_SSL);
$c->addServer('127.0.0.1', $p['mtls'], false);
var_dump($c->doNormal($fn, "ini"));
ini_set('gearman.ssl_verify_peer', '0');
echo run([], '127.0.0.1', $p['untrusted']), "\n";
ini_set('gearman.ssl_verify_peer', 'On');
echo run([], '127.0.0.1', $p['untrusted']), "\n";
?>
--EXPECTF--
int(256)
int(1024)
-- bad input
ValueError: unknown SSL option "nope" (known: cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, allow_self_signed)
ValueError: SSL options must be keyed by name, got key 0 (known: cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, allow_self_signed)
TypeError: SSL option "cafile" must be of type ?string, int given
TypeError: SSL option "verify_peer" must be of type bool, string given
ValueError: SSL option "passphrase" is not supported: encrypted private keys cannot be used; decrypt the key (openssl pkey -in key.pem -out plain.pem) and protect the file instead
TypeError: SSL option "allow_self_signed" must be of type bool, null given
SSL option "capath" must be of type ?string, array given
int(0)
-- unusable files: false, warning, error(), and still no plaintext

Warning: GearmanClient::setSslOptions(): %s(GEARMAN_INVALID_ARGUMENT) cafile: cannot read '%s/missing.pem': %s -> %s in %s on line %d
bool(false)
bool(true)
bool(true)
bool(true)
string(0) ""
bool(true)
bool(true)
bool(false)
bool(false)
-- the SSL bit cannot be removed
bool(true)
bool(true)
-- verification switches
ok:j
ok:j
ok:j
ok:j
rc 26
ok:j
ok:j
ok:j
rc 26
ok:j
-- ini defaults
string(6) "ok:ini"
ok:j
rc 26
