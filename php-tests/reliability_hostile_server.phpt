--TEST--
Reliability: a server sending garbage, the wrong magic, an unknown type, a 4 GiB length, a truncated frame, closing mid-packet or never answering: doNormal ends with an error within the timeout + 1 s, and PHP lives on
--DESCRIPTION--
A fault-injecting peer (not gearmand) answers each SUBMIT_JOB according to the function name.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$peer = gt_spawn('
$srv = stream_socket_server("tcp://127.0.0.1:" . $ARGS["port"]);
echo "listening\n";
while ($conn = @stream_socket_accept($srv, 30)) {
    $h = fread($conn, 12);
    if (strlen($h) < 12) { fclose($conn); continue; }
    $len = unpack("N", substr($h, 8, 4))[1];
    $body = $len ? stream_get_contents($conn, $len) : "";
    $fn = explode("\0", $body)[0];
    $res = fn (int $type, string $p) => "\0RES" . pack("NN", $type, strlen($p)) . $p;
    switch ($fn) {
        case "garbage":   fwrite($conn, "HELLO, THIS IS NOT GEARMAN\r\n"); break;
        case "magic":     fwrite($conn, "\0REQ" . pack("NN", 8, 3) . "H:1"); break;
        case "unknown":   fwrite($conn, $res(99, "")); break;
        case "huge":      fwrite($conn, "\0RES" . pack("NN", 13, 0xFFFFFFFF) . "H:1\0"); break;
        case "truncated": fwrite($conn, "\0RES" . pack("NN", 8, 100) . "H:1"); fclose($conn); continue 2;
        case "midpacket": fwrite($conn, $res(8, "H:1") . "\0RES" . pack("N", 13)); fclose($conn); continue 2;
        case "silent":    break;
    }
    $keep[] = $conn;   // keep it open: the client must give up by itself
}
', ['port' => $port]);
for ($i = 0; $i < 100 && !@fsockopen('127.0.0.1', $port, $e, $es, 0.1); $i++) usleep(50000);

foreach (['garbage', 'magic', 'unknown', 'huge', 'truncated', 'midpacket', 'silent'] as $mode) {
    $c = new GearmanClient();
    $c->addServer('127.0.0.1', $port, false);
    $c->setTimeout(1000);
    $t = microtime(true);
    $r = @$c->doNormal($mode, "x");
    $elapsed = microtime(true) - $t;
    printf("%-9s result=%s rc=%d in time: %s\n", $mode, json_encode($r), $c->returnCode(), $elapsed < 2.0 ? "yes" : "NO ($elapsed s)");
}
$peer->signal(9);
echo "PHP still alive, memory ", memory_get_usage() < 64 * 1024 * 1024 ? "bounded" : "NOT bounded", "\n";
?>
--EXPECT--
garbage   result="" rc=8 in time: yes
magic     result="" rc=8 in time: yes
unknown   result="" rc=9 in time: yes
huge      result="" rc=10 in time: yes
truncated result="" rc=14 in time: yes
midpacket result="" rc=14 in time: yes
silent    result="" rc=47 in time: yes
PHP still alive, memory bounded
