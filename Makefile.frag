# Included by the Makefile that phpize + configure generate (see config.m4).
#
# cargo decides what is out of date, so the rule always runs it. The PHP that
# configure found is handed to ext-php-rs's build script (PHP, PHP_CONFIG), and
# the cdylib is copied to modules/gearman.so: the file name is the module name,
# which is what `extension=gearman` and PIE look for.
GEARMAN_TARGET_DIR = $(if $(CARGO_TARGET_DIR),$(CARGO_TARGET_DIR),$(top_srcdir)/target)

$(phplibdir)/gearman.so: gearman-cargo-build
	@mkdir -p $(phplibdir)
	cp -f $(GEARMAN_TARGET_DIR)/release/libgearman_rs.so $@.tmp && mv -f $@.tmp $@

gearman-cargo-build:
	PHP="$(PHP_EXECUTABLE)" PHP_CONFIG="$(GEARMAN_PHP_CONFIG)" \
	  $(CARGO) build --release --locked --lib -p gearman-rs \
	  --manifest-path "$(top_srcdir)/Cargo.toml" --target-dir "$(GEARMAN_TARGET_DIR)"

.PHONY: gearman-cargo-build
