#!/usr/bin/env bash
# Long-running stability soak (issue 5): SOAK_N doNormal round trips (default
# 1,000,000) through a private gearmand, worker and client both on gearman-rs,
# with RSS of both printed along the way and the growth at the end.
#   bash scripts/soak.sh            SOAK_N=100000 bash scripts/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
# shellcheck source=scripts/gearmand.sh
source scripts/gearmand.sh
gearmand_start
EXT="${GEARMAN_EXT:-$PWD/gearman_rs.so}"
php -n -d extension="$EXT" bench/soak.php worker 127.0.0.1 "$GEARMAN_TEST_PORT" >/dev/null 2>&1 &
WPID=$!
trap 'kill $WPID 2>/dev/null; gearmand_stop' EXIT
sleep 0.5
php -n -d extension="$EXT" bench/soak.php client 127.0.0.1 "$GEARMAN_TEST_PORT" "${SOAK_N:-1000000}" "$WPID"
