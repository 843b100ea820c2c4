//! Calling PHP callables from Rust.
//!
//! The rule that keeps re-entrancy safe: callers hold no `RefCell` borrow
//! of any object state while these run, because the callable may use the
//! same client or worker (or another one) again.

use std::ptr;

use super::ffi::*;
use super::value;

/// Call `callable` with `args`. Returns the return value, or `None` when the
/// call could not be made or a PHP exception is pending afterwards (the
/// exception stays pending and reaches the PHP caller intact).
pub fn call(callable: &zval, args: &mut [zval]) -> Option<zval> {
    let mut ret = zval::new();
    // The engine takes the callable by mutable pointer but does not change it.
    let f = callable as *const zval as *mut zval;
    let rc = unsafe {
        _call_user_function_impl(
            ptr::null_mut(),
            f,
            &mut ret,
            args.len() as u32,
            args.as_mut_ptr(),
            ptr::null_mut(),
        )
    };
    if rc != 0 || exception_pending() {
        return None;
    }
    Some(ret)
}

/// `is_callable($zv)`, and the callable's display name for messages.
///
/// # Safety
/// `zv` must point to an initialised zval (an argument zpp handed out); a
/// request must be active (autoloading may run).
pub unsafe fn callable_name(zv: *mut zval) -> (bool, Vec<u8>) {
    let mut name: *mut zend_string = ptr::null_mut();
    let ok = unsafe { zend_is_callable(zv, 0, &mut name) };
    let text = if name.is_null() {
        Vec::new()
    } else {
        unsafe {
            let b =
                std::slice::from_raw_parts((*name).val.as_ptr() as *const u8, (*name).len).to_vec();
            ext_php_rs_zend_string_release(name);
            b
        }
    };
    (ok, text)
}

/// An owned copy of a zval (`ZVAL_COPY`, dereferenced): what we keep of a
/// callable or a context passed by the user.
///
/// # Safety
/// `zv` must point to an initialised zval that stays alive for this call.
pub unsafe fn keep(zv: *mut zval) -> zval {
    unsafe { (*value::deref(zv)).shallow_clone() }
}

/// A new PHP reference wrapping `val` (`ZVAL_NEW_REF`), so that a callback
/// declaring `&$param` can change the value we keep.
pub fn new_reference(val: zval) -> zval {
    unsafe {
        let r = _emalloc(std::mem::size_of::<zend_reference>()) as *mut zend_reference;
        (*r).gc.refcount = 1;
        // GC_SET_REFCOUNT + GC_TYPE_INFO(ref) = GC_REFERENCE, as ZVAL_NEW_REF.
        (*r).gc.u.type_info = GC_REFERENCE;
        ptr::write(ptr::addr_of_mut!((*r).val), val);
        (*r).sources.ptr = ptr::null_mut();
        let mut zv = zval::new();
        zv.value.ref_ = r;
        // IS_REFERENCE_EX carries IS_TYPE_COLLECTABLE since PHP 8.5, which is
        // what makes cycles through a worker's context visible to the GC.
        zv.u1.type_info = IS_REFERENCE_EX;
        zv
    }
}
