//! TLS settings from PHP: `setSslOptions(array)` (stream-context key names),
//! the SSL option bits with libgearman's environment variables, and the
//! `gearman.ssl_*` ini defaults. One piece for GearmanClient and
//! GearmanWorker (their `setSslOptions()` is [`set_ssl_options`]); GearmanAdmin
//! shares the parsing and defaults.
//!
//! Precedence, per setting: a key given to `setSslOptions()`, then
//! libgearman's environment variables (`GEARMAND_CA_CERTIFICATE`,
//! `GEARMAN_CLIENT_PEM`, `GEARMAN_CLIENT_KEY`), then the ini settings, then
//! the built-in default (system CA store, no client certificate, verify).

use std::path::PathBuf;
use std::ptr::null_mut;
use std::sync::Arc;

use ext_php_rs::types::{ArrayKey, Zval};
use gearman_core::{Error, TlsConfig, TlsOptions};

use crate::php::last_error::HasLastError;
use crate::php::{guarded, ini};
use crate::zend::ffi::*;
use crate::zend::{object, value};

/// The keys `setSslOptions()` knows, for error messages.
const KEYS: &str =
    "cafile, capath, local_cert, local_pk, passphrase, verify_peer, verify_peer_name, peer_name, allow_self_signed";

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn env(name: &str) -> Option<PathBuf> {
    nonempty(std::env::var(name).ok()).map(PathBuf::from)
}

/// The options TLS starts from: built-in defaults, then ini, then env.
pub fn defaults() -> TlsOptions {
    let mut o = TlsOptions {
        cafile: ini::ssl_cafile().map(PathBuf::from),
        local_cert: ini::ssl_local_cert().map(PathBuf::from),
        local_pk: ini::ssl_local_pk().map(PathBuf::from),
        verify_peer: ini::ssl_verify_peer(),
        ..TlsOptions::default()
    };
    if let Some(p) = env("GEARMAND_CA_CERTIFICATE") {
        o.cafile = Some(p);
    }
    if let Some(p) = env("GEARMAN_CLIENT_PEM") {
        o.local_cert = Some(p);
    }
    if let Some(p) = env("GEARMAN_CLIENT_KEY") {
        o.local_pk = Some(p);
    }
    o
}

/// Builds the configuration; a failure still yields one (that fails every
/// connect with the reason), never plaintext.
pub fn build(opts: &TlsOptions) -> (Arc<TlsConfig>, Option<Error>) {
    match TlsConfig::new(opts) {
        Ok(c) => (Arc::new(c), None),
        Err(e) => (Arc::new(TlsConfig::failed(e.clone())), Some(e)),
    }
}

fn type_name(t: u32) -> &'static str {
    match t {
        IS_NULL => "null",
        IS_FALSE | IS_TRUE => "bool",
        IS_LONG => "int",
        IS_DOUBLE => "float",
        IS_STRING => "string",
        IS_ARRAY => "array",
        IS_OBJECT => "object",
        _ => "resource",
    }
}

fn type_error(key: &str, want: &str, got: u32) {
    let msg = format!(
        "SSL option \"{}\" must be of type {}, {} given",
        key,
        want,
        type_name(got)
    );
    // SAFETY: TypeError is a registered Throwable class; we run inside a call.
    unsafe { value::throw(zend_ce_type_error, msg, 0) };
}

fn value_error(msg: String) {
    // SAFETY: ValueError is a registered Throwable class; we run inside a call.
    unsafe { value::throw(zend_ce_value_error, msg, 0) };
}

