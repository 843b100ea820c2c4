//! The client's event loop: submission, poll, packet dispatch, failures.

use std::time::Instant;

use super::recent::RECENT_HANDLES;
use super::task::{Deferred, Payload, TaskState};
use super::Readiness;
use super::{
    end_unqueued, Client, Expect, JobStatus, Pending, Route, Scope, Step, SyncReply, TaskEvent,
    TaskId, View,
};
use crate::connection::{place, Body, ConnectStep};
use crate::poll::{self, Deadline, PollOutcome};
use crate::protocol::{decode, trim_handle, Decoded, Magic, PacketRef, PacketType};
use crate::server::atoi;
use crate::{Error, ReturnCode};

/// Outcome of one poll round.
pub(super) enum Turn {
    /// Something was done (or a timer expired); look again.
    Progress,
    /// EINTR.
    Interrupted,
    /// The deadline passed while waiting on this many connections.
    TimedOut(usize),
    /// Non-blocking and nothing was ready.
    WouldBlock,
    /// Nothing to wait for at all.
    Idle,
}

/// Finished routes kept for reuse (see `Client::keep_spare_route`).
const SPARE_ROUTES: usize = RECENT_HANDLES;

/// Reused poll(2) arrays for clients with more servers than
/// [`INLINE_FDS`] (no allocation per loop turn).
#[derive(Default)]
pub(super) struct PollScratch {
    fds: Vec<libc::pollfd>,
    /// Server index of each pollfd.
    map: Vec<usize>,
}

/// Up to this many servers, a loop turn builds its poll(2) array on the
/// stack instead of taking the reused one out of the client and putting it
/// back.
const INLINE_FDS: usize = 4;

const NO_FD: libc::pollfd = libc::pollfd {
    fd: -1,
    events: 0,
    revents: 0,
};

fn num(v: &[u8]) -> u32 {
    atoi(&String::from_utf8_lossy(v)) as u32
}

impl Client {
    /// Drives the tasks in `scope` until the next event, completion, error,
    /// interruption or (non-blocking) would-block. The timeout is a
    /// deadline for this call.
    pub fn run(&mut self, scope: Scope) -> Step {
        self.run_until(scope, self.deadline())
    }

    /// The deadline a blocking call starting now gets from the timeout.
    pub fn deadline(&self) -> Deadline {
        Deadline::after_ms(self.servers.timeout())
    }

    /// [`deadline`](Self::deadline) for a call that passes it to
    /// [`run_until`](Self::run_until) right away: the first poll(2) of that
    /// `run_until` waits the whole timeout without a second clock reading
    /// (a do* then reads the clock once per wait, not once more per call).
    /// Nothing before that poll blocks (sockets are non-blocking; a
    /// connect, which may read TLS files, cancels it), so the deadline
    /// holds up to the few microseconds in between.
    pub fn call_deadline(&mut self) -> Deadline {
        let ms = self.servers.timeout();
        let deadline = Deadline::after_ms(ms);
        self.first_wait = (ms > 0).then_some((deadline, ms));
        deadline
    }

    /// [`run`](Self::run) with the deadline of the caller's whole call: a
    /// caller that calls `run` once per event (runTasks, do*) passes the
    /// same deadline each time, so neither events nor retries extend it.
    /// [`retry_task`](Self::retry_task) refuses retries that would start
    /// after it.
    pub fn run_until(&mut self, scope: Scope, deadline: Deadline) -> Step {
        let step = self.run_steps(scope, deadline);
        self.first_wait = None;
        step
    }

    fn run_steps(&mut self, scope: Scope, deadline: Deadline) -> Step {
        self.check_fork();
        self.run_deadline = deadline;
        for s in self.servers.iter_mut() {
            s.fresh_connect = false;
        }
        loop {
            if let Some(step) = self.pop_pending(scope) {
                return step;
            }
            // A caller that neither retried nor gave up after AttemptFailed
            // gets the default: give up.
            if self.undecided {
                for k in 0..self.scope_len(scope) {
                    let id = self.scope_id(scope, k);
                    if matches!(
                        self.task(id).map(|t| t.state()),
                        Some(TaskState::Deciding {
                            delivered: true,
                            ..
                        })
                    ) {
                        self.give_up(id);
                    }
                }
                if scope == Scope::All {
                    self.undecided = false;
                }
                if let Some(step) = self.pop_pending(scope) {
                    return step;
                }
            }
            // Stops at the first unfinished task.
            if (0..self.scope_len(scope)).all(|k| {
                self.task(self.scope_id(scope, k))
                    .is_none_or(|t| t.is_finished())
            }) {
                return Step::Done;
            }
            let timer = if self.unsubmitted.any() {
                let timer = self.submit_ready(scope, deadline);
                if let Some(step) = self.pop_pending(scope) {
                    return step;
                }
                timer
            } else {
                None
            };
            match self.io_turn(deadline, timer, self.servers.non_blocking()) {
                Ok(Turn::Progress) => {}
                Ok(Turn::Interrupted) => return Step::Interrupted,
                Ok(Turn::WouldBlock) => {
                    if self.pop_pending_peek(scope) {
                        continue;
                    }
                    return Step::WouldBlock;
                }
                Ok(Turn::TimedOut(polled)) => {
                    if let Some(step) = self.pop_pending(scope) {
                        return step;
                    }
                    return self.timed_out(scope, polled);
                }
                Ok(Turn::Idle) => {
                    if self.pop_pending_peek(scope) {
                        continue;
                    }
                    // Unfinished tasks but nothing to wait on: only possible
                    // when tasks of this scope are New but could not be
                    // submitted; report rather than spin.
                    return Step::Error(Error::no_active_fds());
                }
                Err(e) => return Step::Error(e),
            }
        }
    }

