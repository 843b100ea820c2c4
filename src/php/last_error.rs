//! The per-object "last return code / last error" of GearmanClient and
//! GearmanWorker (`returnCode()`, `error()`, `getErrno()`).
//!
//! libgearman keeps an error string per client/worker; pecl/gearman shows it
//! through `error()`. The observable rules (php-api.md §3.4): `false` on a
//! fresh object; the bare code name for codes that never carry a message
//! (e.g. "GEARMAN_WORK_FAIL" after a failed job, "GEARMAN_UNKNOWN_STATE" after
//! a success); otherwise `"<origin>(<CODE_NAME>) <message> -> <where>: pid(<pid>)"`.

use std::borrow::Cow;
use std::cell::{Ref, RefMut};

use gearman_core::{Error, ReturnCode};

use crate::php::guarded;
use crate::zend::ffi::{zend_execute_data, zval};
use crate::zend::object::PhpClass;
use crate::zend::{args, value};

#[derive(Default)]
pub struct LastError {
    /// What `returnCode()` shows.
    pub ret: i64,
    /// Borrowed for the fixed texts, so that a success (every call) does
    /// not allocate.
    text: Option<Cow<'static, str>>,
    errno: i32,
}

/// Codes libgearman never attaches a message to: `error()` shows their name.
fn bare(code: ReturnCode) -> bool {
    matches!(
        code,
        ReturnCode::Success
            | ReturnCode::IoWait
            | ReturnCode::WorkException
            | ReturnCode::WorkFail
            | ReturnCode::Shutdown
            | ReturnCode::ShutdownGraceful
            | ReturnCode::InvalidServerOption
    )
}

impl LastError {
    /// A call finished without an error: libgearman's state says
    /// "GEARMAN_UNKNOWN_STATE" from then on.
    pub fn ok(&mut self) {
        self.ret = 0;
        self.text = Some(Cow::Borrowed("GEARMAN_UNKNOWN_STATE"));
    }

    /// A call ended with a code that carries no message (IO_WAIT, WORK_FAIL…).
    pub fn code(&mut self, code: ReturnCode) {
        self.ret = code.value() as i64;
        self.text = Some(Cow::Borrowed(if bare(code) {
            code.name()
        } else {
            "GEARMAN_UNKNOWN_STATE"
        }));
    }

    /// A call failed with `e`: remember code, text and errno. Returns the
    /// text, for the warning pecl/gearman prints.
    pub fn fail(&mut self, e: &Error) -> String {
        self.ret = e.code.value() as i64;
        // libgearman records no errno for a failed connect: pecl's
        // getErrno() shows 0 after "Connection to h:p failed".
        self.errno = if e.code == ReturnCode::CouldNotConnect {
            0
        } else {
            e.errno
        };
        let text = if bare(e.code) {
            e.code.name().to_string()
        } else if e.code == ReturnCode::GetAddrInfo {
            format!("{} pid({})", e.message, std::process::id())
        } else {
            format!(
                "{} -> gearman-rs/{}:{}: pid({})",
                e.libgearman_text(),
                e.origin,
                e.code.value(),
                std::process::id()
            )
        };
        self.text = Some(Cow::Owned(text.clone()));
        text
    }

    /// Record an error's text without changing `returnCode()` (pecl/gearman's
    /// exception-option failure leaves the add's code in place).
    pub fn remember(&mut self, e: &Error) -> String {
        let ret = self.ret;
        let t = self.fail(e);
        self.ret = ret;
        t
    }

    /// What `error()` returns: `None` → false.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    pub fn errno(&self) -> i32 {
        self.errno
    }
}

/// A class whose objects keep a [`LastError`] (GearmanClient, GearmanWorker):
/// they share one implementation of `returnCode()`, `error()` and `getErrno()`.
pub trait HasLastError: PhpClass {
    fn last_error(&self) -> Ref<'_, LastError>;
    fn last_error_mut(&self) -> RefMut<'_, LastError>;
}

/// `returnCode()` / `gearman_*_return_code()`.
///
/// # Safety
/// A Zend internal function handler (see [`crate::handler!`]): only the
/// engine calls it, for a method or function registered for class `T`.
pub unsafe extern "C" fn return_code<T: HasLastError>(ex: *mut zend_execute_data, rv: *mut zval) {
    guarded(|| unsafe {
        if let Some((_, o)) = args::this::<T>(ex) {
            value::set_long(rv, o.last_error().ret);
        }
    });
}

/// `error()` / `gearman_*_error()`: the text, or false when there is none.
///
/// # Safety
/// A Zend internal function handler (see [`crate::handler!`]): only the
/// engine calls it, for a method or function registered for class `T`.
pub unsafe extern "C" fn error<T: HasLastError>(ex: *mut zend_execute_data, rv: *mut zval) {
    guarded(|| unsafe {
        if let Some((_, o)) = args::this::<T>(ex) {
            match o.last_error().text() {
                Some(t) => value::set_bytes(rv, t.as_bytes()),
                None => value::set_bool(rv, false),
            }
        }
    });
}

/// `getErrno()` / `gearman_client_get_errno()` / `gearman_worker_errno()`.
///
/// # Safety
/// A Zend internal function handler (see [`crate::handler!`]): only the
/// engine calls it, for a method or function registered for class `T`.
pub unsafe extern "C" fn get_errno<T: HasLastError>(ex: *mut zend_execute_data, rv: *mut zval) {
    guarded(|| unsafe {
        if let Some((_, o)) = args::this::<T>(ex) {
            value::set_long(rv, o.last_error().errno() as i64);
        }
    });
}
