//! GearmanClient: submitting jobs (do*), task batches (addTask* + runTasks)
//! with callbacks, status queries, and the task-failed/retry hook.
//!
//! State is split in two `RefCell`s: `core` (the PHP-free protocol client)
//! and `st` (PHP-side: return code, callbacks, task objects). Neither is
//! borrowed while a PHP callback runs, so callbacks may freely use this
//! client (add tasks, run status calls) or any other object.

use gearman_core::fast_hash::FastMap;
use std::cell::RefCell;
use std::os::raw::c_char;
use std::ptr::null_mut;

use gearman_core::client::{
    Client as Core, Priority, Scope, Step, TaskEvent, TaskId, TaskKind, SHARE_WORKLOAD_FROM,
};
use gearman_core::{Error, ReturnCode, Selection};
use std::sync::Arc;

use crate::handler;
use crate::php::exception;
use crate::php::last_error::{self, LastError};
use crate::php::signal;
use crate::php::task::{self, Task};
use crate::php::tls;
use crate::zend::ffi::*;
use crate::zend::object::{self, gc_push, ClassSlot, GcBuffer, PhpClass};
use crate::zend::sig::{self, both, method, Func};
use crate::zend::{args, call, class, value};

/// Client option bits (gearman_client_options_t).
pub mod opt {
    pub const NON_BLOCKING: i64 = 2;
    pub const UNBUFFERED_RESULT: i64 = 8;
    pub const FREE_TASKS: i64 = 32;
    pub const GENERATE_UNIQUE: i64 = 64;
    pub const EXCEPTION: i64 = 128;
    pub const SSL: i64 = 256;
    /// Bits setOptions/addOptions can set and options() reports.
    pub const SETTABLE: i64 = NON_BLOCKING | UNBUFFERED_RESULT | FREE_TASKS | GENERATE_UNIQUE | SSL;
    /// Bits removeOptions can clear.
    pub const REMOVABLE: i64 = NON_BLOCKING | UNBUFFERED_RESULT | FREE_TASKS | GENERATE_UNIQUE;
}

/// The callback slots of a client, in pecl/gearman's order, plus ours.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Slot {
    Workload = 0,
    Created,
    Data,
    Warning,
    Status,
    Complete,
    Exception,
    Fail,
    /// gearman-rs: setTaskFailedCallback.
    TaskFailed,
}
const SLOTS: usize = 9;

impl Slot {
    fn for_event(ev: TaskEvent) -> Slot {
        match ev {
            TaskEvent::Created => Slot::Created,
            TaskEvent::Data => Slot::Data,
            TaskEvent::Warning => Slot::Warning,
            TaskEvent::Status => Slot::Status,
            TaskEvent::Complete => Slot::Complete,
            TaskEvent::Exception => Slot::Exception,
            TaskEvent::Fail => Slot::Fail,
            TaskEvent::AttemptFailed(_) => Slot::TaskFailed,
        }
    }
}

pub struct Client {
    pub(crate) core: RefCell<Core>,
    st: RefCell<State>,
}

struct State {
    last: LastError,
    options: i64,
    callbacks: [Option<zval>; SLOTS],
    context: Vec<u8>,
    /// Task objects of unfinished tasks, so callbacks get the same object
    /// addTask returned (pecl/gearman keeps them in the client the same way).
    tasks: FastMap<TaskId, zval>,
    /// Handle of the most recent background do*.
    job_handle: Vec<u8>,
    /// An event whose callback stopped runTasks with a non-zero return:
    /// pecl/gearman calls that callback again on the next runTasks.
    replay: Option<(TaskId, TaskEvent)>,
}

static SLOT: ClassSlot = ClassSlot::new();

impl PhpClass for Client {
    fn slot() -> &'static ClassSlot {
        &SLOT
    }
    fn create() -> Self {
        Client {
            core: RefCell::new({
                let mut core = Core::new();
                core.set_max_packet_size(crate::php::ini::max_packet_size());
                core.set_server_selection(crate::php::ini::server_selection());
                core.set_connect_timeout(crate::php::ini::connect_timeout());
                core
            }),
            st: RefCell::new(State {
                last: LastError::default(),
                options: opt::FREE_TASKS,
                callbacks: Default::default(),
                context: Vec::new(),
                tasks: FastMap::default(),
                job_handle: Vec::new(),
                replay: None,
            }),
        }
    }
    fn gc(&self, out: &mut GcBuffer) {
        if let Ok(st) = self.st.try_borrow() {
            st.callbacks.iter().flatten().for_each(|z| gc_push(out, z));
            st.tasks.values().for_each(|z| gc_push(out, z));
        }
    }
}

impl Client {
    /// Hands a finished core task's final retry count and return code to its
    /// GearmanTask, which keeps them after the core task is gone.
    fn finalize_task(&self, t: &Task, id: TaskId) {
        let outcome = self
            .core
            .borrow()
            .task(id)
            .map(|ct| (ct.retry_count(), ct.return_code().value() as i64));
        if let Some((retries, code)) = outcome {
            t.finalize(retries, code);
        }
    }
}

crate::last_error_and_tls!(Client, opt::SSL);

