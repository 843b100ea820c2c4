//! GearmanAdmin (gearman-rs addition): gearmand's text (admin) protocol —
//! what `gearadmin` shows and does — as a final class.
//!
//! ```php
//! $admin = new GearmanAdmin('127.0.0.1', 4730, 2000);   // nothing connects yet
//! foreach ($admin->status() as $function => $s) {
//!     printf("%s: %d queued, %d running, %d workers\n", $function, $s['queued'], $s['running'], $s['workers']);
//! }
//! ```
//!
//! The protocol work is `gearman_core::admin` (PHP-free, tested and fuzzed
//! there): one lazily opened connection, reopened after gearmand restarts;
//! every call has the constructor's timeout as its deadline and a bounded
//! reply (`gearman.max_packet_size`). Every failure — an `ERR` reply, an
//! unreachable or silent server, a reply that is not the text protocol —
//! throws GearmanException whose message is gearmand's code and text (or
//! what went wrong) and whose code is the nearest GEARMAN_* return code
//! (e.g. GEARMAN_JOB_NOT_FOUND for `ERR UNKNOWN_JOB`, GEARMAN_TIMEOUT,
//! GEARMAN_COULD_NOT_CONNECT). Arguments gearmand cannot take (a function
//! name with a space, a line break in a command) are ValueErrors and never
//! reach the server. `setSslOptions()` turns TLS on exactly as for
//! GearmanClient.

use std::cell::RefCell;
use std::os::raw::c_char;
use std::ptr::null_mut;

use gearman_core::admin::{self, Admin as Core};
use gearman_core::Error;

use crate::handler;
use crate::php::exception;
use crate::php::tls;
use crate::zend::ffi::*;
use crate::zend::object::{self, ClassSlot, PhpClass};
use crate::zend::sig::{self, method, Func};
use crate::zend::{args, class, value};

pub struct Admin {
    core: RefCell<Core>,
}

static SLOT: ClassSlot = ClassSlot::new();

impl PhpClass for Admin {
    fn slot() -> &'static ClassSlot {
        &SLOT
    }
    fn create() -> Self {
        let mut core = Core::new("localhost", 4730);
        core.set_max_reply(crate::php::ini::max_packet_size());
        Admin {
            core: RefCell::new(core),
        }
    }
}

pub const FUNCS: &[Func] = &[
    method(
        "__construct",
        "string $host = \"localhost\", int $port = 4730, int $timeout = 5000",
        "",
        construct,
    ),
    method("status", "", "array", status),
    method("priorityStatus", "", "array", priority_status),
    method("workers", "", "array", workers),
    method("showJobs", "", "array", show_jobs),
    method("showUniqueJobs", "", "array", show_unique_jobs),
    method("version", "", "string", version),
    method("getPid", "", "int", get_pid),
    method(
        "maxQueue",
        "string $function_name, int $size",
        "bool",
        max_queue,
    ),
    method(
        "maxQueueByPriority",
        "string $function_name, int $high, int $normal, int $low",
        "bool",
        max_queue_by_priority,
    ),
    method("cancelJob", "string $job_handle", "bool", cancel_job),
    method(
        "createFunction",
        "string $function_name",
        "bool",
        create_function,
    ),
    method(
        "dropFunction",
        "string $function_name",
        "bool",
        drop_function,
    ),
    method("command", "string $line", "string", command),
    method("setSslOptions", "array $options", "bool", set_ssl_options),
];

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register("GearmanAdmin", sig::method_table(FUNCS), null_mut());
    (*ce).ce_flags |= ZEND_ACC_FINAL;
    object::bind::<Admin>(ce);
}

/// Throw the GearmanException for a failed call.
fn throw(e: &Error) {
    // SAFETY: GearmanException is registered at MINIT; handlers run in a request.
    unsafe { value::throw(exception::ce(), &e.message, e.code.value() as i64) };
}

/// Run a core call; on failure throw and return None.
fn call<T>(a: &Admin, f: impl FnOnce(&mut Core) -> Result<T, Error>) -> Option<T> {
    let r = f(&mut a.core.borrow_mut());
    r.map_err(|e| throw(&e)).ok()
}

