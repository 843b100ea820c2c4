//! The worker: registers functions, grabs jobs, sleeps until woken.
//!
//! Flow of one [`Worker::work`] call (protocol doc §6, libgearman 1.1):
//! flush pending (un)registrations, send GRAB to each server in turn and
//! wait for its answer; if none had a job, send PRE_SLEEP to all and poll
//! for a NOOP (or the timeout, or a signal), then grab again.
//!
//! Connections: a server that cannot be reached is skipped as long as
//! another one works and retried with capped exponential backoff
//! (100 ms doubling to 30 s, see `health.rs`), so a restarted gearmand is picked up while the
//! worker sleeps on the others. If no server at all can be reached, `work`
//! fails at once with COULD_NOT_CONNECT. Every (re)connection first sends
//! SET_CLIENT_ID (if set), OPTION_REQ "exceptions" (if enabled) and a
//! CAN_DO / CAN_DO_TIMEOUT per registered function, newest first.
//!
//! Poll interval: gearmand 1.1.x never wakes a sleeping worker when a
//! scheduled (SUBMIT_JOB_EPOCH) job comes due — its NOOP goes out when the
//! job is submitted, and a GRAB before the due time gets NO_JOB. So a
//! sleeping worker also wakes every [`Worker::set_poll_interval`] ms (and
//! in non-blocking [`Worker::wait`]) and grabs again: one GRAB / NO_JOB /
//! PRE_SLEEP round trip per interval, timed just after gearmand's clock
//! ticks a second (see `poll_due`). A NOOP still ends the sleep at once.

mod job;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::connection::{place, Body, ConnectStep, Connection};
use crate::poll::{self, Deadline, PollOutcome, Readiness};
use crate::protocol::{
    decode, decode_bare, encode_head, header, Decoded, Magic, PacketRef, PacketType, HEADER_LEN,
    MAX_FUNCTION_LEN,
};
use crate::server_list::{server_list_methods, Server, ServerList};
use crate::stats::Counters;
use crate::stop_signal;
use crate::{Error, ReturnCode};

pub use job::{GrabMode, Job};

/// libgearman's identifier limit.
const MAX_ID_LEN: usize = 254;

/// What one [`Worker::work`] / [`Worker::grab_job`] call ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkStep {
    /// A job to run; send its result with `send_complete` / `send_fail` / …
    Job(Job),
    /// Idle for the whole timeout.
    Timeout,
    /// A signal arrived while sleeping (never after a job was assigned).
    Interrupted,
    /// Non-blocking mode or `grab_job`: no job right now (PRE_SLEEP was
    /// sent in non-blocking mode; use `wait`).
    NoJobs,
    /// Failure (NO_REGISTERED_FUNCTIONS, NO_SERVERS, COULD_NOT_CONNECT, …).
    Error(Error),
}

#[derive(Clone, Debug)]
struct Function {
    name: Vec<u8>,
    timeout: i64,
}

#[derive(Clone, Debug)]
enum Change {
    CanDo(Function),
    CantDo(Vec<u8>),
    Reset,
}

/// The worker's own state for one server (see [`ServerList`]).
#[derive(Default)]
struct WorkerConn {
    /// Registration changes not yet sent on the current connection.
    changes: Vec<Change>,
    /// OPTION_REQs sent and not yet answered.
    options_pending: usize,
    presleep: bool,
    noop: bool,
    /// A probe connect in flight is given up at this instant.
    connect_by: Option<Instant>,
}

type WServer = Server<WorkerConn>;

impl WServer {
    /// The connection failed or broke: close it, forget its per-connection
    /// state and back off.
    fn down(&mut self, error: &Error) {
        self.conn.close();
        self.connect_by = None;
        self.health.failed(error);
        self.presleep = false;
        self.noop = false;
        self.options_pending = 0;
        self.changes.clear();
    }
}

/// What a packet handler wants the pump to do next.
enum Flow<R> {
    Continue,
    Done(R),
}

/// What `pump` ends with. A job assignment's [`Job`] is made from the packet
/// without its bytes; `pump` then gives it the payload, taking the receive
/// buffer when it can (see [`Job::fill`]).
trait Pumped {
    fn unfilled_job(&mut self) -> Option<&mut Job> {
        None
    }
}

impl Pumped for Result<(), Error> {}
impl Pumped for Result<bool, Error> {}
impl Pumped for Result<Option<Job>, Error> {
    fn unfilled_job(&mut self) -> Option<&mut Job> {
        self.as_mut().ok()?.as_mut().filter(|j| j.unfilled())
    }
}

/// poll(2) event for "the peer closed its end" (Linux), so that a sleeping
/// worker tells a closed connection from a NOOP without reading.
#[cfg(any(target_os = "linux", target_os = "android"))]
const POLL_PEER_CLOSED: libc::c_short = libc::POLLRDHUP;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const POLL_PEER_CLOSED: libc::c_short = 0;

/// The head of a result packet whose only argument is the job handle
/// (WORK_COMPLETE, WORK_DATA, WORK_FAIL, …), written in one pass: the
/// handle came NUL-terminated from JOB_ASSIGN, so it holds no NUL, and the
/// general encoder's checks have nothing to find. `false` (nothing written)
/// for any other shape or a length that needs the encoder's error.
fn put_result_head(
    out: &mut Vec<u8>,
    kind: PacketType,
    handle: &[u8],
    args: &[&[u8]],
    data_len: usize,
) -> bool {
    let data = kind.has_data();
    if !args.is_empty() || kind.argc() != 1 || (!data && data_len != 0) {
        return false;
    }
    let Some(len) = (handle.len() + usize::from(data))
        .checked_add(data_len)
        .and_then(|l| u32::try_from(l).ok())
    else {
        return false;
    };
    out.reserve(HEADER_LEN + handle.len() + 1);
    out.extend_from_slice(&header(Magic::Request, kind, len));
    out.extend_from_slice(handle);
    if data {
        out.push(0);
    }
    true
}

/// A recycled job buffer up to this capacity is kept for the next job.
const KEEP_JOB_BUF: usize = 64 * 1024;

/// Reconnects after a connection was lost during a GRAB round trip.
const LOST_RETRIES: u32 = 3;

/// Least time a GRAB round trip gets, whatever the timeout (see `grab_one`).
const GRAB_FLOOR_MS: i32 = 50;

/// A Gearman worker. One per thread; `Send`.
pub struct Worker {
    servers: ServerList<WorkerConn>,
    functions: Vec<Function>,
    id: Option<Vec<u8>>,
    exceptions: bool,
    grab: GrabMode,
    next_server: usize,
    /// Re-grab after sleeping this long (ms); 0 = sleep until NOOP/timeout.
    poll_interval: u32,
    counters: Counters,
    /// Set when the last [`WorkStep::Timeout`] happened in a TLS handshake
    /// (see [`Worker::tls_stall`]).
    tls_stall: Option<String>,
    /// [`stop_signal::count`] when this worker last looked.
    stops_seen: u64,
    /// `sleep`'s poll arrays, kept so that a sleep allocates nothing.
    sleep_fds: Vec<libc::pollfd>,
    sleep_map: Vec<usize>,
    /// The last job handed back with [`Worker::recycle`] (its box and
    /// buffer), reused by the next JOB_ASSIGN.
    spare_job: Option<Job>,
    /// The fork generation [`check_fork`](Self::check_fork) last dealt
    /// with: every connection made before it is closed already, so the
    /// same generation again needs no walk over the servers.
    forks_seen: u64,
    /// The last poll due time worked out from the wall clock, and until
    /// when it may be reused without reading the wall clock again (see
    /// [`poll_due_at`](Self::poll_due_at)); cleared when the interval
    /// changes.
    poll_tick: Option<PollTick>,
}

/// A poll due time and how long it stays valid: until it passes, and at
/// most [`POLL_TICK_REUSE`] after the wall-clock reading it came from (so
/// a wall-clock step is picked up within that time).
#[derive(Clone, Copy, Debug)]
struct PollTick {
    due: Instant,
    reuse_until: Instant,
}

/// How long a poll due time from one wall-clock reading is reused.
const POLL_TICK_REUSE: Duration = Duration::from_millis(1000);