pub const FUNCS: &[Func] = &[
    method("__construct", "", "", construct),
    method("__destruct", "", "", destruct),
    both("returnCode", "gearman_client_return_code", "", "int", last_error::return_code::<Client>),
    both("error", "gearman_client_error", "", "string|false", last_error::error::<Client>),
    both("getErrno", "gearman_client_get_errno", "", "int", last_error::get_errno::<Client>),
    both("options", "gearman_client_options", "", "int", options),
    both("setOptions", "gearman_client_set_options", "int $option", "bool", set_options),
    both("addOptions", "gearman_client_add_options", "int $option", "bool", add_options),
    both("removeOptions", "gearman_client_remove_options", "int $option", "bool", remove_options),
    both("setSslOptions", "gearman_client_set_ssl_options", "array $options", "bool", tls::set_ssl_options::<Client>),
    both("timeout", "gearman_client_timeout", "", "int", timeout),
    both("setTimeout", "gearman_client_set_timeout", "int $timeout", "bool", set_timeout),
    both("addServer", "gearman_client_add_server", "?string $host = null, int $port = 0, bool $setupExceptionHandler = true", "bool", add_server),
    both("addServers", "gearman_client_add_servers", "?string $servers = null, bool $setupExceptionHandler = true", "bool", add_servers),
    both("wait", "gearman_client_wait", "", "bool", wait),
    both("doNormal", "gearman_client_do_normal", "string $function, string $workload, ?string $unique = null", "string", do_normal),
    both("doHigh", "gearman_client_do_high", "string $function, string $workload, ?string $unique = null", "string", do_high),
    both("doLow", "gearman_client_do_low", "string $function, string $workload, ?string $unique = null", "string", do_low),
    both("doBackground", "gearman_client_do_background", "string $function, string $workload, ?string $unique = null", "string", do_background),
    both("doHighBackground", "gearman_client_do_high_background", "string $function, string $workload, ?string $unique = null", "string", do_high_background),
    both("doLowBackground", "gearman_client_do_low_background", "string $function, string $workload, ?string $unique = null", "string", do_low_background),
    both("doBackgroundAt", "gearman_client_do_background_at", "string $function_name, string $workload, int $timestamp, ?string $unique = null", "string", do_background_at),
    both("doJobHandle", "gearman_client_do_job_handle", "", "string", do_job_handle),
    both("doStatus", "gearman_client_do_status", "", "array", do_status),
    both("jobStatus", "gearman_client_job_status", "string $job_handle", "array", job_status),
    both("jobStatusByUniqueKey", "gearman_client_job_status_by_unique_key", "string $unique_key", "array", job_status_by_unique_key),
    both("ping", "gearman_client_ping", "string $workload", "bool", ping),
    both("addTask", "gearman_client_add_task", TASK_PARAMS, "GearmanTask|false", add_task),
    both("addTaskHigh", "gearman_client_add_task_high", TASK_PARAMS, "GearmanTask|false", add_task_high),
    both("addTaskLow", "gearman_client_add_task_low", TASK_PARAMS, "GearmanTask|false", add_task_low),
    both("addTaskBackground", "gearman_client_add_task_background", TASK_PARAMS, "GearmanTask|false", add_task_background),
    both("addTaskHighBackground", "gearman_client_add_task_high_background", TASK_PARAMS, "GearmanTask|false", add_task_high_background),
    both("addTaskLowBackground", "gearman_client_add_task_low_background", TASK_PARAMS, "GearmanTask|false", add_task_low_background),
    both("addTaskBackgroundAt", "gearman_client_add_task_background_at", "string $function_name, string $workload, int $timestamp, mixed $context = null, ?string $unique_key = null", "GearmanTask|false", add_task_background_at),
    both("runTasks", "gearman_client_run_tasks", "", "bool", run_tasks),
    both("addTaskStatus", "gearman_client_add_task_status", "string $job_handle, mixed $context = null", "GearmanTask|false", add_task_status),
    both("setWorkloadCallback", "gearman_client_set_workload_callback", "callable $function", "bool", set_workload_callback),
    both("setCreatedCallback", "gearman_client_set_created_callback", "callable $function", "bool", set_created_callback),
    both("setDataCallback", "gearman_client_set_data_callback", "callable $function", "bool", set_data_callback),
    both("setWarningCallback", "gearman_client_set_warning_callback", "callable $function", "bool", set_warning_callback),
    both("setStatusCallback", "gearman_client_set_status_callback", "callable $function", "bool", set_status_callback),
    both("setCompleteCallback", "gearman_client_set_complete_callback", "callable $function", "bool", set_complete_callback),
    both("setExceptionCallback", "gearman_client_set_exception_callback", "callable $function", "bool", set_exception_callback),
    both("setFailCallback", "gearman_client_set_fail_callback", "callable $function", "bool", set_fail_callback),
    both("setTaskFailedCallback", "gearman_client_set_task_failed_callback", "callable $callback", "bool", set_task_failed_callback),
    both("clearCallbacks", "gearman_client_clear_callbacks", "", "bool", clear_callbacks),
    both("context", "gearman_client_context", "", "string", context),
    both("setContext", "gearman_client_set_context", "string $data", "bool", set_context),
    both("enableExceptionHandler", "gearman_client_enable_exception_handler", "", "bool", enable_exception_handler),
    both("setServerSelection", "gearman_client_set_server_selection", "int $strategy", "bool", set_server_selection),
    both("serverSelection", "gearman_client_server_selection", "", "int", server_selection),
    both("stats", "gearman_client_stats", "", "array", stats),
];

const TASK_PARAMS: &str = "string $function_name, string|int|float $workload, mixed $context = null, ?string $unique_key = null";

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register("GearmanClient", sig::method_table(FUNCS), null_mut());
    object::bind::<Client>(ce);
}

/// The client behind a zpp-checked object zval.
fn this<'a>(z: *mut zval) -> &'a Client {
    unsafe { object::inner_zv::<Client>(z) }
}

impl Client {
    /// Record `e` as the last error and print pecl/gearman's warning.
    fn fail(&self, e: &Error) {
        let text = self.st.borrow_mut().last.fail(e);
        value::warn(text);
    }