handler!(construct(ex, _rv) {
    let mut z: *mut zval = null_mut();
    let (mut h, mut hl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut port: i64 = 4730;
    let mut timeout: i64 = 5000;
    if !zpp!(ex, "O|sll", &mut z, SLOT.ce(), &mut h, &mut hl, &mut port as *mut i64, &mut timeout as *mut i64) {
        return;
    }
    let host = if h.is_null() { &b"localhost"[..] } else { value::slice(h, hl) };
    if host.is_empty() || host.contains(&0) {
        return value::argument_value_error(ex, 1, "must be a host name or address");
    }
    let Ok(port) = u16::try_from(port).map_err(|_| ()).and_then(|p| if p == 0 { Err(()) } else { Ok(p) }) else {
        return value::argument_value_error(ex, 2, "must be between 1 and 65535");
    };
    let Some(timeout) = i32::try_from(timeout).ok().filter(|&t| t > 0) else {
        return value::argument_value_error(ex, 3, "must be between 1 and 2147483647 (milliseconds)");
    };
    let a = object::inner_zv::<Admin>(z);
    let mut core = Core::new(&String::from_utf8_lossy(host), port);
    core.set_timeout(timeout);
    core.set_max_reply(crate::php::ini::max_packet_size());
    *a.core.borrow_mut() = core;
});

/// `[name => count, …]`.
fn counts(pairs: &[(&str, u64)]) -> zval {
    value::assoc_zval(
        pairs
            .iter()
            .map(|(k, v)| (*k, value::long_zval(num(*v))))
            .collect(),
    )
}

fn num(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

handler!(status(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(rows) = call(a, |c| c.status()) {
            let entries = rows
                .into_iter()
                .map(|r| (r.function, counts(&[("queued", r.queued), ("running", r.running), ("workers", r.workers)])))
                .collect();
            value::set_symtable(rv, entries);
        }
    }
});

handler!(priority_status(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(rows) = call(a, |c| c.priority_status()) {
            let entries = rows
                .into_iter()
                .map(|r| {
                    let c = counts(&[("high", r.high), ("normal", r.normal), ("low", r.low), ("workers", r.workers)]);
                    (r.function, c)
                })
                .collect();
            value::set_symtable(rv, entries);
        }
    }
});

handler!(workers(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(rows) = call(a, |c| c.workers()) {
            let list = rows
                .iter()
                .map(|r| {
                    value::assoc_zval(vec![
                        ("fd", value::long_zval(r.fd)),
                        ("ip", value::bytes_zval(&r.ip)),
                        ("id", value::bytes_zval(&r.id)),
                        ("functions", value::list_zval(r.functions.iter().map(|f| value::bytes_zval(f)).collect())),
                    ])
                })
                .collect();
            value::set_list(rv, list);
        }
    }
});

handler!(show_jobs(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(rows) = call(a, |c| c.jobs()) {
            let list = rows
                .iter()
                .map(|r| {
                    value::assoc_zval(vec![
                        ("handle", value::bytes_zval(&r.handle)),
                        ("retries", value::long_zval(num(r.retries))),
                        ("ignore", value::bool_zval(r.ignore)),
                        ("queued", value::bool_zval(r.queued)),
                    ])
                })
                .collect();
            value::set_list(rv, list);
        }
    }
});

handler!(show_unique_jobs(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(rows) = call(a, |c| c.unique_jobs()) {
            let list = rows.iter().map(|u| value::assoc_zval(vec![("unique", value::bytes_zval(u))])).collect();
            value::set_list(rv, list);
        }
    }
});

handler!(version(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(v) = call(a, |c| c.version()) {
            value::set_bytes(rv, v.as_bytes());
        }
    }
});

handler!(get_pid(ex, rv) {
    if let Some((_, a)) = args::this::<Admin>(ex) {
        if let Some(pid) = call(a, |c| c.pid()) {
            value::set_long(rv, num(pid));
        }
    }
});

