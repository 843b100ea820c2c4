//! GearmanWorker: registering functions and running jobs.
//!
//! State is split in two `RefCell`s: `core` (the PHP-free protocol worker)
//! and `st` (PHP side: return code and error text, option bits, the
//! registered callbacks). Neither is borrowed while PHP code runs — the
//! worker callback, a user error handler called by a warning, a
//! `__toString` — so a callback may use this worker (send on its job,
//! register functions, even call `work()`), another worker or a client.
//!
//! # Callbacks
//! `addFunction($name, $callback, $context = null, $timeout = 0)`: the
//! callback is always called with two arguments, the GearmanJob and the
//! context. The context is kept in a PHP reference and that reference is
//! passed on each call, so a callback declaring `&$context` changes the
//! stored value for later jobs (a deliberate improvement: pecl/gearman
//! passes a copy and warns "must be passed by reference"); a by-value
//! callback gets a copy as before.
//!
//! The callback's job object is detached when the callback returns (see
//! job.rs). What is sent afterwards follows pecl/gearman + libgearman
//! (php-api.md §7.6): return value → WORK_COMPLETE unless the job already
//! finished; a `setReturn()` code → WORK_FAIL; LOST_CONNECTION → drop all
//! connections; SHUTDOWN → complete, then work() fails with rc 2.
//!
//! A PHP exception thrown by the callback: WORK_EXCEPTION carrying the
//! exception's real message (pecl/gearman 2.1.0 sent the fixed text
//! "Unable to add worker function"); gearmand forwards it to clients that
//! enabled the "exceptions" option and turns it into WORK_FAIL for the
//! others. `work()` returns at once with returnCode 23 and the exception
//! propagates to its caller intact. `exit()` inside a callback sends
//! nothing: the process ends, gearmand sees the connection close and
//! re-queues the job.
//!
//! # Signals
//! When a signal interrupts an idle `work()` (or `wait()`), the pending
//! pcntl handlers run at once (`pcntl_signal_dispatch()`, so this works
//! without `pcntl_async_signals(true)` too). Then:
//! - SIGTERM, SIGINT or SIGQUIT (caught by a pcntl handler), or a handler
//!   that called `stopWork()`: `work()` returns false with returnCode
//!   GEARMAN_SHUTDOWN (2) and no warning;
//! - any other signal (SIGHUP for a reload, SIGUSR1, SIGCHLD, …): `work()`
//!   keeps waiting in the same call, with the same deadline.
//!
//! So `while ($worker->work())` keeps serving across harmless signals (as
//! with pecl/gearman, whose loop restarts poll()) and both it and
//! `while (!$stop && $worker->work())` stop promptly on SIGTERM (pecl/gearman
//! only stopped on SIGKILL). Which signal it was comes from
//! gearman_core::stop_signal, which counts stop signals in front of pcntl's
//! handler (re-wrapped after each `pcntl_signal()`, see php/signal.rs).
//! While idle, `work()`/`wait()` hold signals back (blocked) and sleep with
//! them let through (`ppoll`), so a signal that arrives during a GRAB round
//! trip still wakes the sleep at once instead of waiting for the next job;
//! before the first `pcntl_signal()` there is no PHP handler to wait for and
//! nothing is held. A job already assigned is never dropped: signals only
//! end the idle wait. A stop signal or `stopWork()` while a job runs lets the job
//! finish and be reported (`work()` returns true); the next `work()` runs
//! the handlers still queued and returns false with GEARMAN_SHUTDOWN.

//! # Differences from pecl/gearman, on purpose
//! - the job object is inert after its callback (never dangling);
//! - after a failed callback the next `work()` really works (libgearman's
//!   next call only finished the previous job and returned success);
//! - a callback returning LOST_CONNECTION drops the connections and the
//!   next `work()` reconnects and carries on (libgearman spun);
//! - `grabJob()` is declared `GearmanJob|false` (the stub said
//!   GearmanWorker) and returns false (rc 35) when there is no job, also in
//!   non-blocking mode (libgearman could hand out a GearmanJob without a job);
//! - in non-blocking mode `wait()` sleeps until the server's NOOP (or the
//!   timeout) instead of returning early, so the canonical
//!   `work()`/`wait()` loop spins less;
//! - `enableExceptionHandler()` on a worker without servers succeeds and
//!   remembers the option for later connections;
//! - `null` for `?string` host/servers is accepted silently;
//! - a thrown exception with an empty message is reported with its class
//!   name (WORK_EXCEPTION cannot be empty);
//! - SSL (1024) turns TLS on (libgearman's environment variables give the
//!   certificates); `setSslOptions()` is a gearman-rs addition.

use std::cell::RefCell;
use std::os::raw::c_char;
use std::ptr::null_mut;

use gearman_core::stop_signal::Held;
use gearman_core::worker::{CallDeadline, GrabMode, Job as CoreJob, WorkStep, Worker as Core};
use gearman_core::{Error, Readiness, ReturnCode};

use crate::handler;
use crate::php::exception;
use crate::php::job::{self, Job};
use crate::php::last_error::{self, LastError};
use crate::php::signal;
use crate::php::tls;
use crate::zend::ffi::*;
use crate::zend::object::{self, gc_push, ClassSlot, GcBuffer, PhpClass};
use crate::zend::sig::{self, both, method, Func};
use crate::zend::{args, call, class, value};