    /// The "exceptions" round trip pecl/gearman does after adding servers.
    /// Throws GearmanException("Failed to set exception option") on failure.
    fn enable_exceptions(&self) -> bool {
        let r = self.core.borrow_mut().enable_exceptions();
        match r {
            Ok(()) => {
                let mut st = self.st.borrow_mut();
                let ret = st.last.ret;
                st.last.ok();
                st.last.ret = ret;
                true
            }
            Err(e) => {
                self.st.borrow_mut().last.remember(&e);
                exception::throw("Failed to set exception option");
                false
            }
        }
    }

    /// The common end of addServer/addServers: warning and false on a
    /// resolution error; else the "exceptions" round trip when asked
    /// (GearmanException if it fails) and true. With gearman.lazy_connect
    /// the option is only requested: it is negotiated on first use.
    fn servers_added(&self, rv: *mut zval, added: Result<(), Error>, setup: bool) {
        match added {
            Ok(()) => {
                self.st.borrow_mut().last.ret = 0;
                if setup && crate::php::ini::lazy_connect() {
                    self.core.borrow_mut().request_exceptions();
                } else if setup && !self.enable_exceptions() {
                    return;
                }
                unsafe { value::set_bool(rv, true) };
            }
            Err(e) => {
                self.fail(&e);
                unsafe { value::set_bool(rv, false) };
            }
        }
    }

    /// setOptions/addOptions with GEARMAN_CLIENT_EXCEPTION: the option is
    /// asked of every server now and failures are ignored, as libgearman
    /// does; with gearman.lazy_connect it is only requested (negotiated on
    /// first use), so a dead server cannot stall the call.
    fn request_exceptions_option(&self) {
        let mut core = self.core.borrow_mut();
        if crate::php::ini::lazy_connect() {
            core.request_exceptions();
        } else {
            let _ = core.enable_exceptions();
        }
    }

    fn sync_options(&self) {
        let o = self.st.borrow().options;
        self.core
            .borrow_mut()
            .set_non_blocking(o & opt::NON_BLOCKING != 0);
        if o & opt::SSL != 0 && !self.core.borrow().tls_enabled() {
            // libgearman's SSL bit: certificates from its environment
            // variables (or our ini defaults).
            let (cfg, err) = tls::build(&tls::defaults());
            self.core.borrow_mut().set_tls(Some(cfg));
            if let Some(e) = err {
                self.fail(&e);
            }
        }
    }

    /// Bitmask of the callback slots that are set now (a task snapshots it).
    pub(crate) fn active_slots(&self) -> u16 {
        let st = self.st.borrow();
        st.callbacks
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some())
            .fold(0, |m, (i, _)| m | (1 << i))
    }

    fn callback(&self, slot: Slot) -> Option<zval> {
        self.st.borrow().callbacks[slot as usize]
            .as_ref()
            .map(|z| z.shallow_clone())
    }

    /// A task is done: drop our reference to its object and, with
    /// FREE_TASKS, detach the object (its accessors return false from then on).
    fn finish_task(&self, id: TaskId) {
        let (zv, free) = {
            let mut st = self.st.borrow_mut();
            let zv = st.tasks.remove(&id);
            if st.tasks.is_empty() && st.tasks.capacity() > 1024 {
                // The map grew for a large batch; its memory goes back now
                // rather than staying at the batch's size.
                st.tasks = FastMap::default();
            }
            (zv, st.options & opt::FREE_TASKS != 0)
        };
        if let Some(mut zv) = zv {
            let t = unsafe { object::inner_zv::<Task>(&mut zv) };
            self.finalize_task(t, id);
            if free {
                t.detach();
                self.core.borrow_mut().remove_task(id);
            } else {
                t.mark_finished();
            }
            drop(zv);
        } else if free {
            self.core.borrow_mut().remove_task(id);
        }
    }

    /// Release tasks the core finished without an event (a run error).
    fn sweep_finished(&self) {
        let done: Vec<TaskId> = {
            let st = self.st.borrow();
            let core = self.core.borrow();
            st.tasks
                .keys()
                .copied()
                .filter(|id| core.task(*id).is_none_or(|t| t.is_finished()))
                .collect()
        };
        for id in done {
            self.finish_task(id);
        }
    }
}

/// Run the task-failed callback for a failed attempt of `id`, then tell the
/// core to give up unless the callback called `$task->retry()`.
/// Returns false when a PHP exception is pending.
fn on_attempt_failed(
    client: &Client,
    task_zv: &mut zval,
    id: TaskId,
    code: ReturnCode,
    context: Option<zval>,
) -> bool {
    let cb = client.callback(Slot::TaskFailed);
    let t = unsafe { object::inner_zv::<Task>(task_zv) };
    t.begin_failed_attempt(code.value() as i64);
    let ok = match cb {
        Some(cb) => {
            let mut args = vec![task_zv.shallow_clone(), context.unwrap_or_default()];
            call::call(&cb, &mut args).is_some()
        }
        None => true,
    };
    if !t.end_failed_attempt() {
        client.core.borrow_mut().give_up(id);
    }
    ok
}

// ---------------------------------------------------------------------------
// construction, state accessors, options

handler!(construct(ex, _rv) {
    let _ = args::this::<Client>(ex);
});

handler!(destruct(ex, _rv) {
    let _ = args::this::<Client>(ex);
});

handler!(options(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        value::set_long(rv, c.st.borrow().options);
    }
});

