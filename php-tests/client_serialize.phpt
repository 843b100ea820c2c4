--TEST--
GearmanClient/Task/Worker/Job: serialize, unserialize, var_export do not crash
--SKIPIF--
<?php require __DIR__ . '/_helper.inc'; gt_skipif(false); ?>
--FILE--
<?php
require __DIR__ . '/_helper.inc';
foreach ([new GearmanClient(), new GearmanTask(), new GearmanWorker(), new GearmanJob()] as $o) {
    $s = serialize($o);
    var_dump($s);
    $u = unserialize($s);
    var_dump(get_class($u));
    for ($i = 0; $i < 10; $i++) {
        $u = unserialize(serialize($u));
    }
    var_dump(get_class($u));
}
var_dump(json_encode(new GearmanWorker()), (array)new GearmanJob());
?>
--EXPECT--
string(25) "O:13:"GearmanClient":0:{}"
string(13) "GearmanClient"
string(13) "GearmanClient"
string(23) "O:11:"GearmanTask":0:{}"
string(11) "GearmanTask"
string(11) "GearmanTask"
string(25) "O:13:"GearmanWorker":0:{}"
string(13) "GearmanWorker"
string(13) "GearmanWorker"
string(22) "O:10:"GearmanJob":0:{}"
string(10) "GearmanJob"
string(10) "GearmanJob"
string(2) "{}"
array(0) {
}
