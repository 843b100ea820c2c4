#!/usr/bin/env bash
# Undo scripts/install.sh: disable gearman_rs (phpdismod, state purged), remove its ini from
# /etc/php/<X.Y>/mods-available and gearman_rs.so from the extension dir. pecl/gearman, if
# installed, is left exactly as it is (re-enable it yourself with `phpenmod gearman`).
#
#   sudo bash scripts/uninstall.sh [--php-config PATH]
set -euo pipefail
PHP_CONFIG_BIN="php-config"
while [ "$#" -gt 0 ]; do
    case "$1" in
        --php-config) PHP_CONFIG_BIN="$2"; shift 2 ;;
        *) echo "uninstall.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
PHP_CONFIG_BIN="$(command -v "$PHP_CONFIG_BIN")" || { echo "uninstall.sh: php-config not found" >&2; exit 1; }
PHP_BIN="$("$PHP_CONFIG_BIN" --php-binary)"
EXT_DIR="$("$PHP_CONFIG_BIN" --extension-dir)"
XY="$("$PHP_BIN" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
MODS="/etc/php/$XY/mods-available"

if [ -f "$MODS/gearman_rs.ini" ]; then
    if command -v phpdismod >/dev/null 2>&1; then
        phpdismod -v "$XY" -p gearman_rs
    fi
    rm -f "$MODS/gearman_rs.ini"
    echo "uninstall.sh: disabled and removed $MODS/gearman_rs.ini"
fi
if [ -e "$EXT_DIR/gearman_rs.so" ]; then
    rm -f "$EXT_DIR/gearman_rs.so"
    echo "uninstall.sh: removed $EXT_DIR/gearman_rs.so"
fi
RI="$("$PHP_BIN" --ri gearman 2>&1)" || true
if grep -q '^implementation => gearman-rs' <<<"$RI"; then
    echo "uninstall.sh: gearman-rs is still loaded by another ini line: see '$PHP_BIN --ini'" >&2
    exit 1
fi
echo "uninstall.sh: done"
