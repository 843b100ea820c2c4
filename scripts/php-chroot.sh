#!/usr/bin/env bash
# A minimal Debian sid chroot holding the PHP versions the host does not have
# (issue 8): php8.4 and php8.5 from sid, php8.6 (RC) from experimental, each with
# its headers, php-config and run-tests.php, plus gearmand for the tests.
#
# Sourced by scripts/matrix.sh:  . scripts/php-chroot.sh; php_chroot_ensure
# Executed:                      bash scripts/php-chroot.sh   (create or refresh only)
#
# Cached between runs on one machine: created once under $GEARMAN_RS_CACHE
# (default /var/cache/gearman-rs) and reused while its stamp matches the package
# list below. Creation is serialised with flock, so parallel test runs share one.
#
# Needs root (debootstrap, chroot) and network access to the host's Debian mirror.
# The compiler toolchain of phpX.Y-dev is not installed: the -dev packages are
# only unpacked (dpkg -x), which is all a build from the host needs (headers,
# php-configX.Y, run-tests.php); gearman-rs itself is compiled on the host.

GEARMAN_RS_CACHE="${GEARMAN_RS_CACHE:-/var/cache/gearman-rs}"
PHP_CHROOT="${PHP_CHROOT:-$GEARMAN_RS_CACHE/sid-chroot}"
# PHP versions of the matrix and the suite each comes from.
PHP_CHROOT_VERSIONS=(8.4 8.5 8.6)
declare -A PHP_CHROOT_SUITE=([8.4]=sid [8.5]=sid [8.6]=experimental)
# Installed normally (gearmand and what tests may spawn).
PHP_CHROOT_TOOLS=(gearman-job-server gearman-tools stunnel4 openssl ca-certificates procps)
# Bump when the recipe changes: a chroot with another stamp is rebuilt.
PHP_CHROOT_STAMP="v1 ${PHP_CHROOT_VERSIONS[*]} ${PHP_CHROOT_TOOLS[*]}"

# The Debian mirror the host itself uses (deb822 or one-line sources).
php_chroot_mirror() {
    local m
    m="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null)"
    [ -n "$m" ] || m="$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)"
    echo "${m:-http://deb.debian.org/debian}"
}

# Run a command inside the chroot. /proc and /dev are mounted in a private mount
# namespace (unshare -m): they exist only for this command and its children and
# vanish with them, so concurrent runs never unmount each other's view and an
# interrupted run leaves no mount behind (rm -rf of the chroot stays safe).
php_chroot_run() {
    unshare --mount --propagation private /bin/sh -c '
        root="$1"; shift
        mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" || exit 125
        exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"
    ' php-chroot-run "$PHP_CHROOT" "$@"
}

# The PHP API number of phpX.Y inside the chroot (directory of run-tests.php).
php_chroot_api() {
    chroot "$PHP_CHROOT" "/usr/bin/php-config$1" --phpapi
}

# Create (or reuse) the chroot. Prints what it does; returns non-zero on failure.
php_chroot_ensure() {
    mkdir -p "$GEARMAN_RS_CACHE"
    (
        flock 9
        if [ -f "$PHP_CHROOT/.gearman-rs-stamp" ] && [ "$(cat "$PHP_CHROOT/.gearman-rs-stamp")" = "$PHP_CHROOT_STAMP" ]; then
            echo "php-chroot: reusing $PHP_CHROOT"
            exit 0
        fi
        _php_chroot_create
    ) 9>"$GEARMAN_RS_CACHE/.lock"
}

_php_chroot_create() {
    local new="$PHP_CHROOT.new" mirror v pkgs=() devs=()
    mirror="$(php_chroot_mirror)"
    command -v debootstrap >/dev/null || { echo "php-chroot: debootstrap missing (scripts/setup.sh installs it)" >&2; return 1; }
    echo "php-chroot: creating $PHP_CHROOT (debootstrap sid from $mirror)"
    rm -rf "$new"
    # The mirror's Release files may carry a Valid-Until already past by this
    # machine's clock; debootstrap itself does not check it, apt does (below).
    if ! debootstrap --variant=minbase sid "$new" "$mirror" >"$GEARMAN_RS_CACHE/debootstrap.log" 2>&1; then
        echo "php-chroot: debootstrap failed; tail of $GEARMAN_RS_CACHE/debootstrap.log:" >&2
        tail -20 "$GEARMAN_RS_CACHE/debootstrap.log" >&2
        return 1
    fi
    echo 'Acquire::Check-Valid-Until "false";' >"$new/etc/apt/apt.conf.d/99no-valid-until"
    echo 'APT::Install-Recommends "false";' >"$new/etc/apt/apt.conf.d/99no-recommends"
    printf 'deb %s sid main\ndeb %s experimental main\n' "$mirror" "$mirror" >"$new/etc/apt/sources.list"
    # Nothing we install may start a service inside the chroot.
    printf '#!/bin/sh\nexit 101\n' >"$new/usr/sbin/policy-rc.d"; chmod +x "$new/usr/sbin/policy-rc.d"
    # minbase has no /etc/hosts: without it "localhost" does not resolve.
    printf '127.0.0.1 localhost\n::1 localhost ip6-localhost\n' >"$new/etc/hosts"
    for v in "${PHP_CHROOT_VERSIONS[@]}"; do
        if [ "${PHP_CHROOT_SUITE[$v]}" = sid ]; then pkgs+=("php$v-cli"); fi
        devs+=("php$v-dev")
    done
    local script
    script="set -e
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq ${pkgs[*]} ${PHP_CHROOT_TOOLS[*]} </dev/null"
    for v in "${PHP_CHROOT_VERSIONS[@]}"; do
        [ "${PHP_CHROOT_SUITE[$v]}" = experimental ] || continue
        script+="
        apt-get install -y -qq -t experimental php$v-cli </dev/null"
    done
    # -dev packages: unpack only (headers, php-config, run-tests.php), no toolchain.
    script+="
        mkdir -p /var/cache/gearman-rs-debs && cd /var/cache/gearman-rs-debs
        apt-get download ${devs[*]}
        for d in *.deb; do dpkg -x \"\$d\" /; done
        cd / && rm -rf /var/cache/gearman-rs-debs
        apt-get clean"
    local saved="$PHP_CHROOT" rc
    PHP_CHROOT="$new"
    php_chroot_run /bin/sh -c "$script" >"$GEARMAN_RS_CACHE/apt.log" 2>&1
    rc=$?
    PHP_CHROOT="$saved"
    if [ $rc -ne 0 ]; then
        echo "php-chroot: package installation failed; tail of $GEARMAN_RS_CACHE/apt.log:" >&2
        tail -20 "$GEARMAN_RS_CACHE/apt.log" >&2
        return 1
    fi
    for v in "${PHP_CHROOT_VERSIONS[@]}"; do
        if [ ! -x "$new/usr/bin/php$v" ] || [ ! -x "$new/usr/bin/php-config$v" ]; then
            echo "php-chroot: php$v or php-config$v missing after installation" >&2
            return 1
        fi
    done
    echo "$PHP_CHROOT_STAMP" >"$new/.gearman-rs-stamp"
    rm -rf "$PHP_CHROOT"
    mv "$new" "$PHP_CHROOT"
    echo "php-chroot: ready ($(du -sh "$PHP_CHROOT" | cut -f1))"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -uo pipefail
    php_chroot_ensure
fi
