#!/usr/bin/env bash
# Installation tests (run by scripts/test.sh; also runnable alone, INSTALL_CHECKS="a b" picks):
#   phpize    `phpize && ./configure && make && make install` in a fresh copy of the tree
#             (the files git tracks, plus new untracked ones), installed under a temporary
#             INSTALL_ROOT, then loaded from there by name: `php -m` must list gearman.
#   composer  composer.json passes scripts/check-composer-json.php (PIE's schema rules, and
#             the built .so registers the extension-name), whose self-test rejects broken
#             variants.
#   package   scripts/package.sh writes the archive PIE looks for, for the host PHP, and the
#             gearman.so inside loads by name from an extension dir.
#   system    scripts/install.sh / uninstall.sh on the system PHP (root + phpenmod only):
#             installed, `php -m` loads gearman-rs; with pecl/gearman (php8.2-gearman)
#             enabled as well PHP stops with one clear line and install.sh refuses; uninstall
#             leaves conf.d, mods-available, the extension dir and phpenmod's state exactly
#             as they were. A trap restores that state whatever happens.
# Prints "PASS install/<name>" or "FAIL install/<name>" (or "SKIP install/<name>: why") per
# check and ends with "install: N passed, N failed". The build for the fresh copy uses
# target/install-check as cargo's cache, so reruns are quick.
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

# ------------------------------------------------------------------ composer
check_composer() {
    local out
    if ! out="$(php -n scripts/check-composer-json.php composer.json "$ROOT/gearman_rs.so" 2>&1)"; then
        fail composer "$out"
    elif ! out="$(php -n scripts/check-composer-json.php --self-test composer.json 2>&1)"; then
        fail composer "checker self-test: $out"
    else
        pass composer
    fi
}

# ------------------------------------------------------------------ package
check_package() {
    local dist="$TMP/dist" version xy ts name out
    version="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
    xy="$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
    ts="$(php -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
    name="php_gearman-${version}_php${xy}-$(uname -m)-linux-glibc-${ts}.tgz"
    if ! PACKAGE_OUT="$dist" bash scripts/package.sh >"$TMP/package.log" 2>&1; then
        tail -20 "$TMP/package.log"; fail package "scripts/package.sh failed"; return
    fi
    if [ ! -f "$dist/$name" ]; then
        fail package "expected $name, got: $(ls "$dist")"; return
    fi
    mkdir -p "$TMP/unpacked" && tar -xzf "$dist/$name" -C "$TMP/unpacked"
    out="$(php -n -d "extension_dir=$TMP/unpacked" -d extension=gearman -m 2>&1)"
    if ! grep -qx gearman <<<"$out"; then
        fail package "gearman.so from $name does not load as extension=gearman"
    elif ! (cd "$dist" && sha256sum --quiet -c "$name.sha256"); then
        fail package "checksum file does not match"
    elif readelf -d "$TMP/unpacked/gearman.so" | grep -q '(RELR)'; then
        fail package "gearman.so from $name packs relocations (DT_RELR: would need glibc 2.36)"
    else
        pass package
    fi
}

# ------------------------------------------------------------------ system
# Back to how check_system found things: pecl/gearman disabled, gearman-rs not installed,
# and no state directory left that phpenmod created.
restore_system() {
    [ -n "${xy:-}" ] || return 0
    phpdismod -v "$xy" -s cli gearman >/dev/null 2>&1
    bash "$ROOT/scripts/uninstall.sh" >/dev/null 2>&1
    local d
    while read -r d; do
        grep -qxF "$d" <<<"$state_dirs" || rmdir "/var/lib/php/modules/$d" 2>/dev/null
    done < <(cd /var/lib/php/modules && find . -depth -type d)
    return 0
}

check_system() {
    local before after out rc
    if [ "$(id -u)" -ne 0 ] || ! command -v phpenmod >/dev/null 2>&1; then
        echo "SKIP install/system: needs root and phpenmod (Debian's php-common)"; return
    fi
    # Globals: the EXIT trap below needs them.
    php_bin="$(php-config --php-binary)"; ext_dir="$(php-config --extension-dir)"
    xy="$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"; mods="/etc/php/$xy/mods-available"
    if [ -e "$mods/gearman_rs.ini" ] || [ -e "$ext_dir/gearman_rs.so" ]; then
        echo "SKIP install/system: gearman-rs is already installed system-wide; not touching it"; return
    fi
    if [ ! -f "$ext_dir/gearman.so" ] || phpquery -q -v "$xy" -s cli -m gearman; then
        fail system "needs pecl/gearman installed and disabled (scripts/setup.sh does that)"; return
    fi
    snapshot() {
        ls -1 "/etc/php/$xy"/*/conf.d "$mods" "$ext_dir"
        (cd /var/lib/php/modules && find . -type f | sort)
    }
    before="$(snapshot)"
    state_dirs="$(cd /var/lib/php/modules && find . -type d | sort)"
    # Whatever happens below, nothing stays enabled or installed.
    trap 'restore_system; rm -rf "$TMP"' EXIT

    if ! out="$(bash scripts/install.sh --so "$ROOT/gearman_rs.so" 2>&1)"; then
        fail system "install.sh failed: $out"; return
    fi
    out="$("$php_bin" -m 2>&1; "$php_bin" --ri gearman 2>&1; "$php_bin" -r 'echo get_class(new GearmanClient()), "\n";' 2>&1)"
    if ! grep -qx gearman <<<"$out" || ! grep -q '^implementation => gearman-rs' <<<"$out" || ! grep -qx GearmanClient <<<"$out"; then
        fail system "after install.sh, php does not load gearman-rs"; return
    fi

    # pecl/gearman enabled as well (20-gearman.ini sorts before 30-gearman_rs.ini): kept short,
    # since every php without -n on the machine fails to start meanwhile.
    phpenmod -v "$xy" -s cli gearman
    out="$("$php_bin" -r 'echo "started\n";' 2>&1)"; rc=$?
    local refused; refused="$(bash scripts/install.sh --so "$ROOT/gearman_rs.so" 2>&1)"; local refused_rc=$?
    phpdismod -v "$xy" -s cli gearman
    local want="PHP Fatal error:  PHP Startup: gearman-rs: not loading $ext_dir/gearman_rs.so: the gearman extension is already loaded from $ext_dir/gearman.so; enable only one of them in Unknown on line 0"
    if [ "$rc" -ne 254 ] || [ "$out" != "$want" ]; then
        fail system "with pecl/gearman enabled too: exit $rc, output: $out"; return
    fi
    if [ "$refused_rc" -eq 0 ] || ! grep -q 'pecl/gearman is enabled' <<<"$refused"; then
        fail system "install.sh did not refuse while pecl/gearman was enabled: $refused"; return
    fi

    if ! out="$(bash scripts/uninstall.sh 2>&1)"; then
        fail system "uninstall.sh failed: $out"; return
    fi
    restore_system   # only removes the empty state directories phpenmod made
    after="$(snapshot)"
    out="$("$php_bin" -m 2>&1)"
    if grep -qx gearman <<<"$out"; then
        fail system "gearman still loaded after uninstall.sh"
    elif [ "$before" != "$after" ]; then
        fail system "state differs after uninstall: $(diff <(echo "$before") <(echo "$after") | head -5)"
    else
        pass system
    fi
}

for check in ${INSTALL_CHECKS:-phpize composer package system}; do
    "check_$check"
done
echo "install: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