/// Worker option bits (gearman_worker_options_t) as `options()` reports them.
pub mod opt {
    pub const NON_BLOCKING: i64 = 2;
    /// Always reported (libgearman's packets are initialised).
    pub const PACKET_INIT: i64 = 4;
    /// Function (un)registrations not yet sent.
    pub const CHANGE: i64 = 64;
    pub const GRAB_UNIQ: i64 = 128;
    pub const TIMEOUT_RETURN: i64 = 256;
    pub const GRAB_ALL: i64 = 512;
    /// TLS on every connection; cannot be removed (as in libgearman).
    pub const SSL: i64 = 1024;
    pub const IDENTIFIER: i64 = 2048;
    /// `options()` of a new worker, without PACKET_INIT.
    pub const DEFAULT: i64 = GRAB_UNIQ | GRAB_ALL;
}

/// What libgearman uses as the timeout once TIMEOUT_RETURN is removed.
const DEFAULT_TIMEOUT: i32 = 10_000;

/// One entry of the function list: `addFunction` (with callback) or
/// `register` (without). Newest last; a job runs the newest entry of its
/// name, as libgearman does with duplicate registrations.
struct Function {
    name: Vec<u8>,
    callback: Option<zval>,
    /// The callback resolved once, when that is the same for every call
    /// (see [`call::resolve`]); each job's call then skips the engine's
    /// resolving it.
    resolved: Option<call::Resolved>,
    /// A PHP reference holding the context (see the module doc).
    context: zval,
}

pub struct Worker {
    pub(crate) core: RefCell<Core>,
    st: RefCell<State>,
}

struct State {
    last: LastError,
    /// Option bits besides PACKET_INIT and CHANGE.
    options: i64,
    /// Registrations changed since the last work()/grabJob().
    changed: bool,
    functions: Vec<Function>,
    /// stopWork() was called and no work()/wait() has reported it yet.
    stop: bool,
    /// The GearmanJob object of the last job, when nothing but us held it
    /// after its callback (see [`job::reusable`]): the next job is attached
    /// to it instead of a new object. Detached, so it holds no references
    /// and needs no place in `gc()`.
    spare_job: Option<zval>,
}

static SLOT: ClassSlot = ClassSlot::new();

impl PhpClass for Worker {
    fn slot() -> &'static ClassSlot {
        &SLOT
    }
    fn create() -> Self {
        let mut core = Core::new();
        core.set_grab_mode(GrabMode::All);
        core.set_max_packet_size(crate::php::ini::max_packet_size());
        core.set_poll_interval(crate::php::ini::worker_poll_interval());
        core.set_connect_timeout(crate::php::ini::connect_timeout());
        Worker {
            core: RefCell::new(core),
            st: RefCell::new(State {
                last: LastError::default(),
                options: opt::DEFAULT,
                changed: false,
                functions: Vec::new(),
                stop: false,
                spare_job: None,
            }),
        }
    }
    fn gc(&self, out: &mut GcBuffer) {
        if let Ok(st) = self.st.try_borrow() {
            for f in &st.functions {
                if let Some(cb) = &f.callback {
                    gc_push(out, cb);
                }
                gc_push(out, &f.context);
            }
        }
    }
}

crate::last_error_and_tls!(Worker, opt::SSL);

pub const FUNCS: &[Func] = &[
    method("__construct", "", "", construct),
    method("__destruct", "", "", destruct),
    both(
        "returnCode",
        "gearman_worker_return_code",
        "",
        "int",
        last_error::return_code::<Worker>,
    ),
    both(
        "error",
        "gearman_worker_error",
        "",
        "string|false",
        last_error::error::<Worker>,
    ),
    both(
        "getErrno",
        "gearman_worker_errno",
        "",
        "int",
        last_error::get_errno::<Worker>,
    ),
    both("options", "gearman_worker_options", "", "int", options),
    both(
        "setOptions",
        "gearman_worker_set_options",
        "int $option",
        "true",
        set_options,
    ),
    both(
        "addOptions",
        "gearman_worker_add_options",
        "int $option",
        "true",
        add_options,
    ),
    both(
        "removeOptions",
        "gearman_worker_remove_options",
        "int $option",
        "true",
        remove_options,
    ),
    both(
        "setSslOptions",
        "gearman_worker_set_ssl_options",
        "array $options",
        "bool",
        tls::set_ssl_options::<Worker>,
    ),
    both("timeout", "gearman_worker_timeout", "", "int", timeout),
    both(
        "setTimeout",
        "gearman_worker_set_timeout",
        "int $timeout",
        "true",
        set_timeout,
    ),
    both(
        "setId",
        "gearman_worker_set_id",
        "string $id",
        "bool",
        set_id,
    ),
    both(
        "setPollInterval",
        "gearman_worker_set_poll_interval",
        "int $ms",
        "bool",
        set_poll_interval,
    ),
    both(
        "addServer",
        "gearman_worker_add_server",
        "?string $host = null, int $port = 0, bool $setupExceptionHandler = true",
        "bool",
        add_server,
    ),
    both(
        "addServers",
        "gearman_worker_add_servers",
        "?string $servers = null, bool $setupExceptionHandler = true",
        "bool",
        add_servers,
    ),
    both("wait", "gearman_worker_wait", "", "bool", wait),
    both(
        "register",
        "gearman_worker_register",
        "string $function_name, int $timeout = 0",
        "bool",
        register_fn,
    ),
    both(
        "unregister",
        "gearman_worker_unregister",
        "string $function_name",
        "bool",
        unregister,
    ),
    both(
        "unregisterAll",
        "gearman_worker_unregister_all",
        "",
        "bool",
        unregister_all,
    ),
    both(
        "grabJob",
        "gearman_worker_grab_job",
        "",
        "GearmanJob|false",
        grab_job,
    ),
    both(
        "addFunction",
        "gearman_worker_add_function",
        "string $function_name, callable $function, mixed $context = null, int $timeout = 0",
        "bool",
        add_function,
    ),
    both("work", "gearman_worker_work", "", "bool", work),
    both(
        "stopWork",
        "gearman_worker_stop_work",
        "",
        "bool",
        stop_work,
    ),
    both("ping", "gearman_worker_ping", "string $data", "bool", ping),
    both(
        "enableExceptionHandler",
        "gearman_worker_enable_exception_handler",
        "",
        "bool",
        enable_exception_handler,
    ),
    both("stats", "gearman_worker_stats", "", "array", stats),
];

