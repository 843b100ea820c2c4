//! The client: submits tasks, matches replies, reports events.
//!
//! Step-style: [`Client::run`] returns at every event and never calls back
//! into the caller; the PHP layer runs user callbacks between calls.
//!
//! Matching rules (protocol doc §5): every request that gets exactly one
//! reply (SUBMIT_* → JOB_CREATED, GET_STATUS → STATUS_RES, ECHO, OPTION,
//! GET_STATUS_UNIQUE) is recorded in a per-connection FIFO; replies and
//! ERROR packets pop it, because gearmand answers one connection's requests
//! in order. WORK_* packets are routed by handle (trailing NULs stripped);
//! when several tasks of this connection share a handle (coalesced uniques)
//! gearmand sends one copy per attachment, and copies are dealt out to the
//! attached tasks in turn, so each task sees every packet once.
//!
//! Server choice: the server list is newest-added first. A task whose
//! caller gave a unique key starts at `murmur3(unique) % servers` (so equal
//! keys meet on the same gearmand and coalesce, as long as all clients list
//! the same servers); other tasks start where the [`Selection`] strategy
//! says (first server, round robin, random). On a connect failure the next
//! server is tried; only when every server failed is the task failed with
//! COULD_NOT_CONNECT. Servers that are down (see `health.rs`) are passed
//! over while another is usable; once a down server's back-off is over it
//! gets a *probe* (a connect no task waits on) and takes tasks again when
//! that succeeds, so a blackholed host costs one connect timeout, not one
//! per call. `job_status_by_unique` uses the unique mapping; `job_status`
//! asks the server that created the handle for a task of this client, else
//! the first reachable server.

#[cfg(test)]
mod outcome_props;
mod recent;
mod routes;
mod run;
mod task;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::connection::ConnectStep;
use crate::poll::Deadline;
use crate::protocol::{PacketType, MAX_FUNCTION_LEN};
use crate::selection::{Selection, Selector};
use crate::server_list::{server_list_methods, ServerList};
use crate::stats::Counters;
use crate::unique;
use crate::{Error, ReturnCode};

pub use crate::connection::SharedBytes;
pub use crate::poll::Readiness;
use task::{Deferred, Payload, TaskState, Unsubmitted};
pub use task::{Priority, Task, TaskEvent, TaskId, TaskKind, SHARE_WORKLOAD_FROM};

/// Which tasks a [`Client::run`] call drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every unfinished task (new ones are submitted newest-added first).
    All,
    /// Only this task; other tasks are neither submitted nor reported
    /// (their packets are still read and queued for later).
    Only(TaskId),
}

impl Scope {
    fn contains(self, id: TaskId) -> bool {
        match self {
            Scope::All => true,
            Scope::Only(x) => x == id,
        }
    }
}

/// What one [`Client::run`] call ended with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Something happened to a task; its state is readable via [`Client::task`].
    Event(TaskId, TaskEvent),
    /// Every task in scope is finished (or there are none).
    Done,
    /// Non-blocking mode: nothing more can be done without waiting.
    WouldBlock,
    /// A signal interrupted the wait; calling `run` again resumes.
    Interrupted,
    /// The run failed: a submission or connection failed (without the
    /// retry hook the affected tasks stay pending with `error.code` as their
    /// return code, and the next `run` submits them again), or the timeout
    /// passed (tasks stay pending). Reported once per incident.
    Error(Error),
}

/// GET_STATUS / GET_STATUS_UNIQUE answer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JobStatus {
    /// The server knows the job.
    pub known: bool,
    /// A worker is running it.
    pub running: bool,
    /// Last WORK_STATUS numerator.
    pub numerator: u32,
    /// Last WORK_STATUS denominator.
    pub denominator: u32,
    /// Attached foreground clients (GET_STATUS_UNIQUE only).
    pub client_count: Option<u32>,
}

/// A request awaiting its single reply, in connection order.
#[derive(Clone, Debug)]
pub(crate) enum Expect {
    Submit {
        id: TaskId,
        attempt: u32,
        foreground: bool,
    },
    Status {
        id: TaskId,
        attempt: u32,
    },
    SyncStatus(u64),
    SyncStatusUnique(u64),
    Echo(u64),
    Option(u64),
}

#[derive(Clone, Debug)]
pub(crate) enum SyncReply {
    Status(JobStatus),
    Echo(Vec<u8>),
    Option,
}

/// Tasks of one connection attached to one job handle.
#[derive(Debug, Default)]
pub(crate) struct Route {
    tasks: Vec<(TaskId, u32)>,
    cursor: usize,
}

/// The client's own state for one server (see [`ServerList`]).
#[derive(Default)]
pub(crate) struct ClientConn {
    pub(crate) expect: VecDeque<Expect>,
    pub(crate) routes: routes::Routes,
    pub(crate) preamble_token: u64,
    /// A pending connect fails at this instant (see `ServerList::connect_by`).
    pub(crate) connect_by: Option<Instant>,
    /// The pending connect is a probe of a server that was down.
    pub(crate) probing: bool,
    /// Requests went out on a connection that had been idle, and nothing
    /// has been read from it since: if it turns out dead (gearmand
    /// restarted meanwhile), they never reached a server and are
    /// resubmitted on a fresh connection instead of failing. This replaces
    /// a poll(2) peer check before every submission.
    pub(crate) unconfirmed: bool,
    /// Why the last connect attempt failed after it had started (e.g. the
    /// TLS handshake), for the error of tasks that found no server.
    pub(crate) connect_error: Option<Error>,
    /// A connect was started during the current `run` call (cleared when
    /// the next one starts). In non-blocking mode that run leaves it alone
    /// until it returns: see `Client::pollfds`.
    pub(crate) fresh_connect: bool,
}