handler!(set_options(ex, rv) {
    if let Some((c, v)) = args::this_long::<Client>(ex) {
        // SSL cannot be removed (as in libgearman): never back to plaintext.
        let ssl = c.st.borrow().options & opt::SSL;
        c.st.borrow_mut().options = (v & opt::SETTABLE) | ssl;
        c.sync_options();
        if v & opt::EXCEPTION != 0 {
            c.request_exceptions_option();
        }
        value::set_bool(rv, true);
    }
});

handler!(add_options(ex, rv) {
    if let Some((c, v)) = args::this_long::<Client>(ex) {
        c.st.borrow_mut().options |= v & opt::SETTABLE;
        c.sync_options();
        if v & opt::EXCEPTION != 0 {
            c.request_exceptions_option();
        }
        value::set_bool(rv, true);
    }
});

handler!(remove_options(ex, rv) {
    if let Some((c, v)) = args::this_long::<Client>(ex) {
        c.st.borrow_mut().options &= !(v & opt::REMOVABLE);
        c.sync_options();
        value::set_bool(rv, true);
    }
});

handler!(timeout(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        value::set_long(rv, c.core.borrow().timeout() as i64);
    }
});

handler!(set_timeout(ex, rv) {
    if let Some((c, v)) = args::this_long::<Client>(ex) {
        c.core.borrow_mut().set_timeout(crate::php::timeout_ms(v));
        value::set_bool(rv, true);
    }
});

handler!(context(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        let st = c.st.borrow();
        // Stored as a C string by pecl/gearman: visible up to the first NUL.
        let end = st.context.iter().position(|&b| b == 0).unwrap_or(st.context.len());
        value::set_bytes(rv, &st.context[..end]);
    }
});

handler!(set_context(ex, rv) {
    if let Some((c, data)) = args::this_str::<Client>(ex) {
        c.st.borrow_mut().context = data.to_vec();
        value::set_bool(rv, true);
    }
});

// ---------------------------------------------------------------------------
// servers

handler!(add_server(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut h, mut hl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut port: i64 = 0;
    let mut setup: bool = true;
    if !zpp!(ex, "O|s!lb", &mut z, SLOT.ce(), &mut h, &mut hl, &mut port as *mut i64, &mut setup as *mut bool) {
        return;
    }
    let c = this(z);
    let host = (!h.is_null()).then(|| String::from_utf8_lossy(value::slice(h, hl)).into_owned());
    let r = c.core.borrow_mut().add_server(host.as_deref(), port);
    c.servers_added(rv, r, setup);
});

handler!(add_servers(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut s, mut sl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut setup: bool = true;
    if !zpp!(ex, "O|s!b", &mut z, SLOT.ce(), &mut s, &mut sl, &mut setup as *mut bool) {
        return;
    }
    let c = this(z);
    let list = (!s.is_null()).then(|| String::from_utf8_lossy(value::slice(s, sl)).into_owned());
    let r = c.core.borrow_mut().add_servers(list.as_deref());
    c.servers_added(rv, r, setup);
});

handler!(enable_exception_handler(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        if c.enable_exceptions() {
            value::set_bool(rv, true);
        }
    }
});

// ---------------------------------------------------------------------------
// do*: one job, run to its end inside the call

fn do_job(ex: *mut zend_execute_data, rv: *mut zval, priority: Priority, background: bool) {
    let Some((z, function, workload, unique)) = (unsafe { args::method_strs(ex) }).or_else(|| {
        let mut z: *mut zval = null_mut();
        let (mut f, mut fl, mut w, mut wl, mut u, mut ul): (
            *const c_char,
            usize,
            *const c_char,
            usize,
            *const c_char,
            usize,
        ) = (
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
        );
        zpp!(
            ex,
            "Oss|s!",
            &mut z,
            SLOT.ce(),
            &mut f,
            &mut fl,
            &mut w,
            &mut wl,
            &mut u,
            &mut ul
        )
        .then(|| unsafe {
            let unique = (!u.is_null()).then(|| value::slice(u, ul));
            (z, value::slice(f, fl), value::slice(w, wl), unique)
        })
    }) else {
        return;
    };
    let c = this(z);
    if background {
        if function.is_empty() {
            unsafe { value::set_bytes(rv, b"") };
            // libgearman checks this before anything else for background jobs.
            return c.fail(&Error::invalid_argument(
                "_client_do_background",
                "function argument was empty",
            ));
        }
        c.st.borrow_mut().job_handle.clear();
    }
    let kind = TaskKind::Submit {
        priority,
        background,
    };
    // A large workload is sent from the caller's string, not copied.
    let shared = (workload.len() >= SHARE_WORKLOAD_FROM)
        .then(|| unsafe { args::arg_string_of(ex, workload) })
        .flatten();
    let added = match shared {
        Some(s) => {
            c.core
                .borrow_mut()
                .add_task_shared(kind, function, Arc::new(SharedStr(s)), unique)
        }
        None => c
            .core
            .borrow_mut()
            .add_task(kind, function, workload, unique),
    };
    run_do(c, z, rv, background, added);
}

/// A PHP string a task keeps by reference as its workload
/// (`Client::add_task_shared`): its bytes go to the socket from where
/// they are, and PHP's copy-on-write keeps them unchanged meanwhile.
struct SharedStr(value::ZStr);

impl AsRef<[u8]> for SharedStr {
    fn as_ref(&self) -> &[u8] {
        self.0.bytes()
    }
}

// SAFETY: the core client requires its workloads to be Send + Sync; the
// string is only read, and released (a non-atomic refcount) when the task
// or the write queue drops it, which happens inside the client object,
// on the thread of the request that owns both.
unsafe impl Send for SharedStr {}
unsafe impl Sync for SharedStr {}

