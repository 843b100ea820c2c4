//! GearmanJob: one job a GearmanWorker is working on.
//!
//! A job object is *live* while it may talk to the job server: during the
//! worker callback it was passed to, or, for objects returned by
//! `GearmanWorker::grabJob()`, for the object's whole life. A live object
//! holds its worker object (so the worker outlives it) and a copy of the
//! job (handle, function, unique, workload); send* calls go through the
//! worker's core. When the callback returns, `work()` detaches the object:
//! from then on it behaves exactly like `new GearmanJob()` (handle() etc.
//! return false, sendData() returns false, sendStatus() warns "(null)"),
//! so a job kept beyond its callback can never reach freed memory, unlike
//! pecl/gearman's.
//!
//! `returnCode()` is the job's own `ret`: set by `setReturn()` and by every
//! send* call (which stores that call's result). After the callback, the
//! worker turns it into the final packet (php-api.md §7.6).

use std::cell::RefCell;
use std::ptr::null_mut;

use gearman_core::worker::Job as CoreJob;
use gearman_core::{Error, ReturnCode};

use crate::handler;
use crate::php::last_error::LastError;
use crate::php::worker::Worker;
use crate::zend::ffi::*;
use crate::zend::object::{self, gc_push, ClassSlot, GcBuffer, PhpClass};
use crate::zend::sig::{self, both, method, Func};
use crate::zend::{args, call, class, value};

pub struct Job {
    st: RefCell<State>,
}

#[derive(Default)]
struct State {
    ret: i64,
    live: Option<Live>,
}

/// The attachment of a live job object.
struct Live {
    /// The GearmanWorker object the job came from.
    worker: zval,
    job: CoreJob,
    /// WORK_COMPLETE, WORK_FAIL or WORK_EXCEPTION was sent: later sends
    /// are silent no-ops returning true (libgearman's `finished` flag).
    finished: bool,
}

static SLOT: ClassSlot = ClassSlot::new();

impl PhpClass for Job {
    fn slot() -> &'static ClassSlot {
        &SLOT
    }
    fn create() -> Self {
        Job {
            st: RefCell::new(State::default()),
        }
    }
    fn gc(&self, out: &mut GcBuffer) {
        if let Ok(st) = self.st.try_borrow() {
            if let Some(l) = &st.live {
                gc_push(out, &l.worker);
            }
        }
    }
}

pub const FUNCS: &[Func] = &[
    method("__destruct", "", "", destruct),
    both(
        "returnCode",
        "gearman_job_return_code",
        "",
        "int",
        return_code,
    ),
    both(
        "setReturn",
        "gearman_job_set_return",
        "int $gearman_return_t",
        "bool",
        set_return,
    ),
    both(
        "sendData",
        "gearman_job_send_data",
        "string $data",
        "bool",
        send_data,
    ),
    both(
        "sendWarning",
        "gearman_job_send_warning",
        "string $warning",
        "bool",
        send_warning,
    ),
    both(
        "sendStatus",
        "gearman_job_send_status",
        "int $numerator, int $denominator",
        "bool",
        send_status,
    ),
    both(
        "sendComplete",
        "gearman_job_send_complete",
        "string $result",
        "bool",
        send_complete,
    ),
    both(
        "sendException",
        "gearman_job_send_exception",
        "string $exception",
        "bool",
        send_exception,
    ),
    both("sendFail", "gearman_job_send_fail", "", "bool", send_fail),
    both("handle", "gearman_job_handle", "", "false|string", handle),
    both(
        "functionName",
        "gearman_job_function_name",
        "",
        "false|string",
        function_name,
    ),
    both("unique", "gearman_job_unique", "", "false|string", unique),
    both("workload", "gearman_job_workload", "", "string", workload),
    both(
        "workloadSize",
        "gearman_job_workload_size",
        "",
        "int",
        workload_size,
    ),
];

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register("GearmanJob", sig::method_table(FUNCS), null_mut());
    object::bind::<Job>(ce);
}

/// A live GearmanJob object for `job` of the worker object `worker_zv`:
/// `spare` (an object [`reusable`] returned) or a new one.
///
/// # Safety
/// `worker_zv` must hold a live GearmanWorker object; a request must be active.
#[inline]
pub unsafe fn new_live(worker_zv: *mut zval, job: CoreJob, spare: Option<zval>) -> zval {
    let mut zv = spare.unwrap_or_else(|| {
        let mut zv = zval::new();
        unsafe { object::instantiate::<Job>(&mut zv) };
        zv
    });
    unsafe {
        let j = object::inner_zv::<Job>(&mut zv);
        j.st.borrow_mut().live = Some(Live {
            worker: call::keep(worker_zv),
            job,
            finished: false,
        });
    }
    zv
}