/// # Safety
/// MINIT only.
pub unsafe fn register() {
    let ce = class::register("GearmanWorker", sig::method_table(FUNCS), null_mut());
    object::bind::<Worker>(ce);
}

fn this<'a>(z: *mut zval) -> &'a Worker {
    unsafe { object::inner_zv::<Worker>(z) }
}

/// Return codes `work()` reports without a warning (pecl/gearman's list).
fn work_quiet(code: i64) -> bool {
    [
        ReturnCode::Success,
        ReturnCode::IoWait,
        ReturnCode::WorkFail,
        ReturnCode::Timeout,
        ReturnCode::WorkException,
        ReturnCode::NoJobs,
    ]
    .iter()
    .any(|c| c.value() as i64 == code)
}

impl Worker {
    /// The common end of addServer/addServers: warning and false on a
    /// resolution error; else the "exceptions" round trip when asked
    /// (GearmanException if it fails) and true.
    fn servers_added(&self, rv: *mut zval, added: Result<(), Error>, setup: bool) {
        match added {
            Ok(()) => self.ok(),
            Err(e) => {
                self.fail(&e);
                unsafe { value::set_bool(rv, false) };
                return;
            }
        }
        if setup && crate::php::ini::lazy_connect() {
            // Negotiated when each connection opens (gearman.lazy_connect).
            self.core.borrow_mut().request_exceptions();
        } else if setup && !self.enable_exceptions() {
            return;
        }
        unsafe { value::set_bool(rv, true) };
    }

    /// Record `e` as the last error and print pecl/gearman's warning.
    fn fail(&self, e: &Error) {
        let text = self.st.borrow_mut().last.fail(e);
        value::warn(text);
    }

    /// Record `e` without a warning (timeouts, non-blocking answers).
    fn fail_quiet(&self, e: &Error) {
        self.st.borrow_mut().last.fail(e);
    }

    /// Set returnCode only, keeping the (sticky) error text.
    fn set_ret(&self, code: i64) {
        self.st.borrow_mut().last.ret = code;
    }

    /// A successful library call: returnCode 0, error() "GEARMAN_UNKNOWN_STATE".
    #[inline]
    fn ok(&self) {
        self.st.borrow_mut().last.ok();
    }

    /// A code with no message of its own: libgearman's error() then shows
    /// "GEARMAN_UNKNOWN_STATE" (or the code's name for IO_WAIT and friends).
    fn code(&self, code: ReturnCode) {
        self.st.borrow_mut().last.code(code);
    }

    /// Warn with the current error() text ("(null)" when there is none).
    fn warn_current(&self) {
        let text = self.st.borrow().last.text().unwrap_or("(null)").to_string();
        value::warn(text);
    }

    fn ret(&self) -> i64 {
        self.st.borrow().last.ret
    }

    fn options(&self) -> i64 {
        let st = self.st.borrow();
        opt::PACKET_INIT | st.options | if st.changed { opt::CHANGE } else { 0 }
    }

    /// Apply option bits to the core: blocking mode and the grab packet.
    fn sync_non_blocking(&self) {
        let nb = self.st.borrow().options & opt::NON_BLOCKING != 0;
        self.core.borrow_mut().set_non_blocking(nb);
    }

    /// libgearman's gearman_worker_add_options, bit by bit in its order.
    fn add_options(&self, bits: i64) {
        if bits & opt::NON_BLOCKING != 0 {
            self.st.borrow_mut().options |= opt::NON_BLOCKING;
            self.sync_non_blocking();
        }
        if bits & opt::GRAB_UNIQ != 0 {
            self.st.borrow_mut().options |= opt::GRAB_UNIQ;
            self.core.borrow_mut().set_grab_mode(GrabMode::Uniq);
        }
        if bits & opt::GRAB_ALL != 0 {
            self.st.borrow_mut().options |= opt::GRAB_ALL;
            self.core.borrow_mut().set_grab_mode(GrabMode::All);
        }
        if bits & opt::TIMEOUT_RETURN != 0 {
            self.st.borrow_mut().options |= opt::TIMEOUT_RETURN;
        }
        if bits & opt::SSL != 0 {
            self.st.borrow_mut().options |= opt::SSL;
            if !self.core.borrow().tls_enabled() {
                // libgearman's SSL bit: certificates from its environment
                // variables (or our ini defaults).
                let (cfg, err) = tls::build(&tls::defaults());
                self.core.borrow_mut().set_tls(Some(cfg));
                if let Some(e) = err {
                    self.fail(&e);
                }
            }
        }
        if bits & opt::IDENTIFIER != 0 {
            // libgearman makes up a UUID identifier.
            let id = gearman_core::unique::generate_uuid();
            if self.core.borrow_mut().set_id(&id).is_ok() {
                self.st.borrow_mut().options |= opt::IDENTIFIER;
            }
        }
    }

