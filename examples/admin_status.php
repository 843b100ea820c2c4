<?php
/**
 * A small gearmand dashboard with GearmanAdmin (gearman-rs addition): queue
 * depth per function, the workers that serve it, and a guard that caps a
 * runaway queue. The same data `gearadmin --status` / `--workers` print,
 * as PHP arrays.
 *
 *   php -d extension=gearman_rs.so examples/admin_status.php [host] [port] [function-prefix]
 *
 * Only functions starting with the prefix are shown (all by default).
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
$prefix = $argv[3] ?? '';

$admin = new GearmanAdmin($host, $port, 2000);   // 2 s per call; connects on first use
try {
    printf("gearmand %s\n", $admin->version());

    $workersOf = [];
    foreach ($admin->workers() as $w) {
        foreach (array_unique($w['functions']) as $fn) {
            $workersOf[$fn][] = $w['id'] === '-' ? "fd {$w['fd']}" : $w['id'];
        }
    }

    $status = array_filter($admin->status(), fn ($fn) => str_starts_with((string)$fn, $prefix), ARRAY_FILTER_USE_KEY);
    ksort($status);
    printf("%-24s %7s %7s %7s  %s\n", 'function', 'queued', 'running', 'workers', 'served by');
    foreach ($status as $fn => $s) {
        $by = $workersOf[$fn] ?? [];
        sort($by);
        printf("%-24s %7d %7d %7d  %s\n", $fn, $s['queued'], $s['running'], $s['workers'], implode(', ', $by) ?: '-');
        // A queue nobody serves keeps growing: cap it so submitters fail
        // fast (GEARMAN_QUEUE_ERROR) instead of piling up work.
        if ($s['workers'] === 0 && $s['queued'] >= 3) {
            $admin->maxQueue((string)$fn, $s['queued']);
            printf("  capped %s at %d queued jobs: no worker serves it\n", $fn, $s['queued']);
        }
    }
} catch (GearmanException $e) {
    fprintf(STDERR, "gearmand at %s:%d: %s (code %d)\n", $host, $port, $e->getMessage(), $e->getCode());
    exit(1);
}
