<?php
/**
 * The benchmark scenarios: the one place to add one (bench/run.php runs every
 * entry, under pecl/gearman and gearman-rs, against a fresh gearmand per run).
 *
 * Keys of an entry:
 *   title    what is measured (shown in the table)
 *   preload  optional [n, size]: doBackground jobs for 'bench_echo' queued
 *            before the workers start (not measured)
 *   workers  number of echo workers ('bench_echo'); started first
 *   clients  number of client processes, each running
 *   mode     bg | sync | batch | none (see bench/bench.php), with
 *   n        operations per client (scaled by BENCH_SCALE), size (payload
 *            bytes), batch (tasks per runTasks, mode batch)
 *   measure  'clients' (throughput = client ops over the clients' span) or
 *            'workers' (jobs done over the workers' span: drains)
 *   show     extra columns: 'latency', 'mibs', 'rss'
 *   fixed_n  true: BENCH_SCALE does not apply (the 10k batch, the 200k RSS run)
 *   ref      false: gearman-rs only (the reference cannot run it)
 *
 * Scenarios that need something else (TLS via stunnel) can add a 'setup'
 * key later; keep the JSON line contract of bench.php. Several gearmands:
 * bench/multi_server.sh, which scripts/bench.sh runs after these.
 */
return [
    'bg_submit' => [
        'title' => 'doBackground 16 B submit, 1 client (no worker)',
        'workers' => 0, 'clients' => 1, 'mode' => 'bg', 'n' => 20000, 'size' => 16,
        'measure' => 'clients', 'show' => [],
    ],
    'bg_drain_1w' => [
        'title' => 'background drain 16 B, 1 worker',
        'preload' => [20000, 16],
        'workers' => 1, 'clients' => 0, 'mode' => 'none', 'n' => 0, 'size' => 16,
        'measure' => 'workers', 'show' => [],
    ],
    'bg_drain_2w' => [
        'title' => 'background drain 16 B, 2 workers',
        'preload' => [20000, 16],
        'workers' => 2, 'clients' => 0, 'mode' => 'none', 'n' => 0, 'size' => 16,
        'measure' => 'workers', 'show' => [],
    ],
    'sync_roundtrip' => [
        'title' => 'sequential doNormal 16 B, 1 client, 1 worker',
        'workers' => 1, 'clients' => 1, 'mode' => 'sync', 'n' => 5000, 'size' => 16,
        'measure' => 'clients', 'show' => ['latency'],
    ],
    'tasks_batch' => [
        'title' => 'addTask x 10k + runTasks 16 B, 1 worker',
        'workers' => 1, 'clients' => 1, 'mode' => 'batch', 'n' => 10000, 'batch' => 10000, 'size' => 16,
        'measure' => 'clients', 'show' => ['rss'], 'fixed_n' => true,
    ],
    'echo_1m' => [
        'title' => 'doNormal 1 MiB echo, 1 worker',
        'workers' => 1, 'clients' => 1, 'mode' => 'sync', 'n' => 20, 'size' => 1 << 20,
        'measure' => 'clients', 'show' => ['latency', 'mibs'],
    ],
    'echo_16m' => [
        'title' => 'doNormal 16 MiB echo, 1 worker',
        'workers' => 1, 'clients' => 1, 'mode' => 'sync', 'n' => 6, 'size' => 16 << 20,
        'measure' => 'clients', 'show' => ['latency', 'mibs'],
        // pecl/gearman did not finish one 16 MiB round trip within the
        // client's 120 s timeout (2026-11-30), so only gearman-rs runs it.
        'ref' => false,
    ],
    'multi_8c_2w' => [
        'title' => '8 clients x 2k doNormal 16 B, 2 workers',
        'workers' => 2, 'clients' => 8, 'mode' => 'sync', 'n' => 2000, 'size' => 16,
        'measure' => 'clients', 'show' => ['latency'],
    ],
    'rss_200k' => [
        'title' => 'RSS over 200k jobs (runTasks of 100), 1 worker',
        'workers' => 1, 'clients' => 1, 'mode' => 'batch', 'n' => 200000, 'batch' => 100, 'size' => 16,
        'measure' => 'clients', 'show' => ['rss'], 'fixed_n' => true,
    ],
];