    /// libgearman's gearman_worker_remove_options. SSL cannot be removed.
    fn remove_options(&self, bits: i64) {
        if bits & opt::NON_BLOCKING != 0 {
            self.st.borrow_mut().options &= !opt::NON_BLOCKING;
            self.sync_non_blocking();
        }
        if bits & opt::GRAB_UNIQ != 0 {
            self.st.borrow_mut().options &= !opt::GRAB_UNIQ;
            self.core.borrow_mut().set_grab_mode(GrabMode::Plain);
        }
        if bits & opt::GRAB_ALL != 0 {
            self.st.borrow_mut().options &= !opt::GRAB_ALL;
            self.core.borrow_mut().set_grab_mode(GrabMode::Plain);
        }
        if bits & opt::TIMEOUT_RETURN != 0 {
            // Without TIMEOUT_RETURN libgearman waits in 10 s slices forever.
            self.st.borrow_mut().options &= !opt::TIMEOUT_RETURN;
            self.core.borrow_mut().set_timeout(DEFAULT_TIMEOUT);
        }
        if bits & opt::IDENTIFIER != 0 {
            self.st.borrow_mut().options &= !opt::IDENTIFIER;
            self.core.borrow_mut().clear_id();
        }
    }

    /// Does an idle timeout end work() (TIMEOUT_RETURN), or just restart the wait?
    fn timeout_returns(&self) -> bool {
        self.st.borrow().options & opt::TIMEOUT_RETURN != 0
    }

    /// The "exceptions" round trip pecl/gearman does after adding servers.
    /// Throws GearmanException("Failed to set exception option") on failure.
    ///
    /// Without servers there is nothing to ask yet: the option is remembered
    /// (sent on every future connection) and the call succeeds.
    fn enable_exceptions(&self) -> bool {
        let no_servers = self.core.borrow().server_count() == 0;
        let r = self.core.borrow_mut().enable_exceptions();
        match r {
            Err(e) if no_servers && e.code == ReturnCode::NoServers => true,
            Ok(()) => true,
            Err(e) => {
                self.st.borrow_mut().last.remember(&e);
                exception::throw("Failed to set exception option");
                false
            }
        }
    }

    /// work()/grabJob() sent (or tried to send) pending registrations.
    #[inline]
    fn registrations_sent(&self) {
        let no_servers = self.ret() == ReturnCode::NoServers.value() as i64;
        if !no_servers {
            self.st.borrow_mut().changed = false;
        }
    }

    /// Run core.work()/grab_job(). libgearman checks for servers before
    /// functions, so an empty worker reports NO_SERVERS (13).
    fn step(&self, f: impl FnOnce(&mut Core) -> WorkStep) -> WorkStep {
        let mut core = self.core.borrow_mut();
        if core.server_count() == 0 {
            return WorkStep::Error(Error::no_servers("gearman_worker_work"));
        }
        f(&mut core)
    }

    /// [`step`](Self::step) for [`Core::try_work`]: `None` = sleep next.
    fn try_step(&self, f: impl FnOnce(&mut Core) -> Option<WorkStep>) -> Option<WorkStep> {
        let mut core = self.core.borrow_mut();
        if core.server_count() == 0 {
            return Some(WorkStep::Error(Error::no_servers("gearman_worker_work")));
        }
        f(&mut core)
    }

    /// The callback (with its resolution, if kept) and context for a job of
    /// `function`: the newest entry. `None`: no entry or a register()-only
    /// one.
    #[inline]
    fn callback_for(&self, function: &[u8]) -> Option<(zval, Option<call::Resolved>, zval)> {
        let st = self.st.borrow();
        let f = st.functions.iter().rev().find(|f| f.name == function)?;
        let cb = f.callback.as_ref()?;
        Some((cb.shallow_clone(), f.resolved, f.context.shallow_clone()))
    }
}

// ---------------------------------------------------------------------------
// construction, state accessors, options

handler!(construct(ex, _rv) {
    let _ = args::this::<Worker>(ex);
});

// No parameter parsing: extra arguments are ignored, as by pecl/gearman.
handler!(destruct(_ex, _rv) {});

handler!(options(ex, rv) {
    if let Some((_, w)) = args::this::<Worker>(ex) {
        value::set_long(rv, w.options());
    }
});

/// Options arrive as a zend_long and are stored in a C enum (int).
fn option_bits(v: i64) -> i64 {
    v as i32 as i64
}

handler!(set_options(ex, rv) {
    if let Some((w, v)) = args::this_long::<Worker>(ex) {
        let bits = option_bits(v);
        // libgearman: for each usable option, add it if given, else remove it.
        for b in [opt::NON_BLOCKING, opt::GRAB_UNIQ, opt::GRAB_ALL, opt::TIMEOUT_RETURN, opt::SSL, opt::IDENTIFIER] {
            if bits & b != 0 {
                w.add_options(b);
            } else {
                w.remove_options(b);
            }
        }
        value::set_bool(rv, true);
    }
});

handler!(add_options(ex, rv) {
    if let Some((w, v)) = args::this_long::<Worker>(ex) {
        w.add_options(option_bits(v));
        value::set_bool(rv, true);
    }
});

handler!(remove_options(ex, rv) {
    if let Some((w, v)) = args::this_long::<Worker>(ex) {
        w.remove_options(option_bits(v));
        value::set_bool(rv, true);
    }
});

handler!(timeout(ex, rv) {
    if let Some((_, w)) = args::this::<Worker>(ex) {
        value::set_long(rv, w.core.borrow().timeout() as i64);
    }
});

