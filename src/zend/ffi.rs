//! The Zend API as gearman-rs sees it: `ext_php_rs::ffi`, i.e. bindgen's
//! bindings of the headers of the PHP being built against.
//!
//! Nothing here copies an engine definition. Values, struct layouts and
//! signatures that differ between PHP versions (flag bits, field types, return
//! types) therefore always match the PHP we build for; where the *shape* of
//! the API differs, code selects it with the per-version `cfg`s from build.rs
//! (`php83`, `php84`, …, `php_zts`), as ext-php-rs does.
//!
//! ext-php-rs's curated list leaves out a few symbols we need; they are added
//! to its bindings through `EXT_PHP_RS_ALLOWED_BINDINGS` in .cargo/config.toml:
//! - `zend_parse_method_parameters`: Zend's own argument parser (see [`zpp!`]);
//! - `zend_call_function`: calling a callable resolved once (see
//!   [`call::Resolved`](super::call::Resolved));
//! - `zend_argument_value_error`: PHP's own "Argument #N ($name) must be …";
//! - `zval_get_string_func`, `zval_get_long_func`: PHP's conversions;
//! - `zend_is_unwind_exit`, `zend_is_graceful_exit`: exit() inside a callback;
//! - `zend_ini_string_ex`: reading our INI setting;
//! - `zend_memory_usage`: room under `memory_limit` for a large string
//!   received in place (see [`value::body_memory`](super::value::body_memory));
//! - `zend_get_gc_buffer_create`, `zend_get_gc_buffer_grow`: the engine's
//!   buffer for `get_gc` tables (see [`object`](super::object));
//! - `GC_STRING`: the type info of a string we allocate ourselves (see
//!   [`value::set_bytes`](super::value::set_bytes));
//! - `IS_OBJ_FREE_CALLED`, `GC_REFERENCE`, `GC_NOT_COLLECTABLE`,
//!   `Z_TYPE_MASK` and the `MAY_BE_*` type-mask bits.

pub use ext_php_rs::ffi::*;

/// The `zend_type` bit saying "`ptr` is a class name given as a C string".
/// PHP 8.3 split it from `_ZEND_TYPE_NAME_BIT` (which now means a
/// `zend_string *`): the engine converts literal names when it registers
/// internal functions.
#[cfg(php83)]
pub const TYPE_LITERAL_NAME_BIT: u32 = _ZEND_TYPE_LITERAL_NAME_BIT;
#[cfg(not(php83))]
pub const TYPE_LITERAL_NAME_BIT: u32 = _ZEND_TYPE_NAME_BIT;

/// The integer type of a Zend result code (`SUCCESS`/`FAILURE`), e.g. what an
/// INI entry's on-modify handler returns: the `ZEND_RESULT_CODE` enum before
/// PHP 8.6, the `zend_result` typedef since (ext-php-rs keeps the
/// `ZEND_RESULT_CODE_SUCCESS` name for its value on both).
#[cfg(php86)]
pub type ResultCode = zend_result;
#[cfg(not(php86))]
pub type ResultCode = ZEND_RESULT_CODE;

/// Number of arguments the current call received (`ZEND_NUM_ARGS()`).
///
/// # Safety
/// `ex` must be the execute data handed to an internal function handler.
#[inline]
pub unsafe fn num_args(ex: *mut zend_execute_data) -> u32 {
    (*ex).This.u2.num_args
}

/// `$this` of the current call, or null for a plain function call (`getThis()`).
///
/// # Safety
/// `ex` must be the execute data handed to an internal function handler.
#[inline]
pub unsafe fn this_ptr(ex: *mut zend_execute_data) -> *mut zval {
    let this = &mut (*ex).This;
    if this.u1.type_info & Z_TYPE_MASK == IS_OBJECT {
        this
    } else {
        std::ptr::null_mut()
    }
}

/// The executor globals of the current thread (`EG()`): on ZTS builds
/// ext-php-rs's accessor goes through the thread's TSRM slot.
#[inline]
pub fn eg() -> *mut zend_executor_globals {
    unsafe { ext_php_rs_executor_globals() }
}

/// Is a PHP exception pending?
#[inline]
pub fn exception_pending() -> bool {
    unsafe { !(*eg()).exception.is_null() }
}

/// Parse the current call's arguments with a zpp spec (a NUL-terminated
/// literal without the trailing NUL) and pointers to the outputs. Evaluates
/// to `true` on success; on failure Zend has already thrown the TypeError or
/// ArgumentCountError, exactly as for a C extension.
///
/// `zend_parse_method_parameters` with `this_ptr` set fills the leading `O`
/// of the spec from `$this`; without, from the first argument. One handler
/// therefore serves the method and its procedural alias, as in pecl/gearman.
///
/// Safety contract (the macro contains the unsafe call, so it stays private
/// to this crate, next to the handlers that follow it): `$ex` must be the
/// execute data of the running internal function, and each output must be a
/// valid pointer of exactly the C type its spec letter writes (`O` →
/// `*mut *mut zval` then a class entry, `s` → `*const c_char` and `usize`,
/// `l` → `i64`, `b` → `bool`, `z` → `*mut zval`, …): Zend writes through them
/// unchecked.
macro_rules! zpp {
    ($ex:expr, $spec:literal $(, $out:expr)* $(,)?) => {
        unsafe {
            $crate::zend::ffi::zend_parse_method_parameters(
                $crate::zend::ffi::num_args($ex),
                $crate::zend::ffi::this_ptr($ex),
                concat!($spec, "\0").as_ptr() as *const ::std::os::raw::c_char
                $(, $out)*
            ) == $crate::zend::ffi::ZEND_RESULT_CODE_SUCCESS
        }
    };
}
