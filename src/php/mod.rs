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

/// [`last_error::HasLastError`] and [`tls::HasTls`] for GearmanClient and
/// GearmanWorker, whose objects are laid out alike: the core in `core` (with
/// `set_tls`), the PHP-side state in `st` with `last` (the [`last_error::LastError`])
/// and `options` (the option bits; `$ssl` is the class's SSL bit).
#[macro_export]
macro_rules! last_error_and_tls {
    ($class:ty, $ssl:expr) => {
        impl $crate::php::last_error::HasLastError for $class {
            fn last_error(&self) -> std::cell::Ref<'_, $crate::php::last_error::LastError> {
                std::cell::Ref::map(self.st.borrow(), |st| &st.last)
            }
            fn last_error_mut(&self) -> std::cell::RefMut<'_, $crate::php::last_error::LastError> {
                std::cell::RefMut::map(self.st.borrow_mut(), |st| &mut st.last)
            }
        }

        impl $crate::php::tls::HasTls for $class {
            fn enable_tls(&self, cfg: std::sync::Arc<gearman_core::TlsConfig>) {
                self.core.borrow_mut().set_tls(Some(cfg));
                self.st.borrow_mut().options |= $ssl;
            }
        }
    };
}
