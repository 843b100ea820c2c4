#!/usr/bin/env bash
# Private gearmand for demos and tests.
#
# Sourced:   . scripts/gearmand.sh; gearmand_start; ...; gearmand_stop
#            gearmand_start exports GEARMAN_TEST_HOST / GEARMAN_TEST_PORT and sets
#            GEARMAND_PID / GEARMAND_LOG, and installs an EXIT trap that stops it
#            (set GEARMAND_NO_TRAP=1 to manage the trap yourself).
# Executed:  bash scripts/gearmand.sh   -> runs one in the foreground, prints
#            "GEARMAN_TEST_HOST=... GEARMAN_TEST_PORT=..." and stops on Ctrl-C.
#
# The server listens on 127.0.0.1 on a free port, keeps its queue in memory only
# (builtin queue, nothing persistent), logs to a file and is never daemonised:
# the process we start is the server, so it can be stopped by its pid.

_GEARMAND_HELPER="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/php-tests/_helper.inc"

# A free port below the ephemeral range, where other processes' bind(0) and
# outgoing connections never take it before gearmand binds it (gt_free_port()).
_gearmand_free_port() {
    php -n -r 'require $argv[1]; echo gt_free_port();' "$_GEARMAND_HELPER"
}

# Whether process $1 listens on 127.0.0.1:$2: "true", "false" (nobody does yet)
# or "NULL" (another process does). From /proc (gt_pid_listens()): a test connect
# cannot tell gearmand from another process that took the port, and gearmand
# keeps retrying a port in use rather than exiting.
_gearmand_listens() {
    php -n -r 'require $argv[1]; var_export(gt_pid_listens((int)$argv[2], (int)$argv[3]));' "$_GEARMAND_HELPER" "$1" "$2"
}

gearmand_start() {
    local bin tries port dir i state
    bin="$(command -v gearmand || echo /usr/sbin/gearmand)"
    [ -x "$bin" ] || { echo "gearmand not found (run scripts/setup.sh)" >&2; return 1; }
    dir="${GEARMAND_DIR:-$(mktemp -d /tmp/gearmand-rs.XXXXXX)}"
    mkdir -p "$dir"
    for tries in 1 2 3 4 5; do
        port="$(_gearmand_free_port)" || continue
        GEARMAND_LOG="$dir/gearmand-$port.log"
        "$bin" --listen=127.0.0.1 --port="$port" --threads="${GEARMAND_THREADS:-4}" \
               --log-file="$GEARMAND_LOG" --verbose=ERROR \
               --pid-file="$dir/gearmand-$port.pid" --queue-type=builtin \
               </dev/null >>"$GEARMAND_LOG" 2>&1 &
        GEARMAND_PID=$!
        for i in $(seq 1 100); do
            if ! kill -0 "$GEARMAND_PID" 2>/dev/null; then break; fi
            state="$(_gearmand_listens "$GEARMAND_PID" "$port")"
            if [ "$state" = NULL ]; then break; fi   # lost the port: another one
            if [ "$state" = true ]; then
                export GEARMAN_TEST_HOST=127.0.0.1 GEARMAN_TEST_PORT="$port"
                export GEARMAND_PID GEARMAND_LOG
                if [ -z "${GEARMAND_NO_TRAP:-}" ]; then trap gearmand_stop EXIT; fi
                return 0
            fi
            sleep 0.1
        done
        kill "$GEARMAND_PID" 2>/dev/null; wait "$GEARMAND_PID" 2>/dev/null
        echo "gearmand did not come up on port $port (try $tries); log:" >&2
        tail -5 "$GEARMAND_LOG" >&2 || true
    done
    return 1
}

gearmand_stop() {
    local i
    [ -n "${GEARMAND_PID:-}" ] || return 0
    if kill -0 "$GEARMAND_PID" 2>/dev/null; then
        kill -TERM "$GEARMAND_PID" 2>/dev/null
        for i in $(seq 1 50); do
            kill -0 "$GEARMAND_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$GEARMAND_PID" 2>/dev/null || true
    fi
    wait "$GEARMAND_PID" 2>/dev/null || true
    GEARMAND_PID=""
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -eu
    gearmand_start
    echo "GEARMAN_TEST_HOST=$GEARMAN_TEST_HOST GEARMAN_TEST_PORT=$GEARMAN_TEST_PORT (pid $GEARMAND_PID, log $GEARMAND_LOG)"
    trap 'gearmand_stop; exit 0' INT TERM
    wait "$GEARMAND_PID"
fi
