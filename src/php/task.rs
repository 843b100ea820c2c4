//! GearmanTask: a view of one task of a GearmanClient.
//!
//! A task object holds its client (so the client outlives it) and the core
//! task id; accessors read the core task. When the task finishes and the
//! client has FREE_TASKS (the default) the object is detached: every
//! accessor then returns false, as with pecl/gearman. `new GearmanTask()`
//! gives such a detached object too.

use std::cell::RefCell;
use std::os::raw::c_char;
use std::ptr::null_mut;

use gearman_core::client::{Task as CoreTask, TaskId};

use crate::handler;
use crate::php::client::{self, Client, Slot};
use crate::zend::ffi::*;
use crate::zend::object::{self, gc_push, ClassSlot, GcBuffer, PhpClass};
use crate::zend::sig::{self, both, method, Func};
use crate::zend::{args, call, class, value};

pub struct Task {
    st: RefCell<State>,
}

#[derive(Default)]
struct State {
    /// The client object, while attached.
    client: Option<zval>,
    id: Option<TaskId>,
    /// The context given to addTask* (Some even for an explicit null).
    context: Option<zval>,
    /// Callback slots that were set on the client when the task was added.
    slots: u16,
    ret: i64,
    /// Inside the task-failed callback for the current attempt.
    failed_attempt: bool,
    retried: bool,
    /// Finished without FREE_TASKS: accessors work, data is gone.
    finished: bool,
    /// retryCount() once the task ended (it outlives the core task).
    final_retry_count: u32,
}

static SLOT: ClassSlot = ClassSlot::new();

impl PhpClass for Task {
    fn slot() -> &'static ClassSlot {
        &SLOT
    }
    fn create() -> Self {
        Task {
            st: RefCell::new(State::default()),
        }
    }
    fn gc(&self, out: &mut GcBuffer) {
        if let Ok(st) = self.st.try_borrow() {
            st.client
                .iter()
                .chain(st.context.iter())
                .for_each(|z| gc_push(out, z));
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        let st = self.st.get_mut();
        if let (Some(c), Some(id)) = (st.client.as_mut(), st.id) {
            // Freed together with its client by the cycle collector: the
            // client's state is gone (or going) with it, nothing to tidy.
            if unsafe { object::is_freed(c) } {
                return;
            }
            let client = unsafe { object::inner_zv::<Client>(c) };
            if let Ok(mut core) = client.core.try_borrow_mut() {
                core.remove_task(id);
            }
        }
    }
}

pub const FUNCS: &[Func] = &[
    method("__construct", "", "", construct),
    both(
        "returnCode",
        "gearman_task_return_code",
        "",
        "int",
        return_code,
    ),
    both(
        "functionName",
        "gearman_task_function_name",
        "",
        "false|string",
        function_name,
    ),
    both("unique", "gearman_task_unique", "", "false|string", unique),
    both(
        "jobHandle",
        "gearman_task_job_handle",
        "",
        "false|string",
        job_handle,
    ),
    both("isKnown", "gearman_task_is_known", "", "bool", is_known),
    both(
        "isRunning",
        "gearman_task_is_running",
        "",
        "bool",
        is_running,
    ),
    both(
        "taskNumerator",
        "gearman_task_numerator",
        "",
        "false|int",
        task_numerator,
    ),
    both(
        "taskDenominator",
        "gearman_task_denominator",
        "",
        "false|int",
        task_denominator,
    ),
    both("data", "gearman_task_data", "", "false|string", data),
    both(
        "dataSize",
        "gearman_task_data_size",
        "",
        "int|false",
        data_size,
    ),
    both(
        "sendWorkload",
        "gearman_task_send_workload",
        "string $data",
        "int|false",
        send_workload,
    ),
    both(
        "recvData",
        "gearman_task_recv_data",
        "int $data_len",
        "false|array",
        recv_data,
    ),
    both(
        "retryCount",
        "gearman_task_retry_count",
        "",
        "int",
        retry_count,
    ),
    both(
        "retry",
        "gearman_task_retry",
        "int $delayMs = 0",
        "bool",
        retry,
    ),
];

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register("GearmanTask", sig::method_table(FUNCS), null_mut());
    object::bind::<Task>(ce);
}

