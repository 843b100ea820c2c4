--TEST--
TLS: client and worker through stunnel (server auth and client certificates) run jobs
--DESCRIPTION--
gearman-rs only: pecl/gearman has no working TLS (Debian's libgearman is built without it).
Real stunnel4 in front of the test gearmand, certificates made now with openssl. The worker
turns TLS on with setSslOptions(); one client with setSslOptions(), one with libgearman's
GEARMAN_CLIENT_SSL bit and environment variables. Jobs of every kind round-trip, 1 MiB exactly.
--SKIPIF--
<?php require __DIR__ . '/_tls.inc'; gt_tls_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_tls.inc';
$st = gt_stunnel_start();
$fn = gt_fn();
$worker = gt_spawn('
$w = new GearmanWorker();
var_dump($w->setSslOptions($ARGS["tls"]));
var_dump(($w->options() & GEARMAN_WORKER_SSL) === GEARMAN_WORKER_SSL);
$w->addServer("127.0.0.1", $ARGS["port"]);
$w->addFunction($ARGS["fn"], function (GearmanJob $j) {
    $j->sendStatus(1, 2);
    return strrev($j->workload());
});
$w->setTimeout(20000);
while ($w->work()) {}
', ['port' => $st['ports']['mtls'], 'fn' => $fn, 'tls' => gt_tls_client_cert_opts()]);
if (!gt_wait_worker($fn, 1, 10.0, $worker)) {
    die("worker did not register over TLS:\n" . $worker->output());
}

echo "-- setSslOptions client, client certificate\n";
$c = new GearmanClient();
var_dump($c->setSslOptions(gt_tls_client_cert_opts()));
var_dump(($c->options() & GEARMAN_CLIENT_SSL) === GEARMAN_CLIENT_SSL);
$c->addServer('127.0.0.1', $st['ports']['mtls']);
$c->setTimeout(20000);
var_dump($c->ping("over tls"));
var_dump($c->doNormal($fn, "hello"), $c->returnCode());
$big = random_bytes(1 << 20) . "\0end";
var_dump($c->doNormal($fn, $big) === strrev($big));
$h = $c->doBackground($fn, "bg");
var_dump($c->returnCode(), (bool)preg_match('/^H:/', $h));
$out = [];
$c->setCompleteCallback(function (GearmanTask $t) use (&$out) { $out[] = $t->data(); });
$c->addTask($fn, "one");
$c->addTask($fn, "two");
var_dump($c->runTasks());
sort($out);
var_dump($out);
var_dump(is_array($c->jobStatus($h)));

echo "-- GEARMAN_CLIENT_SSL + libgearman environment variables\n";
$d = $st['dir'];
putenv("GEARMAND_CA_CERTIFICATE=$d/ca.pem");
putenv("GEARMAN_CLIENT_PEM=$d/client.pem");
putenv("GEARMAN_CLIENT_KEY=$d/client.key");
$e = new GearmanClient();
var_dump($e->addOptions(GEARMAN_CLIENT_SSL));
$e->addServer('127.0.0.1', $st['ports']['mtls']);
$e->setTimeout(20000);
var_dump($e->doNormal($fn, "env"));
putenv("GEARMAN_CLIENT_PEM");
putenv("GEARMAN_CLIENT_KEY");

echo "-- the same client without a certificate is refused\n";
$n = new GearmanClient();
$n->addOptions(GEARMAN_CLIENT_SSL);
$n->addServer('127.0.0.1', $st['ports']['mtls'], false);
$n->setTimeout(5000);
var_dump(@$n->doNormal($fn, "x"), $n->returnCode() === GEARMAN_COULD_NOT_CONNECT);
var_dump(str_contains($n->error(), 'TLS handshake'), str_contains($n->error(), 'client certificate'));

echo "-- server auth only endpoint, CA from cafile\n";
$s = new GearmanClient();
$s->setSslOptions(['cafile' => "$d/ca.pem"]);
$s->addServer('localhost', $st['ports']['valid']);
$s->setTimeout(20000);
var_dump($s->doNormal($fn, "by name"));

echo "-- TLS 1.2 endpoints\n";
$t = new GearmanClient();
$t->setSslOptions(gt_tls_client_cert_opts());
$t->addServer('127.0.0.1', $st['ports']['mtls12']);
$t->setTimeout(20000);
var_dump($t->doNormal($fn, "tls1.2"));
$t = new GearmanClient();
$t->setSslOptions(gt_tls_opts());
$t->addServer('127.0.0.1', $st['ports']['mtls12'], false);
$t->setTimeout(5000);
var_dump(@$t->doNormal($fn, "x"), $t->returnCode() === GEARMAN_COULD_NOT_CONNECT, str_contains($t->error(), 'TLS handshake'));
putenv("GEARMAND_CA_CERTIFICATE");
$worker->stop();
?>
--EXPECTF--
-- setSslOptions client, client certificate
bool(true)
bool(true)
bool(true)
string(5) "olleh"
int(0)
bool(true)
int(0)
bool(true)
bool(true)
array(2) {
  [0]=>
  string(3) "eno"
  [1]=>
  string(3) "owt"
}
bool(true)
-- GEARMAN_CLIENT_SSL + libgearman environment variables
bool(true)
string(3) "vne"
-- the same client without a certificate is refused
string(0) ""
bool(true)
bool(true)
bool(true)
-- server auth only endpoint, CA from cafile
string(7) "eman yb"
-- TLS 1.2 endpoints
string(6) "2.1slt"
string(0) ""
bool(true)
bool(true)
