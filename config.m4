dnl config.m4 for gearman-rs.
dnl
dnl Lets the usual PHP extension build work on this Rust crate:
dnl     phpize && ./configure && make && make install
dnl (what PIE and pecl-style installs run). There is no C to compile: `make`
dnl runs `cargo build --release` against the PHP that configure found (the
dnl same php-config, passed to ext-php-rs's build script as PHP_CONFIG) and
dnl puts the result at modules/gearman.so, which `make install` copies into
dnl `php-config --extension-dir`. The file is named after the module
dnl (`gearman`), so `extension=gearman` loads it, as PIE expects.

PHP_ARG_ENABLE([gearman],
  [whether to build gearman-rs (the gearman extension, in Rust)],
  [AS_HELP_STRING([--disable-gearman], [Do not build gearman-rs])],
  [yes])

if test "$PHP_GEARMAN" != "no"; then
  dnl rustup installs into ~/.cargo/bin, which is often not on a sudo PATH.
  AC_PATH_PROG([CARGO], [cargo], [no], [$PATH$PATH_SEPARATOR$HOME/.cargo/bin])
  if test "$CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found: gearman-rs is written in Rust; install a Rust toolchain (https://rustup.rs) or set CARGO=/path/to/cargo])
  fi

  dnl ext-php-rs's build script wants paths, not bare command names.
  AC_MSG_CHECKING([for the php-config to build against])
  GEARMAN_PHP_CONFIG=`command -v "$PHP_CONFIG" 2>/dev/null`
  if test -z "$GEARMAN_PHP_CONFIG"; then
    AC_MSG_ERROR([cannot resolve php-config ($PHP_CONFIG); use --with-php-config=PATH])
  fi
  AC_MSG_RESULT([$GEARMAN_PHP_CONFIG])

  PHP_SUBST(CARGO)
  PHP_SUBST(GEARMAN_PHP_CONFIG)
  PHP_SUBST(PHP_EXECUTABLE)

  dnl The module is built by the rule in Makefile.frag instead of by
  dnl PHP_NEW_EXTENSION's libtool rules: adding it to PHP_MODULES makes
  dnl `make`, `make install` (install-modules copies modules/*) and PIE's
  dnl modules/gearman.so lookup all see it.
  PHP_ADD_BUILD_DIR([modules])
  PHP_MODULES="$PHP_MODULES \$(phplibdir)/gearman.so"
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag], [$abs_srcdir], [$abs_builddir])
fi
