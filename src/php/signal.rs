//! Letting PHP's signal handlers run while we block.
//!
//! pcntl installs its C handlers with SA_RESTART, yet poll(2) still returns
//! EINTR; the core turns that into an `Interrupted` step. We then run the
//! queued PHP handlers at once (`pcntl_signal_dispatch()`), which also works
//! without `pcntl_async_signals(true)`. Blocking client calls then carry on
//! (a handler that wants to stop them throws or exits); the worker's idle
//! wait returns to PHP instead, see worker.rs.
//!
//! The worker's stop-signal counting (gearman_core::stop_signal) must see
//! every handler the program installs. Rather than reading three signal
//! dispositions before each sleep, [`request_start`] wraps pcntl's
//! `pcntl_signal()` so that each call reports a possible change. The same
//! wrapper tells [`hold`] whether any pcntl handler can exist: until the
//! first `pcntl_signal()` no PHP handler can be queued, so an idle worker
//! need not hold signals back while it is between waits. Not done in ZTS
//! builds (the function table is shared between threads there): the core
//! then re-reads the dispositions and holds signals at each sleep, as it
//! always did.

use std::ptr::null_mut;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

use gearman_core::stop_signal::{self, Held};

use crate::zend::ffi::*;

/// `pcntl_signal_dispatch` as looked up in this request (null: not yet, or
/// pcntl is not loaded). Every work() asks for it, so the function-table
/// lookup is done once per request; [`forget`] clears it at request end.
static DISPATCH: AtomicPtr<zend_function> = AtomicPtr::new(null_mut());

/// RSHUTDOWN: the next request looks the function up again (a module
/// loaded with dl() is gone after its request), and `pcntl_signal()` is
/// pcntl's own again (this object may be unloaded next).
pub fn forget() {
    DISPATCH.store(null_mut(), Ordering::Relaxed);
    unhook();
}

/// pcntl's `pcntl_signal()` handler while ours wraps it (0: not wrapped).
static PCNTL_SIGNAL: AtomicUsize = AtomicUsize::new(0);
/// `pcntl_signal()` was called in this request (or cannot be watched).
static PCNTL_USED: AtomicBool = AtomicBool::new(true);

type Zif = unsafe extern "C" fn(*mut zend_execute_data, *mut zval);

unsafe extern "C" fn pcntl_signal_wrapped(ex: *mut zend_execute_data, rv: *mut zval) {
    PCNTL_USED.store(true, Ordering::Relaxed);
    let orig = PCNTL_SIGNAL.load(Ordering::Relaxed);
    if orig != 0 {
        // SAFETY: pcntl's handler, saved by `request_start`.
        let f: Zif = unsafe { std::mem::transmute::<usize, Zif>(orig) };
        unsafe { f(ex, rv) };
    }
    stop_signal::handlers_changed();
}

fn pcntl_signal_fn() -> *mut zend_function {
    let name = c"pcntl_signal";
    // SAFETY: a lookup in the function table of the running request.
    let f = unsafe { zend_fetch_function_str(name.as_ptr(), name.to_bytes().len()) };
    // SAFETY: a function from the table; its type says which union member.
    if f.is_null() || u32::from(unsafe { (*f).type_ }) != ZEND_INTERNAL_FUNCTION {
        return null_mut();
    }
    f
}

/// RINIT: wrap `pcntl_signal()` (see the module docs). Without pcntl, or in
/// ZTS builds, the core keeps its per-sleep reads and holds.
pub fn request_start() {
    PCNTL_USED.store(true, Ordering::Relaxed);
    if cfg!(php_zts) {
        return;
    }
    let f = pcntl_signal_fn();
    if f.is_null() {
        return;
    }
    // SAFETY: an internal function's entry; written on the only thread.
    unsafe {
        let Some(h) = (*f).internal_function.handler else {
            return;
        };
        if h as usize != pcntl_signal_wrapped as Zif as usize {
            PCNTL_SIGNAL.store(h as usize, Ordering::Relaxed);
            (*f).internal_function.handler = Some(pcntl_signal_wrapped);
        }
    }
    PCNTL_USED.store(false, Ordering::Relaxed);
    stop_signal::watch(true);
}

fn unhook() {
    let orig = PCNTL_SIGNAL.swap(0, Ordering::Relaxed);
    stop_signal::watch(false);
    PCNTL_USED.store(true, Ordering::Relaxed);
    if orig == 0 {
        return;
    }
    let f = pcntl_signal_fn();
    if f.is_null() {
        return;
    }
    // SAFETY: as in `request_start`; only our own wrapper is replaced.
    unsafe {
        if (*f).internal_function.handler.map(|h| h as usize)
            == Some(pcntl_signal_wrapped as Zif as usize)
        {
            (*f).internal_function.handler = Some(std::mem::transmute::<usize, Zif>(orig));
        }
    }
}

/// What an idle worker holds while it is between waits: every signal
/// ([`Held::new`]) once a pcntl handler may exist, nothing before (no PHP
/// handler can be left queued then; two `rt_sigprocmask` fewer per sleep).
/// Inlined: the caller then sets its slot to "nothing held" in place
/// rather than copying a 136-byte `Held` there.
#[inline]
pub fn hold() -> Held {
    if PCNTL_USED.load(Ordering::Relaxed) {
        Held::new()
    } else {
        Held::none()
    }
}

/// Run pending PHP signal handlers. Returns false when PHP code must see
/// control now (a handler threw, or called exit()).
///
/// Before the first `pcntl_signal()` of the request (see [`request_start`])
/// pcntl has no PHP handler, so it cannot have queued a signal: nothing to
/// run, and the call (about 80 instructions at every `work()`) is skipped.
pub fn dispatch() -> bool {
    if !PCNTL_USED.load(Ordering::Relaxed) {
        return true;
    }
    unsafe {
        let mut f = DISPATCH.load(Ordering::Relaxed);
        if f.is_null() {
            let name = c"pcntl_signal_dispatch";
            f = zend_fetch_function_str(name.as_ptr(), name.to_bytes().len());
            if f.is_null() {
                return true;
            }
            DISPATCH.store(f, Ordering::Relaxed);
        }
        let mut ret = zval::new();
        match (*f).internal_function.handler {
            // pcntl's C handler is called directly on a frame of our own,
            // not through zend_call_known_function: that general path (VM
            // stack frame, observer and argument checks) cost about 200
            // instructions at every work(), while this handler takes no
            // arguments and returns at once when no signal is queued. The
            // frame is the current one while it runs, as in a normal call,
            // so handlers and backtraces see pcntl_signal_dispatch() called
            // from the PHP function that called us.
            Some(handler) if u32::from((*f).type_) == ZEND_INTERNAL_FUNCTION => {
                // This stays undefined: no object, zero arguments.
                let mut frame: zend_execute_data = std::mem::zeroed();
                frame.func = f;
                let eg = eg();
                frame.prev_execute_data = (*eg).current_execute_data;
                (*eg).current_execute_data = &mut frame;
                handler(&mut frame, &mut ret);
                (*eg).current_execute_data = frame.prev_execute_data;
            }
            // Not pcntl's (a PHP function of that name, pcntl not loaded).
            _ => {
                zend_call_known_function(
                    f,
                    null_mut(),
                    null_mut(),
                    &mut ret,
                    0,
                    null_mut(),
                    null_mut(),
                );
            }
        }
    }
    !exception_pending()
}
