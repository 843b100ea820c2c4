--TEST--
GearmanException: final, extends Exception, public $code, new-able
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
$rc = new ReflectionClass('GearmanException');
var_dump($rc->isFinal(), $rc->getParentClass()->getName(), $rc->isInternal());
var_dump($rc->hasProperty('code'), $rc->getProperty('code')->isPublic(), $rc->getProperty('code')->getDeclaringClass()->getName());
var_dump($rc->getProperty('message')->isProtected());
var_dump(array_keys($rc->getDefaultProperties()));
$e = new GearmanException("msg", 42);
var_dump($e instanceof Exception, $e instanceof Throwable, $e->getMessage(), $e->getCode(), $e->code);
$e->code = 7;
var_dump($e->getCode());
var_dump($e->getLine(), basename($e->getFile()));
try {
    throw new GearmanException("thrown");
} catch (Exception $x) {
    echo get_class($x), ": ", $x->getMessage(), " ", $x->getCode(), "\n";
}
$e = new GearmanException();
var_dump($e->getMessage(), $e->getCode());
?>
--EXPECT--
bool(true)
string(9) "Exception"
bool(true)
bool(true)
bool(true)
string(16) "GearmanException"
bool(true)
array(4) {
  [0]=>
  string(7) "message"
  [1]=>
  string(4) "file"
  [2]=>
  string(4) "line"
  [3]=>
  string(4) "code"
}
bool(true)
bool(true)
string(3) "msg"
int(42)
int(42)
int(7)
int(8)
string(19) "exception_class.php"
GearmanException: thrown 0
string(0) ""
int(0)
