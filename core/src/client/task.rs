//! Tasks: one submitted job (or one GET_STATUS query) and everything the
//! client learned about it.

use std::ops::Range;
use std::sync::Arc;
use std::time::Instant;

use crate::connection::{Body, SharedBytes};
use crate::huge_pages;
use crate::large_body::LargeBody;
use crate::protocol::{encode, encode_head, header, Magic, PacketType, HEADER_LEN};
use crate::{Error, ReturnCode};

/// Handle to a task inside its [`Client`](super::Client): a slab slot plus a
/// generation, so an id of a removed task never aliases a newer one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub u32, pub u32);

/// Job priority.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Priority {
    /// SUBMIT_JOB_HIGH(_BG)
    High,
    /// SUBMIT_JOB(_BG)
    Normal,
    /// SUBMIT_JOB_LOW(_BG)
    Low,
}

/// What a task does.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskKind {
    /// Submit a job.
    Submit {
        /// Queue priority.
        priority: Priority,
        /// Background jobs finish as soon as they are created.
        background: bool,
    },
    /// Ask for the status of a job handle (GET_STATUS → STATUS_RES).
    Status {
        /// The job handle to query.
        handle: Vec<u8>,
    },
}

/// Something that happened to a task. The matching state (handle, data,
/// numerator, …) is readable through [`Task`] when the event is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskEvent {
    /// JOB_CREATED: `handle()` is set. Background tasks are finished now.
    Created,
    /// WORK_DATA: `data()` is the chunk.
    Data,
    /// WORK_WARNING: `data()` is the warning.
    Warning,
    /// WORK_STATUS, or STATUS_RES for a status task (then finished).
    Status,
    /// WORK_COMPLETE: `data()` is the final payload; finished.
    Complete,
    /// WORK_EXCEPTION: `data()` is the exception text; finished.
    Exception,
    /// WORK_FAIL; finished.
    Fail,
    /// Retry hook only: this attempt failed with the given code. The caller
    /// answers with [`Client::retry_task`](super::Client::retry_task) or
    /// [`Client::give_up`](super::Client::give_up).
    AttemptFailed(ReturnCode),
}

/// Where the task is in its life.
///
/// `repr(u8)` with the three states that await submission first: telling
/// them apart (on every transition, see [`Task::set_state`]) is then one
/// comparison of the tag.
#[derive(Clone, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum TaskState {
    /// Waiting to be submitted.
    New,
    /// An attempt ended with a run error (connection lost, no server
    /// reachable, ERROR reply) and there is no retry hook: still pending,
    /// `return_code()` says why. The run that saw the error reports it;
    /// the next `run` submits the task again (see the crate's "every task
    /// ends exactly once" rule).
    Lost,
    /// Waiting for a retry delay to pass.
    Delayed(Instant),
    /// Request queued/sent on a server; waiting for JOB_CREATED / STATUS_RES.
    Submitted { server: usize },
    /// Foreground job created; waiting for WORK_* packets.
    Running { server: usize },
    /// AttemptFailed reported; waiting for retry_task/give_up.
    Deciding {
        prev: Box<TaskState>,
        outcome: Deferred,
        delivered: bool,
    },
    /// Done; `return_code()` is final.
    Finished,
}

impl TaskState {
    /// New, Lost and Delayed tasks wait for `run` to submit them.
    pub(crate) fn awaits_submission(&self) -> bool {
        matches!(
            self,
            TaskState::New | TaskState::Lost | TaskState::Delayed(_)
        )
    }
}

/// How many live tasks await submission (are New, Lost or Delayed), so
/// that a run turn skips the pass over every task when none does (the
/// batch fast path). Kept by [`Task::set_state`], the only way a task's
/// state changes: a transition cannot forget it, and a task it forgot
/// would never be submitted (a silently lost job).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Unsubmitted(u32);

impl Unsubmitted {
    /// Whether some task awaits submission.
    #[inline]
    pub(crate) fn any(self) -> bool {
        self.0 != 0
    }

    /// The count.
    #[cfg(test)]
    pub(crate) fn get(self) -> u32 {
        self.0
    }
}

/// What give_up releases after an AttemptFailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Deferred {
    /// The terminal event (Fail/Exception) with its payload and final code.
    Event(TaskEvent, Payload, ReturnCode),
    /// A run error; `finish` says whether the task ends with it (timeouts
    /// leave the task pending).
    Error(Error, bool),
}

