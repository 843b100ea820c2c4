#!/usr/bin/env bash
# Multi-server benchmark (issue 13): 3 private gearmands, 3 echo workers each connected to
# all of them, then for each server selection strategy 4 concurrent clients doing doNormal
# round trips; prints jobs per server (the spread) and jobs/s. Then the blackholed-server
# case: 1,000 doBackground calls by one round-robin client over three servers, one of
# which has connects that hang, against the same calls over the two live ones (the difference should be about
# one gearman.connect_timeout, not one per call). Not part of the test suite: performance
# is measured here, never asserted.
#   bash bench/multi_server.sh                 (uses ./gearman_rs.so; builds it if missing)
#   MS_JOBS=2000 MS_CONNECT_TIMEOUT=500 bash bench/multi_server.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
EXT="${GEARMAN_EXT:-$ROOT/gearman_rs.so}"
JOBS="${MS_JOBS:-1000}"           # doNormal calls per client per strategy
CT="${MS_CONNECT_TIMEOUT:-1000}"  # gearman.connect_timeout for the blackholed case
[ -f "$EXT" ] || bash scripts/setup.sh >/dev/null
DIR="$(mktemp -d /tmp/gearman-rs-msbench.XXXXXX)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -rf "$DIR"
}
trap cleanup EXIT
php_ext() { php -n -d extension="$EXT" "$@"; }
. scripts/gearmand.sh   # gearmand_start: a free port, up once its own socket listens

PORTS=()
for i in 1 2 3; do
    GEARMAND_NO_TRAP=1 GEARMAND_THREADS=1 GEARMAND_DIR="$DIR" gearmand_start
    PIDS+=("$GEARMAND_PID")
    PORTS+=("$GEARMAN_TEST_PORT")
done
LIST="127.0.0.1:${PORTS[0]},127.0.0.1:${PORTS[1]},127.0.0.1:${PORTS[2]}"
for i in 1 2 3; do
    # php itself, not through php_ext: $! must be the process cleanup kills.
    php -n -d extension="$EXT" bench/multi_server.php worker "$LIST" >/dev/null 2>&1 &
    PIDS+=($!)
done
sleep 1
echo "gearmand on ${PORTS[*]}; 3 workers on all of them; 4 clients x $JOBS doNormal per strategy"
echo "machine: $(nproc) CPUs, $(uname -sr), $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-12s %10s %8s   %s\n' strategy "jobs/s" ok "jobs per server (${PORTS[*]})"

run_clients() { # servers strategy n fn -> JSON lines in $DIR/out
    local cpids=() k
    : >"$DIR/out"
    for k in 1 2 3 4; do
        php_ext -d gearman.connect_timeout="$CT" bench/multi_server.php client "$1" "$2" "$3" "$4" >>"$DIR/out" &
        cpids+=($!)
    done
    for k in "${cpids[@]}"; do wait "$k"; done
}

summarise() { # label -> one line
    php -n -r '
        $ok = 0; $max = 0; $per = [];
        foreach (file($argv[1], FILE_IGNORE_NEW_LINES) as $l) {
            $j = json_decode($l, true); $ok += $j["ok"]; $max = max($max, $j["seconds"]);
            foreach ($j["per_server"] as $a => $n) $per[$a] = ($per[$a] ?? 0) + $n;
        }
        $ports = array_slice($argv, 3);
        $cells = [];
        foreach ($ports as $p) { $n = $per["127.0.0.1:$p"] ?? 0; $cells[] = sprintf("%d (%.0f%%)", $n, $ok ? 100 * $n / $ok : 0); }
        printf("%-12s %10.0f %8d   %s\n", $argv[2], $ok / max($max, 1e-9), $ok, implode("  ", $cells));
    ' "$DIR/out" "$1" "${PORTS[@]}"
}

for s in first round_robin random; do
    run_clients "$LIST" "$s" "$JOBS" bench_ms_echo
    summarise "$s"
done

echo
echo "blackholed server: 1 round-robin client, 1000 doBackground, gearman.connect_timeout=$CT ms"
php -n bench/multi_server.php blackhole >"$DIR/hole" &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$DIR/hole" ] && break; sleep 0.05; done
HOLE="$(head -1 "$DIR/hole")"
one() { php_ext -d gearman.connect_timeout="$CT" bench/multi_server.php client "$1" round_robin 1000 "bench_ms_bg_$2" \
        | php -n -r '$j = json_decode(stream_get_contents(STDIN), true); printf("%.3f %d", $j["seconds"], $j["ok"]);'; }
TWO="127.0.0.1:${PORTS[0]},127.0.0.1:${PORTS[1]}"
read -r base_s base_ok <<<"$(one "$TWO" a)"
read -r hole_s hole_ok <<<"$(one "$TWO,127.0.0.1:$HOLE" b)"
printf '%-40s %8.3f s  %4d ok\n' "2 live servers" "$base_s" "$base_ok"
printf '%-40s %8.3f s  %4d ok\n' "2 live + 1 blackholed (127.0.0.1:$HOLE)" "$hole_s" "$hole_ok"
awk -v a="$base_s" -v b="$hole_s" -v ct="$CT" 'BEGIN { printf "extra cost: %.3f s = %.2f connect timeouts\n", b - a, (b - a) / (ct / 1000) }'
if php -n -d extension=gearman -r 'exit(extension_loaded("gearman") ? 0 : 1);' 2>/dev/null; then
    out="$(timeout 120 php -n -d extension=gearman bench/multi_server.php client "$TWO,127.0.0.1:$HOLE" first 10 bench_ms_bg_c 2000 2>/dev/null || true)"
    if [ -n "$out" ]; then
        ref="$(php -n -r '$j = json_decode($argv[1], true); printf("%.3f s for 10 calls, %d ok", $j["seconds"], $j["ok"]);' "$out")"
    else
        ref="did not finish in 120 s"
    fi
    echo "pecl/gearman, same servers (the blackholed one added last = tried first), timeout 2 s: $ref"
    out="$(php_ext -d gearman.connect_timeout="$CT" bench/multi_server.php client "$TWO,127.0.0.1:$HOLE" first 10 bench_ms_bg_d 2000)"
    echo "gearman-rs, same (FIRST, timeout 2 s): $(php -n -r '$j = json_decode($argv[1], true); printf("%.3f s for 10 calls, %d ok", $j["seconds"], $j["ok"]);' "$out")"
fi
