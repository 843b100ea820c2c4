//! The argument shapes nearly every method shares, parsed once for all
//! classes: `$this` alone, `$this` + int, `$this` + string.
//!
//! Each returns `None` when zpp failed; Zend has then thrown PHP's own
//! TypeError/ArgumentCountError and the handler just returns.

use std::os::raw::c_char;
use std::ptr::null_mut;

use super::ffi::*;
use super::object::{self, PhpClass};
use super::value;

/// `O`: the object (method call) or the first argument (procedural alias).
///
/// # Safety
/// `ex` must be the execute data of the running internal function.
pub unsafe fn this<'a, T: PhpClass>(ex: *mut zend_execute_data) -> Option<(*mut zval, &'a T)> {
    // A method call without arguments (`$job->workload()` once per job):
    // the engine only runs an internal method of T on an instance of T (or
    // of a subclass), which is all Zend's parser would check here. A
    // procedural call (no `$this`) or extra arguments go through it.
    let this = this_ptr(ex);
    if !this.is_null() && num_args(ex) == 0 {
        return Some((this, object::inner_zv::<T>(this)));
    }
    let mut z: *mut zval = null_mut();
    zpp!(ex, "O", &mut z, T::slot().ce()).then(|| (z, object::inner_zv::<T>(z)))
}

/// `Ol`: the object and one int.
///
/// # Safety
/// As [`this`].
pub unsafe fn this_long<'a, T: PhpClass>(ex: *mut zend_execute_data) -> Option<(&'a T, i64)> {
    let mut z: *mut zval = null_mut();
    let mut v: i64 = 0;
    zpp!(ex, "Ol", &mut z, T::slot().ce(), &mut v as *mut i64)
        .then(|| (object::inner_zv::<T>(z), v))
}

/// `Os`: the object and one binary-safe string.
///
/// # Safety
/// As [`this`].
pub unsafe fn this_str<'a, T: PhpClass>(ex: *mut zend_execute_data) -> Option<(&'a T, &'a [u8])> {
    let mut z: *mut zval = null_mut();
    let (mut p, mut l): (*const c_char, usize) = (std::ptr::null(), 0);
    zpp!(ex, "Os", &mut z, T::slot().ce(), &mut p, &mut l)
        .then(|| (object::inner_zv::<T>(z), value::slice(p, l)))
}

/// `Oss|s!` of a method call whose arguments already have exactly those
/// types (two strings, then a string, null or nothing), read straight from
/// the call frame: Zend's generic parser costs more per call than a
/// doBackground's whole protocol work. `None` when the call needs the
/// parser (a procedural call, a value to coerce, a wrong count or type):
/// zpp then converts or throws exactly as before.
///
/// # Safety
/// As [`this`].
#[allow(clippy::type_complexity)]
pub unsafe fn method_strs<'a>(
    ex: *mut zend_execute_data,
) -> Option<(*mut zval, &'a [u8], &'a [u8], Option<&'a [u8]>)> {
    let this = this_ptr(ex);
    let n = num_args(ex);
    if this.is_null() || !(2..=3).contains(&n) {
        return None;
    }
    // ext-php-rs's ZEND_CALL_ARG (0-based here).
    let frame: &ext_php_rs::zend::ExecuteData = &*ex;
    let arg = |i: usize| -> Option<*mut zval> { frame.zend_call_arg(i).map(|z| z as *mut zval) };
    let (a, b) = (arg(0)?, arg(1)?);
    if value::type_of(a) != IS_STRING || value::type_of(b) != IS_STRING {
        return None;
    }
    let c = match n {
        3 => {
            let c = arg(2)?;
            match value::type_of(c) {
                IS_STRING => Some(value::str_bytes(c)),
                IS_NULL => None,
                _ => return None,
            }
        }
        _ => None,
    };
    Some((this, value::str_bytes(a), value::str_bytes(b), c))
}

/// The argument of the current call whose string `bytes` is, with a
/// reference taken so that it can outlive the call. zpp's "s" hands out
/// the argument's own string (converted in place from an int, a float or
/// a Stringable), so a pointer match finds it; `None` if none matches.
///
/// # Safety
/// `ex` must be the execute data of the running call; `bytes` came from
/// parsing its arguments.
pub unsafe fn arg_string_of(ex: *mut zend_execute_data, bytes: &[u8]) -> Option<value::ZStr> {
    let frame: &ext_php_rs::zend::ExecuteData = &*ex;
    (0..num_args(ex) as usize).find_map(|i| {
        let z = value::deref(frame.zend_call_arg(i)? as *mut zval);
        let own = value::type_of(z) == IS_STRING && {
            let b = value::str_bytes(z);
            b.as_ptr() == bytes.as_ptr() && b.len() == bytes.len()
        };
        own.then(|| value::ZStr::of(z))
    })
}