/// The data a delivered event refers to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Payload {
    #[default]
    None,
    /// A range of the task's accumulated result (WORK_DATA, WORK_COMPLETE):
    /// no second copy of large results.
    Result(Range<usize>),
    /// A separate buffer (WORK_WARNING, WORK_EXCEPTION).
    Owned(Vec<u8>),
}

/// A workload of at least this many bytes given as [`SharedBytes`] is sent
/// from the caller's buffer instead of being copied into the request
/// packet (smaller ones are copied: one packet, one write).
pub const SHARE_WORKLOAD_FROM: usize = 16 * 1024;

/// A caller-owned workload held by its task (see [`SHARE_WORKLOAD_FROM`]).
#[derive(Clone)]
pub(crate) struct External(pub(crate) SharedBytes);

impl std::fmt::Debug for External {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "External({} bytes)", (*self.0).as_ref().len())
    }
}

/// A task as the caller sees it.
#[derive(Debug)]
pub struct Task {
    pub(crate) kind: TaskKind,
    /// The complete request packet, built once at `add_task`; queued by
    /// reference on every (re)submission.
    pub(crate) packet: Arc<Vec<u8>>,
    function: Range<usize>,
    unique: Range<usize>,
    workload: Range<usize>,
    /// A large workload the caller keeps: the packet then holds header and
    /// arguments only, and every (re)submission queues these bytes after
    /// it, by reference.
    pub(crate) external: Option<External>,
    /// Whether the caller gave the unique (it then picks the server).
    pub(crate) user_unique: bool,
    pub(crate) seq: u64,
    pub(crate) attempt: u32,
    /// Private: changed only through [`Task::set_state`], which keeps the
    /// client's [`Unsubmitted`] count.
    state: TaskState,
    /// Servers that refused a connection during the current attempt.
    pub(crate) tried: Vec<usize>,
    pub(crate) handle: Vec<u8>,
    pub(crate) known: bool,
    pub(crate) running: bool,
    pub(crate) numerator: u32,
    pub(crate) denominator: u32,
    pub(crate) data: Payload,
    /// The result is `result[result_at..]`: a large result keeps the
    /// receive buffer it arrived in, packet header and handle in front.
    result: Vec<u8>,
    result_at: usize,
    /// Or the result is this, received into the embedder's memory (then
    /// `result` is empty).
    large: Option<LargeBody>,
    pub(crate) retry_count: u32,
    pub(crate) rc: ReturnCode,
    /// SUBMIT_JOB_EPOCH: the Unix time gearmand holds the job until.
    when: Option<u64>,
    /// The caller waits for the task's end only (do*): events before it
    /// are not queued (see [`Client::report_end_only`](super::Client::report_end_only)).
    pub(crate) end_only: bool,
}

fn submit_type(priority: Priority, background: bool) -> PacketType {
    match (priority, background) {
        (Priority::High, false) => PacketType::SubmitJobHigh,
        (Priority::Normal, false) => PacketType::SubmitJob,
        (Priority::Low, false) => PacketType::SubmitJobLow,
        (Priority::High, true) => PacketType::SubmitJobHighBg,
        (Priority::Normal, true) => PacketType::SubmitJobBg,
        (Priority::Low, true) => PacketType::SubmitJobLowBg,
    }
}

/// A SUBMIT_JOB* packet in one pass: header, function, unique, workload
/// (what [`encode`] does for any packet, without its generic checks: the
/// caller validated function and unique, see `validate_submit`). A payload
/// too large for the length field goes through [`encode`] for its error.
fn encode_submit(
    packet: &mut Vec<u8>,
    kind: PacketType,
    function: &[u8],
    unique: &[u8],
    workload: &[u8],
) -> Result<usize, Error> {
    debug_assert!(!crate::protocol::has_nul(function) && !crate::protocol::has_nul(unique));
    let len = function.len() + 1 + unique.len() + 1 + workload.len();
    let Ok(len32) = u32::try_from(len) else {
        return encode(packet, Magic::Request, kind, &[function, unique], workload);
    };
    packet.reserve(HEADER_LEN + len);
    // Written into the reserved room in one go (one length update, no
    // capacity check per part).
    let start = packet.len();
    let room = &mut packet.spare_capacity_mut()[..HEADER_LEN + len];
    let mut at = 0;
    for part in [
        &header(Magic::Request, kind, len32)[..],
        function,
        &[0],
        unique,
        &[0],
        workload,
    ] {
        room[at..at + part.len()].write_copy_of_slice(part);
        at += part.len();
    }
    debug_assert_eq!(at, HEADER_LEN + len);
    // SAFETY: all `HEADER_LEN + len` bytes from `start` were written above.
    unsafe { packet.set_len(start + HEADER_LEN + len) };
    Ok(HEADER_LEN + len)
}

