--TEST--
GearmanAdmin against a fault-injecting fake server: non-protocol replies, binary packets, endless replies, silence, a close mid-reply and mixed line endings give GearmanExceptions with precise codes within the timeout, and the object stays usable
--DESCRIPTION--
gearman-rs only: GearmanAdmin. The fake server is a PHP process answering each command line from a script.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$port = gt_dead_port();
$fake = gt_spawn('
$srv = stream_socket_server("tcp://127.0.0.1:" . $ARGS["port"]);
echo "listening\n";
while ($s = stream_socket_accept($srv, 60)) {
    while (($line = fgets($s)) !== false) {
        $cmd = rtrim($line, "\r\n");
        switch ($cmd) {
            case "status": fwrite($s, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"); break;
            case "verbose": fwrite($s, "\0RES\0\0\0\x13\0\0\0\x05ERR\0x"); break;
            case "workers": for ($i = 0; $i < 64; $i++) { if (@fwrite($s, str_repeat("x", 4096)) === false) break; } break;
            case "getpid": usleep(1500000); fwrite($s, "OK 1\n"); break;
            case "show jobs": foreach (str_split("H:x:1\t0\t0\t1\r\nH:x:2\t1\t1\t0\n.\r\n") as $ch) { fwrite($s, $ch); fflush($s); } break;
            case "prioritystatus": fwrite($s, "f\t0\t1\t0\t1\n"); fclose($s); continue 3;
            case "show unique jobs": fwrite($s, "u1\n.\nOK 99\n"); break;
            default: fwrite($s, "OK 4242\n");
        }
    }
    fclose($s);
}
', ['port' => $port]);
for ($i = 0; $i < 100 && strpos($fake->output(), "listening") === false; $i++) usleep(50000);

ini_set('gearman.max_packet_size', '64K');
$admin = new GearmanAdmin('127.0.0.1', $port, 700);
$try = function (string $what, callable $f) {
    $t = microtime(true);
    try {
        $r = $f();
        echo "$what: ", json_encode($r), "\n";
    } catch (Throwable $e) {
        echo "$what: ", get_class($e), " [", $e->getCode(), "] ", $e->getMessage(), "\n";
    }
    if (microtime(true) - $t > 0.7 + 1.5) echo "$what took too long\n";
};
$try('status (HTTP)', fn () => $admin->status());
$try('version after an error', fn () => $admin->version());
$try('command verbose (binary packet)', fn () => $admin->command('verbose'));
$try('workers (endless)', fn () => $admin->workers());
$try('showJobs (mixed line ends, one byte at a time)', fn () => $admin->showJobs());
$try('priorityStatus (closed mid-listing)', fn () => $admin->priorityStatus());
$try('showUniqueJobs (an extra reply behind it)', fn () => $admin->showUniqueJobs());
$try('version (not the extra reply)', fn () => $admin->version());
$try('getPid (silent past the timeout)', fn () => $admin->getPid());
$fake->stop();
$try('version (server gone)', fn () => $admin->version());
?>
--EXPECTF--
status (HTTP): GearmanException [11] the server's reply is not the gearmand text protocol (too few tab-separated fields)
version after an error: "4242"
command verbose (binary packet): GearmanException [11] the server's reply is not the gearmand text protocol (binary packet)
workers (endless): GearmanException [30] the server's reply exceeds 65536 bytes
showJobs (mixed line ends, one byte at a time): [{"handle":"H:x:1","retries":0,"ignore":false,"queued":true},{"handle":"H:x:2","retries":1,"ignore":true,"queued":false}]
priorityStatus (closed mid-listing): GearmanException [14] lost connection to server (EOF)
showUniqueJobs (an extra reply behind it): [{"unique":"u1"}]
version (not the extra reply): "4242"
getPid (silent past the timeout): GearmanException [47] no complete reply from 127.0.0.1:%d within 700 ms
version (server gone): GearmanException [26] Connection to 127.0.0.1:%d failed
