#!/usr/bin/env bash
# TLS throughput: 1 MiB echo (ping) and 1 MiB doNormal round trips through stunnel4 with
# client certificates, next to the same over plain TCP, against a private gearmand.
# Separate from scripts/bench.sh (which compares with pecl/gearman, which has no TLS).
#   bash scripts/bench-tls.sh            BENCH_N=200 bash scripts/bench-tls.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# shellcheck source=scripts/gearmand.sh
source scripts/gearmand.sh
gearmand_start
GEARMAN_TEST_EXT="$PWD/gearman_rs.so" php -n -d extension="$PWD/gearman_rs.so" bench/bench-tls.php