handler!(set_timeout(ex, rv) {
    if let Some((w, v)) = args::this_long::<Worker>(ex) {
        w.st.borrow_mut().options |= opt::TIMEOUT_RETURN;
        w.core.borrow_mut().set_timeout(crate::php::timeout_ms(v));
        value::set_bool(rv, true);
    }
});

// gearman-rs: how often an idle worker grabs again without being woken
// (scheduled jobs on gearmand 1.1.x); 0 = never. ValueError outside
// 0..=2^31-1.
handler!(set_poll_interval(ex, rv) {
    if let Some((w, v)) = args::this_long::<Worker>(ex) {
        let Some(ms) = u32::try_from(v).ok().filter(|&ms| ms <= i32::MAX as u32) else {
            return value::argument_value_error(ex, 1, "must be between 0 and 2147483647");
        };
        w.core.borrow_mut().set_poll_interval(ms);
        value::set_bool(rv, true);
    }
});

handler!(set_id(ex, rv) {
    if let Some((w, id)) = args::this_str::<Worker>(ex) {
        let r = w.core.borrow_mut().set_id(id);
        match r {
            Ok(()) => {
                w.st.borrow_mut().options |= opt::IDENTIFIER;
                value::set_bool(rv, true);
            }
            Err(e) => {
                // No warning and returnCode unchanged; error() shows why.
                w.st.borrow_mut().last.remember(&e);
                value::set_bool(rv, false);
            }
        }
    }
});

// ---------------------------------------------------------------------------
// servers

handler!(add_server(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut h, mut hl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut port: i64 = 0;
    let mut setup = true;
    if !zpp!(ex, "O|s!lb", &mut z, SLOT.ce(), &mut h, &mut hl, &mut port as *mut i64, &mut setup as *mut bool) {
        return;
    }
    let w = this(z);
    let host = (!h.is_null()).then(|| String::from_utf8_lossy(value::slice(h, hl)).into_owned());
    let r = w.core.borrow_mut().add_server(host.as_deref(), port);
    w.servers_added(rv, r, setup);
});

handler!(add_servers(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut s, mut sl): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut setup = true;
    if !zpp!(ex, "O|s!b", &mut z, SLOT.ce(), &mut s, &mut sl, &mut setup as *mut bool) {
        return;
    }
    let w = this(z);
    let servers = (!s.is_null()).then(|| String::from_utf8_lossy(value::slice(s, sl)).into_owned());
    let r = w.core.borrow_mut().add_servers(servers.as_deref());
    w.servers_added(rv, r, setup);
});

handler!(enable_exception_handler(ex, rv) {
    if let Some((_, w)) = args::this::<Worker>(ex) {
        if w.enable_exceptions() {
            value::set_bool(rv, true);
        }
    }
});

handler!(ping(ex, rv) {
    if let Some((w, data)) = args::this_str::<Worker>(ex) {
        let r = w.core.borrow_mut().echo(data);
        match r {
            Ok(()) => {
                w.ok();
                value::set_bool(rv, true);
            }
            Err(e) => {
                w.fail(&e);
                value::set_bool(rv, false);
            }
        }
    }
});

// ---------------------------------------------------------------------------
// functions

handler!(register_fn(ex, rv) {
    let mut z: *mut zval = null_mut();
    let (mut p, mut l): (*const c_char, usize) = (std::ptr::null(), 0);
    let mut t: i64 = 0;
    if !zpp!(ex, "Os|l", &mut z, SLOT.ce(), &mut p, &mut l, &mut t as *mut i64) {
        return;
    }
    let w = this(z);
    let name = value::slice(p, l);
    let r = w.core.borrow_mut().register(name, t);
    match r {
        Ok(()) => {
            {
                let mut st = w.st.borrow_mut();
                st.last.ret = 0;
                st.changed = true;
                st.functions.push(Function { name: name.to_vec(), callback: None, resolved: None, context: call::new_reference(zval::new()) });
            }
            value::set_bool(rv, true);
        }
        Err(e) => {
            w.fail(&e);
            value::set_bool(rv, false);
        }
    }
});

handler!(unregister(ex, rv) {
    if let Some((w, name)) = args::this_str::<Worker>(ex) {
        let r = w.core.borrow_mut().unregister(name);
        match r {
            Ok(()) => {
                // The core drops every registration of the name; so do we.
                let removed: Vec<Function> = {
                    let mut st = w.st.borrow_mut();
                    st.last.ret = 0;
                    st.changed = true;
                    let (gone, kept) = std::mem::take(&mut st.functions).into_iter().partition(|f| f.name == name);
                    st.functions = kept;
                    gone
                };
                // Released outside the borrow: it may run destructors.
                drop(removed);
                value::set_bool(rv, true);
            }
            Err(e) => {
                // libgearman records no message for NO_REGISTERED_FUNCTION:
                // the warning shows whatever error() held before.
                w.set_ret(e.code.value() as i64);
                w.warn_current();
                value::set_bool(rv, false);
            }
        }
    }
});

handler!(unregister_all(ex, rv) {
    if let Some((_, w)) = args::this::<Worker>(ex) {
        let r = w.core.borrow_mut().unregister_all();
        match r {
            Ok(()) => {
                let removed = {
                    let mut st = w.st.borrow_mut();
                    st.last.ret = 0;
                    st.changed = true;
                    std::mem::take(&mut st.functions)
                };
                drop(removed);
                value::set_bool(rv, true);
            }
            Err(e) => {
                w.set_ret(e.code.value() as i64);
                w.warn_current();
                value::set_bool(rv, false);
            }
        }
    }
});