/// The detached job object `zv` after its callback, back in the state of a
/// new object, when no one else can ever see it again: we hold its only
/// reference, it has no property table (no dynamic property, never dumped)
/// and no WeakReference/WeakMap entry. Then destroying it and creating the
/// next job's object (what pecl/gearman does per job) would be unobservable
/// work: the next job reuses it, object handle included (the handle a new
/// object would get is the one just freed anyway). Otherwise `zv` is
/// released and `None` returned.
///
/// # Safety
/// `zv` must hold a GearmanJob object created by [`new_live`]; a request
/// must be active.
#[inline]
pub unsafe fn reusable(zv: zval) -> Option<zval> {
    unsafe {
        let obj = zv.value.obj;
        let flags = (*obj).gc.u.type_info;
        let alone = (*obj).gc.refcount == 1
            && (*obj).properties.is_null()
            && flags & (IS_OBJ_WEAKLY_REFERENCED | IS_OBJ_DESTRUCTOR_CALLED | IS_OBJ_FREE_CALLED)
                == 0;
        if !alone {
            return None;
        }
        let j = object::inner::<Job>(obj);
        let mut st = j.st.borrow_mut();
        debug_assert!(st.live.is_none(), "detached before reuse");
        *st = State::default();
    }
    Some(zv)
}

impl Job {
    /// The job's `ret` (what `returnCode()` shows).
    pub fn ret(&self) -> i64 {
        self.st.borrow().ret
    }

    /// Whether a terminal packet was sent for the job.
    pub fn finished(&self) -> bool {
        self.st.borrow().live.as_ref().is_some_and(|l| l.finished)
    }

    /// The callback is over: forget the worker and the job. Returns the
    /// job (for [`gearman_core::worker::Worker::recycle`]).
    pub fn detach(&self) -> Option<CoreJob> {
        let live = self.st.borrow_mut().live.take()?;
        // Released after the borrow: dropping the worker reference may run
        // PHP code (a destructor).
        let Live { worker, job, .. } = live;
        drop(worker);
        Some(job)
    }

    /// Mark the job finished (the worker sent its terminal packet).
    pub fn set_finished(&self) {
        if let Some(l) = self.st.borrow_mut().live.as_mut() {
            l.finished = true;
        }
    }

    /// Set the job's `ret`.
    pub fn set_ret(&self, v: i64) {
        self.st.borrow_mut().ret = v;
    }

    /// Run `f` on the attached job. `None`: the object has no job.
    #[inline]
    pub fn with_job<R>(&self, f: impl FnOnce(&CoreJob) -> R) -> Option<R> {
        let st = self.st.borrow();
        st.live.as_ref().map(|l| f(&l.job))
    }

    /// Run one send through the worker's core. `None`: the object has no job.
    fn with_core<R>(&self, f: impl FnOnce(&Worker, &CoreJob) -> R) -> Option<R> {
        let st = self.st.borrow();
        let live = st.live.as_ref()?;
        let mut wz = live.worker.shallow_clone();
        let w = unsafe { object::inner_zv::<Worker>(&mut wz) };
        Some(f(w, &live.job))
    }
}

/// The text of a failed job send, shaped like libgearman's `gearman_job_error()`.
fn error_text(e: &Error) -> String {
    LastError::default().fail(e)
}

fn this<'a>(z: *mut zval) -> &'a Job {
    unsafe { object::inner_zv::<Job>(z) }
}

