#!/usr/bin/env bash
# Prepare a Debian 12 machine for building and testing gearman-rs, then build it.
#   - installs the apt packages that are missing (non-interactive, skipped when all present)
#   - disables the reference pecl/gearman extension so it is never auto-loaded
#   - builds the Rust extension and copies it to ./gearman_rs.so
# Idempotent: a second run only does an incremental cargo build.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# php8.2-gearman is the reference extension (oracle for the tests; never loaded by default).
# gearman-tools gives gearadmin; valgrind is used for optional leak runs; debootstrap
# creates the sid chroot of the PHP version matrix (scripts/php-chroot.sh).
# stunnel4 + openssl: the TLS tests put stunnel in front of gearmand with certificates made by openssl.
PACKAGES=(php8.2-cli php8.2-dev clang libclang-dev build-essential pkg-config
          gearman-job-server gearman-tools php8.2-gearman valgrind debootstrap strace stunnel4 openssl ca-certificates)

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        --no-install-recommends "${missing[@]}" </dev/null
else
    echo "setup: apt packages already present"
fi

# The reference extension must only ever be loaded explicitly (php -n -d extension=gearman).
if php -m 2>/dev/null | grep -qx gearman; then
    $SUDO phpdismod -v ALL -s ALL gearman || $SUDO phpdismod gearman
fi
if php -m 2>/dev/null | grep -qx gearman; then
    echo "setup: WARNING: gearman is still auto-loaded by php.ini" >&2
fi

# Rust toolchain: CI has rustup; make sure cargo is on PATH.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck disable=SC1091
    . "$HOME/.cargo/env"
fi
command -v cargo >/dev/null 2>&1 || { echo "setup: cargo not found (install Rust with rustup)" >&2; exit 1; }
# The suite lints with clippy and rustfmt; a minimal rustup profile lacks them.
for component in clippy rustfmt; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1; then
        rustup component add "$component"
    fi
done

echo "setup: cargo build --release"
cargo build --release
# Install atomically (copy, then rename): PHP processes that still have the old
# gearman_rs.so mapped keep their inode; overwriting it in place would change their
# code under them and crash them.
cp -f target/release/libgearman_rs.so ./.gearman_rs.so.tmp && mv -f ./.gearman_rs.so.tmp ./gearman_rs.so
echo "setup: built $(pwd)/gearman_rs.so"