handler!(add_function(ex, rv) {
    let mut z: *mut zval = null_mut();
    let mut zname: *mut zval = null_mut();
    let mut zcall: *mut zval = null_mut();
    let mut zdata: *mut zval = null_mut();
    let mut t: i64 = 0;
    if !zpp!(ex, "Ozz|zl", &mut z, SLOT.ce(), &mut zname, &mut zcall, &mut zdata, &mut t as *mut i64) {
        return;
    }
    let w = this(z);
    let zname = value::deref(zname);
    if value::type_of(zname) != IS_STRING {
        value::warn("Function name must be a string");
        value::set_bool(rv, false);
        return;
    }
    let (callable, cname) = call::callable_name(zcall);
    if !callable {
        let mut msg = b"Function '".to_vec();
        msg.extend_from_slice(&cname);
        msg.extend_from_slice(b"' is not a valid callback");
        value::warn(msg);
        value::set_bool(rv, false);
        return;
    }
    let name = value::str_bytes(zname).to_vec();
    let r = w.core.borrow_mut().register(&name, t);
    match r {
        Ok(()) => {
            let context = if zdata.is_null() { zval::new() } else { call::keep(zdata) };
            let callback = call::keep(zcall);
            let resolved = call::resolve(&callback);
            let f = Function { name, callback: Some(callback), resolved, context: call::new_reference(context) };
            let mut st = w.st.borrow_mut();
            st.last.ret = 0;
            st.changed = true;
            st.functions.push(f);
            drop(st);
            value::set_bool(rv, true);
        }
        Err(e) => {
            let text = w.st.borrow_mut().last.fail(&e);
            value::warn(format!("Unable to add function to Gearman Worker: {} {}", text, e.code.name()));
            value::set_bool(rv, false);
        }
    }
});

// ---------------------------------------------------------------------------
// work, grabJob, wait

/// The PHP exception pending after a callback: its "message" property, or
/// its class name when the message is empty (WORK_EXCEPTION needs data).
/// `None` for exit()/fiber unwinding, which must not be reported.
fn pending_exception_message() -> Option<Vec<u8>> {
    unsafe {
        let ex = (*eg()).exception;
        if ex.is_null() || zend_is_unwind_exit(ex) || zend_is_graceful_exit(ex) {
            return None;
        }
        let ce = (*ex).ce;
        let mut tmp = zval::new();
        let prop = zend_read_property(ce, ex, c"message".as_ptr(), 7, true, &mut tmp);
        let mut msg = if prop.is_null() || value::type_of(prop) != IS_STRING {
            Vec::new()
        } else {
            value::str_bytes(prop).to_vec()
        };
        if msg.is_empty() {
            let name = (*ce).name;
            msg =
                std::slice::from_raw_parts((*name).val.as_ptr() as *const u8, (*name).len).to_vec();
        }
        Some(msg)
    }
}

/// What work() reports when a signal handler threw (or called exit()).
fn interrupted() -> Error {
    Error::new(
        ReturnCode::Timeout,
        "gearman_wait",
        "interrupted by a signal",
    )
}

impl Worker {
    /// Whether the worker should stop now: stopWork() was called, or a stop
    /// signal (SIGTERM, SIGINT, SIGQUIT) reached a pcntl handler. Reading it
    /// consumes both, so a later work() serves again.
    fn stop_requested(&self) -> bool {
        let asked = std::mem::take(&mut self.st.borrow_mut().stop);
        let signalled = self.core.borrow_mut().stop_signalled();
        asked || signalled
    }

    /// work()/wait() end because of a stop request: false, returnCode
    /// GEARMAN_SHUTDOWN, no warning.
    fn shutdown(&self, rv: *mut zval) {
        self.code(ReturnCode::Shutdown);
        unsafe { value::set_bool(rv, false) };
    }
}

/// After EINTR while idle: run the pending pcntl handlers now. `Some(())`
/// means "keep waiting"; `None` means work()/wait() has returned (a stop
/// request, or a handler threw and the exception must reach the caller).
fn after_signal(w: &Worker, rv: *mut zval) -> Option<()> {
    if !signal::dispatch() {
        w.fail_quiet(&interrupted());
        unsafe { value::set_bool(rv, false) };
        return None;
    }
    if w.stop_requested() {
        w.shutdown(rv);
        return None;
    }
    Some(())
}

