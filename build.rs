//! Build script.
//!
//! Per-PHP-version `cfg`s for our own crate, exactly as ext-php-rs sets them
//! for itself: `php81` … `php86` (stacked: building against 8.4 sets php81 to
//! php84) and `php_zts` for thread-safe builds. They select the Zend API shape
//! that changed between versions (see src/zend); every value and signature
//! still comes from ext-php-rs's bindings of the same PHP headers.
//!
//! The PHP is found the way ext-php-rs finds it (`PHP` environment variable,
//! else `php` on PATH), so both always agree.
//!
//! Links with link/hot-text.ld (see `emit_hot_text`): the functions that run
//! in common use sit together at the start of .text, so a PHP process maps a
//! few 64 KiB windows of our code instead of a dozen (scripts/hot-text.php).
//!
//! Also records the source commit for `php --ri gearman` (`build` row):
//! `GEARMAN_RS_COMMIT` = `git rev-parse --short=12 HEAD` when building from our
//! own git checkout (a release tarball or PIE's source zip has no .git: the row
//! then says "unknown"), rerun when HEAD or the branch it points to moves.

use std::path::PathBuf;
use std::process::Command;

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
    emit_commit();
    emit_hot_text();
}

/// Adds link/hot-text.ld to the cdylib's link: a script that starts `.text`
/// with the functions it lists (each by its section, under every name the
/// compiler may give it); the linker appends the others. Only where rustc
/// links with its own lld by default (x86_64 Linux GNU since Rust 1.90) and
/// nothing configured another linker: that is the linker it is tested with.
/// Without it the library is the same, with the linker's default layout.
fn emit_hot_text() {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let script = PathBuf::from(dir).join("link/hot-text.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let flags = env("CARGO_ENCODED_RUSTFLAGS");
    let other_linker = ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|f| flags.contains(f));
    if !script.is_file()
        || env("TARGET") != "x86_64-unknown-linux-gnu"
        || std::env::var_os("RUSTC_LINKER").is_some()
        || other_linker
        || rustc_minor().is_none_or(|m| m < 90)
    {
        return;
    }
    println!("cargo:rustc-cdylib-link-arg=-Wl,-T,{}", script.display());
}

/// The minor version of the rustc that builds us (`rustc 1.95.0 (...)`).
fn rustc_minor() -> Option<u32> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let out = Command::new(rustc).arg("--version").output().ok()?;
    let v = String::from_utf8(out.stdout).ok()?;
    v.split_whitespace().nth(1)?.split('.').nth(1)?.parse().ok()
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

fn emit_commit() {
    // Only our own checkout: not a git repository that happens to contain the sources.
    let canonical = |p: PathBuf| p.canonicalize().ok();
    let top = git(&["rev-parse", "--show-toplevel"])
        .map(PathBuf::from)
        .and_then(canonical);
    let here = std::env::var("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok()
        .and_then(canonical);
    if top.is_none() || top != here {
        return;
    }
    let Some(commit) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return;
    };
    println!("cargo:rustc-env=GEARMAN_RS_COMMIT={commit}");
    // HEAD, and the branch ref it names (loose or packed).
    let mut watch = vec!["HEAD".to_string(), "packed-refs".to_string()];
    watch.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for path in watch {
        if let Some(p) = git(&["rev-parse", "--git-path", &path]) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
}