/// A new GearmanTask object bound to task `id` of the client in `client_zv`.
///
/// # Safety
/// `client_zv` must hold a live GearmanClient object; a request must be active.
pub unsafe fn new_bound(
    client_zv: *mut zval,
    id: TaskId,
    context: Option<zval>,
    slots: u16,
) -> zval {
    let mut zv = zval::new();
    unsafe {
        object::instantiate::<Task>(&mut zv);
        let t = object::inner_zv::<Task>(&mut zv);
        let mut st = t.st.borrow_mut();
        st.client = Some(call::keep(client_zv));
        st.id = Some(id);
        st.context = context;
        st.slots = slots;
    }
    zv
}

impl Task {
    /// Forget the client: the task is finished and freed (FREE_TASKS).
    pub fn detach(&self) {
        let (c, ctx) = {
            let mut st = self.st.borrow_mut();
            st.id = None;
            (st.client.take(), st.context.take())
        };
        drop((c, ctx));
    }

    pub fn mark_finished(&self) {
        self.st.borrow_mut().finished = true;
    }

    /// The task ended with `retries` retries and outcome `code`: keep what
    /// retryCount() and returnCode() report for the object's whole life. A
    /// task that went through the task-failed callback reports its final
    /// outcome; others keep pecl/gearman's 0.
    pub fn finalize(&self, retries: u32, code: i64) {
        let mut st = self.st.borrow_mut();
        st.final_retry_count = retries;
        if st.ret != 0 || retries > 0 {
            st.ret = code;
        }
    }

    fn finished(&self) -> bool {
        self.st.borrow().finished
    }

    pub fn context(&self) -> Option<zval> {
        self.st.borrow().context.as_ref().map(|z| z.shallow_clone())
    }

    pub fn slot_active(&self, slot: Slot) -> bool {
        self.st.borrow().slots & (1 << slot as u16) != 0
    }

    /// Entering the task-failed callback for an attempt that failed with
    /// `code`: returnCode() reports it (a gearman-rs addition; without the
    /// hook a task's returnCode() stays 0, as with pecl/gearman).
    pub fn begin_failed_attempt(&self, code: i64) {
        let mut st = self.st.borrow_mut();
        st.ret = code;
        st.failed_attempt = true;
        st.retried = false;
    }

    /// Leave the task-failed callback; true if it called retry().
    pub fn end_failed_attempt(&self) -> bool {
        let mut st = self.st.borrow_mut();
        st.failed_attempt = false;
        std::mem::take(&mut st.retried)
    }

    /// Read the core task, if attached. No borrow of the task state is held
    /// while `f` runs, only the client's core (f must not call into PHP).
    fn with<R>(&self, f: impl FnOnce(&CoreTask, &Client) -> R) -> Option<R> {
        let (mut cz, id) = {
            let st = self.st.borrow();
            (st.client.as_ref()?.shallow_clone(), st.id?)
        };
        let client = unsafe { object::inner_zv::<Client>(&mut cz) };
        let core = client.core.borrow();
        let t = core.task(id)?;
        Some(f(t, client))
    }
}

fn this<'a>(z: *mut zval) -> &'a Task {
    unsafe { object::inner_zv::<Task>(z) }
}

fn set_opt_bytes(rv: *mut zval, v: Option<Vec<u8>>) {
    unsafe {
        match v {
            Some(b) => value::set_bytes(rv, &b),
            None => value::set_bool(rv, false),
        }
    }
}

fn set_opt_long(rv: *mut zval, v: Option<i64>) {
    unsafe {
        match v {
            Some(n) => value::set_long(rv, n),
            None => value::set_bool(rv, false),
        }
    }
}

handler!(construct(ex, _rv) {
    let _ = args::this::<Task>(ex).map(|(_, t)| t);
});

handler!(return_code(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        value::set_long(rv, t.st.borrow().ret);
    }
});

handler!(function_name(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        set_opt_bytes(rv, t.with(|t, _| t.function().to_vec()));
    }
});

handler!(unique(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        set_opt_bytes(rv, t.with(|t, _| t.unique().to_vec()));
    }
});

