--TEST--
GearmanWorker: every kind of callable runs the same on each of several jobs (resolved once or per call)
--DESCRIPTION--
gearman-rs resolves a Closure, an invokable object or a plain function name once, when it is added,
and calls it through that resolution on every job; methods and __call/__callStatic trampolines are
resolved per call, as pecl/gearman does for all. Each kind runs three jobs, among them a private
method that work() may call only from inside its class; then a callback unregisters its own function
while it runs (its callable must stay alive until it returns).
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$fn = gt_fn();
$kinds = ['closure', 'static_closure', 'invokable', 'function', 'static_string', 'static_array', 'method',
    'via_call', 'via_call_static', 'first_class', 'from_callable_call', 'private', 'unregisters'];

function kinds_fn(GearmanJob $job) { static $n = 0; return 'function ' . ++$n . ' ' . $job->workload(); }

class Kinds {
    public $n = 0;
    public function __invoke(GearmanJob $job) { return 'invokable ' . ++$this->n . ' ' . $job->workload(); }
    public static function st(GearmanJob $job) { static $n = 0; return 'static ' . ++$n . ' ' . $job->workload(); }
    public function m(GearmanJob $job) { return 'method ' . ++$this->n . ' ' . $job->workload(); }
    public function __call($name, $args) { return "__call $name " . ++$this->n . ' ' . $args[0]->workload(); }
    public static function __callStatic($name, $args) { static $n = 0; return "__callStatic $name " . ++$n . ' ' . $args[0]->workload(); }
    private function priv(GearmanJob $job) { return 'private ' . ++$this->n . ' ' . $job->workload(); }
    public function servePrivate(GearmanWorker $w, string $fn, int $jobs) {
        $w->addFunction($fn, [$this, 'priv']);
        for ($i = 0; $i < $jobs; $i++) {
            var_dump($w->work());
        }
    }
}

$client = gt_spawn('
$c = gt_client();
foreach ($ARGS["kinds"] as $k) {
    for ($i = 1; $i <= ($k === "unregisters" ? 1 : 3); $i++) {
        $r = $c->doNormal($ARGS["fn"] . "_" . $k, "j$i");
        echo "$k: ", json_encode($r), " rc=", $c->returnCode(), "\n";
    }
}
', ['kinds' => $kinds, 'fn' => $fn]);

$count = 0;
$callables = [
    'closure' => function (GearmanJob $job) use (&$count) { return 'closure ' . ++$count . ' ' . $job->workload(); },
    'static_closure' => static function (GearmanJob $job) { static $n = 0; return 'static closure ' . ++$n . ' ' . $job->workload(); },
    'invokable' => new Kinds,
    'function' => 'kinds_fn',
    'static_string' => 'Kinds::st',
    'static_array' => ['Kinds', 'st'],
    'method' => [new Kinds, 'm'],
    'via_call' => [new Kinds, 'viaCall'],
    'via_call_static' => ['Kinds', 'viaCallStatic'],
    'first_class' => kinds_fn(...),
    'from_callable_call' => Closure::fromCallable([new Kinds, 'fromCallable']),
];
foreach ($kinds as $k) {
    $w = gt_worker();
    $name = $fn . '_' . $k;
    if ($k === 'private') {
        (new Kinds)->servePrivate($w, $name, 3);
        continue;
    }
    if ($k === 'unregisters') {
        $w->addFunction($name . '_other', fn () => 'never');
        $w->addFunction($name, function (GearmanJob $job) use ($w, $name) {
            $w->unregister($name);
            return 'unregistered ' . $job->workload();
        });
        var_dump($w->work());
        continue;
    } else {
        $w->addFunction($name, $callables[$k]);
    }
    for ($i = 0; $i < 3; $i++) {
        var_dump($w->work());
    }
}
$client->wait(20);
echo $client->output();
?>
--EXPECT--
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
bool(true)
closure: "closure 1 j1" rc=0
closure: "closure 2 j2" rc=0
closure: "closure 3 j3" rc=0
static_closure: "static closure 1 j1" rc=0
static_closure: "static closure 2 j2" rc=0
static_closure: "static closure 3 j3" rc=0
invokable: "invokable 1 j1" rc=0
invokable: "invokable 2 j2" rc=0
invokable: "invokable 3 j3" rc=0
function: "function 1 j1" rc=0
function: "function 2 j2" rc=0
function: "function 3 j3" rc=0
static_string: "static 1 j1" rc=0
static_string: "static 2 j2" rc=0
static_string: "static 3 j3" rc=0
static_array: "static 4 j1" rc=0
static_array: "static 5 j2" rc=0
static_array: "static 6 j3" rc=0
method: "method 1 j1" rc=0
method: "method 2 j2" rc=0
method: "method 3 j3" rc=0
via_call: "__call viaCall 1 j1" rc=0
via_call: "__call viaCall 2 j2" rc=0
via_call: "__call viaCall 3 j3" rc=0
via_call_static: "__callStatic viaCallStatic 1 j1" rc=0
via_call_static: "__callStatic viaCallStatic 2 j2" rc=0
via_call_static: "__callStatic viaCallStatic 3 j3" rc=0
first_class: "function 4 j1" rc=0
first_class: "function 5 j2" rc=0
first_class: "function 6 j3" rc=0
from_callable_call: "__call fromCallable 1 j1" rc=0
from_callable_call: "__call fromCallable 2 j2" rc=0
from_callable_call: "__call fromCallable 3 j3" rc=0
private: "private 1 j1" rc=0
private: "private 2 j2" rc=0
private: "private 3 j3" rc=0
unregisters: "unregistered j1" rc=0
