#!/usr/bin/env bash
# Build the prebuilt archives PIE downloads ("download-url-method": ["pre-packaged-binary", ...]
# in composer.json), one per PHP:
#
#   php_gearman-<version>_php<X.Y>-<arch>-linux-glibc-<nts|zts>.tgz   containing gearman.so
#
# (PIE looks for php_<extension>-<package version>_php<X.Y>-<arch>-<os>-<libc>[-debug]-<nts|zts>
# .tgz/.zip among a release's assets and installs the <extension>.so inside.)
#
#   bash scripts/package.sh                       the PHP on PATH (php + php-config)
#   bash scripts/package.sh PHP:PHP_CONFIG ...    those PHPs (e.g. /usr/bin/php8.2:/usr/bin/php-config8.2)
#   PACKAGE_OUT=dir                               where archives go (default: dist/)
#
# A PHP may be a wrapper that runs another PHP (a chroot of the version matrix): the build
# uses PHP/PHP_CONFIG like ext-php-rs does, the loading check runs
# `PHP -n -d extension=<path> -m` on a copy under PACKAGE_LOAD_DIR (default: a temporary
# directory; set it to a directory that PHP sees at the same path).
# Each archive is checked before it is written: the .so inside must load into its PHP
# and register the module gearman. Prints one line per archive.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then . "$HOME/.cargo/env"; fi

OUT="${PACKAGE_OUT:-$ROOT/dist}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
VERSION="$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)"
ARCH="$(uname -m)"
case "$(ldd --version 2>&1 || true)" in *GLIBC*|*"GNU libc"*) LIBC=glibc ;; *) LIBC=musl ;; esac
TMP="$(mktemp -d /tmp/gearman-rs-package.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# package PHP PHP_CONFIG: build against that PHP and write its archive.
package() {
    local php="$1" php_config="$2" xy ts debug target_dir so name stage load_dir
    xy="$("$php" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
    ts="$("$php" -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
    debug="$("$php" -n -r 'echo PHP_DEBUG ? "-debug" : "";')"
    # The PHP on PATH builds exactly as scripts/setup.sh does (same target dir, same
    # environment, so neither invalidates the other); any other PHP gets its own target
    # dir, since the Zend bindings are generated per PHP.
    if [ "$php" = "$(command -v php)" ] && [ "$php_config" = "$(command -v php-config)" ]; then
        target_dir="$ROOT/target"
        cargo build --release --locked --lib -p gearman-rs >&2
    else
        target_dir="$ROOT/target/package-php$xy-$ts$debug"
        PHP="$php" PHP_CONFIG="$php_config" cargo build --release --locked --lib -p gearman-rs \
            --target-dir "$target_dir" >&2
    fi
    so="$target_dir/release/libgearman_rs.so"

    load_dir="${PACKAGE_LOAD_DIR:-$TMP}"
    cp "$so" "$load_dir/gearman.so"
    if ! grep -qx gearman <<<"$("$php" -n -d "extension=$load_dir/gearman.so" -m 2>&1)"; then
        echo "package: the build for PHP $xy $ts does not load into $php" >&2
        rm -f "$load_dir/gearman.so"
        return 1
    fi

    name="php_gearman-${VERSION}_php${xy}-${ARCH}-linux-${LIBC}${debug}-${ts}.tgz"
    stage="$TMP/stage-$xy-$ts"
    rm -rf "$stage" && mkdir -p "$stage"
    mv "$load_dir/gearman.so" "$stage/gearman.so"
    cp README.md CHANGELOG.md "$stage/"
    tar -czf "$OUT/$name" -C "$stage" gearman.so README.md CHANGELOG.md
    (cd "$OUT" && sha256sum "$name" > "$name.sha256")
    echo "package: $OUT/$name (PHP $xy $ts)"
}

if [ "$#" -eq 0 ]; then
    set -- "$(command -v php):$(command -v php-config)"
fi
for target in "$@"; do
    package "${target%%:*}" "${target#*:}"
done
