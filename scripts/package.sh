#!/usr/bin/env bash
# Build the prebuilt archives PIE downloads ("download-url-method": ["pre-packaged-binary", ...]
# in composer.json), one per PHP:
#
#   php_gearman-<version>_php<X.Y>-<arch>-linux-glibc-<nts|zts>.tgz   (gearman.so, README, CHANGELOG)
#   + <archive>.sha256
#
# (PIE looks for php_<extension>-<package version>_php<X.Y>-<arch>-<os>-<libc>[-debug]-<nts|zts>
# .tgz/.zip among a release's assets and installs the <extension>.so inside.)
#
#   bash scripts/package.sh                     the PHP on PATH (php + php-config)
#   bash scripts/package.sh PHP:PHP_CONFIG ...  those PHPs (e.g. /usr/bin/php8.2:/usr/bin/php-config8.2)
#   bash scripts/package.sh --matrix            the PHP on PATH and every PHP of the version
#                                               matrix, reusing scripts/matrix.sh's builds
#                                               (target/php<X.Y>, chroot of scripts/php-chroot.sh)
#   PACKAGE_OUT=dir                             where archives go (default: dist/)
#
# Every archive is checked before it is written: its gearman.so must load into the PHP it
# was built for and register the module gearman. Prints one line per archive; exits non-zero
# if any PHP could not be packaged.
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
# Archives go to other machines: no packed relocations (build.rs emit_relr), which would make
# the library need the builder's glibc 2.36 instead of 2.34.
export GEARMAN_RS_RELR=0
TMP="$(mktemp -d /tmp/gearman-rs-package.XXXXXX)"
trap 'rm -rf "$TMP"' EXIT

# package PHP PHP_CONFIG [TARGET_DIR [ROOT_DIR]]
#   Build against that PHP (in TARGET_DIR; default: target/ for the PHP on PATH, built exactly
#   as scripts/setup.sh does so neither invalidates the other, else target/package-php<X.Y>)
#   and write its archive. ROOT_DIR: the directory that PHP sees as / (a chroot), for the
#   loading check.
package() {
    local php="$1" php_config="$2" target_dir="${3:-}" root="${4:-}" xy ts debug so name stage probe
    xy="$("$php" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')" || return 1
    ts="$("$php" -n -r 'echo PHP_ZTS ? "zts" : "nts";')"
    debug="$("$php" -n -r 'echo PHP_DEBUG ? "-debug" : "";')"
    if [ -z "$target_dir" ] && [ "$php" = "$(command -v php)" ] && [ "$php_config" = "$(command -v php-config)" ]; then
        target_dir="$ROOT/target"
        cargo build --release --locked --lib -p gearman-rs >&2 || return 1
    else
        target_dir="${target_dir:-$ROOT/target/package-php$xy-$ts$debug}"
        PHP="$php" PHP_CONFIG="$php_config" CARGO_TARGET_DIR="$target_dir" \
            cargo build --release --lib -p gearman-rs >&2 || return 1
    fi
    so="$target_dir/release/libgearman_rs.so"

    stage="$TMP/stage-$xy-$ts"
    rm -rf "$stage" && mkdir -p "$stage"
    cp "$so" "$stage/gearman.so"
    # Loaded by name from its own directory, as PIE's extension=gearman will.
    probe="$(mktemp -d "${root}/tmp/gearman-rs-probe.XXXXXX")"
    cp "$so" "$probe/gearman.so"
    if ! grep -qx gearman <<<"$("$php" -n -d "extension_dir=${probe#"$root"}" -d extension=gearman -m 2>&1)"; then
        echo "package: the build for PHP $xy $ts does not load into $php" >&2
        rm -rf "$probe"
        return 1
    fi
    rm -rf "$probe"

    name="php_gearman-${VERSION}_php${xy}-${ARCH}-linux-${LIBC}${debug}-${ts}.tgz"
    cp README.md CHANGELOG.md "$stage/"
    tar -czf "$OUT/$name" -C "$stage" gearman.so README.md CHANGELOG.md
    (cd "$OUT" && sha256sum "$name" > "$name.sha256")
    echo "package: $OUT/$name (PHP $xy $ts)"
}

failed=0
if [ "${1:-}" = "--matrix" ]; then
    package "$(command -v php)" "$(command -v php-config)" || failed=$((failed + 1))
    if [ ! -f scripts/php-chroot.sh ]; then
        echo "package: no version matrix in this tree (scripts/php-chroot.sh)" >&2; exit 1
    fi
    # shellcheck source=scripts/php-chroot.sh
    . scripts/php-chroot.sh
    for v in "${PHP_CHROOT_VERSIONS[@]}"; do
        bin="$ROOT/target/php$v/php-bin"
        if [ ! -x "$bin/php" ] || [ ! -f "$ROOT/target/php$v/release/libgearman_rs.so" ]; then
            echo "package: PHP $v: no matrix build in target/php$v (run bash scripts/matrix.sh first)" >&2
            failed=$((failed + 1)); continue
        fi
        package "$bin/php" "$bin/php-config" "$ROOT/target/php$v" "$PHP_CHROOT" || failed=$((failed + 1))
    done
else
    [ "$#" -gt 0 ] || set -- "$(command -v php):$(command -v php-config)"
    for target in "$@"; do
        package "${target%%:*}" "${target#*:}" || failed=$((failed + 1))
    done
fi
[ "$failed" -eq 0 ]