impl ClientConn {
    fn busy(&self) -> bool {
        !self.expect.is_empty() || !self.routes.is_empty()
    }
}

/// Something to report from `run`, in arrival order.
#[derive(Debug)]
pub(crate) enum Pending {
    /// `view` is the task's visible status when the packet was read: the
    /// loop reads ahead of delivery, so later packets may already have
    /// changed the task by the time this event reaches the caller.
    Event {
        id: TaskId,
        event: TaskEvent,
        payload: Payload,
        view: View,
    },
    Error {
        error: Error,
        ids: Vec<TaskId>,
    },
}

/// What a caller sees of a task's status while handling one event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct View {
    known: bool,
    running: bool,
    numerator: u32,
    denominator: u32,
}

impl View {
    fn of(t: &Task) -> View {
        View {
            known: t.known,
            running: t.running,
            numerator: t.numerator,
            denominator: t.denominator,
        }
    }

    fn apply(self, t: &mut Task) {
        t.known = self.known;
        t.running = self.running;
        t.numerator = self.numerator;
        t.denominator = self.denominator;
    }
}

/// A task slot. A removed task stays here (not `live`), so that the next
/// task added to the slot reuses its buffers and nothing big is moved.
struct Slot {
    generation: u32,
    live: bool,
    task: Task,
}

/// A Gearman client. Not thread-safe by design (one per thread), but `Send`.
pub struct Client {
    servers: ServerList<ClientConn>,
    slots: Vec<Slot>,
    free: Vec<u32>,
    next_seq: u64,
    pending: VecDeque<Pending>,
    /// The end of a task that reports its end only (`report_end_only`),
    /// when it came with nothing queued before it: delivered ahead of
    /// `pending` (everything there came later), without a trip through
    /// the queue. Its payload and status are already on the task, which
    /// no later packet changes (it is finished).
    ended: Option<(TaskId, TaskEvent)>,
    /// Set by [`Client::call_deadline`]: that deadline is the timeout (ms)
    /// counted from a clock reading taken just now, and nothing has waited
    /// since, so the call's first poll(2) waits the whole timeout without
    /// reading the clock again. Cleared by the first wait, by a connect
    /// and when `run_until` returns (the caller may run PHP code).
    first_wait: Option<(Deadline, i32)>,
    /// The fork generation `check_fork` last looked at every connection
    /// in: while it is unchanged, every open connection was opened in this
    /// process (u64::MAX: never looked).
    forks_checked: u64,
    exceptions: bool,
    retry_hook: bool,
    /// Deadline of the caller's current blocking call (see [`Client::run_until`]);
    /// a retry that would start after it is refused.
    run_deadline: Deadline,
    next_token: u64,
    sync_wanted: u64,
    sync_result: Option<Result<SyncReply, Error>>,
    recent_handles: recent::RecentHandles,
    selector: Selector,
    counters: Counters,
    poll_scratch: run::PollScratch,
    /// How many tasks are New, Lost or Delayed: `run` looks for tasks to
    /// submit only while some are. Kept by [`Task::set_state`], the only
    /// writer of a task's state (reach it through
    /// [`Client::task_and_count`]).
    unsubmitted: Unsubmitted,
    /// Some AttemptFailed was delivered: `run` gives up on tasks the caller
    /// did not decide about.
    undecided: bool,
    /// Handle keys and routes of finished foreground jobs, for reuse.
    spare_routes: Vec<(Vec<u8>, Route)>,
    /// Task ids in the order they were added (= `seq` order), including
    /// removed ones until the next compaction: `task_ids()` without a sort.
    order: Vec<TaskId>,
    /// Removed ids still in `order`.
    order_dead: usize,
    /// Generation of newly created slots: after [`Client::release_table`]
    /// it continues above every generation handed out before, so an id of a
    /// task from the released table never matches a new task.
    first_generation: u32,
}

