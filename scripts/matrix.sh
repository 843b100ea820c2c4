#!/usr/bin/env bash
# The PHP version matrix (issue 8), run by scripts/test.sh after the host stages.
#
# For each PHP of the sid chroot (scripts/php-chroot.sh: 8.4, 8.5, 8.6 RC):
#   1. build gearman-rs on the host against that PHP's headers (ext-php-rs finds
#      it through PHP / PHP_CONFIG wrappers that run the chroot's binaries; one
#      CARGO_TARGET_DIR per version, target/php8.X, so bindings never mix);
#   2. run the whole .phpt suite under that PHP inside the chroot, against the
#      chroot's own gearmand, with the same runner as on the host (scripts/test.sh
#      with its host-only stages skipped).
# Prints one result line per PHP and ends with "N passed, N failed" (a version
# that fails to build, or whose suite does not run, counts as a failure).
# The differential suite needs pecl/gearman (php8.2-gearman) and stays host-only.
#
# Environment:
#   MATRIX_PHP="8.4 8.5"   run only these versions (default: all of the chroot)
#   PHPT_FILTER=... PHPT_ARGS=...   passed through (paths relative to the repository;
#                          PHPT_ARGS=-m needs valgrind in the chroot)
#   TEST_JOBS=N            run-tests parallelism inside the chroot (default 2)
#   GEARMAN_RS_CACHE=dir   where the chroot is cached (default /var/cache/gearman-rs)
#   MATRIX_ZTS=8.5         whose headers the ZTS build check uses ("" = no ZTS check;
#                          see zts_check below: no thread-safe PHP can be run here)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
# shellcheck source=scripts/php-chroot.sh
. scripts/php-chroot.sh
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi

read -r -a VERSIONS <<<"${MATRIX_PHP:-${PHP_CHROOT_VERSIONS[*]}}"
PASSED=0
FAILED=0
RESULTS=()
FAILURES=()

fail_all() {
    local v
    for v in "${VERSIONS[@]}"; do
        RESULTS+=("PHP $v: NOT RUN ($1)")
        FAILURES+=("PHP $v: $1")
        FAILED=$((FAILED + 1))
    done
}

