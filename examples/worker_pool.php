<?php
/**
 * A pre-forking worker pool with pcntl: the parent forks N worker processes, restarts any
 * that dies, and on SIGTERM/SIGINT passes the signal on, waits until every worker has
 * finished its job and exits 0.
 *
 *   php examples/worker_pool.php [host] [port] [workers]   (default 4 workers)
 *
 * Each child creates its own GearmanWorker after the fork; the parent never connects.
 * (gearman-rs also copes with a client or worker created before a fork: each process
 * reconnects on first use. pecl/gearman shares the socket and mixes up replies.)
 */
$host = $argv[1] ?? '127.0.0.1';
$port = (int)($argv[2] ?? 4730);
$size = max(1, (int)($argv[3] ?? 4));

function say(string $msg): void
{
    fprintf(STDERR, "[pool %d] %s\n", getmypid(), $msg);
}

/** The child: a worker loop that stops after its current job on SIGTERM. */
function run_worker(string $host, int $port): never
{
    $stop = false;
    pcntl_signal(SIGTERM, function () use (&$stop) { $stop = true; });
    pcntl_signal(SIGINT, SIG_IGN);  // Ctrl-C reaches the whole group; the parent decides
    $worker = new GearmanWorker();
    $worker->addServer($host, $port);
    $worker->setTimeout(5000);
    $worker->addFunction('pool_whoami', function (GearmanJob $job): string {
        usleep(300000);  // the real work
        return (string)getmypid();
    });
    while (!$stop) {
        if ($worker->work() || $stop) {
            continue;
        }
        switch ($worker->returnCode()) {
            case GEARMAN_TIMEOUT:            // idle: look at $stop again
                break;
            case GEARMAN_COULD_NOT_CONNECT:  // gearmand down or restarting: retry
            case GEARMAN_LOST_CONNECTION:
            case GEARMAN_NO_ACTIVE_FDS:
                sleep(1);
                break;
            default:
                exit(1);                     // the parent starts a new worker
        }
    }
    exit(0);
}

pcntl_async_signals(true);
$stopping = false;
$children = [];
$forward = function (int $signal) use (&$stopping, &$children) {
    if (!$stopping) {
        say("signal $signal: stopping " . count($children) . ' worker(s)');
    }
    $stopping = true;
    foreach (array_keys($children) as $pid) {
        posix_kill($pid, SIGTERM);
    }
};
// restart_syscalls = false: the signal interrupts pcntl_wait() below.
pcntl_signal(SIGTERM, $forward, false);
pcntl_signal(SIGINT, $forward, false);

$spawn = function () use (&$children, $host, $port) {
    $pid = pcntl_fork();
    if ($pid === -1) {
        say('fork failed');
        return;
    }
    if ($pid === 0) {
        run_worker($host, $port);
    }
    $children[$pid] = true;
    say("started worker $pid");
};
for ($i = 0; $i < $size; $i++) {
    $spawn();
}

while ($children) {
    $pid = pcntl_wait($status);  // -1 when a signal interrupted it
    if ($pid <= 0) {
        continue;
    }
    unset($children[$pid]);
    $how = pcntl_wifsignaled($status) ? 'killed by signal ' . pcntl_wtermsig($status) : 'exited with ' . pcntl_wexitstatus($status);
    if ($stopping) {
        say("worker $pid $how");
    } else {
        say("worker $pid $how; starting a new one");
        $spawn();
    }
}
say('pool stopped');
exit(0);