/// Buffers of a removed task up to this capacity stay in its slot for the
/// next task added there (no allocation per task in steady use); larger
/// ones are freed with the task.
const KEEP_BUF: usize = 4096;

impl Task {
    /// A task slot's contents before its first task.
    pub(crate) fn empty() -> Task {
        Task {
            kind: TaskKind::Submit {
                priority: Priority::Normal,
                background: true,
            },
            packet: Arc::new(Vec::new()),
            function: 0..0,
            unique: 0..0,
            workload: 0..0,
            external: None,
            user_unique: false,
            seq: 0,
            attempt: 0,
            state: TaskState::Finished,
            tried: Vec::new(),
            handle: Vec::new(),
            known: false,
            running: false,
            numerator: 0,
            denominator: 0,
            data: Payload::None,
            result: Vec::new(),
            result_at: 0,
            large: None,
            retry_count: 0,
            rc: ReturnCode::Success,
            when: None,
            end_only: false,
        }
    }

    /// Makes this (removed or empty) task a new one, reusing its buffers:
    /// the request packet is encoded into the old packet's allocation
    /// unless a write queue still holds that. `external`, if given, holds
    /// `workload`'s bytes: a large one is then not copied into the packet.
    /// On error the task is left unusable (the caller does not make it
    /// live).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn fill(
        &mut self,
        kind: TaskKind,
        function: &[u8],
        unique: &[u8],
        workload: &[u8],
        external: Option<SharedBytes>,
        user_unique: bool,
        seq: u64,
        when: Option<u64>,
        count: &mut Unsubmitted,
    ) -> Result<(), Error> {
        if Arc::get_mut(&mut self.packet).is_none() {
            self.packet = Arc::new(Vec::new());
        }
        let packet = Arc::get_mut(&mut self.packet).expect("unshared packet");
        packet.clear();
        let external = external.filter(|_| workload.len() >= SHARE_WORKLOAD_FROM);
        if external.is_none() && workload.len() >= huge_pages::ADVISE_FROM {
            // Room for header, arguments (an epoch's digits included) and
            // workload, advised before the copy below first writes it.
            packet.reserve_exact(HEADER_LEN + function.len() + unique.len() + 32 + workload.len());
            huge_pages::advise(packet.as_ptr(), packet.capacity());
        }
        match &kind {
            TaskKind::Submit {
                priority,
                background,
            } => {
                match (&external, when) {
                    (None, None) => encode_submit(
                        packet,
                        submit_type(*priority, *background),
                        function,
                        unique,
                        workload,
                    )?,
                    (None, Some(t)) => encode(
                        packet,
                        Magic::Request,
                        PacketType::SubmitJobEpoch,
                        &[function, unique, t.to_string().as_bytes()],
                        workload,
                    )?,
                    // Header and arguments only: the workload follows from
                    // the caller's buffer (see `External`).
                    (Some(_), None) => encode_head(
                        packet,
                        Magic::Request,
                        submit_type(*priority, *background),
                        &[function, unique],
                        workload.len(),
                    )?,
                    (Some(_), Some(t)) => encode_head(
                        packet,
                        Magic::Request,
                        PacketType::SubmitJobEpoch,
                        &[function, unique, t.to_string().as_bytes()],
                        workload.len(),
                    )?,
                };
                self.function = HEADER_LEN..HEADER_LEN + function.len();
                self.unique = self.function.end + 1..self.function.end + 1 + unique.len();
                self.workload = match &external {
                    Some(_) => packet.len()..packet.len(),
                    None => packet.len() - workload.len()..packet.len(),
                };
            }
            TaskKind::Status { handle } => {
                encode(
                    packet,
                    Magic::Request,
                    PacketType::GetStatus,
                    &[handle],
                    b"",
                )?;
                self.function = HEADER_LEN..packet.len();
                self.unique = self.function.end..self.function.end;
                self.workload = self.function.end..self.function.end;
            }
        }
        self.external = external.map(External);
        self.kind = kind;
        self.user_unique = user_unique;
        self.seq = seq;
        self.attempt = 0;
        self.set_state(TaskState::New, count);
        self.retry_count = 0;
        self.when = when;
        self.end_only = false;
        // Everything an attempt leaves behind, as for a resubmission.
        self.reset_for_retry();
        Ok(())
    }

    /// The task was removed: drop what must not outlive it (a pending
    /// decision, large buffers); small buffers stay for the slot's next task.
    pub(crate) fn release(&mut self, count: &mut Unsubmitted) {
        self.set_state(TaskState::Finished, count);
        self.data = Payload::None;
        self.external = None;
        self.large = None;
        let huge = self.result.capacity() >= huge_pages::ADVISE_FROM;
        if self.packet.capacity() > KEEP_BUF {
            self.packet = Arc::new(Vec::new());
        }
        for v in [&mut self.result, &mut self.handle] {
            if v.capacity() > KEEP_BUF {
                *v = Vec::new();
            }
        }
        if self.result_at > 0 {
            // A taken receive buffer (always large).
            self.result = Vec::new();
            self.result_at = 0;
        }
        if let TaskKind::Status { handle } = &mut self.kind {
            *handle = Vec::new();
        }
        if huge {
            // glibc keeps a freed multi-megabyte block at the top of its
            // heap (its trim threshold follows the largest freed mapping,
            // up to 64 MiB), so a 16 MiB result would stay in the RSS.
            crate::sys::release_free_memory();
        }
    }

    /// Where the task is in its life.
    #[inline]
    pub(crate) fn state(&self) -> &TaskState {
        &self.state
    }

    /// Moves the task to `state`. With [`Task::replace_state`] the only
    /// writer of the state: `count` (the client's) follows every transition
    /// into or out of New, Lost and Delayed.
    #[inline]
    pub(crate) fn set_state(&mut self, state: TaskState, count: &mut Unsubmitted) {
        count.0 -= self.state.awaits_submission() as u32;
        count.0 += state.awaits_submission() as u32;
        let old = std::mem::replace(&mut self.state, state);
        match old {
            TaskState::Deciding { .. } => drop(old),
            // These own nothing: skip the enum's out-of-line drop glue
            // (about 50 instructions per op on the do* path). Listed one by
            // one so that a new variant has to be placed here.
            TaskState::New
            | TaskState::Delayed(_)
            | TaskState::Submitted { .. }
            | TaskState::Running { .. }
            | TaskState::Lost
            | TaskState::Finished => std::mem::forget(old),
        }
    }

    /// [`Task::set_state`] that returns the old state.
    pub(crate) fn replace_state(&mut self, state: TaskState, count: &mut Unsubmitted) -> TaskState {
        count.0 -= self.state.awaits_submission() as u32;
        count.0 += state.awaits_submission() as u32;
        std::mem::replace(&mut self.state, state)
    }

    /// Marks a pending AttemptFailed as delivered to the caller; returns
    /// whether the task was waiting for a decision.
    pub(crate) fn mark_delivered(&mut self) -> bool {
        match &mut self.state {
            TaskState::Deciding { delivered, .. } => {
                *delivered = true;
                true
            }
            _ => false,
        }
    }

    /// A server was added in front of the list (newest first): server
    /// indexes the task refers to move up by one. Not a transition.
    pub(crate) fn server_added(&mut self) {
        fn shift(state: &mut TaskState) {
            match state {
                TaskState::Submitted { server } | TaskState::Running { server } => *server += 1,
                TaskState::Deciding { prev, .. } => shift(prev),
                _ => {}
            }
        }
        shift(&mut self.state);
        for i in self.tried.iter_mut() {
            *i += 1;
        }
    }

    /// The task kind.
    pub fn kind(&self) -> &TaskKind {
        &self.kind
    }

    /// Function name; for status tasks the queried handle (libgearman quirk).
    pub fn function(&self) -> &[u8] {
        &self.packet[self.function.clone()]
    }

    /// The unique key actually sent (generated UUID, `#` hash, truncated
    /// key); empty for status tasks.
    pub fn unique(&self) -> &[u8] {
        &self.packet[self.unique.clone()]
    }

    /// The workload (empty for status tasks).
    pub fn workload(&self) -> &[u8] {
        match &self.external {
            Some(e) => (*e.0).as_ref(),
            None => &self.packet[self.workload.clone()],
        }
    }

    /// Job handle; empty until JOB_CREATED (for status tasks: after STATUS_RES).
    pub fn handle(&self) -> &[u8] {
        &self.handle
    }

    /// Known to the server (JOB_CREATED seen, or STATUS_RES said so).
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// Running on a worker (WORK_* seen, or STATUS_RES said so).
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Last WORK_STATUS / STATUS_RES numerator.
    pub fn numerator(&self) -> u32 {
        self.numerator
    }

    /// Last WORK_STATUS / STATUS_RES denominator.
    pub fn denominator(&self) -> u32 {
        self.denominator
    }

    /// Payload of the packet behind the last delivered event: the chunk for
    /// Data/Warning, the final payload for Complete, the text for Exception.
    pub fn data(&self) -> &[u8] {
        match &self.data {
            Payload::None => &[],
            Payload::Result(r) => self.stored().get(r.clone()).unwrap_or(&[]),
            Payload::Owned(v) => v,
        }
    }

    /// [`data`](Self::data) if it is all of a result received into the
    /// embedder's memory (see `large_body`): usable without a copy.
    pub fn large_data(&self) -> Option<&LargeBody> {
        match (&self.data, &self.large) {
            (Payload::Result(r), Some(b)) if *r == (0..b.bytes().len()) => Some(b),
            _ => None,
        }
    }

    /// All WORK_DATA payloads followed by the WORK_COMPLETE payload (what
    /// `doNormal()` returns).
    pub fn result(&self) -> &[u8] {
        match &self.large {
            Some(b) => b.bytes(),
            None => &self.result[self.result_at..],
        }
    }

    /// The result if it was received into the embedder's memory (see
    /// `large_body`): the embedder can then use it without a copy.
    pub fn large_result(&self) -> Option<&LargeBody> {
        self.large.as_ref()
    }

    /// What [`Payload::Result`] ranges index.
    fn stored(&self) -> &[u8] {
        match &self.large {
            Some(b) => b.bytes(),
            None => &self.result,
        }
    }

    /// Takes the accumulated result out of the task (avoids a copy for
    /// large results).
    pub fn take_result(&mut self) -> Vec<u8> {
        self.data = Payload::None;
        if let Some(b) = self.large.take() {
            return b.bytes().to_vec();
        }
        let mut v = std::mem::take(&mut self.result);
        v.drain(..std::mem::take(&mut self.result_at));
        v
    }

    /// Appends a WORK_DATA / WORK_COMPLETE payload to the result; returns
    /// its range for [`Payload::Result`]. A taken receive buffer becomes the
    /// result if there is none yet (no copy).
    pub(crate) fn append_result(&mut self, body: Body<'_>) -> Range<usize> {
        if let Some(b) = self.large.take() {
            // More after a detached chunk (rare): one buffer from now on.
            self.result = b.bytes().to_vec();
            self.result_at = 0;
        }
        match body {
            Body::Large(b) if self.result.len() == self.result_at => {
                let n = b.bytes().len();
                self.result.clear();
                self.result_at = 0;
                self.large = Some(b);
                0..n
            }
            Body::Owned(mut buf, r) if self.result.len() == self.result_at => {
                buf.truncate(r.end);
                self.result = buf;
                self.result_at = r.start;
                r
            }
            body => {
                let start = self.result.len();
                self.result.extend_from_slice(body.bytes());
                start..self.result.len()
            }
        }
    }

    /// How often [`Client::retry_task`](super::Client::retry_task) resubmitted it.
    pub fn retry_count(&self) -> u32 {
        self.retry_count
    }

    /// Whether the task reached its final state.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, TaskState::Finished)
    }

    /// The final outcome (meaningful once finished): SUCCESS, WORK_FAIL,
    /// WORK_EXCEPTION or the error that ended it.
    pub fn return_code(&self) -> ReturnCode {
        self.rc
    }

    /// For a scheduled job (SUBMIT_JOB_EPOCH), the Unix time it runs at.
    pub fn scheduled_at(&self) -> Option<u64> {
        self.when
    }

    /// Whether this is a background submission.
    pub fn background(&self) -> bool {
        matches!(
            self.kind,
            TaskKind::Submit {
                background: true,
                ..
            }
        )
    }

    /// Whether the task waits on a server (for timeouts).
    pub(crate) fn waiting_on_server(&self) -> bool {
        matches!(
            self.state,
            TaskState::Submitted { .. } | TaskState::Running { .. }
        )
    }

    /// Resets per-attempt state for a resubmission.
    pub(crate) fn reset_for_retry(&mut self) {
        self.handle.clear();
        self.known = false;
        self.running = false;
        self.numerator = 0;
        self.denominator = 0;
        self.data = Payload::None;
        self.large = None;
        if self.result_at > 0 {
            // A taken receive buffer: not kept for the next attempt.
            self.result = Vec::new();
        }
        self.result.clear();
        self.result_at = 0;
        self.tried.clear();
        self.rc = ReturnCode::Success;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_packet_after_other_bytes_and_with_empty_parts() {
        for (function, unique, workload) in [
            (&b"f"[..], &b"u"[..], &b"w"[..]),
            (b"reverse", b"0123456789abcdef0123456789abcdef0123", b"x\0y"),
            (b"f", b"", b""),
        ] {
            let mut want = Vec::new();
            encode(
                &mut want,
                Magic::Request,
                PacketType::SubmitJobBg,
                &[function, unique],
                workload,
            )
            .unwrap();
            // Appended after what the buffer held, as into a reused one.
            let mut got = b"old".to_vec();
            let n = encode_submit(
                &mut got,
                PacketType::SubmitJobBg,
                function,
                unique,
                workload,
            )
            .unwrap();
            assert_eq!(
                (n, &got[..3], &got[3..]),
                (want.len(), &b"old"[..], &want[..])
            );
        }
    }

    /// A task made the way `Client::insert` makes one.
    fn filled(kind: TaskKind, function: &[u8], unique: &[u8], when: Option<u64>) -> Task {
        let mut t = Task::empty();
        let mut count = Unsubmitted::default();
        t.fill(
            kind,
            function,
            unique,
            b"work\0load",
            None,
            true,
            0,
            when,
            &mut count,
        )
        .unwrap();
        assert_eq!(count.get(), 1);
        t
    }

    #[test]
    fn large_external_workload_stays_out_of_the_packet() {
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: false,
        };
        let mut count = Unsubmitted::default();
        for (len, by_ref) in [
            (SHARE_WORKLOAD_FROM - 1, false),
            (SHARE_WORKLOAD_FROM, true),
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let ext: SharedBytes = Arc::new(bytes.clone());
            let mut t = Task::empty();
            t.fill(
                kind.clone(),
                b"fn",
                b"uq",
                &bytes,
                Some(ext),
                true,
                0,
                None,
                &mut count,
            )
            .unwrap();
            // The header counts the workload either way.
            let mut whole = Vec::new();
            encode(
                &mut whole,
                Magic::Request,
                PacketType::SubmitJob,
                &[b"fn", b"uq"],
                &bytes,
            )
            .unwrap();
            assert_eq!(t.packet[..HEADER_LEN], whole[..HEADER_LEN]);
            let head = HEADER_LEN + b"fn\0uq\0".len();
            assert_eq!(t.packet.len(), if by_ref { head } else { whole.len() });
            assert_eq!(t.external.is_some(), by_ref);
            assert_eq!(
                (t.function(), t.unique(), t.workload()),
                (&b"fn"[..], &b"uq"[..], &bytes[..])
            );
            t.release(&mut count);
            assert!(t.external.is_none(), "the reference goes with the task");
        }
    }

    fn status(handle: &[u8]) -> Task {
        let kind = TaskKind::Status {
            handle: handle.to_vec(),
        };
        filled(kind, b"", b"", None)
    }

    #[test]
    fn accessors_slice_the_packet() {
        let kind = TaskKind::Submit {
            priority: Priority::Low,
            background: true,
        };
        let t = filled(kind, b"fn", b"uq", None);
        assert_eq!(t.function(), b"fn");
        assert_eq!(t.unique(), b"uq");
        assert_eq!(t.workload(), b"work\0load");
        assert_eq!(u32::from_be_bytes(t.packet[4..8].try_into().unwrap()), 34);
        assert!(t.background());
        let s = status(b"H:x:1");
        assert_eq!(s.function(), b"H:x:1");
        assert_eq!(s.unique(), b"");
        assert_eq!(s.workload(), b"");
    }

    #[test]
    fn result_takes_a_receive_buffer_then_appends() {
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: false,
        };
        let mut t = filled(kind, b"fn", b"uq", None);
        // WORK_DATA taken with its receive buffer: header and handle in front.
        let buf = b"HEADERH:1\0chunk-one".to_vec();
        let r1 = t.append_result(Body::Owned(buf, 10..19));
        t.data = Payload::Result(r1);
        assert_eq!(
            (t.result(), t.data()),
            (&b"chunk-one"[..], &b"chunk-one"[..])
        );
        // WORK_COMPLETE borrowed: appended behind it.
        let r2 = t.append_result(Body::Borrowed(b"+done"));
        t.data = Payload::Result(r2);
        assert_eq!(
            (t.result(), t.data()),
            (&b"chunk-one+done"[..], &b"+done"[..])
        );
        // A second taken buffer once there is a result is appended (copied).
        let r3 = t.append_result(Body::Owned(b"xxtail".to_vec(), 2..6));
        t.data = Payload::Result(r3);
        assert_eq!(t.data(), b"tail");
        assert_eq!(t.take_result(), b"chunk-one+donetail");
        assert_eq!(t.result(), b"");
        t.append_result(Body::Owned(b"__again".to_vec(), 2..7));
        t.reset_for_retry();
        assert_eq!(t.result(), b"");
        t.append_result(Body::Borrowed(b"fresh"));
        assert_eq!(t.result(), b"fresh");
    }

    #[test]
    fn epoch_packet_layout() {
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: true,
        };
        let t = filled(kind, b"fn", b"uq", Some(1_700_000_000));
        assert_eq!(u32::from_be_bytes(t.packet[4..8].try_into().unwrap()), 36);
        assert_eq!(
            &t.packet[HEADER_LEN..],
            b"fn\x00uq\x001700000000\x00work\x00load"
        );
        assert_eq!(
            (t.function(), t.unique(), t.workload()),
            (&b"fn"[..], &b"uq"[..], &b"work\0load"[..])
        );
        assert!(t.background());
        assert_eq!(t.scheduled_at(), Some(1_700_000_000));
        assert_eq!(status(b"H").scheduled_at(), None);
    }

    #[test]
    fn submit_packet_as_the_generic_encoder_makes_it() {
        for priority in [Priority::High, Priority::Normal, Priority::Low] {
            for background in [false, true] {
                let kind = TaskKind::Submit {
                    priority,
                    background,
                };
                let t = filled(kind, b"function", b"unique-key", None);
                let mut want = Vec::new();
                encode(
                    &mut want,
                    Magic::Request,
                    submit_type(priority, background),
                    &[b"function", b"unique-key"],
                    b"work\0load",
                )
                .unwrap();
                assert_eq!(*t.packet, want);
            }
        }
    }

    #[test]
    fn set_state_keeps_the_count() {
        let mut count = Unsubmitted::default();
        let mut t = Task::empty();
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: false,
        };
        t.fill(kind, b"f", b"u", b"w", None, false, 0, None, &mut count)
            .unwrap();
        assert_eq!(count.get(), 1);
        let later = std::time::Instant::now();
        let states = [
            (TaskState::Submitted { server: 0 }, 0),
            (TaskState::Running { server: 0 }, 0),
            (TaskState::Lost, 1),
            (TaskState::New, 1),
            (TaskState::Delayed(later), 1),
            (
                TaskState::Deciding {
                    prev: Box::new(TaskState::New),
                    outcome: Deferred::Error(Error::no_active_fds(), true),
                    delivered: false,
                },
                0,
            ),
            (TaskState::Finished, 0),
            (TaskState::Lost, 1),
        ];
        for (state, want) in states {
            t.set_state(state, &mut count);
            assert_eq!(count.get(), want);
        }
        t.release(&mut count);
        assert_eq!(count.get(), 0);
    }
}