/// The deadline of one `work()` call, read from the clock only when the
/// call first has to wait (a connect, a GRAB's reply that is not there yet,
/// a sleep). Nothing blocks before that, so the timeout starts a few
/// microseconds of CPU time later than the call; a job that is already
/// waiting costs no clock read at all.
#[derive(Clone, Copy, Debug)]
pub struct CallDeadline {
    timeout_ms: i32,
    at: Option<Deadline>,
}

impl CallDeadline {
    /// `timeout_ms` from the first [`get`](Self::get) (negative = never).
    pub fn after_ms(timeout_ms: i32) -> CallDeadline {
        CallDeadline {
            timeout_ms,
            at: None,
        }
    }

    /// An already fixed deadline.
    pub fn fixed(at: Deadline) -> CallDeadline {
        CallDeadline {
            timeout_ms: -1,
            at: Some(at),
        }
    }

    /// The deadline, fixed now if it was not yet.
    pub fn get(&mut self) -> Deadline {
        let ms = self.timeout_ms;
        *self.at.get_or_insert_with(|| Deadline::after_ms(ms))
    }

    /// Fixes a deadline that never comes (no timeout) without reading the
    /// clock; a deadline fixed before stays.
    fn get_never(&mut self) {
        if self.at.is_none() && self.timeout_ms < 0 {
            self.at = Some(Deadline::NEVER);
        }
    }

    /// [`get`](Self::get) with the caller's reading of the clock.
    fn get_at(&mut self, now: Instant) -> Deadline {
        let ms = self.timeout_ms;
        *self
            .at
            .get_or_insert_with(|| Deadline::after_ms_from(now, ms))
    }
}

/// Default of [`Worker::set_poll_interval`]: a due scheduled job starts
/// within about a second.
pub const DEFAULT_POLL_INTERVAL_MS: u32 = 1000;

/// Polls happen this long after a wall-clock multiple of the interval
/// (see `poll_due`): room for a gearmand clock slightly behind ours.
const POLL_PHASE_MS: u32 = 50;

impl Default for Worker {
    fn default() -> Self {
        Worker::new()
    }
}

enum Grab {
    Job(Job),
    NoJob,
    Unreachable(Error),
    Timeout,
}

impl Worker {
    /// A worker with no servers and no functions; timeout -1 (forever);
    /// grab mode [`GrabMode::All`].
    pub fn new() -> Worker {
        Worker {
            servers: ServerList::default(),
            functions: Vec::new(),
            id: None,
            exceptions: false,
            grab: GrabMode::All,
            next_server: 0,
            poll_interval: DEFAULT_POLL_INTERVAL_MS,
            counters: Counters::default(),
            tls_stall: None,
            stops_seen: stop_signal::count(),
            sleep_fds: Vec::new(),
            sleep_map: Vec::new(),
            spare_job: None,
            forks_seen: crate::sys::fork_generation(),
            poll_tick: None,
        }
    }

    /// Whether SIGTERM, SIGINT or SIGQUIT reached a program-installed
    /// handler (see [`stop_signal`]) since this worker last asked: after
    /// [`WorkStep::Interrupted`] that means "stop", anything else "go on".
    pub fn stop_signalled(&mut self) -> bool {
        let n = stop_signal::count();
        let hit = n != self.stops_seen;
        self.stops_seen = n;
        hit
    }

    // ---- configuration -------------------------------------------------

    server_list_methods!();

    fn server_added(&mut self) {}

    /// If the last `work`/`grab_job` timed out in a TLS handshake, the
    /// TIMEOUT text naming it (the worker's timeout step carries no error).
    pub fn tls_stall(&self) -> Option<&str> {
        self.tls_stall.as_deref()
    }

    fn close_for_tls(&mut self) {
        self.close_all();
    }

    /// How long an idle worker sleeps before it grabs again without being
    /// woken (see the module docs); 0 = only a NOOP, signal or the timeout
    /// ends the sleep (libgearman's behaviour).
    pub fn set_poll_interval(&mut self, ms: u32) {
        self.poll_interval = ms;
        self.poll_tick = None;
    }

    /// The poll interval in ms (0 = never).
    pub fn poll_interval(&self) -> u32 {
        self.poll_interval
    }

    /// When a sleep that starts now should end to grab again, if ever.
    ///
    /// The polls fall on wall-clock multiples of the interval, shifted by
    /// [`POLL_PHASE_MS`]: gearmand releases a scheduled job when its
    /// `time(NULL)` reaches the job's second, so with an interval that
    /// divides a second (the default 1000 ms) the first poll after that
    /// second comes a few ms later, not up to a whole interval later.
    #[cfg(test)]
    fn poll_due(&mut self) -> Option<Instant> {
        self.poll_due_at(Instant::now())
    }

