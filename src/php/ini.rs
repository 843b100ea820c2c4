//! The extension's php.ini settings (pecl/gearman has none; these are
//! gearman-rs additions).
//!
//! `gearman.max_packet_size` (default `1G`, any scope): the largest packet a
//! client or worker accepts from gearmand. A header announcing more is a
//! protocol error (GEARMAN_INVALID_PACKET-style) instead of an allocation, so a
//! broken or hostile server cannot make PHP reserve gigabytes. Read when a
//! GearmanClient/GearmanWorker is created; `K`, `M` and `G` suffixes work as
//! in `memory_limit`.
//!
//! `gearman.worker_poll_interval` (default `1000`, ms, any scope): how often
//! an idle GearmanWorker grabs again without being woken, so scheduled jobs
//! (doBackgroundAt) start on time on gearmand 1.1.x, which never wakes a
//! sleeping worker for them. `0` = never (pecl/gearman's behaviour). Read
//! when a GearmanWorker is created; `setPollInterval()` overrides it.
//!
//! `gearman.server_selection` (default `first`): how a GearmanClient picks
//! the server for a task without a unique key: `first` (pecl/gearman's
//! order: newest server first, failing over in order), `round_robin` or
//! `random` (or the `GEARMAN_SERVER_SELECTION_*` number). Read when a client
//! is created; `setServerSelection()` changes it per client.
//!
//! `gearman.lazy_connect` (default Off): when On, `addServer()` /
//! `addServers()` never connect and never throw, even with
//! `$setupExceptionHandler`; the "exceptions" option is negotiated when each
//! connection is opened on first use, and a server that is down (or refuses
//! the option) is reported by the call that uses it. Off keeps pecl/gearman's
//! behaviour: connect to every server now and throw "Failed to set exception
//! option" if one is down. Read at each addServer()/addServers() call.
//!
//! `gearman.connect_timeout` (default `1000`, ms): how long a connect may take
//! while another server could be used instead (then the server is marked
//! down and skipped for a back-off period). `-1`: no limit but the call's
//! timeout. The last server left to try always gets the call's whole timeout.
//!
//! TLS defaults, read when TLS is turned on (`setSslOptions()` or the SSL
//! option bit; see `php::tls`): `gearman.ssl_cafile`,
//! `gearman.ssl_local_cert`, `gearman.ssl_local_pk` (paths; empty = the
//! system CA store / no client certificate) and `gearman.ssl_verify_peer`
//! (default `1`).

use std::ffi::{c_int, c_void, CStr};

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

use crate::zend::ffi::{
    zend_ini_entry, zend_ini_string_ex, zend_string, ResultCode, ZEND_RESULT_CODE_SUCCESS,
};

const MAX_PACKET_SIZE: &CStr = c"gearman.max_packet_size";
const WORKER_POLL_INTERVAL: &CStr = c"gearman.worker_poll_interval";
const SERVER_SELECTION: &CStr = c"gearman.server_selection";
const LAZY_CONNECT: &CStr = c"gearman.lazy_connect";
const CONNECT_TIMEOUT: &CStr = c"gearman.connect_timeout";
const SSL_CAFILE: &CStr = c"gearman.ssl_cafile";
const SSL_LOCAL_CERT: &CStr = c"gearman.ssl_local_cert";
const SSL_LOCAL_PK: &CStr = c"gearman.ssl_local_pk";
const SSL_VERIFY_PEER: &CStr = c"gearman.ssl_verify_peer";
/// Used when the setting cannot be read or parsed.
pub const DEFAULT_MAX_PACKET_SIZE: usize = 1 << 30;
/// Below this no real reply fits (a JOB_CREATED with its handle).
const MIN_MAX_PACKET_SIZE: usize = 1024;

/// One setting, changeable anywhere (`PHP_INI_ALL`).
///
/// Every entry has an on-modify handler that accepts any value: PHP's
/// `ini_restore()` only puts a runtime-changed setting back when the handler
/// accepts the original value again, so an entry without one stays at its
/// `ini_set()` value. The values are parsed (with a fallback to the default)
/// where they are read, so there is nothing to reject here.
const fn entry(name: &'static CStr, default: &'static CStr) -> IniEntryDef {
    let mut def = IniEntryDef::new(name, default, IniEntryPermission::All);
    def.on_modify = Some(accept_change);
    def
}

/// The on-modify handler of every entry: accept the new value.
unsafe extern "C" fn accept_change(
    _entry: *mut zend_ini_entry,
    _new_value: *mut zend_string,
    _mh_arg1: *mut c_void,
    _mh_arg2: *mut c_void,
    _mh_arg3: *mut c_void,
    _stage: c_int,
) -> ResultCode {
    ZEND_RESULT_CODE_SUCCESS
}

