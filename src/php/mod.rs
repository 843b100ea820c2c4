//! The PHP-visible API of pecl/gearman, one file per class.
//!
//! Each class file declares its methods once in a `FUNCS` table that reads
//! like `gearman.stub.php` (see [`crate::zend::sig`]); the same handler
//! serves the method and its procedural `gearman_*` alias.

pub mod client;
pub mod constants;
pub mod exception;
pub mod functions;
pub mod ini;
pub mod job;
pub mod last_error;
pub mod module;
pub mod signal;
pub mod task;
pub mod worker;

/// Define an internal function handler. The body runs inside
/// `catch_unwind`: a Rust panic must never unwind into the engine, so it
/// becomes a GearmanException instead of a crash.
#[macro_export]
macro_rules! handler {
    ($(#[$m:meta])* $name:ident($ex:ident, $rv:ident) $body:block) => {
        $(#[$m])*
        pub unsafe extern "C" fn $name($ex: *mut $crate::zend::ffi::zend_execute_data, $rv: *mut $crate::zend::ffi::zval) {
            let r = ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| {
                #[allow(unused_unsafe)]
                unsafe { $body }
            }));
            if let Err(e) = r {
                $crate::php::exception::internal_error(e);
            }
        }
    };
}
