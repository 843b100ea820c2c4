//! Letting PHP's signal handlers run while we block.
//!
//! pcntl installs its C handlers with SA_RESTART, yet poll(2) still returns
//! EINTR; the core turns that into an `Interrupted` step. We then run the
//! queued PHP handlers at once (`pcntl_signal_dispatch()`), which also works
//! without `pcntl_async_signals(true)`. Blocking client calls then carry on
//! (a handler that wants to stop them throws or exits); the worker's idle
//! wait returns to PHP instead, see worker.rs.

use std::ptr::null_mut;

use crate::zend::ffi::*;

/// Run pending PHP signal handlers. Returns false when PHP code must see
/// control now (a handler threw, or called exit()).
pub fn dispatch() -> bool {
    unsafe {
        let name = c"pcntl_signal_dispatch";
        let f = zend_fetch_function_str(name.as_ptr(), name.to_bytes().len());
        if f.is_null() {
            return true;
        }
        let mut ret = zval::new();
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
    !exception_pending()
}