static INI: IniEntryDefs<10> = IniEntryDefs::new([
    entry(MAX_PACKET_SIZE, c"1G"),
    entry(WORKER_POLL_INTERVAL, c"1000"),
    entry(SERVER_SELECTION, c"first"),
    entry(LAZY_CONNECT, c"0"),
    entry(CONNECT_TIMEOUT, c"1000"),
    entry(SSL_CAFILE, c""),
    entry(SSL_LOCAL_CERT, c""),
    entry(SSL_LOCAL_PK, c""),
    entry(SSL_VERIFY_PEER, c"1"),
    IniEntryDef::end(),
]);

/// MINIT.
pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

/// The current value of an INI entry of ours, if readable.
fn ini_text(name: &CStr) -> Option<String> {
    let mut exists = false;
    // The current (not the php.ini) value: `orig` is an int before PHP 8.6
    // and a bool from 8.6 on; the binding has the version's signature.
    #[cfg(php86)]
    let orig = false;
    #[cfg(not(php86))]
    let orig = 0;
    let v = unsafe { zend_ini_string_ex(name.as_ptr(), name.count_bytes(), orig, &mut exists) };
    if v.is_null() || !exists {
        return None;
    }
    Some(unsafe { CStr::from_ptr(v) }.to_string_lossy().into_owned())
}

/// PHP's `memory_limit` in bytes (`usize::MAX` for `-1`); `None` when not
/// readable as a plain size (callers then stay on the safe side).
pub fn memory_limit() -> Option<usize> {
    let text = ini_text(c"memory_limit")?;
    if text.trim() == "-1" {
        return Some(usize::MAX);
    }
    parse_size(&text)
}

/// `gearman.max_packet_size` in bytes, as now configured.
pub fn max_packet_size() -> usize {
    ini_text(MAX_PACKET_SIZE)
        .and_then(|t| parse_size(&t))
        .map_or(DEFAULT_MAX_PACKET_SIZE, |n| n.max(MIN_MAX_PACKET_SIZE))
}

/// `gearman.worker_poll_interval` in ms, as now configured (a value that
/// is not a non-negative integer falls back to the default).
pub fn worker_poll_interval() -> u32 {
    ini_text(WORKER_POLL_INTERVAL)
        .and_then(|t| t.trim().parse::<u32>().ok())
        .unwrap_or(gearman_core::worker::DEFAULT_POLL_INTERVAL_MS)
}

/// `gearman.server_selection` (unknown words mean `first`).
pub fn server_selection() -> gearman_core::Selection {
    ini_text(SERVER_SELECTION)
        .and_then(|t| gearman_core::Selection::parse(&t))
        .unwrap_or_default()
}

/// `gearman.lazy_connect`, with PHP's boolean words.
pub fn lazy_connect() -> bool {
    ini_text(LAZY_CONNECT).is_some_and(|t| {
        let t = t.trim().to_ascii_lowercase();
        matches!(t.as_str(), "on" | "yes" | "true") || t.parse::<i64>().is_ok_and(|n| n != 0)
    })
}

/// `gearman.connect_timeout` in ms (-1 = only the call's timeout).
pub fn connect_timeout() -> i32 {
    ini_text(CONNECT_TIMEOUT)
        .and_then(|t| t.trim().parse::<i64>().ok())
        .map_or(gearman_core::DEFAULT_CONNECT_TIMEOUT, |n| {
            n.clamp(-1, i32::MAX as i64) as i32
        })
}

/// A non-empty path setting.
fn ini_path(name: &CStr) -> Option<String> {
    ini_text(name).filter(|t| !t.trim().is_empty())
}

/// `gearman.ssl_cafile`, if set.
pub fn ssl_cafile() -> Option<String> {
    ini_path(SSL_CAFILE)
}

/// `gearman.ssl_local_cert`, if set.
pub fn ssl_local_cert() -> Option<String> {
    ini_path(SSL_LOCAL_CERT)
}

/// `gearman.ssl_local_pk`, if set.
pub fn ssl_local_pk() -> Option<String> {
    ini_path(SSL_LOCAL_PK)
}

/// `gearman.ssl_verify_peer` as php.ini spells booleans ("1", "On", "yes",
/// "true"; anything else is off).
pub fn ssl_verify_peer() -> bool {
    ini_text(SSL_VERIFY_PEER).is_none_or(|t| {
        matches!(
            t.trim().to_ascii_lowercase().as_str(),
            "1" | "on" | "yes" | "true"
        )
    })
}

/// "1024", "64k", "16M", "1G" (case-insensitive) → bytes.
fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (digits, mult) = match s.chars().last()?.to_ascii_lowercase() {
        'k' => (&s[..s.len() - 1], 1usize << 10),
        'm' => (&s[..s.len() - 1], 1 << 20),
        'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits.trim().parse::<usize>().ok()?.checked_mul(mult)
}