    /// Non-blocking helper: waits (up to the timeout) until a connection
    /// with pending work is ready or a retry timer expires.
    pub fn wait(&mut self) -> Result<Readiness, Error> {
        self.check_fork();
        let deadline = Deadline::after_ms(self.servers.timeout());
        let timer = self.next_timer(Scope::All);
        if self.has_pending() {
            return Ok(Readiness::Ready);
        }
        let mut sc = std::mem::take(&mut self.poll_scratch);
        sc.fds.resize(self.servers.len(), NO_FD);
        sc.map.resize(self.servers.len(), 0);
        let (n, _) = self.pollfds(false, &mut sc.fds, &mut sc.map);
        let polled = if n == 0 && timer.is_none() {
            None
        } else {
            Some(poll::poll(&mut sc.fds[..n], deadline.poll_ms(timer)))
        };
        self.poll_scratch = sc;
        let Some(polled) = polled else {
            return Err(Error::no_active_fds());
        };
        match polled? {
            PollOutcome::Ready(_) => Ok(Readiness::Ready),
            PollOutcome::Interrupted => Ok(Readiness::Interrupted),
            PollOutcome::TimedOut => {
                if deadline.expired() {
                    Err(self.timeout_error(n))
                } else {
                    Ok(Readiness::Ready)
                }
            }
        }
    }

    /// How many ids [`scope_id`](Self::scope_id) serves for `scope`: the
    /// scope's ids are read by index, oldest first, with no list built per
    /// loop turn (ids of removed tasks included: `task()` skips them;
    /// nothing inside a run adds tasks or compacts `order`).
    fn scope_len(&self, scope: Scope) -> usize {
        match scope {
            Scope::Only(_) => 1,
            Scope::All => self.order.len(),
        }
    }

    fn scope_id(&self, scope: Scope, k: usize) -> TaskId {
        match scope {
            Scope::Only(id) => id,
            Scope::All => self.order[k],
        }
    }

    /// Whether a queued entry still concerns an existing task. Entries of
    /// removed tasks stay queued and are skipped here (so that
    /// `remove_task` need not search the queue).
    fn pending_live(&self, p: &Pending) -> bool {
        match p {
            Pending::Event { id, .. } => self.task(*id).is_some(),
            Pending::Error { ids, .. } => ids.iter().any(|&x| self.task(x).is_some()),
        }
    }

    fn pending_wanted(&self, p: &Pending, scope: Scope) -> bool {
        self.pending_live(p)
            && match p {
                Pending::Event { id, .. } => scope.contains(*id),
                Pending::Error { ids, .. } => {
                    scope == Scope::All || ids.iter().any(|&x| scope.contains(x))
                }
            }
    }

    fn pop_pending_peek(&self, scope: Scope) -> bool {
        self.ended
            .is_some_and(|(id, _)| scope.contains(id) && self.task(id).is_some())
            || self.pending.iter().any(|p| self.pending_wanted(p, scope))
    }

    /// Whether anything deliverable is queued.
    pub(super) fn has_pending(&self) -> bool {
        self.ended.is_some_and(|(id, _)| self.task(id).is_some())
            || self.pending.iter().any(|p| self.pending_live(p))
    }

    /// The next queued step for `scope`. Inlined for its usual answer (the
    /// queue is empty: three of the four calls per run): the full body saves
    /// and restores many registers even when it returns at once.
    #[inline]
    fn pop_pending(&mut self, scope: Scope) -> Option<Step> {
        if self.pending.is_empty() && self.ended.is_none() {
            return None;
        }
        self.pop_pending_queued(scope)
    }

    fn pop_pending_queued(&mut self, scope: Scope) -> Option<Step> {
        if let Some((id, event)) = self.ended {
            // Older than anything queued (see `Client::ended`).
            if scope.contains(id) || self.task(id).is_none() {
                self.ended = None;
                if self.task(id).is_some() {
                    return Some(Step::Event(id, event));
                }
            }
            if self.pending.is_empty() {
                return None;
            }
        }
        // The usual case first: the oldest entry is an event of a live task
        // in scope (one lookup, no search).
        if let Some(Pending::Event { id, .. }) = self.pending.front() {
            if scope.contains(*id) && self.task(*id).is_some() {
                let Some(Pending::Event {
                    id,
                    event,
                    payload,
                    view,
                }) = self.pending.pop_front()
                else {
                    unreachable!("checked above")
                };
                return Some(self.deliver(id, event, payload, view));
            }
        }
        while self.pending.front().is_some_and(|p| !self.pending_live(p)) {
            self.pending.pop_front();
        }
        let idx = match self.pending.front() {
            // The usual case: the oldest entry is an event for this scope
            // (its task is live: dead entries were dropped above).
            Some(Pending::Event { id, .. }) if scope.contains(*id) => 0,
            _ => self
                .pending
                .iter()
                .position(|p| self.pending_wanted(p, scope))?,
        };
        if let Pending::Error { ids, .. } = &self.pending[idx] {
            if ids.iter().any(|&x| self.task(x).is_none()) {
                let live: Vec<TaskId> = ids
                    .iter()
                    .copied()
                    .filter(|&x| self.task(x).is_some())
                    .collect();
                if let Pending::Error { ids, .. } = &mut self.pending[idx] {
                    *ids = live;
                }
            }
        }
        match scope {
            Scope::Only(only) if matches!(&self.pending[idx], Pending::Error { ids, .. } if ids.len() > 1) =>
            {
                let Pending::Error { error, ids } = &mut self.pending[idx] else {
                    unreachable!()
                };
                ids.retain(|&x| x != only);
                Some(Step::Error(error.clone()))
            }
            _ => match if idx == 0 {
                self.pending.pop_front()
            } else {
                self.pending.remove(idx)
            }? {
                Pending::Event {
                    id,
                    event,
                    payload,
                    view,
                } => Some(self.deliver(id, event, payload, view)),
                Pending::Error { error, .. } => Some(Step::Error(error)),
            },
        }
    }

