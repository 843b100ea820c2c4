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

/// A callable's `zend_fcall_info_cache`: what the engine resolved it to
/// (function, object, scopes), kept so that each call skips resolving it
/// again. [`call`] resolves its callable on every call (the engine's
/// `zend_is_callable_ex`), which is about a hundred instructions of each
/// worker job. Valid while the callable it came from is alive: the caller
/// keeps that zval (and holds a reference to it during the call).
#[derive(Clone, Copy)]
pub struct Resolved(zend_fcall_info_cache);

/// Resolves `callable` for [`call_resolved`] when every call would resolve
/// it the same way: an object (a Closure, or an object with `__invoke`,
/// callable from any scope) or the name of a plain function. `None` for the
/// rest, which [`call`] keeps resolving per call, because the result depends
/// on the calling scope (methods given as arrays or `"Class::method"`, whose
/// visibility is checked against the caller; `self::`/`parent::` forms,
/// which also warn on each call since PHP 8.2), or because the engine makes
/// the function anew for each call and frees it after (`__call` and
/// `__callStatic` trampolines).
///
/// # Safety
/// `callable` must be an initialised zval; a request must be active.
pub unsafe fn resolve(callable: &zval) -> Option<Resolved> {
    let zv = callable as *const zval as *mut zval;
    let plain = match unsafe { value::type_of(zv) } {
        IS_OBJECT => true,
        IS_STRING => !unsafe { value::str_bytes(zv) }.contains(&b':'),
        _ => false,
    };
    if !plain {
        return None;
    }
    // Zeroed is the engine's "empty cache" (ZEND_FCC_INITIALIZED is a
    // non-null function_handler); whatever fields this PHP has are filled.
    let mut fcc: zend_fcall_info_cache = unsafe { std::mem::zeroed() };
    let ok = unsafe {
        zend_is_callable_ex(
            zv,
            ptr::null_mut(),
            0,
            ptr::null_mut(),
            &mut fcc,
            ptr::null_mut(),
        )
    };
    let f = fcc.function_handler;
    if !ok || f.is_null() || unsafe { (*f).common.fn_flags } & ZEND_ACC_CALL_VIA_TRAMPOLINE != 0 {
        return None;
    }
    Some(Resolved(fcc))
}

/// [`call`] with the resolution [`resolve`] made for a callable: the same
/// call (`zend_call_function`, which `call_user_function` also ends in),
/// without resolving the callable again. The caller holds a reference to
/// the callable for the call.
pub fn call_resolved(resolved: &Resolved, args: &mut [zval]) -> Option<zval> {
    let mut ret = zval::new();
    // Zeroed first: fields this PHP has beyond the ones set here (8.6's
    // `consumed_args` bitmask) are 0, "none", as the engine's own
    // initialisers leave them. `function_name` stays undefined: it is not
    // used when a cache is given (as in the engine's
    // zend_call_known_function), and a copy of the callable would be
    // released when `fci` is dropped.
    let mut fci: zend_fcall_info = unsafe { std::mem::zeroed() };
    fci.size = std::mem::size_of::<zend_fcall_info>();
    fci.retval = &mut ret;
    fci.params = args.as_mut_ptr();
    fci.param_count = args.len() as u32;
    // A copy: the engine clears a cache it was given when an exception is
    // pending.
    let mut fcc = resolved.0;
    let rc = unsafe { zend_call_function(&mut fci, &mut fcc) };
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