/// A task table that grew to this many slots is released once it is
/// empty again (see [`Client::release_table`]).
const RELEASE_TABLE_ABOVE: usize = 1024;

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl Client {
    /// A client with no servers, timeout -1 (forever), blocking mode.
    pub fn new() -> Client {
        Client {
            servers: ServerList::default(),
            slots: Vec::new(),
            free: Vec::new(),
            next_seq: 0,
            pending: VecDeque::new(),
            ended: None,
            first_wait: None,
            forks_checked: u64::MAX,
            exceptions: false,
            retry_hook: false,
            run_deadline: Deadline::NEVER,
            next_token: 1,
            sync_wanted: 0,
            sync_result: None,
            recent_handles: recent::RecentHandles::default(),
            selector: Selector::default(),
            counters: Counters::default(),
            poll_scratch: run::PollScratch::default(),
            spare_routes: Vec::new(),
            unsubmitted: Unsubmitted::default(),
            undecided: false,
            order: Vec::new(),
            order_dead: 0,
            first_generation: 0,
        }
    }

    // ---- configuration -------------------------------------------------

    server_list_methods!();

    /// Newest first: task bookkeeping refers to servers by index, so shift
    /// those indexes.
    fn close_for_tls(&mut self) {
        for i in 0..self.servers.len() {
            if !self.servers[i].conn.is_closed() {
                self.connection_lost(i, Error::lost_connection("TLS settings changed"));
            }
        }
    }

    fn server_added(&mut self) {
        for slot in self.slots.iter_mut().filter(|s| s.live) {
            slot.task.server_added();
        }
    }

    /// How tasks without a unique key choose their server.
    pub fn set_server_selection(&mut self, s: Selection) {
        self.selector.set_strategy(s);
    }

    /// The server selection strategy.
    pub fn server_selection(&self) -> Selection {
        self.selector.strategy()
    }

    /// Turns the retry hook on or off (see [`TaskEvent::AttemptFailed`]).
    pub fn set_retry_hook(&mut self, on: bool) {
        self.retry_hook = on;
    }

    /// Whether the "exceptions" option has been requested.
    pub fn exceptions_enabled(&self) -> bool {
        self.exceptions
    }

    /// Asks for the "exceptions" option without connecting: it is sent
    /// first on every connection opened from now on (and queued on open
    /// ones). A server that refuses it is dropped like a broken connection
    /// when the reply arrives, failing what was sent there with the refusal.
    pub fn request_exceptions(&mut self) {
        self.check_fork();
        self.exceptions = true;
        for i in 0..self.servers.len() {
            if !self.servers[i].conn.is_closed() {
                let token = self.token();
                let s = &mut self.servers[i];
                if s.conn
                    .out()
                    .request(PacketType::OptionReq, &[b"exceptions"], b"")
                    .is_ok()
                {
                    s.expect.push_back(Expect::Option(token));
                    s.preamble_token = token;
                }
            }
        }
    }

    /// Connects to every server and does the OPTION_REQ "exceptions" round
    /// trip with each, in list order. The option is remembered even if a
    /// server fails (it is sent on every future connection); the first
    /// failure is returned.
    pub fn enable_exceptions(&mut self) -> Result<(), Error> {
        self.check_fork();
        self.exceptions = true;
        if self.servers.is_empty() {
            return Err(Error::no_servers("gearman_client_set_server_option"));
        }
        let deadline = Deadline::after_ms(self.servers.timeout());
        for i in 0..self.servers.len() {
            let was_closed = self.prepare_connection(i);
            self.ensure_connection(i, None)?;
            let token = if was_closed && self.servers[i].preamble_token != 0 {
                self.servers[i].preamble_token
            } else {
                let token = self.token();
                let s = &mut self.servers[i];
                s.conn
                    .out()
                    .request(PacketType::OptionReq, &[b"exceptions"], b"")?;
                s.expect.push_back(Expect::Option(token));
                token
            };
            self.wait_token(token, deadline)?;
        }
        Ok(())
    }

    // ---- tasks ---------------------------------------------------------

    /// Adds a task (nothing is sent until `run`). Validation and messages
    /// follow libgearman's add.cc, in its order: function, unique, workload.
    pub fn add_task(
        &mut self,
        kind: TaskKind,
        function: &[u8],
        workload: &[u8],
        unique: Option<&[u8]>,
    ) -> Result<TaskId, Error> {
        self.add(kind, function, workload, None, unique)
    }

    /// [`Client::add_task`] with a workload the caller keeps alive by
    /// reference: from [`SHARE_WORKLOAD_FROM`] bytes on it is sent from
    /// `workload` itself, on every (re)submission, instead of being copied
    /// into the request packet (a 16 MiB doNormal() writes no 16 MiB
    /// packet). The task holds the reference until it is removed.
    pub fn add_task_shared(
        &mut self,
        kind: TaskKind,
        function: &[u8],
        workload: SharedBytes,
        unique: Option<&[u8]>,
    ) -> Result<TaskId, Error> {
        let bytes: &[u8] = (*workload).as_ref();
        self.add(kind, function, bytes, Some(workload.clone()), unique)
    }

    #[inline(always)]
    fn add(
        &mut self,
        kind: TaskKind,
        function: &[u8],
        workload: &[u8],
        external: Option<SharedBytes>,
        unique: Option<&[u8]>,
    ) -> Result<TaskId, Error> {
        let seq = self.next_seq;
        let id = match &kind {
            TaskKind::Submit { .. } => {
                let (uq, user_unique) = validate_submit(function, workload, unique)?;
                self.insert(|t, n| {
                    t.fill(
                        kind,
                        function,
                        &uq,
                        workload,
                        external,
                        user_unique,
                        seq,
                        None,
                        n,
                    )
                })?
            }
            TaskKind::Status { .. } => {
                self.insert(|t, n| t.fill(kind, b"", b"", b"", None, false, seq, None, n))?
            }
        };
        self.next_seq += 1;
        Ok(id)
    }

    /// Adds a scheduled background job (SUBMIT_JOB_EPOCH): gearmand queues
    /// it at once (JOB_CREATED, the task finishes like any background task)
    /// but hands it to no worker before Unix time `when`; a past time runs
    /// as soon as a worker asks. Same validation as [`Client::add_task`];
    /// `when` above [`MAX_EPOCH`] is INVALID_ARGUMENT.
    pub fn add_task_at(
        &mut self,
        function: &[u8],
        workload: &[u8],
        unique: Option<&[u8]>,
        when: u64,
    ) -> Result<TaskId, Error> {
        if when > MAX_EPOCH {
            return Err(Error::invalid_argument(
                "add_task",
                "epoch time out of range",
            ));
        }
        let (uq, user_unique) = validate_submit(function, workload, unique)?;
        let seq = self.next_seq;
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: true,
        };
        let id = self.insert(|t, n| {
            t.fill(
                kind,
                function,
                &uq,
                workload,
                None,
                user_unique,
                seq,
                Some(when),
                n,
            )
        })?;
        self.next_seq += 1;
        Ok(id)
    }

    /// Makes a task in a free slot (reusing the buffers its last task
    /// left there) with `fill`.
    fn insert(
        &mut self,
        fill: impl FnOnce(&mut Task, &mut Unsubmitted) -> Result<(), Error>,
    ) -> Result<TaskId, Error> {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot {
                    generation: self.first_generation,
                    live: false,
                    task: Task::empty(),
                });
                self.slots.len() as u32 - 1
            }
        };
        let s = &mut self.slots[slot as usize];
        if let Err(e) = fill(&mut s.task, &mut self.unsubmitted) {
            self.free.push(slot);
            return Err(e);
        }
        s.live = true;
        let id = TaskId(slot, s.generation);
        self.order.push(id);
        Ok(id)
    }

    /// The task, if it still exists.
    pub fn task(&self, id: TaskId) -> Option<&Task> {
        let s = self.slots.get(id.0 as usize)?;
        if s.generation != id.1 || !s.live {
            return None;
        }
        Some(&s.task)
    }

    /// Mutable access (e.g. [`Task::take_result`]).
    pub fn task_mut(&mut self, id: TaskId) -> Option<&mut Task> {
        let s = self.slots.get_mut(id.0 as usize)?;
        if s.generation != id.1 || !s.live {
            return None;
        }
        Some(&mut s.task)
    }

    /// The live task and the count its state transitions keep (see
    /// [`Task::set_state`]): what code that changes a task's state borrows.
    #[inline]
    pub(crate) fn task_and_count(&mut self, id: TaskId) -> Option<(&mut Task, &mut Unsubmitted)> {
        self.task_count_ended(id).map(|(t, count, _)| (t, count))
    }

    /// The live task and [`Client::ended`], borrowed together (see
    /// [`end_unqueued`]).
    #[inline]
    pub(crate) fn task_and_ended(
        &mut self,
        id: TaskId,
    ) -> Option<(&mut Task, &mut Option<(TaskId, TaskEvent)>)> {
        self.task_count_ended(id).map(|(t, _, ended)| (t, ended))
    }

    /// The live task with both of the above: what the WORK_* handler,
    /// which changes a task's state and may end it unqueued, borrows.
    #[inline]
    #[allow(clippy::type_complexity)]
    pub(crate) fn task_count_ended(
        &mut self,
        id: TaskId,
    ) -> Option<(
        &mut Task,
        &mut Unsubmitted,
        &mut Option<(TaskId, TaskEvent)>,
    )> {
        let s = self.slots.get_mut(id.0 as usize)?;
        if s.generation != id.1 || !s.live {
            return None;
        }
        Some((&mut s.task, &mut self.unsubmitted, &mut self.ended))
    }

    /// Test check: the count kept by [`Task::set_state`] matches the tasks.
    #[cfg(test)]
    pub(crate) fn assert_unsubmitted_count(&self) {
        let n = self
            .slots
            .iter()
            .filter(|s| s.live && s.task.state().awaits_submission())
            .count();
        assert_eq!(
            n as u32,
            self.unsubmitted.get(),
            "unsubmitted count drifted"
        );
    }

    /// Moves a live task to `state` (see [`Task::set_state`]).
    pub(crate) fn set_state(&mut self, id: TaskId, state: TaskState) {
        if let Some((t, count)) = self.task_and_count(id) {
            t.set_state(state, count);
        }
    }

    /// Forgets a task, in O(1). If it is still pending its later packets
    /// are ignored, and its queued events are dropped when the queue gets
    /// to them (`run` skips events of tasks that no longer exist).
    pub fn remove_task(&mut self, id: TaskId) {
        if self.task(id).is_none() {
            return;
        }
        let s = &mut self.slots[id.0 as usize];
        s.live = false;
        s.task.release(&mut self.unsubmitted);
        s.generation = s.generation.wrapping_add(1);
        self.free.push(id.0);
        self.order_dead += 1;
        if self.order_dead > 64 && self.order_dead * 2 > self.order.len() {
            // Amortised: each removed id is dropped from `order` once.
            let slots = &self.slots;
            self.order.retain(|x| {
                slots
                    .get(x.0 as usize)
                    .is_some_and(|s| s.generation == x.1 && s.live)
            });
            self.order_dead = 0;
        }
        if self.free.len() == self.slots.len() && self.slots.len() >= RELEASE_TABLE_ABOVE {
            self.release_table();
        }
    }

    /// The last task of a large batch is gone: give back the memory the
    /// batch left behind. The table's capacity (a slot is ~300 bytes, 3 MB
    /// for a 10k-task runTasks), the per-server queues grown for it and the
    /// spare routes its jobs left (`keep_spare_route`: 1024, ~150 KB) are
    /// dropped, and the allocator returns the freed per-task buffers to the
    /// kernel, so that the process's RSS goes back down after the run.
    fn release_table(&mut self) {
        debug_assert!(!self.unsubmitted.any(), "no task is live");
        let newest = self.slots.iter().map(|s| s.generation).max();
        self.first_generation = newest.unwrap_or(0).wrapping_add(1);
        self.slots = Vec::new();
        self.free = Vec::new();
        self.order = Vec::new();
        self.order_dead = 0;
        self.spare_routes = Vec::new();
        if self.pending.is_empty() {
            self.pending = VecDeque::new();
        }
        for i in 0..self.servers.len() {
            let s = &mut self.servers[i];
            if s.expect.is_empty() {
                s.expect = VecDeque::new();
            }
            if s.routes.is_empty() {
                s.routes = routes::Routes::default();
            }
        }
        crate::sys::release_free_memory();
    }

    /// Queue an event for `id`, with the task's status as of now.
    pub(crate) fn push_event(&mut self, id: TaskId, event: TaskEvent, payload: Payload) {
        let first = self.pending.is_empty() && self.ended.is_none();
        let (view, payload) = match self.task_and_ended(id) {
            Some((t, ended)) if t.end_only && !matches!(event, TaskEvent::AttemptFailed(_)) => {
                if !t.is_finished() {
                    // Nobody will look at it (see `report_end_only`).
                    return;
                }
                match end_unqueued(t, ended, first, id, event, payload) {
                    Some(payload) => (View::of(t), payload),
                    None => return,
                }
            }
            Some((t, _)) => (View::of(t), payload),
            None => (View::default(), payload),
        };
        self.enqueue(id, event, payload, view);
    }

    /// Queues an event past the end-only shortcut (which the caller has
    /// applied or found not to apply); `view` is the task's status now.
    #[inline]
    pub(crate) fn enqueue(&mut self, id: TaskId, event: TaskEvent, payload: Payload, view: View) {
        self.pending.push_back(Pending::Event {
            id,
            event,
            payload,
            view,
        });
    }

    /// The caller of `run` for this task waits for its end only (do*):
    /// `run` reports no event that leaves it unfinished (JOB_CREATED of a
    /// foreground job, WORK_DATA, WORK_WARNING, WORK_STATUS), so one `run`
    /// call takes it from submission to its end, and nothing is queued,
    /// read back and skipped on the way. AttemptFailed (retry hook) and
    /// the end itself are reported as always; the end skips the event
    /// queue when nothing is queued before it (see `Client::ended`).
    pub fn report_end_only(&mut self, id: TaskId) {
        if let Some(t) = self.task_mut(id) {
            t.end_only = true;
        }
    }

    /// Whether any task is unfinished.
    pub fn has_pending_tasks(&self) -> bool {
        self.slots.iter().any(|s| s.live && !s.task.is_finished())
    }

    /// Retry hook: resubmit a task after an AttemptFailed, `delay_ms` later
    /// (other tasks keep running meanwhile). Returns `false` if the task is
    /// not waiting for a decision, or if the delay would end after the
    /// deadline of the current call (the timeout is a deadline for the
    /// whole call, retries included): the caller then gives up.
    pub fn retry_task(&mut self, id: TaskId, delay_ms: u64) -> bool {
        let deadline = self.run_deadline;
        let Some(t) = self.task_mut(id) else {
            return false;
        };
        if !matches!(t.state(), TaskState::Deciding { .. }) {
            return false;
        }
        let now = Instant::now();
        let at = now.checked_add(Duration::from_millis(delay_ms));
        if let Some(end) = deadline.instant() {
            if at.is_none_or(|at| at >= end) {
                return false;
            }
        }
        t.reset_for_retry();
        t.retry_count += 1;
        self.counters.retries += 1;
        self.set_state(
            id,
            match at {
                _ if delay_ms == 0 => TaskState::New,
                Some(at) => TaskState::Delayed(at),
                None => TaskState::Delayed(now + Duration::from_secs(u32::MAX as u64)),
            },
        );
        true
    }

    /// Retry hook: let the failed attempt's normal outcome proceed; the next
    /// `run` reports it (Fail/Exception event or run error) exactly as
    /// without the hook.
    pub fn give_up(&mut self, id: TaskId) {
        let Some((t, count)) = self.task_and_count(id) else {
            return;
        };
        if !matches!(t.state(), TaskState::Deciding { .. }) {
            return;
        }
        let TaskState::Deciding { prev, outcome, .. } = t.replace_state(TaskState::Finished, count)
        else {
            unreachable!("checked above")
        };
        match outcome {
            Deferred::Event(event, payload, rc) => {
                t.rc = rc;
                self.counters.count_outcome(rc);
                self.push_event(id, event, payload);
            }
            Deferred::Error(error, finish) => {
                if finish {
                    t.rc = error.code;
                    self.counters.failed += 1;
                } else {
                    t.set_state(*prev, count);
                }
                self.pending.push_back(Pending::Error {
                    error,
                    ids: vec![id],
                });
            }
        }
    }

    // ---- synchronous requests ------------------------------------------

    /// GET_STATUS for a handle. Does not disturb pending tasks (their
    /// packets read meanwhile are queued for the next `run`).
    /// Handles of 64 bytes or more are answered "unknown" locally: gearmand
    /// would never reply to them.
    pub fn job_status(&mut self, handle: &[u8]) -> Result<JobStatus, Error> {
        self.check_fork();
        if handle.len() > crate::protocol::MAX_HANDLE_LEN {
            return Ok(JobStatus::default());
        }
        let start = self.handle_server(handle).unwrap_or(0);
        let reply = self.sync_with_failover(
            start,
            "gearman_client_job_status",
            |out, _| out.request(PacketType::GetStatus, &[handle], b""),
            Expect::SyncStatus,
        )?;
        match reply {
            SyncReply::Status(s) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    /// GET_STATUS_UNIQUE. Sent to the server the unique maps to (see the
    /// module docs). Unique keys of 64 bytes or more are answered "unknown"
    /// locally (gearmand would not reply).
    pub fn job_status_by_unique(&mut self, unique: &[u8]) -> Result<JobStatus, Error> {
        self.check_fork();
        if unique.len() >= unique::MAX_UNIQUE {
            return Ok(JobStatus {
                client_count: Some(0),
                ..JobStatus::default()
            });
        }
        let start = if self.servers.is_empty() {
            0
        } else {
            self.unique_server(unique)
        };
        let reply = self.sync_with_failover(
            start,
            "gearman_client_unique_status",
            |out, _| out.request(PacketType::GetStatusUnique, &[unique], b""),
            Expect::SyncStatusUnique,
        )?;
        match reply {
            SyncReply::Status(s) => Ok(s),
            _ => Err(unexpected()),
        }
    }

    /// ECHO_REQ to every server, one after another; each reply must equal
    /// `data`.
    pub fn echo(&mut self, data: &[u8]) -> Result<(), Error> {
        self.check_fork();
        if data.is_empty() {
            return Err(Error::invalid_argument(
                "gearman_client_echo",
                "workload_size was 0",
            ));
        }
        if self.servers.is_empty() {
            return Err(Error::no_servers("gearman_client_echo"));
        }
        let deadline = Deadline::after_ms(self.servers.timeout());
        for i in 0..self.servers.len() {
            self.prepare_connection(i);
            self.ensure_connection(i, None)?;
            let token = self.token();
            let s = &mut self.servers[i];
            s.conn.out().request(PacketType::EchoReq, &[], data)?;
            s.expect.push_back(Expect::Echo(token));
            match self.wait_token(token, deadline)? {
                SyncReply::Echo(back) if back == data => {}
                _ => {
                    return Err(Error::new(
                        ReturnCode::EchoDataCorruption,
                        "gearman_client_echo",
                        "echo data did not match what was sent",
                    ))
                }
            }
        }
        Ok(())
    }

    fn sync_with_failover(
        &mut self,
        start: usize,
        origin: &'static str,
        build: impl Fn(&mut crate::connection::OutQueue, usize) -> Result<(), Error>,
        expect: fn(u64) -> Expect,
    ) -> Result<SyncReply, Error> {
        let n = self.servers.len();
        if n == 0 {
            return Err(Error::no_servers(origin));
        }
        let deadline = Deadline::after_ms(self.servers.timeout());
        let mut last = None;
        for k in 0..n {
            let i = (start + k) % n;
            let was_closed = self.prepare_connection(i);
            let by = if was_closed {
                self.servers.connect_by(deadline, k + 1 < n)
            } else {
                None
            };
            if let Err(e) = self.ensure_connection(i, by) {
                last = Some(e);
                continue;
            }
            let token = self.token();
            build(self.servers[i].conn.out(), i)?;
            self.servers[i].expect.push_back(expect(token));
            match self.wait_token(token, deadline) {
                Err(e) if e.code == ReturnCode::CouldNotConnect => last = Some(e),
                r => return r,
            }
        }
        Err(last.unwrap_or_else(|| Error::no_servers(origin)))
    }

    fn token(&mut self) -> u64 {
        let t = self.next_token;
        self.next_token += 1;
        t
    }

    /// Whether to pass over server `i` while others may be usable: it is in
    /// its back-off period, or a probe connect to it is still in flight. A
    /// server that failed and whose back-off is over gets a probe (a connect
    /// no task waits on) and is used once that has succeeded. The clock is
    /// read (once, into `now`) only if some server is down.
    fn avoid(&mut self, i: usize, now: &mut Option<Instant>) -> bool {
        let s = &self.servers[i];
        if s.health.is_down(|| *now.get_or_insert_with(Instant::now)) {
            return true;
        }
        if s.probing {
            return !s.conn.is_connected();
        }
        if s.health.suspect() && s.conn.is_closed() {
            let by = self.servers.connect_by(Deadline::NEVER, true);
            if self.ensure_connection(i, by).is_ok() && !self.servers[i].conn.is_connected() {
                self.servers[i].probing = true;
            }
            return !self.servers[i].conn.is_connected();
        }
        false
    }

    /// Index of the server that created `handle`, if this client submitted
    /// it recently: status requests go there.
    fn handle_server(&self, handle: &[u8]) -> Option<usize> {
        self.recent_handles
            .server_uid(handle)
            .and_then(|uid| self.servers.position(uid))
    }

    /// Index of the server a unique key maps to.
    fn unique_server(&self, unique: &[u8]) -> usize {
        (unique::murmur3_x86_32(unique, 0) as usize) % self.servers.len().max(1)
    }

    /// Closes a connection found dead while idle (one poll(2); used before
    /// synchronous requests, which are not resubmitted). Returns whether
    /// the connection is (now) closed.
    fn prepare_connection(&mut self, i: usize) -> bool {
        let s = &mut self.servers[i];
        if s.conn.is_connected() && !s.busy() && !s.conn.has_output() && s.conn.peer_closed() {
            s.conn.close();
        }
        s.conn.is_closed()
    }

    /// Opens server `i` if closed (queueing the preamble first); a
    /// pending connect is given up at `by` (see `io_turn`).
    fn ensure_connection(&mut self, i: usize, by: Option<Instant>) -> Result<(), Error> {
        if !self.servers[i].conn.is_closed() {
            return Ok(());
        }
        let exceptions = self.exceptions;
        let token = if exceptions { self.token() } else { 0 };
        // (A TLS connect reads files: the call's first wait is then no
        // longer right after its clock reading.)
        self.first_wait = None;
        let s = &mut self.servers[i];
        s.expect.clear();
        s.routes.clear();
        s.probing = false;
        s.unconfirmed = false;
        match s.conn.connect(&s.addr) {
            ConnectStep::Failed(e) => {
                s.connect_by = None;
                s.health.failed(&e);
                Err(e)
            }
            step => {
                if matches!(step, ConnectStep::Connected) {
                    s.connect_by = None;
                    s.health.connected();
                } else {
                    s.connect_by = by;
                    s.fresh_connect = true;
                }
                s.preamble_token = token;
                if exceptions {
                    s.conn
                        .out()
                        .request(PacketType::OptionReq, &[b"exceptions"], b"")?;
                    s.expect.push_back(Expect::Option(token));
                }
                Ok(())
            }
        }
    }

    /// In a forked child, drop inherited connections; their pending tasks
    /// fail with LOST_CONNECTION.
    /// One comparison while no fork happened since the last look.
    #[inline]
    fn check_fork(&mut self) {
        let forks = crate::sys::fork_generation();
        if forks != self.forks_checked {
            self.check_fork_at(forks);
        }
    }

    fn check_fork_at(&mut self, forks: u64) {
        self.forks_checked = forks;
        for i in 0..self.servers.len() {
            if self.servers[i].conn.forked(forks) {
                self.drop_connection(
                    i,
                    Error::lost_connection("connection inherited across fork"),
                );
            }
        }
    }
}

/// Latest time [`Client::add_task_at`] accepts: 9999-12-31T23:59:59Z.
/// Anything later is a bug in the caller (milliseconds passed as seconds).
pub const MAX_EPOCH: u64 = 253_402_300_799;

/// The shortcut for the end of an end-only task (`t`, finished; see
/// `report_end_only`) when nothing is queued before it (`first`): what
/// delivering it would do (the view is the task's own), without a trip
/// through the queue: its payload goes on the task and the event to
/// `ended` ([`Client::ended`]). Gives the payload back when the shortcut
/// does not apply. Shared by `push_event` and the client's WORK_* handler,
/// which applies it without a call to `push_event` or a second lookup
/// (inlined: a call there costs more than the shortcut saves).
#[inline(always)]
pub(crate) fn end_unqueued(
    t: &mut Task,
    ended: &mut Option<(TaskId, TaskEvent)>,
    first: bool,
    id: TaskId,
    event: TaskEvent,
    payload: Payload,
) -> Option<Payload> {
    if first && t.end_only && t.is_finished() {
        t.data = payload;
        *ended = Some((id, event));
        return None;
    }
    Some(payload)
}

/// libgearman add.cc's checks for a submission, in its order (function,
/// unique, workload); returns the unique to send and whether the caller
/// chose it (then it picks the server).
fn validate_submit<'a>(
    function: &[u8],
    workload: &[u8],
    unique: Option<&'a [u8]>,
) -> Result<(unique::Unique<'a>, bool), Error> {
    if function.is_empty() {
        return Err(Error::invalid_argument("add_task", "invalid function"));
    }
    if function.len() > MAX_FUNCTION_LEN {
        return Err(Error::invalid_argument(
            "add_task",
            "function name longer then GEARMAN_MAX_FUNCTION_SIZE",
        ));
    }
    unique::validate(unique).map_err(|mut e| {
        e.origin = "add_task";
        e
    })?;
    if workload.is_empty() {
        return Err(Error::invalid_argument("add_task", "invalid workload"));
    }
    if crate::protocol::has_nul(function) {
        return Err(Error::invalid_argument("add_task", "invalid function"));
    }
    let user_unique = matches!(unique, Some(u) if !u.is_empty() && u != b"#");
    let uq = unique::effective(unique, workload);
    // (A made key, UUID or hash, has none.)
    if matches!(uq, unique::Unique::Given(u) if crate::protocol::has_nul(u)) {
        return Err(Error::invalid_argument("add_task", "invalid unique"));
    }
    Ok((uq, user_unique))
}

