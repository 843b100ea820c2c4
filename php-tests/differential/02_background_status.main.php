<?php
// Differential (b): doBackground, then poll jobStatus until the job is done.
require __DIR__ . '/../_helper.inc';
$fn = gt_fn('bg');
$client = new GearmanClient();
$client->addServer(gt_host(), gt_port());
$client->setTimeout(20000);
$handle = $client->doBackground($fn, "slow job");
echo "handle: $handle rc=", $client->returnCode(), "\n";
var_dump($client->doJobHandle() === $handle);
$seen = [];
for ($i = 0; $i < 2000; $i++) {
    [$known, $running, $num, $den] = $client->jobStatus($handle);
    if ($client->returnCode() != GEARMAN_SUCCESS) {
        echo "jobStatus failed: ", $client->returnCode(), "\n";
        exit(1);
    }
    $state = json_encode([$known, $running, $num, $den]);
    if (!isset($seen[$state])) {
        $seen[$state] = true;
    }
    if (!$known) {
        break;
    }
    usleep(10000);
}
echo "final: $state\n";
// the worker reports 1/3, 2/3, 3/3 and waits between them; a poller sees at least one of them
$progress = array_filter(array_keys($seen), fn ($s) => str_starts_with($s, '[true,true,') && $s !== '[true,true,0,0]');
var_dump(count($progress) > 0);
foreach ($progress as $p) {
    if (!in_array($p, ['[true,true,1,3]', '[true,true,2,3]', '[true,true,3,3]'], true)) {
        echo "unexpected status $p\n";
    }
}
var_dump($client->jobStatus($handle));
