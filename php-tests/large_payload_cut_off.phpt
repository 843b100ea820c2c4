--TEST--
A connection lost in the middle of a large result (client) or a large assignment (worker): the task ends once with LOST_CONNECTION, nothing is delivered twice, the partial data is freed
--DESCRIPTION--
A fake server sends one complete 16 MiB WORK_COMPLETE / JOB_ASSIGN (checked
byte-exact) and then half of a second one before closing the connection.
gearman-rs receives large data straight into a PHP string: the half-filled
string must be freed with the connection (memory_get_usage() back where it
was), and the task must fail exactly once.
--INI--
memory_limit=-1
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

/** A fake gearmand on a fresh port; returns [port, proc, sha1 file]. */
function fake_server(): array
{
    $pf = sys_get_temp_dir() . '/gt_large_cut_' . getmypid() . '_' . mt_rand();
    $p = gt_spawn('
function pkt(int $type, string $body): string { return "\0RES" . pack("NN", $type, strlen($body)) . $body; }
function read_exact($c, int $n): ?string {
    $b = "";
    while (strlen($b) < $n) { $r = fread($c, $n - strlen($b)); if ($r === false || $r === "") return null; $b .= $r; }
    return $b;
}
function read_pkt($c): ?array {
    $h = read_exact($c, 12);
    if ($h === null) return null;
    ["t" => $t, "l" => $l] = unpack("Nt/Nl", substr($h, 4));
    $body = $l ? read_exact($c, $l) : "";
    return $body === null ? null : [$t, $body];
}
$s = stream_socket_server("tcp://127.0.0.1:0");
file_put_contents($ARGS["pf"] . ".tmp", substr(strrchr(stream_socket_get_name($s, false), ":"), 1));
rename($ARGS["pf"] . ".tmp", $ARGS["pf"]);
$data = random_bytes(16 << 20);
file_put_contents($ARGS["pf"] . ".sha1", sha1($data));
$c = stream_socket_accept($s, 20);
$sent = 0;
while ($c && ($p = read_pkt($c)) !== null) {
    [$t, $body] = $p;
    if ($t === 7) {                           // SUBMIT_JOB: JOB_CREATED, then the result
        $h = "H:fake:" . ++$sent;
        fwrite($c, pkt(8, $h));
        $res = pkt(13, "$h\0$data");
    } elseif (in_array($t, [9, 30, 39], true)) {   // GRAB_JOB*: an assignment
        $h = "H:fake:" . ++$sent;
        $res = pkt(11, "$h\0" . explode("\0", $ARGS["fn"])[0] . "\0$data");
    } elseif ($t === 26) {                    // OPTION_REQ: accepted
        fwrite($c, pkt(27, $body));
        continue;
    } elseif ($t === 13) {                    // the worker\'s WORK_COMPLETE
        [$h, $r] = explode("\0", $body, 2);
        echo "fake: $h completed with ", $r === sha1($data) ? "the sha1 of the workload" : "something else", "\n";
        continue;
    } else {
        continue;
    }
    if ($sent === 1) {
        fwrite($c, $res);
    } else {
        fwrite($c, substr($res, 0, strlen($res) >> 1));   // half of it, then gone
        fclose($c);
        echo "fake: cut off job $sent\n";
        $c = null;
    }
}
// Later connections (reconnects) are closed at once.
while ($x = @stream_socket_accept($s, 3)) fclose($x);
', ['pf' => $pf, 'fn' => gt_fn('w')]);
    for ($i = 0; $i < 1000 && !file_exists($pf); $i++) usleep(10000);
    $port = (int)file_get_contents($pf);
    unlink($pf);
    for ($i = 0; $i < 1000 && !file_exists("$pf.sha1"); $i++) usleep(10000);
    return [$port, $p, "$pf.sha1"];
}

echo "-- client\n";
[$port, $fake, $sha] = fake_server();
$c = new GearmanClient();
$c->addServer('127.0.0.1', $port, false);
$c->setTimeout(10000);
$r = $c->doNormal('f', 'x');
printf("first: rc=%d, %d bytes, exact: %s\n", $c->returnCode(), strlen($r), sha1($r) === file_get_contents($sha) ? "yes" : "NO");
unset($r);
$completed = $failed = 0;
$c->setCompleteCallback(function () use (&$completed) { $completed++; });
$c->setFailCallback(function () use (&$failed) { $failed++; });
$before = memory_get_usage();
$c->addTask('f', 'y');
$ok = @$c->runTasks();
printf("second: runTasks=%s rc=%d completed=%d failed=%d\n", var_export($ok, true), $c->returnCode(), $completed, $failed);
$grew = memory_get_usage() - $before;
echo "memory kept after the cut: ", $grew < (1 << 20) ? "under 1 MiB" : "$grew bytes", "\n";
$ok = @$c->runTasks();   // nothing left to deliver
printf("again: runTasks=%s completed=%d failed=%d\n", var_export($ok, true), $completed, $failed);
$fake->wait(10);
echo $fake->output();
@unlink($sha);

echo "-- worker\n";
[$port, $fake, $sha] = fake_server();
$w = new GearmanWorker();
$w->addServer('127.0.0.1', $port);
$w->setTimeout(3000);
$jobs = 0;
$w->addFunction(gt_fn('w'), function (GearmanJob $job) use (&$jobs) {
    $jobs++;
    return sha1($job->workload());
});
var_dump($w->work(), $w->returnCode());
$before = memory_get_usage();
$ok = @$w->work();
printf("second work(): %s rc=%s, callbacks run: %d\n", var_export($ok, true), $w->returnCode() == GEARMAN_LOST_CONNECTION ? 'LOST_CONNECTION' : $w->returnCode(), $jobs);
$grew = memory_get_usage() - $before;
echo "memory kept after the cut: ", $grew < (1 << 20) ? "under 1 MiB" : "$grew bytes", "\n";
$fake->wait(10);
echo $fake->output();
@unlink($sha);
?>
--EXPECT--
-- client
first: rc=0, 16777216 bytes, exact: yes
second: runTasks=false rc=14 completed=0 failed=0
memory kept after the cut: under 1 MiB
again: runTasks=false completed=0 failed=0
fake: cut off job 2
-- worker
bool(true)
int(0)
second work(): false rc=LOST_CONNECTION, callbacks run: 1
memory kept after the cut: under 1 MiB
fake: H:fake:1 completed with the sha1 of the workload
fake: cut off job 2
