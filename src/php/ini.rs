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

use std::ffi::CStr;
use std::os::raw::c_char;

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

const MAX_PACKET_SIZE: &CStr = c"gearman.max_packet_size";
const WORKER_POLL_INTERVAL: &CStr = c"gearman.worker_poll_interval";
/// Used when the setting cannot be read or parsed.
pub const DEFAULT_MAX_PACKET_SIZE: usize = 1 << 30;
/// Below this no real reply fits (a JOB_CREATED with its handle).
const MIN_MAX_PACKET_SIZE: usize = 1024;

static INI: IniEntryDefs<3> = IniEntryDefs::new([
    IniEntryDef::new(MAX_PACKET_SIZE, c"1G", IniEntryPermission::All),
    IniEntryDef::new(WORKER_POLL_INTERVAL, c"1000", IniEntryPermission::All),
    IniEntryDef::end(),
]);

extern "C" {
    fn zend_ini_string_ex(name: *const c_char, name_length: usize, orig: i32, exists: *mut bool) -> *mut c_char;
}

/// MINIT.
pub fn register(module_number: i32) {
    IniEntryDef::register(INI.as_slice(), module_number);
}

/// The current value of an INI entry of ours, if readable.
fn ini_text(name: &CStr) -> Option<String> {
    let mut exists = false;
    let v = unsafe { zend_ini_string_ex(name.as_ptr(), name.count_bytes(), 0, &mut exists) };
    if v.is_null() || !exists {
        return None;
    }
    Some(unsafe { CStr::from_ptr(v) }.to_string_lossy().into_owned())
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
