--TEST--
GearmanClient: subclassing and dynamic properties
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
class MyClient extends GearmanClient
{
    public $extra = 1;
    public function __construct()
    {
        parent::__construct();
        $this->addServer(gt_host(), gt_port());
    }
    public function doNormal(string $function, string $workload, ?string $unique = null): string
    {
        return "overridden";
    }
}
$c = new MyClient();
var_dump($c instanceof GearmanClient, $c->doNormal("f", "x"), $c->options(), $c->extra);
var_dump($c);
$d = new GearmanClient();
$d->foo = "bar";
var_dump($d->foo);
?>
--EXPECTF--
bool(true)
string(10) "overridden"
int(32)
int(1)
object(MyClient)#1 (1) {
  ["extra"]=>
  int(1)
}

Deprecated: Creation of dynamic property GearmanClient::$foo is deprecated in %s on line 20
string(3) "bar"
