#!/usr/bin/env bash
# Install gearman-rs into an existing system PHP (Debian/Ubuntu layout, phpenmod):
#   - <extension dir>/gearman_rs.so   (`php-config --extension-dir`; beside, never over, a
#                                      distribution's pecl/gearman gearman.so)
#   - /etc/php/<X.Y>/mods-available/gearman_rs.ini, enabled with `phpenmod` for every SAPI
#     (priority 30: after pecl/gearman's 20, so if both are ever enabled, gearman-rs is the
#     one that sees the other and stops PHP with one clear line instead of being shadowed)
#
#   sudo bash scripts/install.sh [--so FILE] [--php-config PATH] [--disable-pecl] [--no-enable]
#     --so FILE          install this build (e.g. gearman.so from a prebuilt archive);
#                        default: build with `cargo build --release` for that PHP
#     --php-config PATH  the PHP to install into (default: php-config on PATH)
#     --disable-pecl     run `phpdismod gearman` first if pecl/gearman is enabled
#                        (without it, an enabled pecl/gearman makes the install stop, untouched)
#     --no-enable        install the files only
# Undo with scripts/uninstall.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
SO="" PHP_CONFIG_BIN="php-config" DISABLE_PECL="" ENABLE=1
while [ "$#" -gt 0 ]; do
    case "$1" in
        --so) SO="$2"; shift 2 ;;
        --php-config) PHP_CONFIG_BIN="$2"; shift 2 ;;
        --disable-pecl) DISABLE_PECL=1; shift ;;
        --no-enable) ENABLE=""; shift ;;
        *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
die() { echo "install.sh: $*" >&2; exit 1; }

PHP_CONFIG_BIN="$(command -v "$PHP_CONFIG_BIN")" || die "php-config not found (apt install phpX.Y-dev, or --php-config PATH)"
PHP_BIN="$("$PHP_CONFIG_BIN" --php-binary)"
EXT_DIR="$("$PHP_CONFIG_BIN" --extension-dir)"
XY="$("$PHP_BIN" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
MODS="/etc/php/$XY/mods-available"

if [ -z "$SO" ]; then
    if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi
    if [ "$PHP_CONFIG_BIN" = "$(command -v php-config)" ]; then
        cargo build --release --locked --lib -p gearman-rs >&2
        SO="$ROOT/target/release/libgearman_rs.so"
    else
        PHP="$PHP_BIN" PHP_CONFIG="$PHP_CONFIG_BIN" cargo build --release --locked --lib -p gearman-rs \
            --target-dir "$ROOT/target/install-php$XY" >&2
        SO="$ROOT/target/install-php$XY/release/libgearman_rs.so"
    fi
fi
[ -f "$SO" ] || die "no such file: $SO"
# (Output captured first: with pipefail, grep -q closing the pipe early would fail it.)
RI="$("$PHP_BIN" -n -d "extension=$SO" --ri gearman 2>&1)" || true
grep -q '^implementation => gearman-rs' <<<"$RI" \
    || die "$SO is not a gearman-rs build for PHP $XY ($PHP_BIN)"

pecl_enabled() {
    [ -n "$ENABLE" ] && command -v phpquery >/dev/null 2>&1 || return 1
    local sapi
    for sapi in $(phpquery -v "$XY" -S); do
        phpquery -q -v "$XY" -s "$sapi" -m gearman && return 0
    done
    return 1
}
if pecl_enabled; then
    if [ -n "$DISABLE_PECL" ]; then
        echo "install.sh: disabling pecl/gearman (phpdismod -v $XY gearman)"
        phpdismod -v "$XY" gearman
    else
        die "pecl/gearman is enabled for PHP $XY; both register the module gearman. Run 'phpdismod -v $XY gearman' (or pass --disable-pecl) and retry. Nothing was changed."
    fi
fi

# Atomically (copy, then rename): running PHP processes keep the file they mapped.
install -d "$EXT_DIR"
cp -f "$SO" "$EXT_DIR/.gearman_rs.so.tmp"
chmod 0644 "$EXT_DIR/.gearman_rs.so.tmp"
mv -f "$EXT_DIR/.gearman_rs.so.tmp" "$EXT_DIR/gearman_rs.so"
echo "install.sh: installed $EXT_DIR/gearman_rs.so"

if [ -z "$ENABLE" ]; then
    echo "install.sh: not enabled; add 'extension=gearman_rs.so' to your php.ini to load it"
    exit 0
fi
if ! command -v phpenmod >/dev/null 2>&1 || [ ! -d "$MODS" ]; then
    echo "install.sh: no phpenmod/$MODS here; add 'extension=gearman_rs.so' to your php.ini to load it"
    exit 0
fi
cat > "$MODS/gearman_rs.ini" <<INI
; gearman-rs: drop-in replacement for pecl/gearman (module name "gearman").
; Installed by gearman-rs's scripts/install.sh; remove with scripts/uninstall.sh.
; Enable only one of gearman_rs and pecl/gearman's gearman (phpdismod gearman).
; priority=30
extension=gearman_rs.so
INI
phpenmod -v "$XY" gearman_rs
RI="$("$PHP_BIN" --ri gearman 2>&1)" || true
if grep -q '^implementation => gearman-rs' <<<"$RI"; then
    echo "install.sh: enabled for PHP $XY (phpenmod -v $XY gearman_rs); restart php-fpm/apache to pick it up"
else
    die "enabled, but '$PHP_BIN -m' does not load gearman-rs: check '$PHP_BIN --ri gearman'"
fi