summary() {
    echo
    echo "== PHP version matrix"
    printf '%s\n' "${RESULTS[@]}"
    if [ "${#FAILURES[@]}" -gt 0 ]; then
        echo "matrix failures:"
        printf '  %s\n' "${FAILURES[@]}"
    fi
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

if [ "$(id -u)" -ne 0 ]; then
    fail_all "needs root for debootstrap/chroot"
    summary; exit
fi
t0=$SECONDS
if ! php_chroot_ensure; then
    fail_all "chroot setup failed"
    summary; exit
fi
echo "matrix: chroot ready in $((SECONDS - t0)) s"

# PHP / PHP_CONFIG for ext-php-rs: the chroot's binaries, run from the host,
# with php-config's include paths pointing into the chroot. They live in the
# version's target dir at a fixed path: ext-php-rs rebuilds its bindings
# whenever the PHP variable changes.
write_wrappers() {
    local v="$1" dir="$2"
    mkdir -p "$dir"
    cat >"$dir/php.new" <<EOF
#!/bin/sh
exec chroot '$PHP_CHROOT' /usr/bin/php$v "\$@"
EOF
    cat >"$dir/php-config.new" <<EOF
#!/bin/sh
out=\$(chroot '$PHP_CHROOT' /usr/bin/php-config$v "\$@") || exit
printf '%s\n' "\$out" | sed 's#-I/#-I$PHP_CHROOT/#g'
EOF
    install_wrappers "$dir"
}

# Put the php.new / php-config.new just written in $1 in place; an unchanged
# one is left alone (with its timestamp), so cargo sees no new PHP.
install_wrappers() {
    local dir="$1" f
    for f in php php-config; do
        chmod +x "$dir/$f.new"
        if cmp -s "$dir/$f.new" "$dir/$f"; then rm -f "$dir/$f.new"; else mv -f "$dir/$f.new" "$dir/$f"; fi
    done
}

# cargo build --release of the extension for the PHP whose wrappers are in
# $1/php-bin, into target dir $1 (log: $1/build.log). On failure: the log's
# tail, result line "$2: BUILD FAILED" and failure "$3: build failed"; returns 1.
build_ext() {
    local target="$1"
    if PHP="$target/php-bin/php" PHP_CONFIG="$target/php-bin/php-config" CARGO_TARGET_DIR="$target" \
            cargo build --release --lib -p gearman-rs >"$target/build.log" 2>&1; then
        return 0
    fi
    tail -30 "$target/build.log"
    RESULTS+=("$2: BUILD FAILED (see $target/build.log)")
    FAILURES+=("$3: build failed"); FAILED=$((FAILED + 1))
    return 1
}

for v in "${VERSIONS[@]}"; do
    if [ ! -x "$PHP_CHROOT/usr/bin/php$v" ]; then
        RESULTS+=("PHP $v: NOT RUN (php$v missing from the chroot)")
        FAILURES+=("PHP $v: not installed"); FAILED=$((FAILED + 1)); continue
    fi
    api="$(php_chroot_api "$v")"
    full="$(chroot "$PHP_CHROOT" "/usr/bin/php$v" -n -r 'echo PHP_VERSION, " ", PHP_ZTS ? "ZTS" : "NTS";')"
    target="$ROOT/target/php$v"
    write_wrappers "$v" "$target/php-bin"

    echo "== PHP $v ($full, API $api): cargo build --release"
    tb=$SECONDS
    build_ext "$target" "PHP $v ($full, API $api)" "PHP $v" || continue
    build_s=$((SECONDS - tb))

    # A private copy of the suite inside the chroot (the tests include
    # ../scripts and ../stubs), with this version's extension.
    run="$(mktemp -d "$PHP_CHROOT/tmp/gearman-rs-matrix.XXXXXX")"
    inner="/tmp/$(basename "$run")"
    for d in php-tests scripts stubs examples; do
        [ -d "$d" ] && cp -a "$d" "$run/"
    done
    cp "$target/release/libgearman_rs.so" "$run/gearman_rs.so"
    filter=""
    [ -n "${PHPT_FILTER:-}" ] && filter="$PHPT_FILTER"

    echo "== PHP $v: phpt suite in the chroot"
    tt=$SECONDS
    php_chroot_run \
        SKIP_SETUP=1 SKIP_CARGO=1 SKIP_DIFF=1 SKIP_MATRIX=1 \
        PHP_BIN="/usr/bin/php$v" RUN_TESTS="/usr/lib/php/$api/build/run-tests.php" \
        GEARMAN_EXT="$inner/gearman_rs.so" TEST_JOBS="${TEST_JOBS:-2}" \
        PHPT_FILTER="$filter" PHPT_ARGS="${PHPT_ARGS:-}" TMPDIR="$inner" \
        /bin/bash -c 'cd "$1" && exec bash scripts/test.sh' matrix "$inner" \
        </dev/null >"$target/phpt.log" 2>&1
    rc=$?
    test_s=$((SECONDS - tt))
    grep -v -e '^PASS ' -e '^== ' "$target/phpt.log" | sed -n '/^phpt:/p; /^Failures:/,/^skipped:/p; /^FAIL/p' | sed "s/^/  [$v] /"
    last="$(tail -1 "$target/phpt.log")"
    if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        p="${BASH_REMATCH[1]}"; f="${BASH_REMATCH[2]}"
        skipped="$(sed -n 's/^skipped: \([0-9]*\).*/\1/p' "$target/phpt.log" | tail -1)"
        [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
        while IFS= read -r name; do
            FAILURES+=("PHP $v: $name")
        done < <(sed -n '/^Failures:/,/^skipped:/{/^  /s/^  //p}' "$target/phpt.log")
        RESULTS+=("PHP $v ($full, API $api): $p passed, $f failed, ${skipped:-0} skipped [build ${build_s} s, tests ${test_s} s]")
    else
        tail -20 "$target/phpt.log"
        p=0; f=1
        RESULTS+=("PHP $v ($full, API $api): SUITE DID NOT RUN (exit $rc, see $target/phpt.log)")
        FAILURES+=("PHP $v: suite did not run")
    fi
    PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
    rm -rf "$run"
done

# ZTS: no Debian suite ships a thread-safe PHP, so none can run here. This is a
# build check: the headers of PHP $1 with ZTS switched on in main/php_config.h
# (the only place configure records it; everything else in the headers follows
# from that define) and `php -i` reporting thread safety, so that ext-php-rs and
# build.rs take their ZTS paths. It passes when the extension builds and reaches
# the executor globals only through TSRM: it must import tsrm_get_ls_cache and
# executor_globals_offset, and not the NTS symbol executor_globals.
zts_check() {
    local v="$1" api target inc tb so undef
    api="$(php_chroot_api "$v")"
    target="$ROOT/target/php$v-zts"
    inc="$target/include/php/$api"
    if [ ! -f "$inc/main/php_config.h" ] || [ "$PHP_CHROOT/.gearman-rs-stamp" -nt "$inc/main/php_config.h" ]; then
        rm -rf "$target/include"
        mkdir -p "$target/include/php"
        cp -a "$PHP_CHROOT/usr/include/php/$api" "$inc"
        sed -i 's|^/\* #undef ZTS \*/$|#define ZTS 1|' "$inc/main/php_config.h"
    fi
    mkdir -p "$target/php-bin"
    cat >"$target/php-bin/php.new" <<EOF
#!/bin/sh
chroot '$PHP_CHROOT' /usr/bin/php$v "\$@" | sed 's/^Thread Safety => disabled\$/Thread Safety => enabled/'
EOF
    cat >"$target/php-bin/php-config.new" <<EOF
#!/bin/sh
out=\$(chroot '$PHP_CHROOT' /usr/bin/php-config$v "\$@") || exit
printf '%s\n' "\$out" | sed 's#-I/usr/include/php/#-I$target/include/php/#g'
EOF
    install_wrappers "$target/php-bin"
    if ! grep -q '^#define ZTS 1$' "$inc/main/php_config.h"; then
        RESULTS+=("PHP $v ZTS: NOT RUN (could not switch on ZTS in php_config.h)")
        FAILURES+=("PHP $v ZTS: header setup"); FAILED=$((FAILED + 1)); return
    fi
    echo "== PHP $v ZTS (API $api, headers with ZTS defined): cargo build --release (build check only)"
    tb=$SECONDS
    build_ext "$target" "PHP $v ZTS (API $api)" "PHP $v ZTS" || return
    so="$target/release/libgearman_rs.so"
    undef="$(nm -D --undefined-only "$so" | awk '{print $NF}')"
    if grep -qx tsrm_get_ls_cache <<<"$undef" && grep -qx executor_globals_offset <<<"$undef" \
            && ! grep -qx executor_globals <<<"$undef"; then
        RESULTS+=("PHP $v ZTS (API $api): 1 passed, 0 failed (build check only, not run) [build $((SECONDS - tb)) s]")
        PASSED=$((PASSED + 1))
    else
        RESULTS+=("PHP $v ZTS (API $api): FAILED (executor globals not reached through TSRM)")
        FAILURES+=("PHP $v ZTS: not a ZTS build"); FAILED=$((FAILED + 1))
    fi
}
if [ -n "${MATRIX_ZTS-8.5}" ]; then
    zts_check "${MATRIX_ZTS-8.5}"
fi

echo "matrix: total $((SECONDS - t0)) s"
summary
