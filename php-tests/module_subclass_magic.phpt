--TEST--
Subclasses of GearmanClient, GearmanWorker, GearmanTask and GearmanJob with declared properties and __get/__set/__isset/__unset work (objects sized by the engine: property slots plus the guard slot; run under valgrind by scripts/valgrind.sh)
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';

/** Declared properties (typed, untyped, defaults) and every magic property hook. */
trait Magic
{
    public int $count = 0;
    public $label = 'declared';
    public ?array $list = null;
    protected string $secret = 's';
    private array $bag = [];
    public array $log = [];

    public function __get($name)
    {
        $this->log[] = "get $name";
        // Re-entering __get for the same name is stopped by the engine's
        // property guard (kept in the slot after the declared properties):
        // `??` asks __isset (a different guard) and then reads the property.
        if ($name === 'recurse') {
            return $this->recurse ?? 'guarded';
        }
        return $this->bag[$name] ?? null;
    }
    public function __set($name, $value)
    {
        $this->log[] = "set $name";
        $this->bag[$name] = $value;
    }
    public function __isset($name)
    {
        $this->log[] = "isset $name";
        return isset($this->bag[$name]);
    }
    public function __unset($name)
    {
        $this->log[] = "unset $name";
        unset($this->bag[$name]);
    }
    public function exercise(): array
    {
        $this->count++;
        $this->list = [1, 2];
        $this->virtual = 'v';                   // __set
        $a = $this->virtual;                    // __get
        $b = isset($this->virtual);             // __isset
        $c = isset($this->missing);             // __isset
        unset($this->virtual);                  // __unset
        $d = $this->virtual;                    // __get (null)
        $e = $this->recurse;                    // __get, guarded re-entry
        unset($this->label);                    // a declared property, now unset...
        $f = $this->label;                      // ...is read through __get
        $this->label = 'again';                 // ...and written through __set
        return [$a, $b, $c, $d, $e, $f, $this->count, $this->list, $this->secret, $this->log];
    }
}

class MyClient extends GearmanClient { use Magic; }
class MyWorker extends GearmanWorker { use Magic; }
class MyTask extends GearmanTask { use Magic; }
class MyJob extends GearmanJob { use Magic; }

$expected = ['v', true, false, null, 'guarded', null, 1, [1, 2], 's', [
    'set virtual', 'get virtual', 'isset virtual', 'isset missing', 'unset virtual',
    'get virtual', 'get recurse', 'isset recurse', 'get label', 'set label',
]];
$objects = [];
foreach (['MyClient', 'MyWorker', 'MyTask', 'MyJob'] as $class) {
    // Many objects: a wrong object size shows as corrupted neighbours.
    for ($i = 0; $i < 50; $i++) {
        $o = new $class();
        $r = $o->exercise();
        if ($r !== $expected) {
            echo "$class: unexpected ", var_export($r, true), "\n";
            break;
        }
        $objects[] = $o;
    }
    echo "$class: ok\n";
}

// The subclasses still work as clients and workers: a real round trip.
$fn = gt_fn();
$w = new MyWorker();
$w->addServer(gt_host(), gt_port());
$w->addFunction($fn, function (GearmanJob $job, &$ctx) {
    $ctx->count++;
    return strrev($job->workload()) . ':' . $ctx->count;
}, $w);
$w->setTimeout(5000);
$c = new MyClient();
$c->addServer(gt_host(), gt_port());
$c->extra = 'x';                                 // __set on a client in use
var_dump($c->doBackground($fn, 'abc') !== '');
var_dump($w->work(), $w->returnCode() === GEARMAN_SUCCESS);

// A task of a subclassed client is a plain GearmanTask; tasks run for real.
$c->setCompleteCallback(function (GearmanTask $t) { echo "complete: ", $t->data(), "\n"; });
$task = $c->addTask($fn, 'xyz');
var_dump(get_class($task));
$helper = gt_start_worker($fn, 'return "r:" . $job->workload();', 1);
var_dump($c->runTasks());
$helper->wait();

// Objects stay intact after all that.
foreach ($objects as $o) {
    $n = count($o->log);
    if ($o->count !== 1 || $o->list !== [1, 2] || $n !== 10 || $o->label !== 'again') {
        echo get_class($o), ": corrupted\n";
        break;
    }
}
unset($objects, $o);
var_dump($c->extra, isset($c->extra), $w->count);
echo "done\n";
?>
--EXPECT--
MyClient: ok
MyWorker: ok
MyTask: ok
MyJob: ok
bool(true)
bool(true)
bool(true)
string(11) "GearmanTask"
complete: r:xyz
bool(true)
string(1) "x"
bool(true)
int(1)
done
