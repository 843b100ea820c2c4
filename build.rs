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
//! few 64 KiB windows of our code instead of a dozen (scripts/hot-text.php),
//! with each segment aligned to 64 KiB so that those windows are whole
//! page-cache folios (`emit_page_align`).
//! Packs relative relocations (DT_RELR, see `emit_relr`) where the glibc of
//! the build machine, which is the one that loads the library, supports them.
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
    let lld = links_with_own_lld();
    emit_hot_text(lld);
    emit_relr(lld);
    emit_page_align(lld);
}

/// Whether rustc links the cdylib with its own lld: its default on x86_64
/// Linux GNU since Rust 1.90, unless something configured another linker.
/// That is the linker the options below are tested with.
fn links_with_own_lld() -> bool {
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    let flags = env("CARGO_ENCODED_RUSTFLAGS");
    let other_linker = ["linker", "link-self-contained", "fuse-ld"]
        .iter()
        .any(|f| flags.contains(f));
    env("TARGET") == "x86_64-unknown-linux-gnu"
        && std::env::var_os("RUSTC_LINKER").is_none()
        && !other_linker
        && rustc_minor().is_some_and(|m| m >= 90)
}

/// Adds link/hot-text.ld to the cdylib's link: a script that puts the PLT
/// and then the functions it lists (each by its section, under every name
/// the compiler may give it) at the start of `.text`; the linker appends the
/// others. Only with rustc's own lld (`lld`). Without it the library is the
/// same, with the linker's default layout.
fn emit_hot_text(lld: bool) {
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let script = PathBuf::from(dir).join("link/hot-text.ld");
    println!("cargo:rerun-if-changed={}", script.display());
    if lld && script.is_file() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-T,{}", script.display());
    }
}

/// Links with `-z pack-relative-relocs`: the ~4,100 relative relocations
/// (pointers in vtables, method tables, panic locations) become a 1 KB
/// bitmap table (DT_RELR) instead of 100 KB of `.rela.dyn`, which the loader
/// reads at every `dlopen` and which then stays resident (64 KB less RSS per
/// PHP process). glibc loads such a library from 2.36 on; an older one
/// refuses it with "version `GLIBC_ABI_DT_RELR' not found", which the linker
/// records as a needed version. So only when the glibc of the build machine
/// is 2.36 or newer and the library is built for that machine (not cross),
/// with rustc's own lld (which has the option). `GEARMAN_RS_RELR=0` turns it
/// off, for a library to be copied to a machine with an older glibc.
fn emit_relr(lld: bool) {
    println!("cargo:rerun-if-env-changed=GEARMAN_RS_RELR");
    let env = |k: &str| std::env::var(k).unwrap_or_default();
    if !lld || env("TARGET") != env("HOST") || env("GEARMAN_RS_RELR") == "0" {
        return;
    }
    if glibc_version().is_some_and(|v| v >= (2, 36)) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,pack-relative-relocs");
    }
}

/// Links with `-z max-page-size=65536 -z separate-loadable-segments`: each
/// loadable segment starts at a 64 KiB boundary of the file and of the
/// address space (the file gets up to 64 KiB of padding per segment, the
/// address space gaps). On a read fault the kernel maps the 64 KiB window
/// of the address space around it (fault-around), and every page-cache folio
/// that window touches as a whole (folios are aligned in the file; 64 KiB
/// ones for a freshly copied library on the 6.18 kernel we measured on). With
/// the default 4 KiB layout the code segment is one page off: every window
/// straddles two folios, so each touch mapped 128 KiB of our code, and the
/// first window, cut at the segment's start, reached into the next folio.
/// Measured on the 10k batch, together with the grouped order of a
/// regenerated link/hot-text.ld: our code mapped 276 -> 192 KiB in the
/// client, 596 -> 192 KiB in the worker.
fn emit_page_align(lld: bool) {
    if lld {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,max-page-size=65536");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,separate-loadable-segments");
    }
}

/// The version of this machine's glibc (`getconf GNU_LIBC_VERSION`:
/// `glibc 2.36`); `None` without glibc.
fn glibc_version() -> Option<(u32, u32)> {
    let out = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()?;
    let s = String::from_utf8(out.stdout).ok()?;
    let v = s.trim().strip_prefix("glibc ")?;
    let mut parts = v.split('.').map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
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
