--TEST--
Reliability: gc_collect_cycles() frees every cycle through worker contexts (by value and by reference), worker functions and client callbacks and task contexts, counted object by object (destructors and weak references; also under valgrind)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

/** Counts its destructions; reachable only through the cycle under test. */
class Payload
{
    public static int $destroyed = 0;
    public $ref;
    public function __destruct() { self::$destroyed++; }
}

const N = 40;

$cases = [
    // worker -> function entry -> context (a PHP reference) -> Payload -> worker
    'worker context' => function (): array {
        $w = new GearmanWorker();
        $p = new Payload();
        $p->ref = $w;
        $w->addFunction(gt_fn('a'), fn ($job) => null, $p);
        return [$w, $p];
    },
    // the same, for a context the callback takes by reference and replaces
    'worker context by reference' => function (): array {
        $w = new GearmanWorker();
        $p = new Payload();
        $p->ref = [$w];
        $w->addFunction(gt_fn('b'), function ($job, &$ctx) { $ctx = null; }, $p);
        return [$w, $p];
    },
    // worker -> function closure -> (use) Payload -> worker
    'worker function' => function (): array {
        $w = new GearmanWorker();
        $p = new Payload();
        $p->ref = $w;
        $w->addFunction(gt_fn('c'), function ($job) use ($p) { return $p; });
        return [$w, $p];
    },
    // client -> callback closure -> Payload -> client
    'client callback' => function (): array {
        $c = new GearmanClient();
        $p = new Payload();
        $p->ref = $c;
        $c->setCompleteCallback(function ($t) use ($p) { return $p; });
        $c->setFailCallback(fn ($t) => $p);
        return [$c, $p];
    },
    // client -> task -> context -> Payload -> client (task never run)
    'client task context' => function (): array {
        $c = new GearmanClient();
        $p = new Payload();
        $p->ref = $c;
        $c->addTask(gt_fn('d'), 'w', $p);
        return [$c, $p];
    },
    // Payload -> task -> client -> callback -> Payload
    'task object' => function (): array {
        $c = new GearmanClient();
        $p = new Payload();
        $c->setDataCallback(fn ($t) => $p);
        $p->ref = $c->addTask(gt_fn('e'), 'w');
        return [$c, $p];
    },
];

gc_collect_cycles();
foreach ($cases as $name => $make) {
    Payload::$destroyed = 0;
    $weak = [];
    for ($i = 0; $i < N; $i++) {
        [$obj, $p] = $make();
        $weak[] = WeakReference::create($obj);
        $weak[] = WeakReference::create($p);
    }
    unset($obj, $p);
    $alive = count(array_filter($weak, fn ($r) => $r->get() !== null));
    $before = Payload::$destroyed;
    $collected = gc_collect_cycles();
    $after = Payload::$destroyed;
    $left = count(array_filter($weak, fn ($r) => $r->get() !== null));
    printf("%-28s alive before gc: %d, destroyed before gc: %d, collected >= %d: %s, destroyed after gc: %d, alive after gc: %d\n",
        $name, $alive, $before, 2 * N, $collected >= 2 * N ? 'yes' : "no ($collected)", $after, $left);
}
?>
--EXPECT--
worker context               alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
worker context by reference  alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
worker function              alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
client callback              alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
client task context          alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
task object                  alive before gc: 80, destroyed before gc: 0, collected >= 80: yes, destroyed after gc: 40, alive after gc: 0