/// Run the callback for `job` and send its result (php-api.md §7.6).
///
/// Sets work()'s return value in `rv`; with a PHP exception pending it
/// returns at once (returnCode 23) and the exception reaches the caller.
fn run_job(w: &Worker, wz: *mut zval, job: CoreJob, rv: *mut zval) {
    let Some((cb, resolved, ctx)) = w.callback_for(job.function()) else {
        // register() without a callback: libgearman fails the call and
        // leaves the job assigned to us.
        let e = Error::new(
            ReturnCode::InvalidFunctionName,
            "gearman_worker_work",
            "Neither a gearman_worker_fn, or gearman_function_fn callback was supplied",
        );
        w.fail(&e);
        unsafe { value::set_bool(rv, false) };
        return;
    };

    // SAFETY: `wz` is the worker object of the running call.
    let spare = w.st.borrow_mut().spare_job.take();
    let mut jz = unsafe { job::new_live(wz, job, spare) };
    let j = unsafe { object::inner_zv::<Job>(&mut jz) };
    let mut args = [jz.shallow_clone(), ctx];
    // `cb` holds a reference to the callable for the call, so the
    // resolution stays valid even if the callback unregisters itself.
    let result = match &resolved {
        Some(r) => call::call_resolved(r, &mut args),
        None => call::call(&cb, &mut args),
    };
    drop(args);

    // Convert the return value while the job is still attached, so that a
    // conversion error is handled like an exception from the callback.
    let mut call_failed = false;
    let result = match result {
        Some(r) => Some(unsafe { value::ZStr::take(r) }),
        None => {
            call_failed = !exception_pending();
            None
        }
    };
    let bytes = result.as_ref().map_or(&[][..], |r| r.bytes());

    if exception_pending() {
        if let Some(msg) = pending_exception_message() {
            if !j.finished() {
                if let Err(e) = j_send(w, j, |core, job| core.send_exception(job, &msg)) {
                    let text = LastError::default().fail(&e);
                    value::warn(format!(
                        "Unable to send the exception to the job server: {text}"
                    ));
                }
            }
        }
        let _ = j.detach();
        w.ok();
        w.set_ret(ReturnCode::WorkException.value() as i64);
        return;
    }

    if call_failed {
        // The engine could not make the call (pecl/gearman's wording).
        let mut cbv = cb.shallow_clone();
        let cbp = unsafe { value::deref(&mut cbv) };
        let name = if unsafe { value::type_of(cbp) } == IS_STRING {
            String::from_utf8_lossy(unsafe { value::str_bytes(cbp) }).into_owned()
        } else {
            "[undefined]".to_string()
        };
        value::warn(format!("Could not call the function {name}"));
        j.set_ret(ReturnCode::WorkFail.value() as i64);
    }
    drop(cb);

    let ret = j.ret();
    let finished = j.finished();
    let code = if ret == ReturnCode::LostConnection.value() as i64 {
        // libgearman drops every connection without a word; gearmand
        // re-queues the job when it sees us go.
        w.core.borrow_mut().close_all();
        0
    } else if ret == 0 || ret == ReturnCode::Shutdown.value() as i64 {
        if !finished {
            match j_send(w, j, |core, job| core.send_complete(job, bytes)) {
                Ok(()) => ret,
                Err(e) => {
                    let _ = j.detach();
                    w.fail(&e);
                    unsafe { value::set_bool(rv, false) };
                    return;
                }
            }
        } else {
            ret
        }
    } else {
        if !finished {
            if let Err(e) = j_send(w, j, |core, job| core.send_fail(job)) {
                let _ = j.detach();
                w.fail(&e);
                unsafe { value::set_bool(rv, false) };
                return;
            }
        }
        ret
    };
    if let Some(job) = j.detach() {
        w.core.borrow_mut().recycle(job);
    }
    if let Some(spare) = unsafe { job::reusable(jz) } {
        // A spare left by a nested work() in the callback is released
        // after the borrow (releasing an object must not happen inside it).
        let old = w.st.borrow_mut().spare_job.replace(spare);
        drop(old);
    }
    drop(result);

    // The job was handled: error() says "GEARMAN_UNKNOWN_STATE" whatever
    // the code; the warning (for codes outside pecl/gearman's quiet list)
    // shows that text too.
    w.ok();
    w.set_ret(code);
    if !work_quiet(code) {
        w.warn_current();
    }
    unsafe { value::set_bool(rv, code == 0) };
}

/// A send on the job attached to `j`, through the worker's core.
#[inline]
fn j_send(
    w: &Worker,
    j: &Job,
    f: impl FnOnce(&mut Core, &CoreJob) -> Result<(), Error>,
) -> Result<(), Error> {
    let r = j
        .with_job(|job| f(&mut w.core.borrow_mut(), job))
        .unwrap_or(Ok(()));
    if r.is_ok() {
        j.set_finished();
    }
    r
}

/// libgearman's text for an idle timeout of the worker.
fn timeout_error(w: &Worker) -> Error {
    if let Some(text) = w.core.borrow().tls_stall() {
        return Error::new(ReturnCode::Timeout, "gearman_wait", text);
    }
    let n = w.core.borrow().server_count();
    Error::new(
        ReturnCode::Timeout,
        "gearman_wait",
        format!("timeout reached, {n} servers were poll(), no servers were available, pipe:true"),
    )
}

/// work()/grabJob() failed with `e`.
fn step_failed(w: &Worker, e: &Error, quiet: bool) {
    if e.code == ReturnCode::NoServers {
        // libgearman 1.1 reports this one without a message.
        w.ok();
        w.set_ret(e.code.value() as i64);
        if !quiet {
            w.warn_current();
        }
    } else if quiet {
        w.fail_quiet(e);
    } else {
        w.fail(e);
    }
    w.registrations_sent();
}