/// The common part of every do*: run the added task to its end (the
/// task-failed hook included) and set the return value (the result, the
/// job handle, or "" when there is none) and returnCode.
fn run_do(c: &Client, z: *mut zval, rv: *mut zval, background: bool, added: Result<TaskId, Error>) {
    let id = match added {
        Ok(id) => id,
        Err(e) => {
            unsafe { value::set_bytes(rv, b"") };
            return c.fail(&e);
        }
    };
    // Only the end (or the retry hook's AttemptFailed) concerns a do*.
    c.core.borrow_mut().report_end_only(id);
    // A task object exists only if the task-failed hook may need it.
    let mut task_zv: Option<zval> = None;
    // One deadline for the whole call, whatever the task-failed callback does.
    let deadline = c.core.borrow_mut().call_deadline();
    let outcome = loop {
        let step = c.core.borrow_mut().run_until(Scope::Only(id), deadline);
        match step {
            Step::Event(tid, TaskEvent::AttemptFailed(code)) if tid == id => {
                let tz = task_zv.get_or_insert_with(|| unsafe { task::new_bound(z, id, None, 0) });
                if !on_attempt_failed(c, tz, id, code, None) {
                    break None;
                }
            }
            Step::Event(_, _) => {
                let core = c.core.borrow();
                if core.task(id).is_none_or(|t| t.is_finished()) {
                    break Some(Ok(()));
                }
            }
            Step::Done => break Some(Ok(())),
            Step::WouldBlock => {
                c.st.borrow_mut().last.code(ReturnCode::IoWait);
                break None;
            }
            Step::Interrupted => {
                if !signal::dispatch() {
                    break None;
                }
            }
            Step::Error(e) => break Some(Err(e)),
        }
    };
    let mut returned = false;
    match outcome {
        Some(Ok(())) => {
            let core = c.core.borrow();
            if let Some(t) = core.task(id) {
                let code = t.return_code();
                if code == ReturnCode::Success {
                    // The PHP string is made straight from the task's bytes
                    // (a 16 MiB result is not copied once more on the way).
                    let bytes = if background { t.handle() } else { t.result() };
                    let large = t.large_result().filter(|_| !background);
                    if !unsafe { value::set_if_large(rv, large) } {
                        unsafe { value::set_bytes(rv, bytes) };
                    }
                    returned = true;
                    if background {
                        let mut st = c.st.borrow_mut();
                        st.job_handle.clear();
                        st.job_handle.extend_from_slice(bytes);
                    }
                    drop(core);
                    c.st.borrow_mut().last.ok();
                } else {
                    drop(core);
                    if matches!(code, ReturnCode::WorkFail | ReturnCode::WorkException) {
                        c.st.borrow_mut().last.code(code);
                    } else {
                        let e = core_error_for(code);
                        c.fail(&e);
                    }
                }
            }
        }
        Some(Err(e)) => c.fail(&e),
        None => {}
    }
    if !returned {
        unsafe { value::set_bytes(rv, b"") };
    }
    if let Some(tz) = task_zv {
        let mut tz = tz;
        let t = unsafe { object::inner_zv::<Task>(&mut tz) };
        c.finalize_task(t, id);
        t.detach();
    }
    c.core.borrow_mut().remove_task(id);
}

/// An error value for a task that ended with a non-success code but no
/// Error (e.g. a lost connection recorded on the task).
fn core_error_for(code: ReturnCode) -> Error {
    Error::new(code, "_client_run_task", code.name())
}

handler!(do_normal(ex, rv) { do_job(ex, rv, Priority::Normal, false) });
handler!(do_high(ex, rv) { do_job(ex, rv, Priority::High, false) });
handler!(do_low(ex, rv) { do_job(ex, rv, Priority::Low, false) });
handler!(do_background(ex, rv) { do_job(ex, rv, Priority::Normal, true) });
handler!(do_high_background(ex, rv) { do_job(ex, rv, Priority::High, true) });
handler!(do_low_background(ex, rv) { do_job(ex, rv, Priority::Low, true) });

/// Latest `$timestamp` the *At methods accept (9999-12-31T23:59:59Z).
const MAX_TIMESTAMP: i64 = gearman_core::client::MAX_EPOCH as i64;

/// `$timestamp` of doBackgroundAt/addTaskBackgroundAt (argument 3), or a
/// ValueError: a negative time or one past year 9999 is a caller's bug
/// (typically milliseconds), not a time to schedule at.
fn epoch_arg(ex: *mut zend_execute_data, ts: i64) -> Option<u64> {
    if (0..=MAX_TIMESTAMP).contains(&ts) {
        Some(ts as u64)
    } else {
        unsafe {
            value::argument_value_error(
                ex,
                3,
                &format!("must be a Unix time between 0 and {MAX_TIMESTAMP}"),
            )
        };
        None
    }
}

// gearman-rs: doBackgroundAt($function, $workload, $timestamp, $unique):
// a background job gearmand holds until $timestamp (SUBMIT_JOB_EPOCH).
handler!(do_background_at(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut f, mut fl, mut w, mut wl, mut u, mut ul): (*const c_char, usize, *const c_char, usize, *const c_char, usize) =
        (std::ptr::null(), 0, std::ptr::null(), 0, std::ptr::null(), 0);
    let mut ts: i64 = 0;
    if !zpp!(ex, "Ossl|s!", &mut z, SLOT.ce(), &mut f, &mut fl, &mut w, &mut wl, &mut ts as *mut i64, &mut u, &mut ul) {
        return;
    }
    let Some(when) = epoch_arg(ex, ts) else { return };
    value::set_bytes(rv, b"");
    let c = this(z);
    let (function, workload) = (value::slice(f, fl), value::slice(w, wl));
    let unique = (!u.is_null()).then(|| value::slice(u, ul));
    if function.is_empty() {
        return c.fail(&Error::invalid_argument("_client_do_background", "function argument was empty"));
    }
    c.st.borrow_mut().job_handle.clear();
    let added = c.core.borrow_mut().add_task_at(function, workload, unique, when);
    run_do(c, z, rv, true, added);
});

