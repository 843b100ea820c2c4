#!/usr/bin/env bash
# The benchmark: every scenario of bench/scenarios.php under pecl/gearman (when
# installed) and gearman-rs, interleaved ref/ours for BENCH_PAIRS pairs, each
# run against a fresh private gearmand. Prints jobs/s median [min-max], the
# median of the paired ratios, CPU us per job of gearmand/clients/workers,
# latency, MiB/s and RSS, and writes a Markdown table to target/bench/.
# Not part of the test suite: performance is measured here, never asserted.
#
#   bash scripts/bench.sh                 build, then run everything unpinned
#   bash scripts/bench.sh --pin [CPU]     everything (gearmand, clients, workers) on one CPU (default 0)
#   bash scripts/bench.sh --both          unpinned, then pinned
#   BENCH_PAIRS=5 BENCH_SCALE=0.2 BENCH_ONLY=sync_roundtrip,bg_submit bash scripts/bench.sh
#   SKIP_BUILD=1 ...                      use ./gearman_rs.so as it is
# Per-operation instruction and syscall counts: scripts/perf-ops.sh.
# To add a scenario, add an entry to bench/scenarios.php (the only place).
# Several gearmands (server selection strategies, a blackholed server) are
# bench/multi_server.sh, run after the scenarios (unpinned, once);
# BENCH_ONLY=multi_server runs only it, a BENCH_ONLY without it skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then bash scripts/setup.sh >/dev/null; fi
mode=unpinned
case "${1:-}" in
    --pin) mode=pinned; export BENCH_PIN="${2:-0}" ;;
    --both) mode=both ;;
    "") ;;
    *) echo "usage: $0 [--pin [CPU] | --both]" >&2; exit 2 ;;
esac
main=1
multi=1
if [ -n "${BENCH_ONLY:-}" ]; then
    case ",$BENCH_ONLY," in *,multi_server,*) ;; *) multi=0 ;; esac
    [ "$BENCH_ONLY" = multi_server ] && main=0
fi
if [ "$main" = 1 ]; then
    if [ "$mode" = both ]; then
        env -u BENCH_PIN php -n bench/run.php
        BENCH_PIN="${BENCH_PIN:-0}" php -n bench/run.php
    else
        php -n bench/run.php
    fi
fi
if [ "$multi" = 1 ]; then
    echo
    echo "== several servers (bench/multi_server.sh)"
    MS_JOBS="${MS_JOBS:-$(awk -v s="${BENCH_SCALE:-1}" 'BEGIN { v = int(1000 * s); print (v < 10 ? 10 : v) }')}" \
        bash bench/multi_server.sh
fi