handler!(work(ex, rv) {
    let Some((z, w)) = args::this::<Worker>(ex) else { return };
    // Signals that arrived while PHP code ran (the previous job, the
    // caller's loop) are handled before waiting again: a stop request made
    // while busy ends the loop once that job has been reported.
    if !signal::dispatch() {
        w.fail_quiet(&interrupted());
        value::set_bool(rv, false);
        return;
    }
    if w.stop_requested() {
        w.shutdown(rv);
        return;
    }
    // Read from the clock when the call first waits (see CallDeadline).
    let mut call = w.core.borrow().call_deadline();
    // The first grab round runs with signals as they are: a job that is
    // waiting is taken at once (a signal meanwhile is handled by the next
    // work(), as one during the job is). Only a worker that has to sleep
    // holds signals (core::stop_signal::Held), runs the handlers queued so
    // far and then sleeps with the signals let through, so none slips in
    // between those handlers and the sleep. Released before a job's
    // callback runs.
    let mut held: Option<Held> = None;
    let mut step = match w.try_step(|core| core.try_work(&mut call)) {
        Some(step) => step,
        None => {
            // Fixed before the handlers run: they count against the timeout.
            let deadline = call.get();
            let h = held.insert(signal::hold());
            if after_signal(w, rv).is_none() {
                return;
            }
            w.step(|core| core.sleep_held(deadline, h))
        }
    };
    loop {
        match step {
            WorkStep::Job(job) => {
                if let Some(h) = held.as_mut() {
                    h.release();
                }
                w.ok();
                w.registrations_sent();
                run_job(w, z, job, rv);
                return;
            }
            WorkStep::Timeout => {
                if !w.timeout_returns() && !w.core.borrow().non_blocking() {
                    // libgearman without TIMEOUT_RETURN: grab and sleep again.
                    let deadline = w.core.borrow().deadline();
                    call = CallDeadline::fixed(deadline);
                    let h = match &held {
                        Some(h) => h,
                        None => {
                            let h = held.insert(signal::hold());
                            if after_signal(w, rv).is_none() {
                                return;
                            }
                            h
                        }
                    };
                    step = w.step(|core| core.work_held(deadline, h));
                    continue;
                }
                step_failed(w, &timeout_error(w), true);
                value::set_bool(rv, false);
                return;
            }
            WorkStep::Interrupted => {
                // A signal while idle (only a held sleep reports one): run
                // its handler, then stop or keep waiting (module doc).
                if after_signal(w, rv).is_none() {
                    return;
                }
                let h = held.get_or_insert_with(signal::hold);
                let deadline = call.get();
                step = w.step(|core| core.work_held(deadline, h));
            }
            WorkStep::NoJobs => {
                // Non-blocking: nothing to do right now; PRE_SLEEP was sent.
                w.code(ReturnCode::IoWait);
                w.registrations_sent();
                value::set_bool(rv, false);
                return;
            }
            WorkStep::Error(e) => {
                step_failed(w, &e, work_quiet(e.code.value() as i64));
                value::set_bool(rv, false);
                return;
            }
        }
    }
});

handler!(
    /// `grabJob()`: one grab round, no sleeping. Returns a GearmanJob that
    /// stays usable for the object's life (the caller sends the result with
    /// sendComplete() etc.), or false with returnCode 35 and a warning when no
    /// job is waiting (also in non-blocking mode, where pecl/gearman could
    /// return a GearmanJob without a job).
    grab_job(ex, rv) {
        let Some((z, w)) = args::this::<Worker>(ex) else { return };
        let step = w.step(|core| core.grab_job());
        match step {
            WorkStep::Job(job) => {
                w.ok();
                w.registrations_sent();
                let jz = job::new_live(z, job, None);
                std::ptr::write(rv, jz);
            }
            WorkStep::NoJobs => {
                w.ok();
                w.set_ret(ReturnCode::NoJobs.value() as i64);
                w.registrations_sent();
                w.warn_current();
                value::set_bool(rv, false);
            }
            WorkStep::Timeout => {
                step_failed(w, &timeout_error(w), false);
                value::set_bool(rv, false);
            }
            WorkStep::Interrupted => {
                step_failed(w, &interrupted(), true);
                value::set_bool(rv, false);
            }
            WorkStep::Error(e) => {
                step_failed(w, &e, false);
                value::set_bool(rv, false);
            }
        }
    }
);

handler!(
    /// `wait()`: for the non-blocking loop; polls the connections that sent
    /// PRE_SLEEP. Signals follow work()'s contract (module doc).
    wait(ex, rv) {
        let Some((_, w)) = args::this::<Worker>(ex) else { return };
        // As in work(): hold signals, run the handlers of those that came
        // while PHP code ran, then sleep with the signals let through.
        let held = signal::hold();
        if after_signal(w, rv).is_none() {
            return;
        }
        let deadline = w.core.borrow().deadline();
        let r = loop {
            let r = w.core.borrow_mut().wait_held(deadline, &held);
            if let Ok(Readiness::Interrupted) = r {
                if after_signal(w, rv).is_none() {
                    return;
                }
                continue;
            }
            break r;
        };
        match r {
            Ok(Readiness::Ready) | Ok(Readiness::Interrupted) => {
                w.set_ret(0);
                value::set_bool(rv, true);
            }
            Err(e) if e.code == ReturnCode::Timeout => {
                w.fail_quiet(&e);
                value::set_bool(rv, false);
            }
            Err(e) => {
                w.fail(&e);
                value::set_bool(rv, false);
            }
        }
    }
);

// gearman-rs addition: counters (see php/stats.rs).
handler!(stats(ex, rv) {
    if let Some((_, w)) = args::this::<Worker>(ex) {
        unsafe { crate::php::stats::set_array(rv, &w.core.borrow().stats(), "jobs_received") };
    }
});

handler!(
    /// `stopWork()` (gearman-rs only): asks the worker to stop. An idle
    /// `work()`/`wait()` (called from a signal handler) returns false with
    /// returnCode GEARMAN_SHUTDOWN once the handler returns; called while a
    /// job runs, the job is finished and reported and the next `work()`
    /// returns that. The request is used up by the call that reports it.
    stop_work(ex, rv) {
        if let Some((_, w)) = args::this::<Worker>(ex) {
            w.st.borrow_mut().stop = true;
            value::set_bool(rv, true);
        }
    }
);