    /// [`poll_due`](Self::poll_due) for a sleep starting at `now` (a
    /// monotonic reading the caller has). The phase needs the wall clock,
    /// but only once per due time: a worker that sleeps many times before
    /// the next poll is due (one sleep per job when jobs come one at a
    /// time) gets the same due time, worked out from the first of those
    /// sleeps, while it has not passed and the reading is under
    /// [`POLL_TICK_REUSE`] old. As the two clocks run at the same rate
    /// (NTP slews are ppm), that is the instant a fresh reading would give.
    fn poll_due_at(&mut self, now: Instant) -> Option<Instant> {
        if self.poll_interval == 0 {
            return None;
        }
        if let Some(t) = self.poll_tick {
            if now < t.reuse_until {
                return Some(t.due);
            }
        }
        let iv = u64::from(self.poll_interval);
        let wall = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64);
        let since_tick = (wall + iv - u64::from(POLL_PHASE_MS) % iv) % iv;
        let due = now + Duration::from_millis(iv - since_tick);
        self.poll_tick = Some(PollTick {
            due,
            reuse_until: due.min(now + POLL_TICK_REUSE),
        });
        Some(due)
    }

    /// The monotonic reading a sleep starts from, when its poll timer
    /// needs one (poll interval set), and that timer: the first poll's
    /// timeout then comes from the same reading (one clock read, not two).
    fn sleep_start(&mut self) -> (Option<Instant>, Option<Instant>) {
        if self.poll_interval == 0 {
            return (None, None);
        }
        let now = Instant::now();
        (Some(now), self.poll_due_at(now))
    }

    /// Which GRAB packet to send.
    pub fn set_grab_mode(&mut self, mode: GrabMode) {
        self.grab = mode;
    }

    /// The grab mode.
    pub fn grab_mode(&self) -> GrabMode {
        self.grab
    }

    /// Sets the connection identifier (SET_CLIENT_ID), validated like
    /// libgearman: 1..=254 printable (isgraph) bytes. Sent on open
    /// connections now and on every future connection.
    pub fn set_id(&mut self, id: &[u8]) -> Result<(), Error> {
        if id.is_empty() {
            return Err(Error::invalid_argument(
                "gearman_worker_set_identifier",
                "id_size was 0",
            ));
        }
        if id.len() > MAX_ID_LEN {
            return Err(Error::invalid_argument(
                "gearman_worker_set_identifier",
                "id_size was greater than GEARMAN_MAX_IDENTIFIER",
            ));
        }
        if !id.iter().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_argument(
                "gearman_worker_set_identifier",
                "Invalid character found in identifier",
            ));
        }
        self.id = Some(id.to_vec());
        self.check_fork();
        for s in self.servers.iter_mut() {
            if s.conn.is_connected() {
                s.conn.out().request(PacketType::SetClientId, &[id], b"")?;
                if s.conn.flush().is_err() {
                    s.conn.close();
                }
            }
        }
        Ok(())
    }

    /// Forgets the identifier (future connections send none).
    pub fn clear_id(&mut self) {
        self.id = None;
    }

    /// The identifier, if set.
    pub fn id(&self) -> Option<&[u8]> {
        self.id.as_deref()
    }

    /// Asks for the "exceptions" option without connecting: sent first on
    /// every connection opened from now on (and queued on open ones).
    pub fn request_exceptions(&mut self) {
        self.check_fork();
        self.exceptions = true;
        for s in self.servers.iter_mut() {
            if s.conn.is_connected()
                && s.conn
                    .out()
                    .request(PacketType::OptionReq, &[b"exceptions"], b"")
                    .is_ok()
            {
                s.options_pending += 1;
            }
        }
    }

    /// Connects to every server and does the OPTION_REQ "exceptions" round
    /// trip with each. Remembered (also on failure) and re-sent on every
    /// connection; the first failure is returned.
    pub fn enable_exceptions(&mut self) -> Result<(), Error> {
        self.check_fork();
        self.exceptions = true;
        if self.servers.is_empty() {
            return Err(Error::no_servers("gearman_worker_set_server_option"));
        }
        let deadline = Deadline::after_ms(self.servers.timeout());
        for i in 0..self.servers.len() {
            self.ensure_connected(i, deadline, true)?;
            let s = &mut self.servers[i];
            if s.options_pending == 0 {
                s.conn
                    .out()
                    .request(PacketType::OptionReq, &[b"exceptions"], b"")?;
                s.options_pending += 1;
            }
            self.pump(i, &mut || (deadline, None), false, |s, p| match p.kind() {
                PacketType::OptionRes => {
                    s.options_pending = s.options_pending.saturating_sub(1);
                    if s.options_pending == 0 {
                        Flow::Done(Ok(()))
                    } else {
                        Flow::Continue
                    }
                }
                PacketType::Error if s.options_pending > 0 => {
                    s.options_pending -= 1;
                    Flow::Done(Err(error_packet(p)))
                }
                _ => Flow::Continue,
            })??;
        }
        Ok(())
    }

    // ---- functions -----------------------------------------------------

    /// Registers a function (CAN_DO, or CAN_DO_TIMEOUT when `timeout > 0`;
    /// gearmand reads it as milliseconds). Sent lazily at the next grab.
    /// Registering a name twice registers it twice.
    pub fn register(&mut self, function: &[u8], timeout: i64) -> Result<(), Error> {
        if function.is_empty() || function.contains(&0) {
            return Err(Error::invalid_argument(
                "gearman_worker_register",
                "invalid function",
            ));
        }
        if function.len() > MAX_FUNCTION_LEN {
            return Err(Error::invalid_argument(
                "gearman_worker_register",
                "function name longer then GEARMAN_MAX_FUNCTION_SIZE",
            ));
        }
        let f = Function {
            name: function.to_vec(),
            timeout,
        };
        for s in self.servers.iter_mut() {
            if !s.conn.is_closed() {
                s.changes.push(Change::CanDo(f.clone()));
            }
        }
        self.functions.push(f);
        Ok(())
    }

    /// Unregisters every registration of `function` (CANT_DO, sent lazily).
    pub fn unregister(&mut self, function: &[u8]) -> Result<(), Error> {
        if !self.functions.iter().any(|f| f.name == function) {
            return Err(Error::new(
                ReturnCode::NoRegisteredFunction,
                "gearman_worker_unregister",
                "function was not registered",
            ));
        }
        self.functions.retain(|f| f.name != function);
        for s in self.servers.iter_mut() {
            if !s.conn.is_closed() {
                s.changes.push(Change::CantDo(function.to_vec()));
            }
        }
        Ok(())
    }

    /// Unregisters everything (RESET_ABILITIES, sent lazily).
    pub fn unregister_all(&mut self) -> Result<(), Error> {
        if self.functions.is_empty() {
            return Err(Error::new(
                ReturnCode::NoRegisteredFunctions,
                "gearman_worker_unregister_all",
                "no functions have been registered",
            ));
        }
        self.functions.clear();
        for s in self.servers.iter_mut() {
            if !s.conn.is_closed() {
                s.changes.clear();
                s.changes.push(Change::Reset);
            }
        }
        Ok(())
    }

    /// Whether any function is registered.
    pub fn has_functions(&self) -> bool {
        !self.functions.is_empty()
    }

    /// Names of the registered functions, in registration order.
    pub fn functions(&self) -> impl Iterator<Item = &[u8]> {
        self.functions.iter().map(|f| f.name.as_slice())
    }

    // ---- grabbing ------------------------------------------------------

    /// Waits for the next job (see the module docs).
    pub fn work(&mut self) -> WorkStep {
        self.work_until(self.deadline())
    }

    /// The deadline a blocking call starting now gets from the timeout.
    pub fn deadline(&self) -> Deadline {
        Deadline::after_ms(self.servers.timeout())
    }

    /// [`deadline`](Self::deadline), read from the clock only when needed.
    pub fn call_deadline(&self) -> CallDeadline {
        CallDeadline::after_ms(self.servers.timeout())
    }

    /// [`work`](Self::work) with the caller's deadline, so a caller that
    /// resumes after [`WorkStep::Interrupted`] keeps the original one.
    pub fn work_until(&mut self, deadline: Deadline) -> WorkStep {
        self.work_from(deadline, true, None)
    }

    /// The first grab round of a `work` call, without sleeping: the step
    /// when that round decides the call (a job, a failure, a timeout, or
    /// [`WorkStep::NoJobs`] in non-blocking mode, PRE_SLEEP sent), `None`
    /// when the worker has to sleep — then [`sleep_held`](Self::sleep_held)
    /// continues the call. Lets a caller hold signals only while idle.
    pub fn try_work(&mut self, deadline: &mut CallDeadline) -> Option<WorkStep> {
        self.check_fork();
        if let Err(e) = self.preconditions("gearman_worker_work") {
            return Some(WorkStep::Error(e));
        }
        match self.grab_step(deadline) {
            WorkStep::NoJobs => {
                self.pre_sleep();
                self.servers.non_blocking().then_some(WorkStep::NoJobs)
            }
            step => Some(step),
        }
    }

    /// After [`try_work`](Self::try_work) returned `None`: sleeps (with the
    /// caller's signal mask, see [`work_held`](Self::work_held)) and goes on
    /// as [`work_until`](Self::work_until) does after its first round.
    pub fn sleep_held(&mut self, deadline: Deadline, held: &stop_signal::Held) -> WorkStep {
        // Registrations changed meanwhile (a signal handler) are sent by a
        // grab first, so the sleep is for the current function set.
        let grab_first = self.servers.iter().any(|s| !s.changes.is_empty());
        self.work_from(deadline, grab_first, held.wait_mask())
    }

    /// One grab round as a step; [`WorkStep::NoJobs`] when no server had a
    /// job.
    #[inline]
    fn grab_step(&mut self, deadline: &mut CallDeadline) -> WorkStep {
        match self.grab_round(deadline) {
            Ok(Grab::Job(j)) => WorkStep::Job(j),
            Ok(Grab::Unreachable(e)) => WorkStep::Error(e),
            Ok(Grab::Timeout) => {
                self.counters.timeouts += 1;
                WorkStep::Timeout
            }
            Ok(Grab::NoJob) => WorkStep::NoJobs,
            Err(e) => WorkStep::Error(e),
        }
    }

    /// The `work` loop; `grab_first` false starts with the sleep (the
    /// caller's round found nothing and PRE_SLEEP went out).
    ///
    /// `mask`: the signal mask to sleep with (a held caller's mask from
    /// before, see [`stop_signal::Held`]); passed down by reference rather
    /// than kept in the worker, as copying the 128-byte set was a memcpy
    /// call per sleep.
    fn work_from(
        &mut self,
        deadline: Deadline,
        grab_first: bool,
        mask: Option<&libc::sigset_t>,
    ) -> WorkStep {
        self.check_fork();
        if let Err(e) = self.preconditions("gearman_worker_work") {
            return WorkStep::Error(e);
        }
        let mut grab = grab_first;
        loop {
            if std::mem::replace(&mut grab, true) {
                match self.grab_step(&mut CallDeadline::fixed(deadline)) {
                    WorkStep::NoJobs => {}
                    step => return step,
                }
                self.pre_sleep();
            }
            if self.servers.non_blocking() {
                return WorkStep::NoJobs;
            }
            match self.sleep(deadline, mask) {
                Ok(SleepEnd::Woke) => {}
                Ok(SleepEnd::Timeout) => {
                    self.counters.timeouts += 1;
                    return WorkStep::Timeout;
                }
                Ok(SleepEnd::Interrupted) => return WorkStep::Interrupted,
                Err(e) => return WorkStep::Error(e),
            }
        }
    }

    /// One grab on each server, no sleeping: a job or [`WorkStep::NoJobs`].
    pub fn grab_job(&mut self) -> WorkStep {
        self.check_fork();
        if let Err(e) = self.preconditions("gearman_worker_grab_job") {
            return WorkStep::Error(e);
        }
        match self.grab_round(&mut self.call_deadline()) {
            Ok(Grab::Job(j)) => WorkStep::Job(j),
            Ok(Grab::Unreachable(e)) => WorkStep::Error(e),
            Ok(Grab::Timeout) => WorkStep::Timeout,
            Ok(Grab::NoJob) => WorkStep::NoJobs,
            Err(e) => WorkStep::Error(e),
        }
    }

    /// Non-blocking mode: waits (up to the timeout) for a NOOP or other
    /// activity on connections that sent PRE_SLEEP. NO_ACTIVE_FDS if none.
    pub fn wait(&mut self) -> Result<Readiness, Error> {
        self.wait_until(self.deadline())
    }

    /// [`work_until`](Self::work_until) for a caller that holds signals
    /// ([`stop_signal::Held`]): sleeps with the mask from before, so a signal
    /// that arrived since the caller last looked interrupts the sleep at once.
    pub fn work_held(&mut self, deadline: Deadline, held: &stop_signal::Held) -> WorkStep {
        self.work_from(deadline, true, held.wait_mask())
    }

    /// [`wait_until`](Self::wait_until) for a caller that holds signals.
    pub fn wait_held(
        &mut self,
        deadline: Deadline,
        held: &stop_signal::Held,
    ) -> Result<Readiness, Error> {
        self.wait_masked(deadline, held.wait_mask())
    }

    /// [`wait`](Self::wait) with the caller's deadline.
    pub fn wait_until(&mut self, deadline: Deadline) -> Result<Readiness, Error> {
        self.wait_masked(deadline, None)
    }

    /// [`wait_until`](Self::wait_until), sleeping with `mask` (a held
    /// caller's mask from before, see [`stop_signal::Held`]) if given.
    fn wait_masked(
        &mut self,
        deadline: Deadline,
        mask: Option<&libc::sigset_t>,
    ) -> Result<Readiness, Error> {
        self.check_fork();
        if self.servers.iter().any(|s| s.presleep && s.noop) {
            return Ok(Readiness::Ready);
        }
        let mut fds = Vec::new();
        for s in self.servers.iter() {
            if s.presleep {
                if let Some(p) = s.conn.pollfd(true) {
                    fds.push(p);
                }
            }
        }
        if fds.is_empty() {
            return Err(Error::no_active_fds());
        }
        let (now, due) = self.sleep_start();
        let ms = deadline.poll_ms_at(now, due);
        stop_signal::arm();
        match poll::poll_masked(&mut fds, ms, mask)? {
            PollOutcome::Ready(_) => Ok(Readiness::Ready),
            PollOutcome::Interrupted => Ok(Readiness::Interrupted),
            // The poll interval passed: time to grab again.
            PollOutcome::TimedOut if !deadline.expired() => Ok(Readiness::Ready),
            PollOutcome::TimedOut => Err(Error::timeout(fds.len())),
        }
    }

    fn preconditions(&self, origin: &'static str) -> Result<(), Error> {
        if self.functions.is_empty() {
            return Err(Error::new(
                ReturnCode::NoRegisteredFunctions,
                origin,
                "no functions have been registered",
            ));
        }
        if self.servers.is_empty() {
            return Err(Error::no_servers(origin));
        }
        Ok(())
    }

    /// GRAB once on each reachable server, starting after the server that
    /// gave the last job (fairness).
    fn grab_round(&mut self, deadline: &mut CallDeadline) -> Result<Grab, Error> {
        self.tls_stall = None;
        let n = self.servers.len();
        // One server, connected (the usual setup): nothing to skip or
        // order, so the round is that server's grab.
        if n == 1 && self.servers[0].conn.is_connected() {
            return Ok(match self.grab_retrying(0, deadline) {
                Ok(Some(job)) => self.grabbed(0, job),
                Ok(None) => Grab::NoJob,
                Err(e) if e.code == ReturnCode::Timeout => self.grab_timed_out(e),
                Err(e) => Grab::Unreachable(e),
            });
        }
        let mut reachable = 0;
        let mut skipped = Vec::new();
        let mut last_err = None;
        let mut now = None;
        for pass in 0..2 {
            // Pass 0: every server from `next_server` on (no list built);
            // pass 1: the backed-off ones pass 0 skipped.
            let retry: Vec<usize> = if pass == 0 {
                Vec::new()
            } else {
                std::mem::take(&mut skipped)
            };
            // `next_server` is below `n` unless servers were removed since.
            let start = self.next_server % n;
            let first = if pass == 0 { n } else { 0 };
            for i in (0..first)
                .map(|k| {
                    if start + k >= n {
                        start + k - n
                    } else {
                        start + k
                    }
                })
                .chain(retry.iter().copied())
            {
                if pass == 0
                    && self.servers[i].conn.is_closed()
                    && self.servers[i]
                        .health
                        .is_down(|| *now.get_or_insert_with(Instant::now))
                {
                    skipped.push(i);
                    continue;
                }
                if pass == 0
                    && self.servers[i].health.suspect()
                    && !self.servers[i].conn.is_connected()
                    && !self.probe(i)
                {
                    skipped.push(i);
                    continue;
                }
                match self.grab_retrying(i, deadline) {
                    Ok(Some(job)) => return Ok(self.grabbed(i, job)),
                    Ok(None) => reachable += 1,
                    Err(e) if e.code == ReturnCode::Timeout => return Ok(self.grab_timed_out(e)),
                    Err(e) => last_err = Some(e),
                }
            }
            if reachable > 0 || skipped.is_empty() {
                break;
            }
        }
        if reachable == 0 {
            let e = last_err.unwrap_or_else(|| {
                let a = &self.servers[0].addr;
                Error::could_not_connect(&a.host, a.port, 0)
            });
            return Ok(Grab::Unreachable(e));
        }
        Ok(Grab::NoJob)
    }

    /// [`grab_one`](Self::grab_one) on server `i`, again after a lost
    /// connection.
    #[inline]
    fn grab_retrying(
        &mut self,
        i: usize,
        deadline: &mut CallDeadline,
    ) -> Result<Option<Job>, Error> {
        let mut result = self.grab_one(i, deadline);
        let mut retries = 0;
        while retries < LOST_RETRIES
            && matches!(&result, Err(e) if e.code == ReturnCode::LostConnection)
        {
            // The connection died while idle (typically gearmand
            // restarted since the last call). That says nothing about
            // the server now: reconnect right away, so that
            // `while ($w->work())` survives a restart. A fresh
            // connection can be reset too, when it landed in the
            // backlog of a gearmand that was still exiting: a few
            // more tries get past that.
            retries += 1;
            self.counters.retries += 1;
            result = self.grab_one(i, deadline);
        }
        result
    }

    /// Server `i` gave `job`: counted, and the next round starts after it.
    #[inline]
    fn grabbed(&mut self, i: usize, job: Job) -> Grab {
        self.counters.jobs += 1;
        self.servers[i].health.jobs += 1;
        self.next_server = if i + 1 == self.servers.len() {
            0
        } else {
            i + 1
        };
        Grab::Job(job)
    }

    /// A grab timed out (`e`), remembering a TLS handshake that stalled.
    #[cold]
    fn grab_timed_out(&mut self, e: Error) -> Grab {
        if e.message.contains("TLS handshake") {
            self.tls_stall = Some(e.message);
        }
        Grab::Timeout
    }

    /// Connects server `i` if needed, flushes registrations, sends GRAB and
    /// waits for its answer. `Err` = this server is unusable right now
    /// (closed and backed off), or the deadline passed.
    fn grab_one(&mut self, i: usize, call: &mut CallDeadline) -> Result<Option<Job>, Error> {
        // The idle timeout bounds waiting for work, not a server round
        // trip: with `set_timeout(0)` a GRAB must still get its answer, so
        // connect and reply waits get at least GRAB_FLOOR_MS (a loopback or
        // LAN round trip, and within the "timeout + 50 ms" promise). A reply
        // that comes later is not lost: the connection is closed and
        // gearmand re-queues whatever it had assigned. Worked out (clock
        // reads) only when something has to wait.
        let timeout = self.servers.timeout();
        let mut fixed = None;
        let mut deadline = move || match fixed {
            Some(d) => (d, None),
            // No timeout: no clock read at all.
            None if timeout < 0 => {
                call.get_never();
                fixed = Some(Deadline::NEVER);
                (Deadline::NEVER, Some(-1))
            }
            None => {
                // The round trip gets the floor or the whole timeout from
                // now, which is never earlier than the call's deadline (set
                // from an earlier reading, or from this one with the same
                // timeout), so that deadline needs no comparing; the first
                // wait's poll timeout is that span itself.
                let now = Instant::now();
                call.get_at(now);
                let ms = timeout.max(GRAB_FLOOR_MS);
                let d = Deadline::after_ms_from(now, ms);
                fixed = Some(d);
                (d, Some(ms))
            }
        };
        if !self.servers[i].conn.is_connected() {
            self.ensure_connected(i, deadline().0, false)?;
        }
        let grab = self.grab.encoded();
        let s = &mut self.servers[i];
        if !s.changes.is_empty() {
            for c in std::mem::take(&mut s.changes) {
                match c {
                    Change::CanDo(f) => queue_can_do(&mut s.conn, &f)?,
                    Change::CantDo(name) => {
                        s.conn.out().request(PacketType::CantDo, &[&name], b"")?
                    }
                    Change::Reset => s.conn.out().request(PacketType::ResetAbilities, &[], b"")?,
                }
            }
        }
        s.conn.out().buf().extend_from_slice(grab);
        s.presleep = false;
        s.noop = false;
        let uid = s.uid;
        let generation = s.conn.generation();
        let mut spare = self.spare_job.take();
        // Inlined at both of `pump`'s call sites (a NO_JOB handled in place,
        // a JOB_ASSIGN from the taken input): an outlined handler call cost
        // the drained job 36 instructions.
        let r = self.pump(
            i,
            &mut deadline,
            false,
            #[inline(always)]
            |s, p| match p.kind() {
                PacketType::NoJob => Flow::Done(Ok(None)),
                PacketType::JobAssign | PacketType::JobAssignUniq | PacketType::JobAssignAll => {
                    Flow::Done(Ok(Some(Job::from_packet(p, uid, generation, spare.take()))))
                }
                PacketType::OptionRes => {
                    s.options_pending = s.options_pending.saturating_sub(1);
                    Flow::Continue
                }
                PacketType::Error => {
                    if s.options_pending > 0 {
                        // The preamble's OPTION_REQ was refused; keep going.
                        s.options_pending -= 1;
                        return Flow::Continue;
                    }
                    if p.arg(0) == b"JOB_NOT_FOUND" {
                        // Answer to a stale WORK_* result (e.g. after a
                        // CAN_DO_TIMEOUT re-queue); harmless.
                        return Flow::Continue;
                    }
                    Flow::Done(Err(error_packet(p)))
                }
                _ => Flow::Continue,
            },
        );
        if spare.is_some() {
            self.spare_job = spare;
        }
        match r {
            Ok(inner) => inner,
            Err(e) => {
                // Lost, garbage or timed out mid-grab: a late JOB_ASSIGN
                // must not be left with us, so the connection goes.
                if e.code == ReturnCode::Timeout {
                    self.servers[i].conn.close();
                } else {
                    self.servers[i].down(&e);
                }
                Err(e)
            }
        }
    }

    /// Opens server `i` (with preamble) unless connected. With `check_peer`
    /// an idle connection is first checked (one poll) for having been
    /// closed by the server meanwhile; the GRAB path skips that check, as
    /// it retries a round trip that finds the connection dead (see
    /// `grab_round`).
    fn ensure_connected(
        &mut self,
        i: usize,
        deadline: Deadline,
        check_peer: bool,
    ) -> Result<(), Error> {
        {
            let s = &mut self.servers[i];
            if check_peer && s.conn.is_connected() && !s.conn.has_output() && s.conn.peer_closed() {
                s.conn.close();
            }
            if s.conn.is_connected() {
                return Ok(());
            }
        }
        // With another server usable, a connect gets at most the connect
        // timeout: a blackholed host must not hold up the others' jobs.
        let others = {
            let mut now = None;
            let mut clock = || *now.get_or_insert_with(Instant::now);
            (0..self.servers.len()).any(|j| j != i && !self.servers[j].health.is_down(&mut clock))
        };
        let by = Deadline::at(self.servers.connect_by(deadline, others));
        let s = &mut self.servers[i];
        s.connect_by = None;
        match s.conn.connect_blocking(&s.addr, by) {
            Ok(()) => {}
            Err(e) if e.code == ReturnCode::Timeout && deadline.expired() => {
                s.conn.close();
                return Err(e);
            }
            Err(e) => {
                let e = if e.code == ReturnCode::Timeout {
                    Error::could_not_connect(&s.addr.host, s.addr.port, libc::ETIMEDOUT)
                } else {
                    e
                };
                s.down(&e);
                return Err(e);
            }
        }
        self.connected(i)
    }

    /// A non-blocking connect to a server that failed before and whose
    /// back-off is over, so a dead or blackholed host never holds up the
    /// jobs of the others: started here, checked without waiting on later
    /// rounds (`sleep` wakes for it). Returns whether the server is usable.
    fn probe(&mut self, i: usize) -> bool {
        let by = self.servers.connect_by(Deadline::NEVER, true);
        let s = &mut self.servers[i];
        let step = if s.conn.is_closed() {
            s.connect_by = by;
            s.conn.connect(&s.addr)
        } else {
            match s.conn.pollfd(false) {
                Some(mut pfd) => match poll::poll(std::slice::from_mut(&mut pfd), 0) {
                    Ok(PollOutcome::Ready(_)) => s.conn.continue_connect(&s.addr),
                    _ => ConnectStep::Pending,
                },
                None => ConnectStep::Pending,
            }
        };
        match step {
            ConnectStep::Connected => {
                s.connect_by = None;
                self.connected(i).is_ok()
            }
            ConnectStep::Failed(e) => {
                s.down(&e);
                false
            }
            ConnectStep::Pending => {
                if s.connect_by.is_some_and(|t| t <= Instant::now()) {
                    let e = Error::could_not_connect(&s.addr.host, s.addr.port, libc::ETIMEDOUT);
                    s.down(&e);
                }
                false
            }
        }
    }

    /// Server `i` just connected: reset its state and queue the preamble
    /// (client id, exceptions option, registrations).
    fn connected(&mut self, i: usize) -> Result<(), Error> {
        let s = &mut self.servers[i];
        s.health.connected();
        s.changes.clear();
        s.presleep = false;
        s.noop = false;
        s.options_pending = 0;
        if let Some(id) = &self.id {
            s.conn.out().request(PacketType::SetClientId, &[id], b"")?;
        }
        if self.exceptions {
            s.conn
                .out()
                .request(PacketType::OptionReq, &[b"exceptions"], b"")?;
            s.options_pending = 1;
        }
        for f in self.functions.iter().rev() {
            queue_can_do(&mut s.conn, f)?;
        }
        Ok(())
    }

    fn pre_sleep(&mut self) {
        const PRE_SLEEP: [u8; HEADER_LEN] = job::bare_request(PacketType::PreSleep);
        for s in self.servers.iter_mut() {
            if s.conn.is_connected() && !s.presleep {
                s.conn.out().buf().extend_from_slice(&PRE_SLEEP);
                s.presleep = true;
                s.noop = false;
                if let Err(e) = s.conn.flush() {
                    s.down(&e);
                }
            }
        }
    }

    /// Polls sleeping connections for NOOP; wakes early when a backed-off
    /// server is due for a reconnect attempt or the poll interval passed.
    ///
    /// A connection that turns readable is not read here: what woke it is
    /// almost always the NOOP, and the GRAB that follows reads NOOP and
    /// JOB_ASSIGN with one recv (libgearman's order). A connection the
    /// server closed (POLLRDHUP/POLLHUP/POLLERR) is read at once, so that
    /// it is marked down and backed off as before.
    fn sleep(
        &mut self,
        deadline: Deadline,
        mask: Option<&libc::sigset_t>,
    ) -> Result<SleepEnd, Error> {
        if let Some(end) = self.sleep_one(deadline, mask) {
            return end;
        }
        let mut fds = std::mem::take(&mut self.sleep_fds);
        let mut map = std::mem::take(&mut self.sleep_map);
        let r = self.sleep_with(deadline, mask, &mut fds, &mut map);
        self.sleep_fds = fds;
        self.sleep_map = map;
        r
    }

    /// The first poll of [`sleep`](Self::sleep) for the usual setup, one
    /// connected server: its pollfd on the stack instead of the arrays,
    /// and no timers but the poll interval (a connected server has no
    /// backoff or probe to wake for). `Some` when that poll decides the
    /// sleep (a NOOP already seen, readable, timed out, interrupted);
    /// `None` for anything else (more servers, not connected, output to
    /// write or a closed peer reported), which the general loop then
    /// handles from the start (poll(2) reports the same events again, as
    /// it is level-triggered).
    #[inline]
    fn sleep_one(
        &mut self,
        deadline: Deadline,
        mask: Option<&libc::sigset_t>,
    ) -> Option<Result<SleepEnd, Error>> {
        if self.servers.len() != 1 {
            return None;
        }
        let s = &self.servers[0];
        if s.noop {
            return Some(Ok(SleepEnd::Woke));
        }
        if !s.conn.is_connected() {
            return None;
        }
        let mut pfd = s.conn.pollfd(true)?;
        pfd.events |= POLL_PEER_CLOSED;
        let (now, poll_at) = self.sleep_start();
        stop_signal::arm();
        let ms = deadline.poll_ms_at(now, poll_at);
        Some(
            match poll::poll_masked(std::slice::from_mut(&mut pfd), ms, mask) {
                Err(e) => Err(e),
                Ok(PollOutcome::Interrupted) => Ok(SleepEnd::Interrupted),
                Ok(PollOutcome::TimedOut) if deadline.expired() => Ok(SleepEnd::Timeout),
                // The poll interval is due.
                Ok(PollOutcome::TimedOut) => Ok(SleepEnd::Woke),
                Ok(PollOutcome::Ready(_))
                    if pfd.revents
                        & (libc::POLLOUT | POLL_PEER_CLOSED | libc::POLLHUP | libc::POLLERR)
                        == 0
                        && pfd.revents & libc::POLLIN != 0 =>
                {
                    Ok(SleepEnd::Woke)
                }
                Ok(PollOutcome::Ready(_)) => return None,
            },
        )
    }

    /// [`sleep`](Self::sleep) with the poll arrays (kept between sleeps).
    fn sleep_with(
        &mut self,
        deadline: Deadline,
        mask: Option<&libc::sigset_t>,
        fds: &mut Vec<libc::pollfd>,
        map: &mut Vec<usize>,
    ) -> Result<SleepEnd, Error> {
        let (mut now, poll_at) = self.sleep_start();
        loop {
            if self.servers.iter().any(|s| s.noop) {
                return Ok(SleepEnd::Woke);
            }
            fds.clear();
            map.clear();
            let mut timer: Option<Instant> = None;
            for (i, s) in self.servers.iter().enumerate() {
                if s.conn.is_connected() {
                    if let Some(mut p) = s.conn.pollfd(true) {
                        p.events |= POLL_PEER_CLOSED;
                        fds.push(p);
                        map.push(i);
                    }
                } else if !s.conn.is_closed() {
                    // A probe in flight: wake when it completes or expires.
                    if let Some(p) = s.conn.pollfd(false) {
                        fds.push(p);
                        map.push(i);
                    }
                    if let Some(t) = s.connect_by {
                        timer = Some(timer.map_or(t, |x: Instant| x.min(t)));
                    }
                } else if let Some(t) = s.health.down_until() {
                    timer = Some(timer.map_or(t, |x: Instant| x.min(t)));
                } else {
                    // Closed without backoff: try it right away.
                    return Ok(SleepEnd::Woke);
                }
            }
            if fds.is_empty() && timer.is_none() {
                return Ok(SleepEnd::Woke);
            }
            let timer = match (timer, poll_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            stop_signal::arm();
            // The reading the timer came from serves the first poll only;
            // the loop comes back after work that takes time.
            let ms = deadline.poll_ms_at(now.take(), timer);
            match poll::poll_masked(fds, ms, mask)? {
                PollOutcome::Interrupted => return Ok(SleepEnd::Interrupted),
                PollOutcome::TimedOut => {
                    if deadline.expired() {
                        return Ok(SleepEnd::Timeout);
                    }
                    return Ok(SleepEnd::Woke); // a backed-off server or the poll is due
                }
                PollOutcome::Ready(_) => {}
            }
            let mut woke = false;
            for (k, pfd) in fds.iter().enumerate() {
                if pfd.revents == 0 {
                    continue;
                }
                let i = map[k];
                if !self.servers[i].conn.is_connected() {
                    return Ok(SleepEnd::Woke); // a probe finished; `grab_round` looks
                }
                if pfd.revents & libc::POLLOUT != 0 {
                    if let Err(e) = self.servers[i].conn.flush() {
                        self.servers[i].down(&e);
                        continue;
                    }
                }
                if pfd.revents & (POLL_PEER_CLOSED | libc::POLLHUP | libc::POLLERR) != 0 {
                    if let Err(e) = self.drain(i) {
                        self.servers[i].down(&e);
                    }
                } else if pfd.revents & libc::POLLIN != 0 {
                    woke = true;
                }
            }
            if woke {
                return Ok(SleepEnd::Woke);
            }
        }
    }

    /// Reads what is available on server `i` and handles buffered packets
    /// without blocking (NOOP, option replies, stray errors).
    fn drain(&mut self, i: usize) -> Result<(), Error> {
        let s = &mut self.servers[i];
        s.conn.read()?;
        let max = s.conn.max_packet();
        let mut input = s.conn.take_input();
        let mut need = 0;
        // An empty buffer (every packet handled) needs no decode call.
        while !input.bytes().is_empty() {
            match decode(input.bytes(), Magic::Response, max) {
                Ok(Decoded::Packet(p, used)) => {
                    match p.kind() {
                        PacketType::Noop => s.noop = true,
                        PacketType::OptionRes => {
                            s.options_pending = s.options_pending.saturating_sub(1)
                        }
                        PacketType::Error if s.options_pending > 0 => s.options_pending -= 1,
                        _ => {}
                    }
                    input.consume(used);
                }
                Ok(Decoded::NeedMore(n)) => {
                    need = n;
                    break;
                }
                Err(e) => return Err(e.into()),
            }
        }
        s.conn.restore_input(input, need);
        Ok(())
    }

    /// Reads packets from server `i` (blocking with poll until `deadline`)
    /// and feeds them to `f` until it is done. Signals are ignored unless
    /// `interruptible`. A NOOP sets the server's `noop` flag and does not
    /// reach `f` (no handler has anything to do with it).
    ///
    /// After the request is written, the first read is tried before any
    /// poll (as libgearman does): a reply that is already there — a queued
    /// job's JOB_ASSIGN, or a NOOP and JOB_ASSIGN after a sleep — costs one
    /// recv and no poll.
    ///
    /// `deadline` is asked only before a poll; with the deadline it may
    /// return the poll's timeout when it knows it (the deadline was just
    /// set that far from a clock reading, or never comes), so that the
    /// clock is not read again for it.
    fn pump<R: Pumped>(
        &mut self,
        i: usize,
        deadline: &mut impl FnMut() -> (Deadline, Option<i32>),
        interruptible: bool,
        mut f: impl FnMut(&mut WServer, &PacketRef<'_>) -> Flow<R>,
    ) -> Result<R, Error> {
        let s = &mut self.servers[i];
        let mut read_first = true;
        loop {
            // Nothing buffered (the usual case after a request): straight
            // to the read.
            if s.conn.has_input() {
                // A packet without payload first is handled where it lies,
                // the input staying in place: a NOOP (what wakes a sleeping
                // worker, read with the GRAB's reply or just before it) only
                // sets the flag (no handler acts on it); a NO_JOB (an idle
                // worker's GRAB answered) goes to the handler, which has
                // nothing to fill from it.
                if let Some(p) = decode_bare(s.conn.input(), Magic::Response) {
                    s.conn.consume_input(HEADER_LEN);
                    if p.kind() == PacketType::Noop {
                        s.noop = true;
                        continue;
                    }
                    match f(s, &p) {
                        Flow::Done(mut r) => {
                            // Job assignments have arguments: never bare.
                            debug_assert!(r.unfilled_job().is_none());
                            return Ok(r);
                        }
                        Flow::Continue => continue,
                    }
                }
                let max = s.conn.max_packet();
                let mut input = s.conn.take_input();
                let mut need = 0;
                // Stops at an empty buffer without a decode call: a NOOP
                // read on its own leaves one after every sleep that
                // its JOB_ASSIGN does not follow in the same recv.
                while !input.bytes().is_empty() {
                    let decoded = match decode_bare(input.bytes(), Magic::Response) {
                        Some(p) => Ok(Decoded::Packet(p, HEADER_LEN)),
                        None => decode(input.bytes(), Magic::Response, max),
                    };
                    match decoded {
                        Ok(Decoded::Packet(p, used)) => {
                            if p.kind() == PacketType::Noop {
                                s.noop = true;
                                input.consume(used);
                                continue;
                            }
                            let flow = f(s, &p);
                            if let Flow::Done(mut r) = flow {
                                // (An empty payload need not lie in the
                                // buffer: decode_bare's does not.)
                                let payload = if p.payload().is_empty() {
                                    used..used
                                } else {
                                    place(input.bytes(), p.payload())
                                };
                                match r.unfilled_job() {
                                    // The workload went to the embedder's
                                    // memory; the packet holds the arguments.
                                    Some(job) if input.has_detached() => {
                                        job.fill(Body::Borrowed(&input.bytes()[payload]));
                                        if let Some(body) = input.take_detached(used) {
                                            job.fill(Body::Large(body));
                                        }
                                    }
                                    // A large assignment that ends the input
                                    // takes the receive buffer along.
                                    Some(job) if input.can_take(used) => {
                                        job.fill(input.take_packet(payload))
                                    }
                                    Some(job) => {
                                        job.fill(Body::Borrowed(&input.bytes()[payload]));
                                        input.consume(used);
                                    }
                                    None => input.consume(used),
                                }
                                // Whatever follows in the buffer stays for
                                // the next call.
                                s.conn.restore_input(input, 0);
                                return Ok(r);
                            }
                            input.consume(used);
                        }
                        Ok(Decoded::NeedMore(n)) => {
                            need = n;
                            break;
                        }
                        Err(e) => {
                            s.conn.close();
                            return Err(e.into());
                        }
                    }
                }
                s.conn.restore_input(input, need);
            }
            if std::mem::take(&mut read_first) {
                // The request goes out before the first read. Output left
                // after that (a full socket) is written when the poll below
                // reports room.
                if s.conn.has_output() {
                    if let Err(e) = s.conn.flush() {
                        s.conn.close();
                        return Err(e);
                    }
                }
                match s.conn.read() {
                    Ok(0) => {}
                    Ok(_) => continue,
                    Err(e) => {
                        s.conn.close();
                        return Err(e);
                    }
                }
            }
            let Some(mut pfd) = s.conn.pollfd(true) else {
                return Err(Error::lost_connection("not connected"));
            };
            let (deadline, ms) = deadline();
            let ms = ms.unwrap_or_else(|| deadline.poll_ms(None));
            match poll::poll(std::slice::from_mut(&mut pfd), ms)? {
                PollOutcome::TimedOut if deadline.expired() => return Err(Error::timeout(1)),
                PollOutcome::Interrupted if interruptible => {
                    return Err(Error::new(ReturnCode::Errno, "poll", "interrupted")
                        .with_errno(libc::EINTR))
                }
                PollOutcome::Ready(_) => {
                    if pfd.revents & libc::POLLOUT != 0 {
                        if let Err(e) = s.conn.flush() {
                            s.conn.close();
                            return Err(e);
                        }
                    }
                    if pfd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 {
                        if let Err(e) = s.conn.read() {
                            s.conn.close();
                            return Err(e);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // ---- results -------------------------------------------------------

    fn send(
        &mut self,
        job: &Job,
        kind: PacketType,
        args: &[&[u8]],
        data: &[u8],
    ) -> Result<(), Error> {
        self.check_fork();
        let idle = self.servers.timeout();
        let s = self
            .servers
            .iter_mut()
            .find(|s| s.uid == job.server())
            .filter(|s| s.conn.is_connected() && s.conn.generation() == job.generation())
            .ok_or_else(|| Error::lost_connection("the job's connection is gone"))?;
        let out = s.conn.out().buf();
        if !put_result_head(out, kind, job.handle(), args, data.len()) {
            // Handle + at most two arguments (WORK_STATUS), on the stack.
            let mut full: [&[u8]; 3] = [&[]; 3];
            let n = args.len() + 1;
            full[0] = job.handle();
            full[1..n].copy_from_slice(args);
            encode_head(out, Magic::Request, kind, &full[..n], data.len())?;
        }
        let r = s.conn.send_blocking(data, idle);
        if let Err(e) = &r {
            s.down(e);
        }
        r
    }

    /// Hands back a finished job so that the next one reuses its buffer
    /// (no allocation per job in a steady `work()` loop). Buffers of large
    /// jobs are dropped rather than kept; after one of several megabytes
    /// the allocator's freed heap goes back to the kernel (glibc keeps a
    /// freed block that size at the top of its heap, see
    /// `Task::release`).
    pub fn recycle(&mut self, mut job: Job) {
        // A detached workload goes back to the embedder now, not with the
        // next job.
        job.drop_large();
        let cap = job.capacity();
        let spare_cap = self.spare_job.as_ref().map_or(0, Job::capacity);
        if cap <= KEEP_JOB_BUF && (self.spare_job.is_none() || cap > spare_cap) {
            self.spare_job = Some(job);
            return;
        }
        let buf = job.take_buf();
        if self.spare_job.is_none() {
            self.spare_job = Some(job);
        }
        if buf.capacity() >= crate::huge_pages::ADVISE_FROM {
            drop(buf);
            crate::sys::release_free_memory();
        }
    }

    /// WORK_DATA.
    pub fn send_data(&mut self, job: &Job, data: &[u8]) -> Result<(), Error> {
        self.send(job, PacketType::WorkData, &[], data)
    }

    /// WORK_WARNING.
    pub fn send_warning(&mut self, job: &Job, data: &[u8]) -> Result<(), Error> {
        self.send(job, PacketType::WorkWarning, &[], data)
    }

    /// WORK_STATUS with decimal numerator and denominator.
    pub fn send_status(
        &mut self,
        job: &Job,
        numerator: u32,
        denominator: u32,
    ) -> Result<(), Error> {
        let n = numerator.to_string();
        let d = denominator.to_string();
        self.send(
            job,
            PacketType::WorkStatus,
            &[n.as_bytes(), d.as_bytes()],
            b"",
        )
    }

    /// WORK_COMPLETE (blocking until fully written, however large).
    pub fn send_complete(&mut self, job: &Job, data: &[u8]) -> Result<(), Error> {
        self.send(job, PacketType::WorkComplete, &[], data)?;
        self.counters.completed += 1;
        Ok(())
    }

    /// WORK_FAIL.
    pub fn send_fail(&mut self, job: &Job) -> Result<(), Error> {
        self.send(job, PacketType::WorkFail, &[], b"")?;
        self.counters.failed += 1;
        Ok(())
    }

    /// WORK_EXCEPTION; empty text is rejected like libgearman does.
    pub fn send_exception(&mut self, job: &Job, data: &[u8]) -> Result<(), Error> {
        if data.is_empty() {
            return Err(Error::invalid_argument(
                "gearman_job_send_exception",
                "No exception was provided",
            ));
        }
        self.send(job, PacketType::WorkException, &[], data)?;
        self.counters.exceptions += 1;
        Ok(())
    }

    /// Closes every connection without sending anything (the PHP layer's
    /// LOST_CONNECTION return from a callback): gearmand re-queues the jobs.
    pub fn close_all(&mut self) {
        for s in self.servers.iter_mut() {
            s.conn.close();
            s.presleep = false;
            s.noop = false;
            s.changes.clear();
        }
    }

    /// ECHO_REQ to every server; each reply must match.
    pub fn echo(&mut self, data: &[u8]) -> Result<(), Error> {
        self.check_fork();
        if data.is_empty() {
            return Err(Error::invalid_argument(
                "gearman_worker_echo",
                "workload_size was 0",
            ));
        }
        if self.servers.is_empty() {
            return Err(Error::no_servers("gearman_worker_echo"));
        }
        let deadline = Deadline::after_ms(self.servers.timeout());
        for i in 0..self.servers.len() {
            self.ensure_connected(i, deadline, true)?;
            self.servers[i]
                .conn
                .out()
                .request(PacketType::EchoReq, &[], data)?;
            let back = self.pump(i, &mut || (deadline, None), false, |s, p| match p.kind() {
                PacketType::EchoRes => Flow::Done(Ok(p.data() == data)),
                PacketType::OptionRes => {
                    s.options_pending = s.options_pending.saturating_sub(1);
                    Flow::Continue
                }
                PacketType::Error if s.options_pending > 0 => {
                    s.options_pending -= 1;
                    Flow::Continue
                }
                PacketType::Error if p.arg(0) != b"JOB_NOT_FOUND" => {
                    Flow::Done(Err(error_packet(p)))
                }
                _ => Flow::Continue,
            })?;
            if !back? {
                return Err(Error::new(
                    ReturnCode::EchoDataCorruption,
                    "gearman_worker_echo",
                    "echo data did not match what was sent",
                ));
            }
        }
        Ok(())
    }

    #[inline]
    fn check_fork(&mut self) {
        let forks = crate::sys::fork_generation();
        if forks != self.forks_seen {
            self.forks_seen = forks;
            self.forked(forks);
        }
    }

    /// The process forked since `check_fork` last looked: connections
    /// opened before (the parent's, shared with it) are closed here.
    #[cold]
    fn forked(&mut self, forks: u64) {
        for s in self.servers.iter_mut() {
            if s.conn.forked(forks) {
                s.presleep = false;
                s.noop = false;
                s.changes.clear();
                s.options_pending = 0;
            }
        }
    }
}

enum SleepEnd {
    Woke,
    Timeout,
    Interrupted,
}

fn queue_can_do(conn: &mut Connection, f: &Function) -> Result<(), Error> {
    if f.timeout > 0 {
        let t = f.timeout.to_string();
        conn.out()
            .request(PacketType::CanDoTimeout, &[&f.name, t.as_bytes()], b"")
    } else {
        conn.out().request(PacketType::CanDo, &[&f.name], b"")
    }
}

fn error_packet(p: &PacketRef<'_>) -> Error {
    Error::new(
        ReturnCode::from_error_packet_code(p.arg(0)),
        "gearman_worker_grab_job",
        format!(
            "{}:{}",
            String::from_utf8_lossy(p.arg(0)),
            String::from_utf8_lossy(p.arg(1))
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_heads_match_the_encoder() {
        use PacketType as T;
        for kind in [
            T::WorkComplete,
            T::WorkData,
            T::WorkWarning,
            T::WorkException,
            T::WorkFail,
        ] {
            let data_len = if kind.has_data() { 5 } else { 0 };
            let mut fast = b"queued".to_vec();
            let mut slow = fast.clone();
            assert!(put_result_head(&mut fast, kind, b"H:x:1", &[], data_len));
            encode_head(&mut slow, Magic::Request, kind, &[b"H:x:1"], data_len).unwrap();
            assert_eq!(fast, slow, "{:?}", kind);
        }
        let mut v = Vec::new();
        assert!(!put_result_head(
            &mut v,
            T::WorkStatus,
            b"H",
            &[b"1", b"2"],
            0
        ));
        assert!(
            !put_result_head(&mut v, T::WorkFail, b"H", &[], 3),
            "data on WORK_FAIL"
        );
        assert!(v.is_empty());
    }

    #[test]
    fn set_id_validation() {
        let mut w = Worker::new();
        assert_eq!(w.set_id(b"").unwrap_err().message, "id_size was 0");
        assert_eq!(
            w.set_id(b"a b").unwrap_err().message,
            "Invalid character found in identifier"
        );
        assert_eq!(
            w.set_id(b"a\x01").unwrap_err().code,
            ReturnCode::InvalidArgument
        );
        assert!(w.set_id(&[b'x'; 255]).is_err());
        w.set_id(&[b'x'; 254]).unwrap();
        w.set_id(b"worker-1").unwrap();
        assert_eq!(w.id(), Some(&b"worker-1"[..]));
        w.clear_id();
        assert_eq!(w.id(), None);
    }

    #[test]
    fn registration_rules() {
        let mut w = Worker::new();
        assert_eq!(
            w.register(b"", 0).unwrap_err().code,
            ReturnCode::InvalidArgument
        );
        assert!(w.register(&[b'f'; 513], 0).is_err());
        assert_eq!(
            w.unregister(b"f").unwrap_err().code,
            ReturnCode::NoRegisteredFunction
        );
        assert_eq!(
            w.unregister_all().unwrap_err().code,
            ReturnCode::NoRegisteredFunctions
        );
        w.register(b"f", 0).unwrap();
        w.register(b"f", 5).unwrap();
        w.register(b"g", 0).unwrap();
        assert_eq!(w.functions().count(), 3);
        w.unregister(b"f").unwrap();
        assert_eq!(w.functions().collect::<Vec<_>>(), vec![&b"g"[..]]);
        w.unregister_all().unwrap();
        assert!(!w.has_functions());
    }

    #[test]
    fn polls_fall_just_after_wall_clock_ticks() {
        let mut w = Worker::new();
        assert_eq!(w.poll_interval(), DEFAULT_POLL_INTERVAL_MS);
        for iv in [1000u32, 250, 7000] {
            w.set_poll_interval(iv);
            let wall = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis();
            let wait = w
                .poll_due()
                .unwrap()
                .saturating_duration_since(Instant::now())
                .as_millis();
            assert!(wait <= iv as u128, "{} > {}", wait, iv);
            let phase = (wall + wait) % iv as u128;
            assert!(
                (POLL_PHASE_MS as u128 - 2..POLL_PHASE_MS as u128 + 5).contains(&phase),
                "interval {}: phase {}",
                iv,
                phase
            );
        }
        w.set_poll_interval(0);
        assert_eq!(w.poll_due(), None);
    }

    #[test]
    fn poll_due_time_is_reused_until_it_passes() {
        let mut w = Worker::new();
        w.set_poll_interval(60_000);
        let now = Instant::now();
        let due = w.poll_due_at(now).unwrap();
        // A later sleep within the reuse window gets the same due time.
        let later = now + Duration::from_millis(5);
        if later < due {
            assert_eq!(w.poll_due_at(later), Some(due));
        }
        // Past the window, a fresh wall-clock reading is taken (the due
        // time is still in the future).
        let past = now + POLL_TICK_REUSE + Duration::from_millis(1);
        let again = w.poll_due_at(past).unwrap();
        assert!(again > past);
        // A new interval forgets the old due time.
        w.set_poll_interval(250);
        let d = w.poll_due_at(now).unwrap();
        assert!(d <= now + Duration::from_millis(250));
    }

    #[test]
    fn work_preconditions() {
        let mut w = Worker::new();
        match w.work() {
            WorkStep::Error(e) => {
                assert_eq!(e.code, ReturnCode::NoRegisteredFunctions);
                assert_eq!(e.message, "no functions have been registered");
            }
            s => panic!("{:?}", s),
        }
        w.register(b"f", 0).unwrap();
        assert!(matches!(w.work(), WorkStep::Error(e) if e.code == ReturnCode::NoServers));
    }
}