/// Reads the `setSslOptions()` array over `base`. `None` when it threw
/// (TypeError for a wrong type, ValueError for an unknown key or an
/// unsupported one), naming the key.
///
/// # Safety
/// `arr` must be an array zval.
pub unsafe fn parse(arr: *mut zval, mut o: TlsOptions) -> Option<TlsOptions> {
    let zv: &Zval = &*arr;
    let ht = zv.array()?;
    for (key, v) in ht.iter() {
        let key = match key {
            ArrayKey::Long(n) => {
                value_error(format!(
                    "SSL options must be keyed by name, got key {} (known: {})",
                    n, KEYS
                ));
                return None;
            }
            other => other.to_string(),
        };
        let v = value::deref(v as *const zval as *mut zval);
        let t = value::type_of(v);
        let text = || -> Option<String> {
            match t {
                IS_STRING => Some(String::from_utf8_lossy(value::str_bytes(v)).into_owned()),
                _ => None,
            }
        };
        let flag = || -> Option<bool> {
            match t {
                IS_TRUE => Some(true),
                IS_FALSE => Some(false),
                _ => None,
            }
        };
        match key.as_str() {
            "cafile" | "capath" | "local_cert" | "local_pk" | "peer_name" => {
                let s = if t == IS_NULL {
                    None
                } else {
                    match text() {
                        Some(s) => nonempty(Some(s)),
                        None => {
                            type_error(&key, "?string", t);
                            return None;
                        }
                    }
                };
                match key.as_str() {
                    "cafile" => o.cafile = s.map(PathBuf::from),
                    "capath" => o.capath = s.map(PathBuf::from),
                    "local_cert" => o.local_cert = s.map(PathBuf::from),
                    "local_pk" => o.local_pk = s.map(PathBuf::from),
                    _ => o.peer_name = s,
                }
            }
            "verify_peer" | "verify_peer_name" | "allow_self_signed" => {
                let Some(b) = flag() else {
                    type_error(&key, "bool", t);
                    return None;
                };
                match key.as_str() {
                    "verify_peer" => o.verify_peer = b,
                    "verify_peer_name" => o.verify_peer_name = b,
                    _ => o.allow_self_signed = b,
                }
            }
            "passphrase" => {
                if t == IS_NULL || (t == IS_STRING && value::str_bytes(v).is_empty()) {
                    continue;
                }
                if t != IS_STRING {
                    type_error(&key, "?string", t);
                    return None;
                }
                value_error(
                    "SSL option \"passphrase\" is not supported: encrypted private keys cannot be used; \
                     decrypt the key (openssl pkey -in key.pem -out plain.pem) and protect the file instead"
                        .into(),
                );
                return None;
            }
            _ => {
                value_error(format!("unknown SSL option \"{}\" (known: {})", key, KEYS));
                return None;
            }
        }
    }
    Some(o)
}

/// A class whose `setSslOptions()` is GearmanClient's and GearmanWorker's:
/// the configuration turns TLS and the class's SSL option bit on. An unusable
/// one (unreadable file, bad key) is kept too, so that every connect fails with
/// its reason instead of going plaintext, and the call warns and returns false
/// with that error as the object's last error. (GearmanAdmin throws instead.)
pub trait HasTls: HasLastError {
    /// Hand `cfg` to the core and set the class's SSL option bit.
    fn enable_tls(&self, cfg: Arc<TlsConfig>);
}

/// `setSslOptions()` / `gearman_*_set_ssl_options()` of a [`HasTls`] class.
///
/// # Safety
/// A Zend internal function handler (see [`crate::handler!`]): only the
/// engine calls it, for a method or function registered for class `T`.
pub unsafe extern "C" fn set_ssl_options<T: HasTls>(ex: *mut zend_execute_data, rv: *mut zval) {
    guarded(|| {
        let mut z: *mut zval = null_mut();
        let mut a: *mut zval = null_mut();
        if !zpp!(ex, "Oa", &mut z, T::slot().ce(), &mut a) {
            return;
        }
        let o = object::inner_zv::<T>(z);
        let Some(opts) = parse(a, defaults()) else {
            return;
        };
        let (cfg, err) = build(&opts);
        o.enable_tls(cfg);
        match err {
            Some(e) => {
                let text = o.last_error_mut().fail(&e);
                value::warn(text);
                value::set_bool(rv, false);
            }
            None => {
                o.last_error_mut().ok();
                value::set_bool(rv, true);
            }
        }
    });
}
