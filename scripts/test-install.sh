#!/usr/bin/env bash
# Installation tests (run by scripts/test.sh; also runnable alone):
#   phpize         `phpize && ./configure && make && make install` in a fresh copy of the tree
#                  (the files git tracks, plus new untracked ones), installed under a temporary
#                  INSTALL_ROOT, then loaded from there by name: `php -m` must list gearman.
# Prints "PASS install/<name>" or "FAIL install/<name>" per check and ends with
# "install: N passed, N failed". Nothing outside the temporary directory is touched
# (cargo's cache for the fresh copy lives in target/install-check, so reruns are quick).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi

TMP="$(mktemp -d /tmp/gearman-rs-install.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS install/$1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL install/$1: $2"; }

# A copy of the tree as a clean checkout has it (no target/, no build products).
fresh_copy() {
    mkdir -p "$1" && git -C "$ROOT" ls-files -z -co --exclude-standard \
        | (cd "$ROOT" && tar --null -cf - -T -) | tar -xf - -C "$1"
}

# ------------------------------------------------------------------ phpize
check_phpize() {
    local src="$TMP/phpize-src" dest="$TMP/phpize-root" log="$TMP/phpize.log" extdir
    extdir="$(php-config --extension-dir)"
    fresh_copy "$src" || { fail phpize "could not copy the tree"; return; }
    if ! (cd "$src" && export CARGO_TARGET_DIR="$ROOT/target/install-check" \
          && phpize && ./configure && make && make install INSTALL_ROOT="$dest") >"$log" 2>&1; then
        tail -20 "$log"; fail phpize "phpize && ./configure && make && make install failed (log above)"; return
    fi
    if [ ! -f "$dest$extdir/gearman.so" ]; then
        fail phpize "make install did not install $dest$extdir/gearman.so"; return
    fi
    local modules ri
    modules="$(php -n -d "extension_dir=$dest$extdir" -d extension=gearman -m 2>&1)"
    ri="$(php -n -d "extension_dir=$dest$extdir" -d extension=gearman --ri gearman 2>&1)"
    if ! grep -qx gearman <<<"$modules"; then
        fail phpize "php -m does not list gearman: $modules"
    elif ! grep -q '^implementation => gearman-rs ' <<<"$ri"; then
        fail phpize "the installed gearman.so is not gearman-rs: $ri"
    else
        pass phpize
    fi
}

check_phpize
echo "install: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