    /// Hands a queued event to the caller: the task shows the payload and
    /// status it had when the packet was read.
    fn deliver(&mut self, id: TaskId, event: TaskEvent, payload: Payload, view: View) -> Step {
        if let Some(t) = self.task_mut(id) {
            t.data = payload;
            view.apply(t);
            if matches!(event, TaskEvent::AttemptFailed(_)) && t.mark_delivered() {
                self.undecided = true;
            }
        }
        Step::Event(id, event)
    }

    fn next_timer(&self, scope: Scope) -> Option<Instant> {
        (0..self.scope_len(scope))
            .filter_map(|k| match self.task(self.scope_id(scope, k))?.state() {
                TaskState::Delayed(t) => Some(*t),
                _ => None,
            })
            .min()
    }

    /// TIMEOUT, naming a TLS handshake that was still running.
    fn timeout_error(&self, polled: usize) -> Error {
        match self.servers.iter().find(|s| s.conn.is_handshaking()) {
            Some(s) => s.conn.connect_timeout(&s.addr, polled),
            None => Error::timeout(polled),
        }
    }

    fn timed_out(&mut self, scope: Scope, polled: usize) -> Step {
        self.counters.timeouts += 1;
        let error = self.timeout_error(polled);
        if self.retry_hook {
            let waiting: Vec<TaskId> = (0..self.scope_len(scope))
                .map(|k| self.scope_id(scope, k))
                .filter(|&id| self.task(id).is_some_and(|t| t.waiting_on_server()))
                .collect();
            if !waiting.is_empty() {
                for id in waiting {
                    self.attempt_failed(
                        id,
                        Deferred::Error(error.clone(), false),
                        ReturnCode::Timeout,
                    );
                }
                if let Some(step) = self.pop_pending(Scope::All) {
                    return step;
                }
            }
        }
        Step::Error(error)
    }

    // ---- submission ----------------------------------------------------

    /// Submits the scope's tasks that are new, lost or whose retry delay
    /// is over; returns when the first of the others' delays ends (what
    /// [`next_timer`](Self::next_timer) says after the pass: submitting
    /// delays no task).
    fn submit_ready(&mut self, scope: Scope, deadline: Deadline) -> Option<Instant> {
        // The clock is read only if a task waits for a retry delay.
        let mut now = None;
        let mut timer: Option<Instant> = None;
        // Oldest first in `order`; libgearman submits the newest-added task
        // first.
        for k in (0..self.scope_len(scope)).rev() {
            if !self.unsubmitted.any() {
                // Nothing (else) to submit and no delay left: no need to
                // look at the rest.
                break;
            }
            let id = self.scope_id(scope, k);
            let due = match self.task(id).map(|t| t.state()) {
                Some(TaskState::New | TaskState::Lost) => true,
                Some(&TaskState::Delayed(at)) => {
                    let due = at <= *now.get_or_insert_with(Instant::now);
                    if !due {
                        timer = Some(timer.map_or(at, |t| t.min(at)));
                    }
                    due
                }
                _ => false,
            };
            if due {
                self.submit(id, deadline);
            }
        }
        timer
    }

    /// Sends a task to a server: the strategy's (or the unique key's)
    /// server first, then the next ones; servers that are down are passed
    /// over unless no other server is left (see `Client::avoid`).
    fn submit(&mut self, id: TaskId, deadline: Deadline) {
        if let Some((t, count)) = self.task_and_count(id) {
            if matches!(&t.kind, super::TaskKind::Status { handle } if handle.len() > crate::protocol::MAX_HANDLE_LEN)
            {
                // gearmand never answers GET_STATUS for such a handle.
                t.set_state(TaskState::Finished, count);
                t.rc = ReturnCode::Success;
                self.push_event(id, TaskEvent::Status, Payload::None);
                return;
            }
        }
        let n = self.servers.len();
        if n == 0 {
            self.fail_tasks(vec![id], Error::no_servers("_client_run_task"));
            return;
        }
        // Unique keys go where equal keys go; status tasks to the server
        // that created the handle (else the first); the rest by strategy.
        let fixed = {
            let t = self.task(id).expect("submitting a live task");
            match &t.kind {
                super::TaskKind::Status { handle } => Some(self.handle_server(handle).unwrap_or(0)),
                _ => t.user_unique.then(|| self.unique_server(t.unique())),
            }
        };
        let start = match fixed {
            Some(i) => i,
            None => self.selector.start(n),
        };
        let mut last: Option<Error> = None;
        let mut now = None;
        let mut avoided = false;
        for pass in 0..2 {
            for k in 0..n {
                let i = (start + k) % n;
                if self.task(id).is_some_and(|t| t.tried.contains(&i)) {
                    continue;
                }
                if pass == 0 && self.avoid(i, &mut now) {
                    avoided = true;
                    continue;
                }
                match self.assign(id, i, deadline) {
                    Ok(()) => return,
                    Err(e) => {
                        if let Some(t) = self.task_mut(id) {
                            t.tried.push(i);
                        }
                        last = Some(e);
                    }
                }
            }
            if !avoided {
                break;
            }
        }
        let error = last.unwrap_or_else(|| {
            let t = self.task(id).expect("live task");
            let i = t.tried.last().copied().unwrap_or(0);
            let s = &self.servers[i];
            s.connect_error
                .clone()
                .unwrap_or_else(|| Error::could_not_connect(&s.addr.host, s.addr.port, 0))
        });
        self.fail_tasks(vec![id], error);
    }

