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
