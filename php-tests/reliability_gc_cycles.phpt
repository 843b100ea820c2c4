--TEST--
Reliability: reference cycles through callbacks, contexts and task objects (client <-> closure, task -> client, worker <-> closure) are collected by gc_collect_cycles()
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); if (getenv('USE_ZEND_ALLOC') === '0') die('skip under valgrind (run-tests -m): memory_get_usage() is meaningless without the Zend allocator; valgrind checks leaks itself'); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
class Holder { public $obj; public $more = []; }
function make_cycles(): void {
    $c = new GearmanClient();
    $h = new Holder();
    $h->obj = $c;
    // client -> callback closure -> client
    $c->setCompleteCallback(function ($t) use ($c, $h) { return $c; });
    $c->setTaskFailedCallback(fn ($t) => $h);
    // client -> task -> context -> client (the tasks stay pending: never run)
    $c->addTask("f", "w", $h);
    $h->more[] = $c->addTask("g", "w", [$c, $h]);
    $w = new GearmanWorker();
    // worker -> function closure -> worker, and the context holds it too
    $w->addFunction("f", function ($job, &$ctx) use ($w) { return $w; }, ['w' => $w, 'h' => $h]);
    $h->more[] = $w;
}
// Warm-up: the engine's own buffers (GC roots, caches) grow once.
for ($i = 0; $i < 2000; $i++) make_cycles();
gc_collect_cycles();
$base = memory_get_usage();
for ($i = 0; $i < 2000; $i++) make_cycles();
$before_gc = memory_get_usage() - $base;
$collected = gc_collect_cycles();
$after = memory_get_usage() - $base;
var_dump($collected > 0);
echo "growth before gc > 1 MiB: ", $before_gc > (1 << 20) ? "yes" : "no ($before_gc)", "\n";
echo "growth after gc < 16 KiB: ", $after < 16384 ? "yes" : "no ($after)", "\n";
?>
--EXPECT--
bool(true)
growth before gc > 1 MiB: yes
growth after gc < 16 KiB: yes
