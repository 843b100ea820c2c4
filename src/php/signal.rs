//! Letting PHP's signal handlers run while we block.
//!
//! pcntl installs its C handlers with SA_RESTART, yet poll(2) still returns
//! EINTR; the core turns that into an `Interrupted` step. We then run the
//! queued PHP handlers at once (`pcntl_signal_dispatch()`), which also works
//! without `pcntl_async_signals(true)`. Blocking client calls then carry on
//! (a handler that wants to stop them throws or exits); the worker's idle
//! wait returns to PHP instead, see worker.rs.

use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::zend::ffi::*;

/// `pcntl_signal_dispatch` as looked up in this request (null: not yet, or
/// pcntl is not loaded). Every work() asks for it, so the function-table
/// lookup is done once per request; [`forget`] clears it at request end.
static DISPATCH: AtomicPtr<zend_function> = AtomicPtr::new(null_mut());

/// RSHUTDOWN: the next request looks the function up again (a module
/// loaded with dl() is gone after its request).
pub fn forget() {
    DISPATCH.store(null_mut(), Ordering::Relaxed);
}

/// Run pending PHP signal handlers. Returns false when PHP code must see
/// control now (a handler threw, or called exit()).
pub fn dispatch() -> bool {
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
