--TEST--
GearmanClient/GearmanWorker: clone never crashes
--DESCRIPTION--
gearman-rs fix: on the reference clone of a GearmanClient/GearmanWorker wraps uninitialised
memory (garbage returnCode(), next call segfaults). gearman-rs either refuses the clone with an
Error or returns a working independent object; either is accepted here.
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
foreach (['GearmanClient', 'GearmanWorker'] as $cls) {
    $o = new $cls();
    $o->setTimeout(1234);
    try {
        $c = clone $o;
        $c->setTimeout(99);
        $ok = $c->returnCode() === 0 && $c->timeout() === 99 && $o->timeout() === 1234;
        echo "$cls: ", $ok ? "ok (clone works)" : "BROKEN clone", "\n";
    } catch (Error $e) {
        echo "$cls: ok (clone refused)\n";
    }
    var_dump($o->timeout());
}
echo "done\n";
?>
--EXPECTF--
GearmanClient: ok (clone %s)
int(1234)
GearmanWorker: ok (clone %s)
int(1234)
done