    /// Queues task `id` on server `i`, connecting first if needed.
    fn assign(&mut self, id: TaskId, i: usize, deadline: Deadline) -> Result<(), Error> {
        // No peer check: a dead idle connection is found by the write or
        // read that fails, and `connection_lost` resubmits (`unconfirmed`).
        let was_closed = self.servers[i].conn.is_closed();
        {
            let s = &mut self.servers[i];
            if s.conn.is_connected() && !s.busy() && !s.conn.has_output() {
                s.unconfirmed = true;
            }
        }
        // A connect this task will wait on: bounded by the connect timeout
        // only if another server could still take the task.
        let probing = self.servers[i].probing;
        let by = if was_closed || probing {
            let n = self.servers.len();
            let t = self.task(id).expect("live task");
            let others = (0..n).any(|j| j != i && !t.tried.contains(&j));
            self.servers.connect_by(deadline, others)
        } else {
            None
        };
        if probing {
            self.servers[i].connect_by = by;
        }
        self.ensure_connection(i, by)?;
        let (t, count) = self.task_and_count(id).expect("live task");
        t.attempt += 1;
        let attempt = t.attempt;
        let packet = t.packet.clone();
        let external = t.external.clone();
        let expect = match t.kind {
            super::TaskKind::Submit { background, .. } => Expect::Submit {
                id,
                attempt,
                foreground: !background,
            },
            super::TaskKind::Status { .. } => Expect::Status { id, attempt },
        };
        t.set_state(TaskState::Submitted { server: i }, count);
        let s = &mut self.servers[i];
        s.probing = false;
        s.conn.out().push_shared(&packet);
        if let Some(e) = external {
            s.conn.out().push_external(&e.0);
        }
        s.expect.push_back(expect);
        Ok(())
    }

    // ---- failures ------------------------------------------------------

    /// Records a failed attempt: with the retry hook, an AttemptFailed
    /// event and a deferred outcome; without, the outcome right away.
    fn attempt_failed(&mut self, id: TaskId, outcome: Deferred, code: ReturnCode) {
        let Some((t, count)) = self.task_and_count(id) else {
            return;
        };
        let prev = t.replace_state(TaskState::Finished, count);
        t.set_state(
            TaskState::Deciding {
                prev: Box::new(prev),
                outcome,
                delivered: false,
            },
            count,
        );
        self.push_event(id, TaskEvent::AttemptFailed(code), Payload::None);
    }

    /// Fails tasks with a run error (one report for all of them).
    pub(super) fn fail_tasks(&mut self, ids: Vec<TaskId>, error: Error) {
        let ids: Vec<TaskId> = ids
            .into_iter()
            .filter(|&id| self.task(id).is_some())
            .collect();
        if ids.is_empty() {
            return;
        }
        if self.retry_hook {
            for id in ids {
                self.attempt_failed(id, Deferred::Error(error.clone(), true), error.code);
            }
            return;
        }
        self.counters.failed += ids.len() as u64;
        // No hook to tell the program: the tasks stay pending (this run
        // reports the error, the next one submits them again), so no task
        // ever vanishes without an outcome the program can see.
        for &id in &ids {
            let (t, count) = self.task_and_count(id).expect("filtered live");
            t.reset_for_retry();
            t.set_state(TaskState::Lost, count);
            t.rc = error.code;
        }
        // One report per incident: tasks failing the same way in a row (every
        // task of a batch finding no server) join the report already queued,
        // so a later call does not get a stale copy of it.
        if let Some(Pending::Error {
            error: queued,
            ids: queued_ids,
        }) = self.pending.back_mut()
        {
            if queued.code == error.code && queued.message == error.message {
                queued_ids.extend(ids);
                return;
            }
        }
        self.pending.push_back(Pending::Error { error, ids });
    }

    fn set_sync(&mut self, token: u64, r: Result<SyncReply, Error>) {
        if token == self.sync_wanted && token != 0 {
            self.sync_result = Some(r);
        }
    }

    /// A connect attempt failed: requests queued there go elsewhere.
    fn connect_failed(&mut self, i: usize, error: Error) {
        let s = &mut self.servers[i];
        s.conn.close();
        s.connect_by = None;
        s.probing = false;
        s.health.failed(&error);
        s.routes.clear();
        s.connect_error = Some(error.clone());
        let expects: Vec<Expect> = s.expect.drain(..).collect();
        for ex in expects {
            match ex {
                Expect::Submit { id, attempt, .. } | Expect::Status { id, attempt } => {
                    if let Some((t, count)) = self.task_and_count(id) {
                        if t.attempt == attempt
                            && *t.state() == (TaskState::Submitted { server: i })
                        {
                            t.tried.push(i);
                            t.set_state(TaskState::New, count);
                        }
                    }
                }
                Expect::SyncStatus(tk)
                | Expect::SyncStatusUnique(tk)
                | Expect::Echo(tk)
                | Expect::Option(tk) => self.set_sync(tk, Err(error.clone())),
            }
        }
    }

    /// A read or write on server `i` failed. COULD_NOT_CONNECT there means
    /// the server refused us before answering anything (a TLS alert such as
    /// a rejected client certificate, or a TLS server when TLS is off):
    /// nothing reached gearmand, so the requests go elsewhere as after a
    /// failed connect. Anything else loses what was pending.
    fn broken(&mut self, i: usize, e: Error) {
        if e.code == ReturnCode::CouldNotConnect {
            self.connect_failed(i, e);
        } else {
            self.connection_lost(i, e);
        }
    }