handler!(do_job_handle(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        value::set_bytes(rv, &c.st.borrow().job_handle);
    }
});

handler!(do_status(ex, rv) {
    // libgearman 1.1's gearman_client_do_status() is a stub: always [0, 0].
    if args::this::<Client>(ex).is_some() {
        value::set_list(rv, vec![value::long_zval(0), value::long_zval(0)]);
    }
});

// ---------------------------------------------------------------------------
// status and ping

fn status_array(rv: *mut zval, known: bool, running: bool, num: u32, den: u32) {
    unsafe {
        value::set_list(
            rv,
            vec![
                value::bool_zval(known),
                value::bool_zval(running),
                value::long_zval(num as i64),
                value::long_zval(den as i64),
            ],
        )
    };
}

handler!(job_status(ex, rv) {
    if let Some((c, handle)) = args::this_str::<Client>(ex) {
        let r = c.core.borrow_mut().job_status(handle);
        match r {
            Ok(s) => {
                c.st.borrow_mut().last.ok();
                status_array(rv, s.known, s.running, s.numerator, s.denominator);
            }
            Err(e) => {
                c.fail(&e);
                status_array(rv, false, false, 0, 0);
            }
        }
    }
});

handler!(job_status_by_unique_key(ex, rv) {
    // Does not update returnCode(), as in pecl/gearman.
    if let Some((c, unique)) = args::this_str::<Client>(ex) {
        let r = c.core.borrow_mut().job_status_by_unique(unique);
        match r {
            Ok(s) => status_array(rv, s.known, s.running, s.numerator, s.denominator),
            Err(e) => {
                let text = c.st.borrow_mut().last.remember(&e);
                value::warn(text);
                status_array(rv, false, false, 0, 0);
            }
        }
    }
});

handler!(ping(ex, rv) {
    if let Some((c, data)) = args::this_str::<Client>(ex) {
        let r = c.core.borrow_mut().echo(data);
        match r {
            Ok(()) => {
                c.st.borrow_mut().last.ok();
                value::set_bool(rv, true);
            }
            Err(e) => {
                c.fail(&e);
                value::set_bool(rv, false);
            }
        }
    }
});

handler!(wait(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        let r = c.core.borrow_mut().wait();
        match r {
            Ok(gearman_core::Readiness::Interrupted) => {
                // A signal: let the PHP handlers run, then report activity
                // so the caller's loop re-checks its state.
                signal::dispatch();
                c.st.borrow_mut().last.ok();
                value::set_bool(rv, true);
            }
            Ok(gearman_core::Readiness::Ready) => {
                c.st.borrow_mut().last.ok();
                value::set_bool(rv, true);
            }
            Err(e) if e.code == ReturnCode::Timeout => {
                c.st.borrow_mut().last.fail(&e);
                value::set_bool(rv, false);
            }
            Err(e) => {
                c.fail(&e);
                value::set_bool(rv, false);
            }
        }
    }
});

// ---------------------------------------------------------------------------
// tasks

fn add_task_kind(ex: *mut zend_execute_data, rv: *mut zval, priority: Priority, background: bool) {
    let mut z: *mut zval = null_mut();
    let (mut f, mut fl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut w: *mut zval = null_mut();
    let mut ctx: *mut zval = null_mut();
    let (mut u, mut ul): (*const c_char, usize) = (std::ptr::null(), 0);
    if !zpp!(
        ex,
        "Osz|zs!",
        &mut z,
        SLOT.ce(),
        &mut f,
        &mut fl,
        &mut w,
        &mut ctx,
        &mut u,
        &mut ul
    ) {
        return;
    }
    let c = this(z);
    let function = unsafe { value::slice(f, fl) };
    // The zval's own string when it is one (a reference, not a copy); a
    // large one is then sent from there (no copy at all).
    let workload = unsafe { value::ZStr::of(w) };
    let unique = (!u.is_null()).then(|| unsafe { value::slice(u, ul) });
    let kind = TaskKind::Submit {
        priority,
        background,
    };
    let added = if workload.bytes().len() >= SHARE_WORKLOAD_FROM {
        c.core
            .borrow_mut()
            .add_task_shared(kind, function, Arc::new(SharedStr(workload)), unique)
    } else {
        c.core
            .borrow_mut()
            .add_task(kind, function, workload.bytes(), unique)
    };
    finish_add(c, z, rv, added, ctx);
}

/// Wrap a freshly added core task in a GearmanTask object.
fn finish_add(
    c: &Client,
    z: *mut zval,
    rv: *mut zval,
    added: Result<TaskId, Error>,
    ctx: *mut zval,
) {
    match added {
        Ok(id) => {
            c.st.borrow_mut().last.ok();
            // SAFETY: `ctx` is zpp's `z` output of the running call (or null).
            let context = (!ctx.is_null()).then(|| unsafe { call::keep(ctx) });
            // SAFETY: `z` is the client object of the running call.
            let zv = unsafe { task::new_bound(z, id, context, c.active_slots()) };
            c.st.borrow_mut().tasks.insert(id, zv.shallow_clone());
            unsafe { std::ptr::write(rv, zv) };
        }
        Err(e) => {
            c.fail(&e);
            unsafe { value::set_bool(rv, false) };
        }
    }
}

handler!(add_task(ex, rv) { add_task_kind(ex, rv, Priority::Normal, false) });
handler!(add_task_high(ex, rv) { add_task_kind(ex, rv, Priority::High, false) });
handler!(add_task_low(ex, rv) { add_task_kind(ex, rv, Priority::Low, false) });
handler!(add_task_background(ex, rv) { add_task_kind(ex, rv, Priority::Normal, true) });
handler!(add_task_high_background(ex, rv) { add_task_kind(ex, rv, Priority::High, true) });
handler!(add_task_low_background(ex, rv) { add_task_kind(ex, rv, Priority::Low, true) });

// gearman-rs: addTaskBackgroundAt($function_name, $workload, $timestamp,
// $context, $unique_key): the scheduled job as a task of a runTasks batch.
handler!(add_task_background_at(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut f, mut fl, mut w, mut wl): (*const c_char, usize, *const c_char, usize) = (std::ptr::null(), 0, std::ptr::null(), 0);
    let mut ts: i64 = 0;
    let mut ctx: *mut zval = null_mut();
    let (mut u, mut ul): (*const c_char, usize) = (std::ptr::null(), 0);
    if !zpp!(ex, "Ossl|zs!", &mut z, SLOT.ce(), &mut f, &mut fl, &mut w, &mut wl, &mut ts as *mut i64, &mut ctx, &mut u, &mut ul) {
        return;
    }
    let Some(when) = epoch_arg(ex, ts) else { return };
    let c = this(z);
    let unique = (!u.is_null()).then(|| value::slice(u, ul));
    let added = c.core.borrow_mut().add_task_at(value::slice(f, fl), value::slice(w, wl), unique, when);
    finish_add(c, z, rv, added, ctx);
});

