#!/usr/bin/env bash
# Benchmarks gearman-rs against the reference pecl/gearman in the same run, against the
# same private gearmand, and prints per-operation times and the ratio (reference / ours:
# above 1 means gearman-rs is faster). Not part of the test suite: performance is
# measured here, never asserted in tests.
#   bash scripts/bench.sh            (builds first via scripts/setup.sh)
#   BENCH_SCALE=0.2 bash scripts/bench.sh   fewer iterations
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# shellcheck source=scripts/gearmand.sh
source scripts/gearmand.sh
gearmand_start
OURS="$PWD/gearman_rs.so"
SCALE="${BENCH_SCALE:-1}"
n() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 1 ? 1 : v) }'; }

run_side() { # ext scenario n -> "wall cpu n"
    local ext="$1" scenario="$2" count="$3" wpid out
    php -n -d extension="$ext" bench/bench.php worker 127.0.0.1 "$GEARMAN_TEST_PORT" >/dev/null 2>&1 &
    wpid=$!
    sleep 0.5
    out="$(php -n -d extension="$ext" bench/bench.php client 127.0.0.1 "$GEARMAN_TEST_PORT" "$scenario" "$count")"
    kill "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null || true
    echo "$out"
}

printf '%-40s %14s %14s %8s\n' "scenario (per operation)" "pecl/gearman" "gearman-rs" "ratio"
for spec in "big:$(n 20):wall:doNormal 1 MiB round trip (wall)" \
            "small:$(n 3000):wall:doNormal 16 B round trip (wall)" \
            "background:$(n 20000):cpu:doBackground 16 B (client CPU)"; do
    IFS=: read -r scenario count metric label <<<"$spec"
    ref="$(run_side gearman "$scenario" "$count")"
    ours="$(run_side "$OURS" "$scenario" "$count")"
    awk -v r="$ref" -v o="$ours" -v m="$metric" -v l="$label" 'BEGIN {
        split(r, a, " "); split(o, b, " ");
        i = (m == "wall") ? 1 : 2;
        ru = a[i] / a[3] * 1e6; ou = b[i] / b[3] * 1e6;
        printf "%-40s %11.1f us %11.1f us %7.2fx\n", l, ru, ou, ru / ou }'
done