fn unexpected() -> Error {
    Error::new(
        ReturnCode::UnexpectedPacket,
        "gearman_client_run_tasks",
        "unexpected reply",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn submit() -> TaskKind {
        TaskKind::Submit {
            priority: Priority::Normal,
            background: false,
        }
    }

    #[test]
    fn released_table_never_reuses_an_old_id() {
        let mut c = Client::new();
        let old: Vec<TaskId> = (0..RELEASE_TABLE_ABOVE + 3)
            .map(|_| c.add_task(submit(), b"f", b"w", None).unwrap())
            .collect();
        for id in &old {
            c.remove_task(*id);
            assert!(c.task(*id).is_none());
        }
        assert_eq!(c.slots.capacity(), 0, "an emptied large table is released");
        let fresh: Vec<TaskId> = (0..4)
            .map(|_| c.add_task(submit(), b"f", b"x", None).unwrap())
            .collect();
        for id in &old {
            assert!(c.task(*id).is_none(), "stale id {id:?} found a new task");
        }
        for id in &fresh {
            assert_eq!(c.task(*id).unwrap().workload(), b"x");
        }
        assert_eq!(c.order, fresh, "only the new ids are in `order`");
    }

    #[test]
    fn add_task_validation_order_and_messages() {
        let mut c = Client::new();
        let e = c
            .add_task(submit(), b"", b"", Some(&[b'u'; 65]))
            .unwrap_err();
        assert_eq!(
            (e.code, e.message.as_str()),
            (ReturnCode::InvalidArgument, "invalid function")
        );
        let e = c.add_task(submit(), &[b'f'; 513], b"w", None).unwrap_err();
        assert_eq!(
            e.message,
            "function name longer then GEARMAN_MAX_FUNCTION_SIZE"
        );
        let e = c
            .add_task(submit(), b"f", b"", Some(&[b'u'; 65]))
            .unwrap_err();
        assert_eq!(e.message, "unique name longer then GEARMAN_MAX_UNIQUE_SIZE");
        let e = c.add_task(submit(), b"f", b"", None).unwrap_err();
        assert_eq!(e.message, "invalid workload");
        assert!(c
            .add_task(submit(), &[b'f'; 512], b"w", Some(&[b'u'; 64]))
            .is_ok());
    }

    #[test]
    fn uniques_as_sent() {
        let mut c = Client::new();
        let a = c.add_task(submit(), b"f", b"w", None).unwrap();
        let b = c.add_task(submit(), b"f", b"w", Some(b"")).unwrap();
        let k = c.add_task(submit(), b"f", b"w", Some(&[b'u'; 64])).unwrap();
        let h = c.add_task(submit(), b"f", b"w", Some(b"#")).unwrap();
        assert_eq!(c.task(a).unwrap().unique().len(), 36);
        assert_ne!(c.task(a).unwrap().unique(), c.task(b).unwrap().unique());
        assert_eq!(c.task(k).unwrap().unique(), &[b'u'; 63][..]);
        assert_eq!(
            c.task(h).unwrap().unique(),
            unique::hashkit_murmur3(b"w").to_string().as_bytes()
        );
    }

    #[test]
    fn ids_are_generational() {
        let mut c = Client::new();
        let a = c.add_task(submit(), b"f", b"w", None).unwrap();
        c.remove_task(a);
        assert!(c.task(a).is_none());
        let b = c.add_task(submit(), b"f", b"w", None).unwrap();
        assert_eq!(a.0, b.0);
        assert_ne!(a, b);
        assert!(c.task(a).is_none());
        assert!(c.task(b).is_some());
    }

    #[test]
    fn no_servers() {
        let mut c = Client::new();
        assert_eq!(c.run(Scope::All), Step::Done);
        let a = c.add_task(submit(), b"f", b"w", None).unwrap();
        match c.run(Scope::All) {
            Step::Error(e) => assert_eq!(
                (e.code, e.message.as_str()),
                (ReturnCode::NoServers, "no servers provided")
            ),
            s => panic!("{:?}", s),
        }
        // Not dropped: the task stays pending and every later run says why
        // (as pecl/gearman does), until a server is added.
        assert!(!c.task(a).unwrap().is_finished());
        assert_eq!(c.task(a).unwrap().return_code(), ReturnCode::NoServers);
        assert!(c.has_pending_tasks());
        assert!(matches!(c.run(Scope::All), Step::Error(e) if e.code == ReturnCode::NoServers));
        c.remove_task(a);
        assert_eq!(c.run(Scope::All), Step::Done);
        assert_eq!(c.echo(b"x").unwrap_err().code, ReturnCode::NoServers);
        assert_eq!(c.echo(b"").unwrap_err().message, "workload_size was 0");
    }

    #[test]
    fn servers_newest_first() {
        let mut c = Client::new();
        c.add_servers(Some("127.0.0.1:1,127.0.0.1:2")).unwrap();
        c.add_server(Some("127.0.0.1"), 3).unwrap();
        let ports: Vec<u16> = c.servers().map(|s| s.port).collect();
        assert_eq!(ports, vec![3, 2, 1]);
        let e = c
            .add_servers(Some("127.0.0.1:4,no.such.host.invalid:5,127.0.0.1:6"))
            .unwrap_err();
        assert_eq!(e.code, ReturnCode::GetAddrInfo);
        assert_eq!(c.server_count(), 4);
    }
}