/// A queue size argument: 0 (no limit) … 2^31-1.
unsafe fn size_arg(ex: *mut zend_execute_data, arg: u32, v: i64) -> Option<u32> {
    let ok = u32::try_from(v).ok().filter(|&n| n <= i32::MAX as u32);
    if ok.is_none() {
        value::argument_value_error(ex, arg, "must be between 0 (no limit) and 2147483647");
    }
    ok
}

/// A function name or job handle argument gearmand can take.
unsafe fn word_arg(ex: *mut zend_execute_data, arg: u32, w: &[u8]) -> bool {
    match admin::check_word(w) {
        Ok(()) => true,
        Err(why) => {
            value::argument_value_error(ex, arg, why);
            false
        }
    }
}

handler!(max_queue(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut f, mut fl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut size: i64 = 0;
    if !zpp!(ex, "Osl", &mut z, SLOT.ce(), &mut f, &mut fl, &mut size as *mut i64) {
        return;
    }
    let function = value::slice(f, fl);
    if !word_arg(ex, 1, function) {
        return;
    }
    let Some(size) = size_arg(ex, 2, size) else { return };
    if call(object::inner_zv::<Admin>(z), |c| c.max_queue(function, size)).is_some() {
        value::set_bool(rv, true);
    }
});

handler!(max_queue_by_priority(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut f, mut fl): (*const c_char, usize) = (std::ptr::null(), 0);
    let (mut high, mut normal, mut low): (i64, i64, i64) = (0, 0, 0);
    if !zpp!(ex, "Oslll", &mut z, SLOT.ce(), &mut f, &mut fl, &mut high as *mut i64, &mut normal as *mut i64, &mut low as *mut i64) {
        return;
    }
    let function = value::slice(f, fl);
    if !word_arg(ex, 1, function) {
        return;
    }
    let Some(high) = size_arg(ex, 2, high) else { return };
    let Some(normal) = size_arg(ex, 3, normal) else { return };
    let Some(low) = size_arg(ex, 4, low) else { return };
    if call(object::inner_zv::<Admin>(z), |c| c.max_queue_by_priority(function, high, normal, low)).is_some() {
        value::set_bool(rv, true);
    }
});

/// The one-word commands: check the argument, run, return true.
unsafe fn word_command(
    ex: *mut zend_execute_data,
    rv: *mut zval,
    f: fn(&mut Core, &[u8]) -> Result<(), Error>,
) {
    if let Some((a, w)) = args::this_str::<Admin>(ex) {
        if word_arg(ex, 1, w) && call(a, |c| f(c, w)).is_some() {
            value::set_bool(rv, true);
        }
    }
}

handler!(cancel_job(ex, rv) { word_command(ex, rv, Core::cancel_job) });
handler!(create_function(ex, rv) { word_command(ex, rv, Core::create_function) });
handler!(drop_function(ex, rv) { word_command(ex, rv, Core::drop_function) });

handler!(command(ex, rv) {
    if let Some((a, line)) = args::this_str::<Admin>(ex) {
        if let Err(why) = admin::check_line(line) {
            return value::argument_value_error(ex, 1, why);
        }
        let r = a.core.borrow_mut().command(line);
        match r.and_then(admin::raise_err) {
            Ok(reply) => value::set_bytes(rv, &reply.to_text()),
            Err(e) => throw(&e),
        }
    }
});

// TLS as for GearmanClient::setSslOptions() (same keys, ini and environment
// defaults); an unusable configuration (unreadable CA file, bad key) is a
// GearmanException here, like every other failure of this class.
handler!(set_ssl_options(ex, rv) {
    let mut z: *mut zval = null_mut();
    let mut arr: *mut zval = null_mut();
    if !zpp!(ex, "Oa", &mut z, SLOT.ce(), &mut arr) {
        return;
    }
    let a = object::inner_zv::<Admin>(z);
    let Some(opts) = tls::parse(arr, tls::defaults()) else { return };
    let (cfg, err) = tls::build(&opts);
    if let Some(e) = err {
        return throw(&e);
    }
    a.core.borrow_mut().set_tls(Some(cfg));
    value::set_bool(rv, true);
});
