//! The cdylib itself, loaded into a real PHP: `cargo test` builds
//! `libgearman_rs.so` (debug profile) next to this test binary; PHP must load
//! it as module `gearman` with its classes, functions and constants, and a
//! call must go through argument parsing into Rust and back.
//!
//! The behaviour of the API is tested by php-tests/ (run-tests.php against a
//! real gearmand); this only guards the build and the module registration.

use std::path::PathBuf;
use std::process::Command;
use std::sync::Once;

fn extension_path() -> PathBuf {
    // target/<profile>/deps/<test binary> -> target/<profile>/libgearman_rs.so
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
    let so = dir.join("libgearman_rs.so");
    // `cargo test` does not build a cdylib-only crate for its integration
    // tests: build it (same profile, same target dir) once per run, always —
    // a library left over from an older checkout would test stale code.
    static BUILD: Once = Once::new();
    BUILD.call_once(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--lib", "-p", "gearman-rs"])
            .current_dir(env!("CARGO_MANIFEST_DIR"));
        if dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        let status = cmd.status().expect("run cargo build");
        assert!(status.success(), "cargo build of the extension failed");
    });
    assert!(so.exists(), "{} was not built", so.display());
    so
}

fn php(code: &str) -> String {
    let out = Command::new("php")
        .arg("-n")
        .arg("-d")
        .arg(format!("extension={}", extension_path().display()))
        .arg("-r")
        .arg(code)
        .output()
        .expect("php must be installed (scripts/setup.sh installs php8.2-cli)");
    assert!(
        out.status.success(),
        "php failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn registers_as_gearman_with_its_api() {
    let out = php(r#"echo json_encode([
            extension_loaded("gearman"),
            phpversion("gearman"),
            count(get_defined_constants(true)["gearman"]),
            array_map("class_exists", ["GearmanClient", "GearmanTask", "GearmanWorker", "GearmanJob", "GearmanException"]),
            (new ReflectionClass("GearmanException"))->isFinal(),
            GEARMAN_WORK_FAIL,
        ]);"#);
    // pecl/gearman's 157 constants, the 3 GEARMAN_SERVER_SELECTION_* of gearman-rs and
    // libgearman's GEARMAN_CLIENT_SSL / GEARMAN_WORKER_SSL.
    assert_eq!(
        out,
        r#"[true,"2.1.0",162,[true,true,true,true,true],true,24]"#
    );
}

/// TLS is rustls + ring: the extension must neither export nor import
/// OpenSSL's symbols, which would clash with PHP's ext-openssl (its libssl /
/// libcrypto) in the same process.
#[test]
fn no_openssl_symbols() {
    let so = extension_path();
    let nm = |flag: &str| binutils("nm", &["-D", flag], &so);
    let prefixes = [
        "SSL_", "EVP_", "OPENSSL_", "CRYPTO_", "X509_", "BIO_", "ERR_", "RAND_", "TLS_",
    ];
    for (flag, what) in [
        ("--defined-only", "exports"),
        ("--undefined-only", "imports"),
    ] {
        let table = nm(flag);
        let bad: Vec<&str> = table
            .lines()
            .filter_map(|l| l.split_whitespace().last())
            .filter(|sym| prefixes.iter().any(|p| sym.starts_with(p)))
            .collect();
        assert!(
            bad.is_empty(),
            "the extension {} OpenSSL-style symbols: {:?}",
            what,
            bad
        );
    }
    assert!(
        nm("--defined-only").contains("get_module"),
        "nm sees the module entry point"
    );
}

#[test]
fn weak_mode_arguments_reach_rust() {
    // "250" is coerced to int by Zend's own parser, as for the C extension.
    let out = php(
        r#"$c = new GearmanClient(); $c->setTimeout("250"); echo $c->timeout(), " ", gearman_client_timeout($c);"#,
    );
    assert_eq!(out, "250 250");
}

#[test]
fn bad_arguments_throw_php_errors_not_crashes() {
    let out = php(r#"$c = new GearmanClient();
        try { $c->addServer([]); } catch (TypeError $e) { echo $e->getMessage(), "\n"; }
        try { clone $c; } catch (Error $e) { echo $e->getMessage(), "\n"; }"#);
    assert_eq!(
        out,
        "GearmanClient::addServer(): Argument #1 ($host) must be of type ?string, array given\n\
         Trying to clone an uncloneable object of class GearmanClient\n"
    );
}

/// The output of binutils' `tool` with `args` on `file`; the tool must run
/// and succeed.
fn binutils(tool: &str, args: &[&str], file: &std::path::Path) -> String {
    let out = Command::new(tool)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (binutils) must be installed: {e}"));
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn readelf(args: &[&str]) -> String {
    binutils("readelf", args, &extension_path())
}

/// Packed relative relocations (build.rs `emit_relr`): a library with a
/// DT_RELR table must require glibc's `GLIBC_ABI_DT_RELR` version, so that a
/// glibc older than 2.36 (which would not apply the table and crash later)
/// refuses to load it with "version `GLIBC_ABI_DT_RELR' not found". Where
/// this machine's glibc has it, an x86_64 build (rustc's own lld) uses it:
/// 100 KB of `.rela.dyn` less to read and keep resident.
#[test]
fn packed_relocations_require_their_glibc_version() {
    let dynamic = readelf(&["-d", "-W"]);
    let relr = dynamic.contains("(RELR)");
    let needs = readelf(&["-V", "-W"]).contains("Name: GLIBC_ABI_DT_RELR");
    assert_eq!(
        relr, needs,
        "DT_RELR {relr}, GLIBC_ABI_DT_RELR needed {needs}"
    );
    let glibc = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let v: Vec<u32> = glibc
        .strip_prefix("glibc ")
        .unwrap_or("0.0")
        .split('.')
        .filter_map(|p| p.parse().ok())
        .collect();
    let has_relr = v.first() > Some(&2) || (v.first() == Some(&2) && v.get(1) >= Some(&36));
    let off = std::env::var("GEARMAN_RS_RELR").is_ok_and(|v| v == "0")
        || std::env::var_os("RUSTC_LINKER").is_some();
    if cfg!(all(
        target_arch = "x86_64",
        target_os = "linux",
        target_env = "gnu"
    )) && has_relr
        && !off
    {
        assert!(relr, "{glibc} loads DT_RELR, but the library has none");
    }
}
