--TEST--
TLS: every failure ends within the timeout with COULD_NOT_CONNECT (worker stall: TIMEOUT) and a TLS reason
--DESCRIPTION--
gearman-rs only. Unknown CA, expired and not-yet-valid certificates, a certificate for another
host, a plaintext server, a TLS server with TLS off, a handshake that stalls, a client certificate
the server refuses: no hang, no plaintext fallback, error() names the reason. Client and worker.
--SKIPIF--
<?php require __DIR__ . '/_tls.inc'; gt_tls_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_tls.inc';
$st = gt_stunnel_start();
$p = $st['ports'];
$d = $st['dir'];
// Accepts TCP (kernel backlog) but never answers: a stalled handshake.
$silent = stream_socket_server('tcp://127.0.0.1:0');
$silentPort = (int)substr(strrchr(stream_socket_get_name($silent, false), ':'), 1);

function attempt(string $label, int $port, ?array $tls, string $expect, int|array $rc = GEARMAN_COULD_NOT_CONNECT, int $timeout = 3000, ?int $workerRc = null): void
{
    $c = new GearmanClient();
    if ($tls !== null) {
        $c->setSslOptions($tls);
    }
    $c->addServer('127.0.0.1', $port, false);
    $c->setTimeout($timeout);
    $t = microtime(true);
    $r = @$c->doNormal(gt_fn(), "x");
    $dt = microtime(true) - $t;
    $ok = $r === "" && in_array($c->returnCode(), (array)$rc, true) && str_contains($c->error(), $expect) && $dt < $timeout / 1000 + 2;
    echo $label, ": ", $ok ? "ok" : "FAILED rc=" . $c->returnCode() . " " . $c->error() . sprintf(" %.1fs", $dt), "\n";

    $w = new GearmanWorker();
    if ($tls !== null) {
        $w->setSslOptions($tls);
    }
    $w->addServer('127.0.0.1', $port, false);
    $w->addFunction(gt_fn(), fn () => "never");
    $w->setTimeout($timeout);
    $t = microtime(true);
    $r = @$w->work();
    $dt = microtime(true) - $t;
    $ok = $r === false && $w->returnCode() === ($workerRc ?? $rc) && str_contains($w->error(), $expect) && $dt < $timeout / 1000 + 2;
    echo "  worker: ", $ok ? "ok" : "FAILED rc=" . $w->returnCode() . " " . $w->error() . sprintf(" %.1fs", $dt), "\n";
}

$ca = gt_tls_opts();
attempt("unknown CA", $p['untrusted'], $ca, 'not issued by a trusted CA');
attempt("self-signed", $p['selfsigned'], $ca, 'not issued by a trusted CA');
attempt("system store does not know the test CA", $p['valid'], [], 'not issued by a trusted CA');
attempt("expired", $p['expired'], $ca, 'certificate expired');
attempt("not yet valid", $p['future'], $ca, 'not valid yet');
attempt("wrong host", $p['wronghost'], $ca, 'host name mismatch');
attempt("plaintext server", gt_port(), $ca, 'not a TLS endpoint');
attempt("client certificate missing", $p['mtls'], $ca, 'client certificate');
attempt("client certificate from another CA", $p['mtls'],
    $ca + ['local_cert' => "$d/rogue-client.pem", 'local_pk' => "$d/rogue-client.key"], 'client certificate');
// The client gives the connect up at its deadline (COULD_NOT_CONNECT, as for any connect that
// does not finish, or TIMEOUT when the call's deadline is seen first); the worker's idle
// timeout ends work() with TIMEOUT.
attempt("stalled handshake", $silentPort, $ca, 'TLS handshake with 127.0.0.1:' . $silentPort . ' did not complete',
    [GEARMAN_COULD_NOT_CONNECT, GEARMAN_TIMEOUT], 1000, GEARMAN_TIMEOUT);

echo "-- TLS server, TLS off\n";
$c = new GearmanClient();
$c->addServer('127.0.0.1', $p['valid'], false);
$c->setTimeout(3000);
$t = microtime(true);
var_dump(@$c->doNormal(gt_fn(), "x"), $c->returnCode() === GEARMAN_LOST_CONNECTION || $c->returnCode() === GEARMAN_COULD_NOT_CONNECT);
var_dump(str_contains($c->error(), 'TLS'), microtime(true) - $t < 5);

echo "-- task-failed callback sees the TLS failure\n";
$c = new GearmanClient();
$c->setSslOptions($ca);
$c->addServer('127.0.0.1', $p['expired'], false);
$c->setTimeout(3000);
$seen = [];
$c->setTaskFailedCallback(function (GearmanTask $t) use (&$seen) { $seen[] = $t->returnCode(); });
$c->addTask(gt_fn(), "x");
var_dump(@$c->runTasks(), $seen === [GEARMAN_COULD_NOT_CONNECT], str_contains($c->error(), 'certificate expired'));
?>
--EXPECT--
unknown CA: ok
  worker: ok
self-signed: ok
  worker: ok
system store does not know the test CA: ok
  worker: ok
expired: ok
  worker: ok
not yet valid: ok
  worker: ok
wrong host: ok
  worker: ok
plaintext server: ok
  worker: ok
client certificate missing: ok
  worker: ok
client certificate from another CA: ok
  worker: ok
stalled handshake: ok
  worker: ok
-- TLS server, TLS off
string(0) ""
bool(true)
bool(true)
bool(true)
-- task-failed callback sees the TLS failure
bool(false)
bool(true)
bool(true)