handler!(job_handle(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        set_opt_bytes(rv, t.with(|t, _| t.handle().to_vec()));
    }
});

handler!(is_known(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        value::set_bool(rv, t.with(|t, _| t.is_known()).unwrap_or(false));
    }
});

handler!(is_running(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        value::set_bool(rv, t.with(|t, _| t.is_running()).unwrap_or(false));
    }
});

handler!(task_numerator(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        set_opt_long(rv, t.with(|t, _| t.numerator() as i64));
    }
});

handler!(task_denominator(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        set_opt_long(rv, t.with(|t, _| t.denominator() as i64));
    }
});

/// UNBUFFERED_RESULT hides the data, as with pecl/gearman.
fn buffered(c: &Client) -> bool {
    c.options_bits() & client::opt::UNBUFFERED_RESULT == 0
}

handler!(data(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        let done = t.finished();
        // What to copy into the return value once the client's borrow has
        // ended (a new string is an allocation in PHP); none: false.
        let mut copy = None;
        let in_place = t.with(|t, c| {
            if !buffered(c) {
                return false;
            }
            // A string received into: set here, with one more reference
            // (no call into PHP).
            if unsafe { value::set_if_large(rv, t.large_data().filter(|_| !done)) } {
                return true;
            }
            copy = Some(if done { Vec::new() } else { t.data().to_vec() });
            false
        });
        if in_place != Some(true) {
            set_opt_bytes(rv, copy);
        }
    }
});

handler!(data_size(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        let done = t.finished();
        set_opt_long(rv, t.with(|t, c| buffered(c).then(|| if done { 0 } else { t.data().len() as i64 })).flatten());
    }
});

handler!(send_workload(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut p, mut l): (*const c_char, usize) = (std::ptr::null(), 0);
    if zpp!(ex, "Os", &mut z, SLOT.ce(), &mut p, &mut l) {
        // Workload streaming is not part of the protocol gearmand speaks to
        // PHP; pecl/gearman answers GEARMAN_NOT_FLUSHING (29) here, and
        // false for a task object without a task (new, or freed after it
        // finished).
        match this(z).with(|_, _| ()) {
            Some(()) => value::set_long(rv, 29),
            None => value::set_bool(rv, false),
        }
    }
});

handler!(recv_data(ex, rv) {
    let mut z: *mut zval = null_mut();
    let mut len: i64 = 0;
    if zpp!(ex, "Ol", &mut z, SLOT.ce(), &mut len as *mut i64) {
        // pecl/gearman: false without a task, [0, ""] with one (nothing is
        // ever streamed); a negative length was a fatal "integer overflow".
        if len < 0 {
            return value::argument_value_error(ex, 1, "must be greater than or equal to 0");
        }
        match this(z).with(|_, _| ()) {
            Some(()) => value::set_list(rv, vec![value::long_zval(0), value::bytes_zval(b"")]),
            None => value::set_bool(rv, false),
        }
    }
});

handler!(retry_count(ex, rv) {
    if let Some(t) = args::this::<Task>(ex).map(|(_, t)| t) {
        let kept = t.st.borrow().final_retry_count as i64;
        value::set_long(rv, t.with(|t, _| t.retry_count() as i64).unwrap_or(kept));
    }
});

handler!(retry(ex, rv) {
    let mut z: *mut zval = null_mut();
    let mut delay: i64 = 0;
    if !zpp!(ex, "O|l", &mut z, SLOT.ce(), &mut delay as *mut i64) {
        return;
    }
    let t = this(z);
    let (allowed, cz, id) = {
        let st = t.st.borrow();
        (st.failed_attempt && !st.retried, st.client.as_ref().map(|c| c.shallow_clone()), st.id)
    };
    let (Some(mut cz), Some(id), true) = (cz, id, allowed) else {
        value::set_bool(rv, false);
        return;
    };
    let client = object::inner_zv::<Client>(&mut cz);
    let ok = client.core.borrow_mut().retry_task(id, delay.max(0) as u64);
    t.st.borrow_mut().retried = ok;
    value::set_bool(rv, ok);
});