/// Which packet a send* method sends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Send<'a> {
    Data(&'a [u8]),
    Warning(&'a [u8]),
    Status(u32, u32),
    Complete(&'a [u8]),
    Exception(&'a [u8]),
    Fail,
}

impl Send<'_> {
    fn terminal(self) -> bool {
        matches!(self, Send::Complete(_) | Send::Exception(_) | Send::Fail)
    }
}

/// The common body of the send* methods (pecl/gearman + libgearman rules):
/// - no job (`new GearmanJob()`, or a job whose callback has returned):
///   sendData/sendWarning return false silently; the others warn "(null)"
///   and set ret 49 (libgearman's answer for a NULL job);
/// - job finished: true, nothing sent, ret 0;
/// - otherwise send; ret = the result; failure → warning with the error text.
fn send(job: &Job, rv: *mut zval, what: Send<'_>) {
    let live = job.st.borrow().live.is_some();
    if !live {
        if matches!(what, Send::Data(_) | Send::Warning(_)) {
            unsafe { value::set_bool(rv, false) };
            return;
        }
        job.st.borrow_mut().ret = ReturnCode::InvalidArgument.value() as i64;
        value::warn("(null)");
        unsafe { value::set_bool(rv, false) };
        return;
    }
    if job.finished() {
        job.st.borrow_mut().ret = 0;
        unsafe { value::set_bool(rv, true) };
        return;
    }
    let r = job
        .with_core(|w, j| {
            let mut core = w.core.borrow_mut();
            match what {
                Send::Data(d) => core.send_data(j, d),
                Send::Warning(d) => core.send_warning(j, d),
                Send::Status(n, d) => core.send_status(j, n, d),
                Send::Complete(d) => core.send_complete(j, d),
                Send::Exception(d) => core.send_exception(j, d),
                Send::Fail => core.send_fail(j),
            }
        })
        .expect("checked live above");
    match r {
        Ok(()) => {
            job.st.borrow_mut().ret = 0;
            if what.terminal() {
                job.set_finished();
            }
            unsafe { value::set_bool(rv, true) };
        }
        Err(e) => {
            job.st.borrow_mut().ret = e.code.value() as i64;
            value::warn(error_text(&e));
            unsafe { value::set_bool(rv, false) };
        }
    }
}

// Called for every job object the engine frees: no parameter parsing
// (extra arguments to an explicit call are ignored, as by pecl/gearman).
handler!(destruct(_ex, _rv) {});

handler!(return_code(ex, rv) {
    if let Some((_, j)) = args::this::<Job>(ex) {
        value::set_long(rv, j.ret());
    }
});

handler!(set_return(ex, rv) {
    let mut z: *mut zval = null_mut();
    let mut v: i64 = 0;
    if !zpp!(ex, "Ol", &mut z, SLOT.ce(), &mut v as *mut i64) {
        return;
    }
    // pecl/gearman stores the long in a (32-bit) gearman_return_t first.
    let v = v as i32;
    if !(0..=ReturnCode::MaxReturn.value() as i32).contains(&v) {
        value::warn(format!("Invalid gearman_return_t: {v}"));
        value::set_bool(rv, false);
        return;
    }
    this(z).st.borrow_mut().ret = v as i64;
    value::set_bool(rv, true);
});

handler!(send_data(ex, rv) {
    if let Some((j, d)) = args::this_str::<Job>(ex) {
        send(j, rv, Send::Data(d));
    }
});

handler!(send_warning(ex, rv) {
    if let Some((j, d)) = args::this_str::<Job>(ex) {
        send(j, rv, Send::Warning(d));
    }
});

handler!(send_status(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut n, mut d): (i64, i64) = (0, 0);
    if zpp!(ex, "Oll", &mut z, SLOT.ce(), &mut n as *mut i64, &mut d as *mut i64) {
        // Cast to uint32_t, as pecl/gearman does.
        send(this(z), rv, Send::Status(n as u32, d as u32));
    }
});

handler!(send_complete(ex, rv) {
    if let Some((j, d)) = args::this_str::<Job>(ex) {
        send(j, rv, Send::Complete(d));
    }
});

handler!(send_exception(ex, rv) {
    if let Some((j, d)) = args::this_str::<Job>(ex) {
        send(j, rv, Send::Exception(d));
    }
});

handler!(send_fail(ex, rv) {
    if let Some((_, j)) = args::this::<Job>(ex) {
        send(j, rv, Send::Fail);
    }
});

/// Return one byte field of the job, or false without a job.
fn field(ex: *mut zend_execute_data, rv: *mut zval, f: fn(&CoreJob) -> &[u8]) {
    let Some((_, j)) = (unsafe { args::this::<Job>(ex) }) else {
        return;
    };
    let st = j.st.borrow();
    match &st.live {
        Some(l) => unsafe { value::set_bytes(rv, f(&l.job)) },
        None => unsafe { value::set_bool(rv, false) },
    }
}

handler!(handle(ex, rv) {
    field(ex, rv, |j| j.handle());
});

handler!(function_name(ex, rv) {
    field(ex, rv, |j| j.function());
});

handler!(unique(ex, rv) {
    field(ex, rv, |j| j.unique());
});

handler!(workload(ex, rv) {
    if let Some((_, j)) = args::this::<Job>(ex) {
        let st = j.st.borrow();
        match st.live.as_ref() {
            Some(l) => {
                if !value::set_if_large(rv, l.job.large_workload()) {
                    value::set_bytes(rv, l.job.workload());
                }
            }
            None => value::set_bytes(rv, b""),
        }
    }
});

handler!(workload_size(ex, rv) {
    if let Some((_, j)) = args::this::<Job>(ex) {
        let st = j.st.borrow();
        value::set_long(rv, st.live.as_ref().map_or(0, |l| l.job.workload().len() as i64));
    }
});
