#!/usr/bin/env bash
# Demo: build gearman-rs, start a private gearmand, run the reverse worker and the
# reverse client (doNormal, doBackground + jobStatus, addTask/runTasks with callbacks)
# with the Rust extension, print what they print, stop everything.
#
#   bash scripts/demo.sh                    # uses ./gearman_rs.so
#   GEARMAN_EXT=gearman bash scripts/demo.sh  # same demo on the reference pecl/gearman
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

bash scripts/setup.sh

EXT="${GEARMAN_EXT:-$ROOT/gearman_rs.so}"
PHP=(php -n -d "extension=$EXT")

GEARMAND_NO_TRAP=1
# shellcheck source=scripts/gearmand.sh
. scripts/gearmand.sh
WORKER_PID=""
cleanup() {
    if [ -n "$WORKER_PID" ] && kill -0 "$WORKER_PID" 2>/dev/null; then
        kill -TERM "$WORKER_PID" 2>/dev/null || true
        for _ in $(seq 1 30); do kill -0 "$WORKER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$WORKER_PID" 2>/dev/null || true
    fi
    gearmand_stop
}
trap cleanup EXIT

gearmand_start
echo "demo: gearmand on $GEARMAN_TEST_HOST:$GEARMAN_TEST_PORT (pid $GEARMAND_PID)"
echo "demo: extension $EXT"

"${PHP[@]}" examples/reverse_worker.php "$GEARMAN_TEST_HOST" "$GEARMAN_TEST_PORT" &
WORKER_PID=$!

# Wait until the worker has registered "reverse" with the server.
registered=""
for _ in $(seq 1 100); do
    if gearadmin -h "$GEARMAN_TEST_HOST" -p "$GEARMAN_TEST_PORT" --status 2>/dev/null \
        | awk -F'\t' '$1 == "reverse" && $4 > 0 { f = 1 } END { exit !f }'; then
        registered=1; break
    fi
    kill -0 "$WORKER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$registered" ]; then
    echo "demo: the worker did not register (the extension may not implement GearmanWorker yet)" >&2
    exit 1
fi

rc=0
timeout 60 "${PHP[@]}" examples/reverse_client.php "$GEARMAN_TEST_HOST" "$GEARMAN_TEST_PORT" || rc=$?
if [ "$rc" -eq 0 ]; then echo "demo: OK"; else echo "demo: FAILED (client exit $rc)"; fi
exit "$rc"