handler!(add_task_status(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut h, mut hl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut ctx: *mut zval = null_mut();
    if !zpp!(ex, "Os|z", &mut z, SLOT.ce(), &mut h, &mut hl, &mut ctx) {
        return;
    }
    let c = this(z);
    let handle = value::slice(h, hl).to_vec();
    let added = c.core.borrow_mut().add_task(TaskKind::Status { handle }, b"", b"", None);
    finish_add(c, z, rv, added, ctx);
});

/// Is `ev` the last event task `id` will see? The core reads ahead, so a
/// task may already be finished in the core while its earlier events are
/// still queued for delivery: decide by the event, not by the task state.
fn is_last_event(core: &Core, id: TaskId, ev: TaskEvent) -> bool {
    let Some(t) = core.task(id) else { return true };
    match ev {
        TaskEvent::Complete | TaskEvent::Exception | TaskEvent::Fail => true,
        TaskEvent::Created => t.background(),
        TaskEvent::Status => matches!(t.kind(), TaskKind::Status { .. }),
        TaskEvent::Data | TaskEvent::Warning | TaskEvent::AttemptFailed(_) => false,
    }
}

/// What runTasks does with a callback's return value (php-api.md §5.8).
enum Verdict {
    Continue,
    /// Stop the run; runTasks returns true (WORK_FAIL, PAUSE, WORK_*) or
    /// false with a warning, and returnCode() shows the code.
    Stop(i64),
}

fn verdict(ret: Option<zval>) -> Verdict {
    let Some(mut ret) = ret else {
        return Verdict::Continue;
    };
    // gearman-rs: `true` (= IO_WAIT) made pecl/gearman abort runTasks with
    // NO_ACTIVE_FDS and strand the remaining tasks; treat it like 0.
    if unsafe { value::type_of(&ret) } == IS_TRUE {
        return Verdict::Continue;
    }
    // pecl/gearman stores the value in a gearman_return_t (a 32-bit enum):
    // -5 reads back as 4294967291, 2**32 + 20 as 20 (PAUSE), 2**40 as 0.
    match unsafe { value::to_long(&mut ret) } as u32 {
        0 => Verdict::Continue,
        // IO_WAIT by another spelling (2**32 + 1): like `true` above.
        1 => Verdict::Continue,
        v => Verdict::Stop(v as i64),
    }
}

