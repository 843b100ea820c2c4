#!/usr/bin/env bash
# The .phpt suite under valgrind (issue 5): run-tests.php -m runs every test with
# USE_ZEND_ALLOC=0 under `valgrind --leak-check=full` and reports a test whose run
# leaks or touches invalid memory as LEAKED (counted as failed here).
#   bash scripts/valgrind.sh                      whole suite (slow: ~10-30x)
#   PHPT_FILTER="php-tests/client_do_normal.phpt" bash scripts/valgrind.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; }
SKIP_CARGO=1 SKIP_DIFF=1 SKIP_MATRIX=1 PHPT_ARGS="-m" PHPT_TIMEOUT=600 TEST_JOBS="${TEST_JOBS:-2}" exec bash scripts/test.sh
