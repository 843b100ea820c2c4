//! Zend symbols that ext-php-rs's curated bindings leave out.
//!
//! They are resolved when PHP loads the extension, exactly as for a C
//! extension. Keep this list short: each entry is part of our ABI surface.

use std::os::raw::{c_char, c_int};

pub use ext_php_rs::ffi::*;

extern "C" {
    /// `zend_parse_method_parameters(num_args, this_ptr, spec, ...)`: Zend's own
    /// argument parser. With `this_ptr` set, the leading `O` of the spec is
    /// filled from `$this`; without, it is parsed from the first argument.
    /// One handler therefore serves the method and its procedural alias,
    /// as in pecl/gearman.
    pub fn zend_parse_method_parameters(
        num_args: u32,
        this_ptr: *mut zval,
        type_spec: *const c_char,
        ...
    ) -> c_int;

    pub fn zend_parse_parameters(num_args: u32, type_spec: *const c_char, ...) -> c_int;

    pub fn zend_throw_error(exception_ce: *mut zend_class_entry, format: *const c_char, ...);

    /// `zend_argument_value_error(arg_num, format, ...)`: PHP's own
    /// "Class::method(): Argument #N ($name) must be …" ValueError, named
    /// after the running function (method or procedural alias).
    pub fn zend_argument_value_error(arg_num: u32, format: *const c_char, ...);

    pub fn zend_make_callable(callable: *mut zval, callable_name: *mut *mut zend_string) -> bool;
}

/// Zend type codes (zend_types.h).
pub mod code {
    pub const IS_UNDEF: u32 = 0;
    pub const IS_NULL: u32 = 1;
    pub const IS_FALSE: u32 = 2;
    pub const IS_TRUE: u32 = 3;
    pub const IS_LONG: u32 = 4;
    pub const IS_DOUBLE: u32 = 5;
    pub const IS_STRING: u32 = 6;
    pub const IS_ARRAY: u32 = 7;
    pub const IS_OBJECT: u32 = 8;
    pub const IS_RESOURCE: u32 = 9;
    pub const IS_REFERENCE: u32 = 10;
    pub const IS_CALLABLE: u32 = 12;
    pub const IS_VOID: u32 = 14;
    pub const IS_STATIC: u32 = 15;
}

pub const E_WARNING: c_int = 1 << 1;
pub const E_DEPRECATED: c_int = 1 << 13;

/// `zend_type` mask bits (zend_types.h).
pub const TYPE_NAME_BIT: u32 = 1 << 24;
pub const TYPE_NULLABLE_BIT: u32 = 1 << code::IS_NULL;
pub const MAY_BE_ANY: u32 = (1 << code::IS_NULL)
    | (1 << code::IS_FALSE)
    | (1 << code::IS_TRUE)
    | (1 << code::IS_LONG)
    | (1 << code::IS_DOUBLE)
    | (1 << code::IS_STRING)
    | (1 << code::IS_ARRAY)
    | (1 << code::IS_OBJECT)
    | (1 << code::IS_RESOURCE);

pub const ZEND_ACC_PUBLIC: u32 = 1 << 0;
pub const ZEND_ACC_FINAL: u32 = 1 << 5;

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
    if (this.u1.type_info & 0xff) as u32 == code::IS_OBJECT {
        this
    } else {
        std::ptr::null_mut()
    }
}

/// The executor globals (NTS build, as Debian's php8.2-cli).
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
#[macro_export]
macro_rules! zpp {
    ($ex:expr, $spec:literal $(, $out:expr)* $(,)?) => {
        unsafe {
            $crate::zend::ffi::zend_parse_method_parameters(
                $crate::zend::ffi::num_args($ex),
                $crate::zend::ffi::this_ptr($ex),
                concat!($spec, "\0").as_ptr() as *const ::std::os::raw::c_char
                $(, $out)*
            ) == 0
        }
    };
}
