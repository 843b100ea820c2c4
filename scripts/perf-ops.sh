#!/usr/bin/env bash
# Per-operation cost of the PHP process under pecl/gearman (when installed) and
# gearman-rs: user-space instructions (valgrind --tool=callgrind) and syscalls
# (strace -f -c) per doBackground, doNormal (client and worker side), drained
# background job and batched task. Each is the difference of two runs with
# different operation counts, so PHP's start-up cancels out; neither number
# depends on machine load. See bench/ops.php for the method.
#
#   bash scripts/perf-ops.sh
#   OPS_ONLY=client_bg,worker_drain OPS_TOOLS=callgrind bash scripts/perf-ops.sh
#   SKIP_BUILD=1 ...   use ./gearman_rs.so as it is
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then bash scripts/setup.sh >/dev/null; fi
command -v valgrind >/dev/null || { echo "perf-ops: valgrind is needed (scripts/setup.sh installs it)" >&2; exit 1; }
command -v strace >/dev/null || { echo "perf-ops: strace is needed (scripts/setup.sh installs it)" >&2; exit 1; }
exec php -n bench/ops.php
