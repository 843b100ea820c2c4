//! GearmanException: `final class GearmanException extends Exception` with a
//! re-declared `public $code`, as pecl/gearman registers it.
//!
//! It is a plain internal class with the standard exception handlers, so
//! file, line and trace are set by the engine and `new GearmanException()`
//! and `catch (Exception $e)` work as for any exception.

use std::any::Any;
use std::sync::atomic::{AtomicPtr, Ordering};

use crate::zend::{class, ffi::*, sig, value};

static CE: AtomicPtr<zend_class_entry> = AtomicPtr::new(std::ptr::null_mut());

pub fn ce() -> *mut zend_class_entry {
    CE.load(Ordering::Relaxed)
}

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register(
        "GearmanException",
        sig::method_table(&[]),
        zend_ce_exception,
    );
    (*ce).ce_flags |= ZEND_ACC_FINAL;
    let mut zero = value::long_zval(0);
    zend_declare_property(ce, c"code".as_ptr(), 4, &mut zero, ZEND_ACC_PUBLIC as i32);
    std::mem::forget(zero);
    CE.store(ce, Ordering::Relaxed);
}

/// Throw `GearmanException($msg, 0)`.
pub fn throw(msg: &str) {
    // SAFETY: registered at MINIT, before any code that can throw runs.
    unsafe { value::throw(ce(), msg, 0) };
}

/// A Rust panic reached a handler: report it as an exception, never crash.
pub fn internal_error(payload: Box<dyn Any + Send>) {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    if !exception_pending() {
        throw(&format!("gearman-rs internal error: {what}"));
    }
}