    /// An established connection broke: everything pending on it fails.
    /// The server is marked down (see `health.rs`).
    ///
    /// Except on a connection reused after being idle that died before
    /// answering anything: it was dead before we wrote (gearmand restarted
    /// meanwhile), so what went out on it is resubmitted on a fresh
    /// connection (once: that one is not a reused one) and the server is
    /// not judged. This replaces a poll(2) peer check before every
    /// submission.
    pub(super) fn connection_lost(&mut self, i: usize, error: Error) {
        if !self.servers[i].unconfirmed {
            self.servers[i].health.failed(&error);
        }
        self.settle_lost(i, error, true);
    }

    /// Closes server `i`'s connection and fails what was pending on it,
    /// without judging the server (a fork, not a failure).
    pub(super) fn drop_connection(&mut self, i: usize, error: Error) {
        self.settle_lost(i, error, false);
    }

    fn settle_lost(&mut self, i: usize, error: Error, resubmit: bool) {
        let s = &mut self.servers[i];
        s.conn.close();
        let resubmit = std::mem::take(&mut s.unconfirmed) && resubmit;
        let expects: Vec<Expect> = s.expect.drain(..).collect();
        let routes: Vec<Route> = s.routes.drain();
        let mut ids = Vec::new();
        for ex in expects {
            match ex {
                Expect::Submit { id, attempt, .. } | Expect::Status { id, attempt } if resubmit => {
                    if self.live_on(id, attempt, i) {
                        self.set_state(id, TaskState::New);
                    }
                }
                Expect::Submit { id, attempt, .. } | Expect::Status { id, attempt } => {
                    if self.live_on(id, attempt, i) && !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Expect::SyncStatus(tk)
                | Expect::SyncStatusUnique(tk)
                | Expect::Echo(tk)
                | Expect::Option(tk) => self.set_sync(tk, Err(error.clone())),
            }
        }
        for r in routes {
            for (id, attempt) in r.tasks {
                if self.live_on(id, attempt, i) && !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids.sort_by_key(|&id| self.task(id).map(|t| t.seq));
        self.fail_tasks(ids, error);
    }

    /// Whether packets for (id, attempt) on server `i` still concern the task.
    fn live_on(&self, id: TaskId, attempt: u32, i: usize) -> bool {
        let Some(t) = self.task(id) else { return false };
        if t.attempt != attempt {
            return false;
        }
        fn on(state: &TaskState, i: usize) -> bool {
            match state {
                TaskState::Submitted { server } | TaskState::Running { server } => *server == i,
                // After a timeout AttemptFailed the attempt may still finish.
                TaskState::Deciding {
                    prev,
                    outcome: Deferred::Error(_, false),
                    ..
                } => on(prev, i),
                _ => false,
            }
        }
        on(t.state(), i)
    }

    // ---- I/O -----------------------------------------------------------

    /// Writes the pollfds of the connections that have something to wait
    /// for, with their server indexes, to the front of `fds` and `map` (at
    /// least as long as the server list). Returns how many, and whether a
    /// connect was held back.
    ///
    /// `hold_fresh` (a non-blocking run) leaves out connects this run
    /// started: libgearman advances a connect in progress only on the
    /// revents of an earlier `gearman_wait` (the caller's `wait()`), so a
    /// non-blocking call that has to open a connection always returns
    /// IO_WAIT. Polling it here (with timeout 0) made that a race: a
    /// loopback connect is usually complete by then, and when gearmand
    /// answered fast enough a fresh non-blocking doBackground completed in
    /// the same call instead of returning IO_WAIT.
    #[inline]
    fn pollfds(
        &self,
        hold_fresh: bool,
        fds: &mut [libc::pollfd],
        map: &mut [usize],
    ) -> (usize, bool) {
        let mut n = 0;
        let mut held = false;
        for (i, s) in self.servers.iter().enumerate() {
            if hold_fresh && s.fresh_connect && !s.conn.is_connected() && !s.conn.is_closed() {
                held = true;
                continue;
            }
            if let Some(p) = s.conn.pollfd(s.busy()) {
                fds[n] = p;
                map[n] = i;
                n += 1;
            }
        }
        (n, held)
    }

    /// One round: flush, poll, then connect/read/write whatever is ready.
    pub(super) fn io_turn(
        &mut self,
        deadline: Deadline,
        timer: Option<Instant>,
        non_blocking: bool,
    ) -> Result<Turn, Error> {
        for i in 0..self.servers.len() {
            let s = &mut self.servers[i];
            if s.conn.is_connected() && s.conn.has_output() {
                if let Err(e) = s.conn.flush() {
                    self.broken(i, e);
                }
            }
        }
        let servers = self.servers.len();
        if servers <= INLINE_FDS {
            let mut fds = [NO_FD; INLINE_FDS];
            let mut map = [0; INLINE_FDS];
            let (n, held) = self.pollfds(non_blocking, &mut fds, &mut map);
            return self.poll_turn(
                &mut fds[..n],
                &map[..n],
                held,
                deadline,
                timer,
                non_blocking,
            );
        }
        let mut sc = std::mem::take(&mut self.poll_scratch);
        sc.fds.resize(servers, NO_FD);
        sc.map.resize(servers, 0);
        let (n, held) = self.pollfds(non_blocking, &mut sc.fds, &mut sc.map);
        let r = self.poll_turn(
            &mut sc.fds[..n],
            &sc.map[..n],
            held,
            deadline,
            timer,
            non_blocking,
        );
        self.poll_scratch = sc;
        r
    }

    /// `held`: a connect was left out of `fds` (see `pollfds`).
    fn poll_turn(
        &mut self,
        fds: &mut [libc::pollfd],
        map: &[usize],
        held: bool,
        deadline: Deadline,
        timer: Option<Instant>,
        non_blocking: bool,
    ) -> Result<Turn, Error> {
        if fds.is_empty() && timer.is_none() {
            // A held connect (see `pollfds`) is something to wait for.
            return Ok(if held { Turn::WouldBlock } else { Turn::Idle });
        }
        let timer = self.connect_timer(timer);
        let ms = if non_blocking {
            0
        } else {
            match self.first_wait.take() {
                // See `call_deadline`.
                Some((d, ms)) if d == deadline && timer.is_none() => ms,
                _ => deadline.poll_ms(timer),
            }
        };
        match poll::poll(fds, ms)? {
            PollOutcome::Interrupted => return Ok(Turn::Interrupted),
            PollOutcome::TimedOut => {
                if self.expire_connects() {
                    // Tasks waiting on a connect that took too long go
                    // back to be submitted elsewhere.
                    return Ok(Turn::Progress);
                }
                if non_blocking {
                    return Ok(Turn::WouldBlock);
                }
                if deadline.expired() {
                    return Ok(Turn::TimedOut(fds.len()));
                }
                return Ok(Turn::Progress);
            }
            PollOutcome::Ready(_) => {}
        }
        for (k, pfd) in fds.iter().enumerate() {
            if pfd.revents == 0 {
                continue;
            }
            let i = map[k];
            let s = &mut self.servers[i];
            if !s.conn.is_connected() {
                match s.conn.continue_connect(&s.addr) {
                    ConnectStep::Failed(e) => self.connect_failed(i, e),
                    ConnectStep::Connected => {
                        s.connect_by = None;
                        s.probing = false;
                        s.health.connected();
                    }
                    ConnectStep::Pending => {}
                }
                continue;
            }
            if pfd.revents & libc::POLLOUT != 0 {
                if let Err(e) = s.conn.flush() {
                    self.broken(i, e);
                    continue;
                }
            }
            if pfd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 {
                match self.servers[i].conn.read() {
                    Ok(0) => {}
                    Ok(_) => {
                        self.servers[i].unconfirmed = false;
                        self.process_input(i);
                    }
                    Err(e) => self.broken(i, e),
                }
            }
        }
        // After the completions above, so a connect that made it in time
        // is not failed.
        self.expire_connects();
        Ok(Turn::Progress)
    }

    /// The earlier of `timer` and the first pending connect's give-up time.
    fn connect_timer(&self, timer: Option<Instant>) -> Option<Instant> {
        self.servers
            .iter()
            .filter(|s| !s.conn.is_connected())
            .filter_map(|s| s.connect_by)
            .chain(timer)
            .min()
    }

    /// Fails connects that are pending past their `connect_by` (the server
    /// is marked down; tasks queued there go elsewhere). Returns whether
    /// any did.
    ///
    /// Inlined for the usual answer (no connect pending), like
    /// `pop_pending`.
    #[inline(always)]
    fn expire_connects(&mut self) -> bool {
        if !self.servers.iter().any(|s| s.connect_by.is_some()) {
            return false;
        }
        self.expire_pending_connects()
    }

    fn expire_pending_connects(&mut self) -> bool {
        let now = Instant::now();
        let mut any = false;
        for i in 0..self.servers.len() {
            let s = &mut self.servers[i];
            let Some(by) = s.connect_by else { continue };
            if s.conn.is_connected() || s.conn.is_closed() {
                s.connect_by = None;
                continue;
            }
            if by <= now {
                let mut e = Error::could_not_connect(&s.addr.host, s.addr.port, libc::ETIMEDOUT);
                if s.conn.is_handshaking() {
                    e.message = format!(
                        "TLS handshake with {}:{} did not complete in time",
                        s.addr.host, s.addr.port
                    );
                }
                self.connect_failed(i, e);
                any = true;
            }
        }
        any
    }

    /// Parses and dispatches every complete packet buffered on server `i`.
    fn process_input(&mut self, i: usize) {
        let max = self.servers[i].conn.max_packet();
        let generation = self.servers[i].conn.generation();
        let mut input = self.servers[i].conn.take_input();
        let need;
        loop {
            match decode(input.bytes(), Magic::Response, max) {
                Ok(Decoded::Packet(p, used)) => {
                    let work = matches!(p.kind(), PacketType::WorkData | PacketType::WorkComplete);
                    let r = if work && (input.has_detached() || input.can_take(used)) {
                        // A large result, not copied: its data went to the
                        // embedder's memory, or the receive buffer becomes
                        // the task's result.
                        let (kind, handle) = (p.kind(), trim_handle(p.arg(0)).to_vec());
                        let data = place(input.bytes(), p.data());
                        let body = match input.take_detached(used) {
                            Some(large) => Body::Large(large),
                            None => input.take_packet(data),
                        };
                        self.on_work(i, kind, &handle, (0, 0), body);
                        Ok(())
                    } else {
                        let r = self.dispatch(i, &p);
                        input.consume(used);
                        r
                    };
                    if let Err(e) = r {
                        self.connection_lost(i, e);
                        return;
                    }
                    if self.servers[i].conn.generation() != generation
                        || !self.servers[i].conn.is_connected()
                    {
                        return;
                    }
                }
                Ok(Decoded::NeedMore(n)) => {
                    need = n;
                    break;
                }
                Err(fe) => {
                    self.connection_lost(i, fe.into());
                    return;
                }
            }
        }
        self.servers[i].conn.restore_input(input, need);
    }

    /// Handles one packet from server `i`. An `Err` drops the connection.
    fn dispatch(&mut self, i: usize, p: &PacketRef<'_>) -> Result<(), Error> {
        use PacketType as T;
        match p.kind() {
            T::JobCreated => match self.servers[i].expect.pop_front() {
                Some(Expect::Submit {
                    id,
                    attempt,
                    foreground,
                }) => {
                    self.on_created(i, id, attempt, foreground, trim_handle(p.arg(0)));
                    Ok(())
                }
                other => Err(out_of_order("JOB_CREATED", other)),
            },
            T::Error => {
                let code = ReturnCode::from_error_packet_code(p.arg(0));
                let message = format!(
                    "{}:{}",
                    String::from_utf8_lossy(p.arg(0)),
                    String::from_utf8_lossy(trim_handle(p.arg(1)))
                );
                let error = Error::new(code, "_client_run_tasks", message);
                match self.servers[i].expect.pop_front() {
                    Some(Expect::Submit { id, attempt, .. })
                    | Some(Expect::Status { id, attempt }) => {
                        if self.live_on(id, attempt, i) {
                            self.fail_tasks(vec![id], error);
                        }
                    }
                    // The connection's own "exceptions" request, refused,
                    // and nobody waiting for it (lazy connect): treat the
                    // server as broken so what was sent there fails with the
                    // refusal and later calls go elsewhere.
                    Some(Expect::Option(tk))
                        if tk == self.servers[i].preamble_token && tk != self.sync_wanted =>
                    {
                        return Err(error)
                    }
                    Some(Expect::SyncStatus(tk))
                    | Some(Expect::SyncStatusUnique(tk))
                    | Some(Expect::Echo(tk))
                    | Some(Expect::Option(tk)) => self.set_sync(tk, Err(error)),
                    // An ERROR nothing asked for: the server is confused
                    // about this stream.
                    None => return Err(error),
                }
                Ok(())
            }
            T::StatusRes => {
                let status = JobStatus {
                    known: atoi(&String::from_utf8_lossy(p.arg(1))) != 0,
                    running: atoi(&String::from_utf8_lossy(p.arg(2))) != 0,
                    numerator: num(p.arg(3)),
                    denominator: num(p.arg(4)),
                    client_count: None,
                };
                match self.servers[i].expect.pop_front() {
                    Some(Expect::Status { id, attempt }) => {
                        if self.live_on(id, attempt, i) {
                            let t = self.task_mut(id).expect("live");
                            t.handle = trim_handle(p.arg(0)).to_vec();
                            t.known = status.known;
                            t.running = status.running;
                            t.numerator = status.numerator;
                            t.denominator = status.denominator;
                            t.rc = ReturnCode::Success;
                            self.set_state(id, TaskState::Finished);
                            self.push_event(id, TaskEvent::Status, Payload::None);
                        }
                        Ok(())
                    }
                    Some(Expect::SyncStatus(tk)) => {
                        self.set_sync(tk, Ok(SyncReply::Status(status)));
                        Ok(())
                    }
                    other => Err(out_of_order("STATUS_RES", other)),
                }
            }
            T::StatusResUnique => match self.servers[i].expect.pop_front() {
                Some(Expect::SyncStatusUnique(tk)) => {
                    let status = JobStatus {
                        known: atoi(&String::from_utf8_lossy(p.arg(1))) != 0,
                        running: atoi(&String::from_utf8_lossy(p.arg(2))) != 0,
                        numerator: num(p.arg(3)),
                        denominator: num(p.arg(4)),
                        client_count: Some(num(p.arg(5))),
                    };
                    self.set_sync(tk, Ok(SyncReply::Status(status)));
                    Ok(())
                }
                other => Err(out_of_order("STATUS_RES_UNIQUE", other)),
            },
            T::EchoRes => match self.servers[i].expect.pop_front() {
                Some(Expect::Echo(tk)) => {
                    if tk == self.sync_wanted {
                        self.set_sync(tk, Ok(SyncReply::Echo(p.data().to_vec())));
                    }
                    Ok(())
                }
                other => Err(out_of_order("ECHO_RES", other)),
            },
            T::OptionRes => match self.servers[i].expect.pop_front() {
                Some(Expect::Option(tk)) => {
                    self.set_sync(tk, Ok(SyncReply::Option));
                    Ok(())
                }
                other => Err(out_of_order("OPTION_RES", other)),
            },
            T::WorkData
            | T::WorkWarning
            | T::WorkStatus
            | T::WorkComplete
            | T::WorkFail
            | T::WorkException => {
                let status = if p.kind() == T::WorkStatus {
                    (num(p.arg(1)), num(p.arg(2)))
                } else {
                    (0, 0)
                };
                let handle = trim_handle(p.arg(0));
                self.on_work(i, p.kind(), handle, status, Body::Borrowed(p.data()));
                Ok(())
            }
            // NOOP and anything else a client never asked for: ignore.
            _ => Ok(()),
        }
    }

    fn on_created(&mut self, i: usize, id: TaskId, attempt: u32, foreground: bool, handle: &[u8]) {
        let live = self.live_on(id, attempt, i);
        if foreground {
            // Even for a forgotten task: gearmand attached this connection
            // and will send one copy of every packet for it.
            // A new route reuses a vacant one or a finished job's
            // allocations (none per foreground job in steady use).
            self.servers[i]
                .routes
                .attach(handle, (id, attempt), &mut self.spare_routes);
        }
        if !live {
            return;
        }
        self.counters.jobs += 1;
        self.servers[i].health.jobs += 1;
        let uid = self.servers[i].uid;
        self.recent_handles.record(handle, uid);
        let (t, count) = self.task_and_count(id).expect("live");
        t.handle.clear();
        t.handle.extend_from_slice(handle);
        t.known = true;
        t.running = false;
        if foreground {
            t.set_state(TaskState::Running { server: i }, count);
            if t.end_only {
                // Not the end: not reported (see `report_end_only`).
                return;
            }
        } else {
            t.set_state(TaskState::Finished, count);
            t.rc = ReturnCode::Success;
        }
        self.push_event(id, TaskEvent::Created, Payload::None);
    }

    /// A WORK_* packet for the task behind `handle`; `status` is
    /// WORK_STATUS's numerator and denominator.
    fn on_work(
        &mut self,
        i: usize,
        kind: PacketType,
        handle: &[u8],
        status: (u32, u32),
        body: Body<'_>,
    ) {
        use PacketType as T;
        let terminal = matches!(kind, T::WorkComplete | T::WorkFail | T::WorkException);
        let (task, freed) = self.servers[i].routes.deal(handle, terminal);
        if let Some((key, route)) = freed {
            self.keep_spare_route(key, route);
        }
        let Some((id, attempt)) = task else {
            return;
        };
        if !self.live_on(id, attempt, i) {
            return;
        }
        let hook = self.retry_hook;
        // Counted here, before the task is borrowed: a WORK_FAIL or
        // WORK_EXCEPTION that the retry hook decides is not an end yet.
        match kind {
            T::WorkComplete => self.counters.completed += 1,
            T::WorkFail if !hook => self.counters.failed += 1,
            T::WorkException if !hook => self.counters.exceptions += 1,
            _ => {}
        }
        // Nothing queued (see `push_event`).
        let first = self.pending.is_empty() && self.ended.is_none();
        let (t, count, ended) = self.task_count_ended(id).expect("live");
        if matches!(t.state(), TaskState::Deciding { .. }) {
            // A timed-out attempt that goes on after all.
            if let TaskState::Deciding { prev, .. } = t.replace_state(TaskState::Finished, count) {
                t.set_state(*prev, count);
            }
        }
        let (event, payload) = match kind {
            T::WorkData => {
                let r = t.append_result(body);
                t.known = true;
                t.running = true;
                (TaskEvent::Data, Payload::Result(r))
            }
            T::WorkWarning => {
                t.known = true;
                t.running = true;
                (TaskEvent::Warning, Payload::Owned(body.bytes().to_vec()))
            }
            T::WorkStatus => {
                // libgearman marks the task known but, unlike WORK_DATA and
                // WORK_WARNING, not running (observed with pecl/gearman).
                t.known = true;
                (t.numerator, t.denominator) = status;
                (TaskEvent::Status, Payload::None)
            }
            T::WorkComplete => {
                let r = t.append_result(body);
                t.known = false;
                t.running = false;
                t.set_state(TaskState::Finished, count);
                t.rc = ReturnCode::Success;
                (TaskEvent::Complete, Payload::Result(r))
            }
            T::WorkFail | T::WorkException => {
                t.known = false;
                t.running = false;
                let (event, payload, rc) = if kind == T::WorkFail {
                    (TaskEvent::Fail, Payload::None, ReturnCode::WorkFail)
                } else {
                    (
                        TaskEvent::Exception,
                        Payload::Owned(body.bytes().to_vec()),
                        ReturnCode::WorkException,
                    )
                };
                if hook {
                    self.attempt_failed(id, Deferred::Event(event, payload, rc), rc);
                    return;
                }
                t.set_state(TaskState::Finished, count);
                t.rc = rc;
                (event, payload)
            }
            _ => return,
        };
        // push_event's end-only handling, here without the call or a
        // second lookup.
        let payload = if t.end_only {
            if !t.is_finished() {
                // Not the end: not reported (see `report_end_only`).
                return;
            }
            match end_unqueued(t, ended, first, id, event, payload) {
                Some(payload) => payload,
                None => return,
            }
        } else {
            payload
        };
        let view = View::of(t);
        self.enqueue(id, event, payload, view);
    }

    /// Keeps a finished route's allocations for the next foreground job
    /// (a few of them).
    fn keep_spare_route(&mut self, mut key: Vec<u8>, mut route: Route) {
        if self.spare_routes.len() < SPARE_ROUTES && route.tasks.capacity() <= 64 {
            key.clear();
            route.tasks.clear();
            route.cursor = 0;
            self.spare_routes.push((key, route));
        }
    }

    /// Runs the loop until the reply for `token` arrives (sync requests).
    /// Signals do not end the wait; the timeout does.
    pub(super) fn wait_token(
        &mut self,
        token: u64,
        deadline: Deadline,
    ) -> Result<SyncReply, Error> {
        self.sync_wanted = token;
        self.sync_result = None;
        let r = loop {
            if let Some(r) = self.sync_result.take() {
                break r;
            }
            match self.io_turn(deadline, None, false) {
                Ok(Turn::Progress) | Ok(Turn::Interrupted) | Ok(Turn::WouldBlock) => {}
                Ok(Turn::TimedOut(n)) => {
                    self.counters.timeouts += 1;
                    break Err(self.timeout_error(n));
                }
                Ok(Turn::Idle) => break Err(Error::no_active_fds()),
                Err(e) => break Err(e),
            }
        };
        self.sync_wanted = 0;
        r
    }
}

fn out_of_order(what: &str, got: Option<Expect>) -> Error {
    Error::new(
        ReturnCode::UnexpectedPacket,
        "gearman_client_run_tasks",
        format!("{} does not answer the oldest request ({:?})", what, got),
    )
}