handler!(run_tasks(ex, rv) {
    let Some((_, c)) = args::this::<Client>(ex) else { return };
    // While tasks run, libgearman's error state reads "GEARMAN_IO_WAIT".
    {
        let mut st = c.st.borrow_mut();
        let ret = st.last.ret;
        st.last.code(ReturnCode::IoWait);
        st.last.ret = ret;
    }
    // After a PHP exception in a callback, the remaining protocol work of
    // this run completes without calling further callbacks (as with
    // pecl/gearman); the exception then reaches the caller.
    let mut silent = false;
    // One deadline for the whole call: events and retries do not extend it.
    let deadline = c.core.borrow().deadline();
    loop {
        let replay = c.st.borrow_mut().replay.take();
        let step = match replay {
            Some((id, ev)) => Step::Event(id, ev),
            None => c.core.borrow_mut().run_until(Scope::All, deadline),
        };
        match step {
            Step::Event(id, ev) if silent => {
                if let TaskEvent::AttemptFailed(_) = ev {
                    c.core.borrow_mut().give_up(id);
                } else if is_last_event(&c.core.borrow(), id, ev) {
                    c.finish_task(id);
                }
            }
            Step::Event(id, ev) => {
                let (task_zv, slots_ok) = {
                    let st = c.st.borrow();
                    match st.tasks.get(&id) {
                        Some(zv) => (Some(zv.shallow_clone()), true),
                        None => (None, false),
                    }
                };
                let Some(mut task_zv) = task_zv else {
                    // A task whose object is gone (do* tasks never get here).
                    if let TaskEvent::AttemptFailed(_) = ev {
                        c.core.borrow_mut().give_up(id);
                    }
                    continue;
                };
                let t = unsafe { object::inner_zv::<Task>(&mut task_zv) };
                let context = t.context();
                if let TaskEvent::AttemptFailed(code) = ev {
                    if !on_attempt_failed(c, &mut task_zv, id, code, Some(context.unwrap_or_default())) {
                        silent = true;
                    }
                    continue;
                }
                let slot = Slot::for_event(ev);
                let fire = slots_ok && t.slot_active(slot);
                let verdict = match (fire, c.callback(slot)) {
                    (true, Some(cb)) => {
                        let mut args = vec![task_zv.shallow_clone()];
                        if let Some(ctx) = context {
                            args.push(ctx);
                        }
                        let ret = call::call(&cb, &mut args);
                        if exception_pending() {
                            silent = true;
                        }
                        verdict(ret)
                    }
                    _ => Verdict::Continue,
                };
                if let Verdict::Stop(code) = verdict {
                    c.st.borrow_mut().replay = Some((id, ev));
                    c.st.borrow_mut().last.ret = code;
                    let benign = matches!(code, 20..=24 | 38);
                    if !benign {
                        let text = c.st.borrow().last.text().unwrap_or("").to_string();
                        value::warn(text);
                    }
                    value::set_bool(rv, benign);
                    return;
                }
                if is_last_event(&c.core.borrow(), id, ev) {
                    c.finish_task(id);
                }
            }
            Step::Done if silent => return,
            Step::Done => {
                let mut st = c.st.borrow_mut();
                st.last.code(ReturnCode::IoWait);
                st.last.ret = 0;
                value::set_bool(rv, true);
                return;
            }
            Step::WouldBlock => {
                c.st.borrow_mut().last.code(ReturnCode::IoWait);
                value::set_bool(rv, true);
                return;
            }
            Step::Interrupted => {
                if !signal::dispatch() && !silent {
                    silent = true;
                }
            }
            Step::Error(_) if silent => {
                c.sweep_finished();
                return;
            }
            Step::Error(e) => {
                c.sweep_finished();
                c.fail(&e);
                value::set_bool(rv, false);
                return;
            }
        }
    }
});

// ---------------------------------------------------------------------------
// callbacks

fn set_callback(ex: *mut zend_execute_data, rv: *mut zval, slot: Slot) {
    let mut z: *mut zval = null_mut();
    let mut f: *mut zval = null_mut();
    if !zpp!(ex, "Oz", &mut z, SLOT.ce(), &mut f) {
        return;
    }
    let c = this(z);
    if slot == Slot::Exception {
        // pecl/gearman enables the server option before checking the callable.
        if !c.enable_exceptions() {
            return;
        }
    }
    // SAFETY: `f` is zpp's `z` output of the running call.
    let (ok, name) = unsafe { call::callable_name(f) };
    if !ok {
        value::warn([b"function ".as_slice(), &name, b" is not callable"].concat());
        unsafe { value::set_bool(rv, false) };
        return;
    }
    let old = c.st.borrow_mut().callbacks[slot as usize].replace(unsafe { call::keep(f) });
    drop(old);
    if slot == Slot::TaskFailed {
        c.core.borrow_mut().set_retry_hook(true);
    }
    unsafe { value::set_bool(rv, true) };
}

handler!(set_workload_callback(ex, rv) { set_callback(ex, rv, Slot::Workload) });
handler!(set_created_callback(ex, rv) { set_callback(ex, rv, Slot::Created) });
handler!(set_data_callback(ex, rv) { set_callback(ex, rv, Slot::Data) });
handler!(set_warning_callback(ex, rv) { set_callback(ex, rv, Slot::Warning) });
handler!(set_status_callback(ex, rv) { set_callback(ex, rv, Slot::Status) });
handler!(set_complete_callback(ex, rv) { set_callback(ex, rv, Slot::Complete) });
handler!(set_exception_callback(ex, rv) { set_callback(ex, rv, Slot::Exception) });
handler!(set_fail_callback(ex, rv) { set_callback(ex, rv, Slot::Fail) });
handler!(set_task_failed_callback(ex, rv) { set_callback(ex, rv, Slot::TaskFailed) });

handler!(clear_callbacks(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        // Take them out first: releasing a callable may run PHP destructors.
        let old: Vec<Option<zval>> = c.st.borrow_mut().callbacks.iter_mut().map(Option::take).collect();
        c.core.borrow_mut().set_retry_hook(false);
        drop(old);
        value::set_bool(rv, true);
    }
});

impl Client {
    /// The option bits options() reports.
    pub fn options_bits(&self) -> i64 {
        self.st.borrow().options
    }
}

// ---------------------------------------------------------------------------
// gearman-rs additions: server selection, counters

handler!(set_server_selection(ex, rv) {
    if let Some((c, v)) = args::this_long::<Client>(ex) {
        match Selection::from_value(v) {
            Some(sel) => {
                c.core.borrow_mut().set_server_selection(sel);
                value::set_bool(rv, true);
            }
            None => value::throw(
                zend_ce_value_error,
                "GearmanClient::setServerSelection(): Argument #1 ($strategy) must be one of GEARMAN_SERVER_SELECTION_FIRST, GEARMAN_SERVER_SELECTION_ROUND_ROBIN or GEARMAN_SERVER_SELECTION_RANDOM",
                0,
            ),
        }
    }
});

handler!(server_selection(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        value::set_long(rv, c.core.borrow().server_selection().value());
    }
});

handler!(stats(ex, rv) {
    if let Some((_, c)) = args::this::<Client>(ex) {
        unsafe { crate::php::stats::set_array(rv, &c.core.borrow().stats(), "jobs_submitted") };
    }
});
