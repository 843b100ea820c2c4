//! Per-PHP-version `cfg`s for our own crate, exactly as ext-php-rs sets them
//! for itself: `php81` … `php86` (stacked: building against 8.4 sets php81 to
//! php84) and `php_zts` for thread-safe builds. They select the Zend API shape
//! that changed between versions (see src/zend); every value and signature
//! still comes from ext-php-rs's bindings of the same PHP headers.
//!
//! The PHP is found the way ext-php-rs finds it (`PHP` environment variable,
//! else `php` on PATH), so both always agree.

use ext_php_rs_build::{
    emit_check_cfg, emit_php_cfg_flags, emit_rerun_if_env_changed, find_php, ApiVersion, PHPInfo,
};

fn main() {
    emit_check_cfg();
    emit_rerun_if_env_changed();
    println!("cargo:rerun-if-changed=build.rs");
    let php = find_php().expect("PHP not found: put php on PATH or set PHP");
    let info = PHPInfo::get(&php).expect("`php -i` failed");
    let api = info
        .zend_version()
        .expect("PHP API version missing from `php -i`");
    let version = ApiVersion::try_from(api).expect("unsupported PHP version");
    emit_php_cfg_flags(version);
    if info
        .thread_safety()
        .expect("thread safety missing from `php -i`")
    {
        println!("cargo:rustc-cfg=php_zts");
    }
}
