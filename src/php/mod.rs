//! The PHP-visible API of pecl/gearman, one file per class.
//!
//! Each class file declares its methods once in a `FUNCS` table that reads
//! like `gearman.stub.php` (see [`crate::zend::sig`]); the same handler
//! serves the method and its procedural `gearman_*` alias.

pub mod admin;
pub mod client;
pub mod constants;
pub mod exception;
pub mod functions;
pub mod ini;
pub mod job;
pub mod last_error;
pub mod load_guard;
pub mod module;
pub mod signal;
pub mod stats;
pub mod task;
pub mod tls;
pub mod worker;

/// A `setTimeout()` argument as the milliseconds the core keeps (an i32, as
/// libgearman): values past 32 bits saturate, for client and worker alike.
/// (pecl/gearman wraps them: `2**32 + 5` became 5 ms, `2**40` became 0 =
/// "fail at once"; saturating keeps "very long" long and "negative" forever.)
pub fn timeout_ms(v: i64) -> i32 {
    v.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// Run a handler body: a Rust panic must never unwind into the engine, so
/// it becomes a GearmanException instead of a crash. Every handler goes
/// through here (the `handler!` macro, and generic handlers written by hand).
pub fn guarded(body: impl FnOnce()) {
    if let Err(e) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {
        exception::internal_error(e);
    }
}

/// Define an internal function handler whose body runs [`guarded`].
///
/// The body is the body of an `unsafe fn`: it may use the raw `ex`/`rv`
/// pointers and Zend's API, under the contract written on the handler.
#[macro_export]
macro_rules! handler {
    ($(#[$m:meta])* $name:ident($ex:ident, $rv:ident) $body:block) => {
        $(#[$m])*
        ///
        /// # Safety
        /// A Zend internal function handler: only the engine may call it, with
        /// the execute data of a call of this function or method and that
        /// call's return value slot (initialised to null).
        pub unsafe extern "C" fn $name($ex: *mut $crate::zend::ffi::zend_execute_data, $rv: *mut $crate::zend::ffi::zval) {
            $crate::php::guarded(|| $body);
        }
    };
}
