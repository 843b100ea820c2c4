//! gearman-core: the PHP-free heart of gearman-rs — Gearman protocol codec,
//! connections, a blocking poll(2) driver, and the client and worker state
//! machines that the PHP layer (`/src`) wraps as `GearmanClient`,
//! `GearmanWorker`, `GearmanTask` and `GearmanJob`.
//!
//! # Design
//!
//! - **Step style, no callbacks.** [`Client::run`] returns at every
//!   [`TaskEvent`]; [`Worker::work`] returns each [`Job`]. The caller runs
//!   user code between calls and holds no borrow across them. Calling the
//!   same function again after [`Step::Interrupted`] /
//!   [`WorkStep::Interrupted`] (EINTR) resumes with no protocol state lost.
//! - **Blocking, single-threaded, poll(2)-driven.** Sockets are non-blocking;
//!   every wait is a poll with a deadline. The timeout (`set_timeout`, ms) is
//!   a deadline for the whole public call: -1 = forever, 0 = fail as soon as
//!   anything would wait. Nothing spins.
//! - **Bounded input.** Packets are parsed as borrowed views
//!   ([`protocol::PacketRef`]) with every separator search bounded by the
//!   declared length; a header announcing more than the maximum packet size
//!   (default 1 GiB, `set_max_packet_size`) is rejected before its body is
//!   read (`GEARMAN_INVALID_PACKET`).
//! - **Few copies.** Each connection coalesces small writes into one buffer
//!   flushed once per loop turn; a task's request packet is encoded once at
//!   `add_task` and queued by reference; worker results go to `sendmsg`
//!   straight from the caller's slice; large bodies are received directly
//!   into a buffer reserved for the declared length. TCP_NODELAY is set.
//! - **Fork safety.** A connection used in a process other than the one that
//!   opened it is closed without `shutdown()` and reopened lazily (preamble
//!   included); client tasks pending on it fail with LOST_CONNECTION.
//! - **Reconnects.** An idle connection found closed by the server (e.g.
//!   gearmand restarted) is reopened transparently before it is used.
//! - **Several servers.** Client and worker share one server list
//!   (`server_list.rs`); a server that failed is down for a back-off period
//!   (`health.rs`) and skipped while another is usable; the client picks
//!   servers by [`Selection`] and re-probes down servers without a task
//!   waiting. Lifetime counters: [`Stats`].
//!
//! # Client ([`Client`])
//!
//! ```text
//! Client::new() / default()
//! add_server(&mut self, host: Option<&str>, port: i64) -> Result<(), Error>   // resolves now; newest first
//! add_servers(&mut self, list: Option<&str>) -> Result<(), Error>              // "h1:p1,h2"; stops at first failure
//! server_count(&self) -> usize;  servers(&self) -> impl Iterator<Item=&ServerAddr>
//! set_timeout(&mut self, ms: i32); timeout(&self) -> i32                       // default -1
//! set_non_blocking(&mut self, bool); non_blocking(&self) -> bool
//! set_max_packet_size(&mut self, usize)
//! set_connect_timeout(&mut self, ms: i32); connect_timeout(&self) -> i32      // default 1000, see server_list.rs
//! set_server_selection(&mut self, Selection); server_selection(&self) -> Selection   // First | RoundRobin | Random
//! stats(&self) -> Stats                                // lifetime counters, per server state (also Worker)
//! enable_exceptions(&mut self) -> Result<(), Error>   // OPTION_REQ round trip with every server now
//! request_exceptions(&mut self)                        // the option on every future connection, no I/O now (also Worker)
//! exceptions_enabled(&self) -> bool
//! add_task(&mut self, TaskKind, function: &[u8], workload: &[u8], unique: Option<&[u8]>) -> Result<TaskId, Error>
//! task(&self, TaskId) -> Option<&Task>; task_mut(&mut self, TaskId) -> Option<&mut Task>
//! has_pending_tasks(&self) -> bool
//! remove_task(&mut self, TaskId)
//! run(&mut self, Scope) -> Step                        // Scope::All | Scope::Only(id)
//! wait(&mut self) -> Result<Readiness, Error>          // non-blocking helper; NO_ACTIVE_FDS / TIMEOUT
//! job_status(&mut self, handle: &[u8]) -> Result<JobStatus, Error>
//! job_status_by_unique(&mut self, unique: &[u8]) -> Result<JobStatus, Error>
//! echo(&mut self, data: &[u8]) -> Result<(), Error>
//! set_retry_hook(&mut self, bool); retry_task(&mut self, TaskId, delay_ms: u64) -> bool; give_up(&mut self, TaskId)
//! ```
//!
//! [`Task`] accessors: `function()` (status tasks: the handle), `unique()`
//! (as sent), `workload()`, `handle()`, `is_known()`, `is_running()`,
//! `numerator()`, `denominator()`, `data()` (payload of the packet behind the
//! last delivered event), `result()` (all WORK_DATA + WORK_COMPLETE, what
//! `doNormal` returns), `take_result()`, `retry_count()`, `is_finished()`,
//! `return_code()`, `background()`, `kind()`.
//!
//! Semantics: tasks are submitted newest-added first; JOB_CREATED and ERROR
//! replies are matched FIFO per connection, WORK_* packets by handle
//! (trailing NULs stripped, so gearmand's exception-as-WORK_FAIL is matched);
//! coalesced tasks on one connection each get every packet once. Background
//! tasks finish at Created, status tasks at STATUS_RES (event Status). A
//! failed submission or lost connection makes `run` return
//! [`Step::Error`] once, with the affected tasks finished with that code; a
//! timeout returns `Step::Error(TIMEOUT)` and leaves tasks pending. With the
//! retry hook on, each failed attempt (WORK_FAIL, WORK_EXCEPTION,
//! LOST_CONNECTION, TIMEOUT, COULD_NOT_CONNECT, NO_SERVERS, ERROR-packet
//! codes) first yields `Event(id, AttemptFailed(code))`; the caller then
//! calls `retry_task` (resubmit after a delay, other tasks keep running) or
//! `give_up` (the normal outcome follows on the next `run`). Calling `run`
//! without deciding gives up. Server choice and failover: see
//! [`client`].
//!
//! # Worker ([`Worker`])
//!
//! ```text
//! Worker::new() / default(); add_server / add_servers / server_count / servers
//! set_timeout / timeout / set_non_blocking / non_blocking / set_max_packet_size / set_connect_timeout / stats
//! set_id(&mut self, &[u8]) -> Result<(), Error>; clear_id(&mut self); id(&self) -> Option<&[u8]>
//! enable_exceptions(&mut self) -> Result<(), Error>
//! set_grab_mode(&mut self, GrabMode); grab_mode(&self) -> GrabMode          // Plain | Uniq | All (default)
//! register(&mut self, function: &[u8], timeout: i64) -> Result<(), Error>
//! unregister(&mut self, &[u8]) -> Result<(), Error>; unregister_all(&mut self) -> Result<(), Error>
//! has_functions(&self) -> bool; functions(&self) -> impl Iterator<Item=&[u8]>
//! work(&mut self) -> WorkStep;  grab_job(&mut self) -> WorkStep
//! wait(&mut self) -> Result<Readiness, Error>
//! send_data / send_warning / send_complete / send_exception(&mut self, &Job, &[u8]) -> Result<(), Error>
//! send_status(&mut self, &Job, u32, u32) -> Result<(), Error>; send_fail(&mut self, &Job) -> Result<(), Error>
//! close_all(&mut self)      // drop every connection silently (callback returned LOST_CONNECTION)
//! echo(&mut self, &[u8]) -> Result<(), Error>
//! ```
//!
//! # Admin ([`admin::Admin`])
//!
//! gearmand's text protocol (`status`, `workers`, `show jobs`, `maxqueue`,
//! `cancel job`, …) as calls returning parsed rows; framing and parsing
//! are pure functions in [`admin::reply`] and [`admin::parse`].
//!
//! # Errors
//!
//! Every failure is an [`Error`] with the exact libgearman [`ReturnCode`],
//! libgearman's message wording and the libgearman function it is
//! attributed to (`Error::libgearman_text()` gives `"func(CODE) message"`).
//!
//! # Lower layers
//!
//! [`protocol`] (packet table, framing, encoding), [`server`] (address
//! rules), [`unique`] (UUIDs, murmur3 for `"#"`), [`poll`] (deadlines,
//! EINTR) are public for tests and tools.
#![warn(missing_docs)]

pub mod admin;
pub mod client;
mod connection;
pub mod error;
pub mod fast_hash;
mod health;
pub mod huge_pages;
pub mod large_body;
pub mod poll;
pub mod protocol;
pub mod return_code;
pub mod selection;
pub mod server;
mod server_list;
pub mod stats;
pub mod stop_signal;
mod sys;
pub mod tls;
mod transport;
pub mod unique;
pub mod worker;

pub use client::{Client, JobStatus, Priority, Scope, Step, Task, TaskEvent, TaskId, TaskKind};
pub use error::Error;
pub use poll::Readiness;
pub use return_code::ReturnCode;
pub use selection::Selection;
pub use server::ServerAddr;
pub use server_list::DEFAULT_CONNECT_TIMEOUT;
pub use stats::{Counters, ServerState, ServerStats, Stats};
pub use tls::{TlsConfig, TlsOptions};
pub use worker::{GrabMode, Job, WorkStep, Worker};

#[cfg(test)]
mod tests {
    fn assert_send<T: Send>() {}

    #[test]
    fn objects_are_send() {
        assert_send::<super::Client>();
        assert_send::<super::Worker>();
        assert_send::<super::Job>();
        assert_send::<super::Error>();
    }
}
