//! Lifetime counters for monitoring (`GearmanClient::stats()`,
//! `GearmanWorker::stats()`).
//!
//! Counting is a plain integer add where the event is already handled (a
//! packet dispatched, bytes returned by send/recv): no syscall, no
//! allocation, no atomics (a client or worker is single-threaded). The
//! snapshot is built only when asked for. Counters are never reset.

use std::time::{Duration, Instant, SystemTime};

pub use crate::health::ServerState;
use crate::server_list::ServerList;
use crate::Error;

/// Job counts of a client or a worker.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Client: jobs a server accepted (JOB_CREATED). Worker: jobs received.
    pub jobs: u64,
    /// Client: WORK_COMPLETE received. Worker: WORK_COMPLETE sent.
    pub completed: u64,
    /// Client: tasks that ended failed (WORK_FAIL, or no server could take
    /// or finish them). Worker: WORK_FAIL sent.
    pub failed: u64,
    /// WORK_EXCEPTION received (client) or sent (worker).
    pub exceptions: u64,
    /// Client: resubmissions through the retry hook. Worker: GRAB retried
    /// on a fresh connection after the old one was found dead.
    pub retries: u64,
    /// Calls that ended with GEARMAN_TIMEOUT (worker: idle `work()` timeouts).
    pub timeouts: u64,
}

impl Counters {
    /// Counts a job's failed end by its code (WORK_FAIL or WORK_EXCEPTION).
    pub(crate) fn count_outcome(&mut self, rc: crate::ReturnCode) {
        match rc {
            crate::ReturnCode::WorkException => self.exceptions += 1,
            crate::ReturnCode::WorkFail => self.failed += 1,
            _ => {}
        }
    }
}

/// One server's view.
#[derive(Clone, Debug)]
pub struct ServerStats {
    /// Host as given.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Up, down until a time, or never used.
    pub state: ServerState,
    /// Successful connects.
    pub connects: u64,
    /// Failed connects and broken connections.
    pub failures: u64,
    /// Jobs this server accepted (client) or handed out (worker).
    pub jobs: u64,
    /// The most recent failure.
    pub last_error: Option<Error>,
    /// Bytes written to this server.
    pub bytes_sent: u64,
    /// Bytes read from this server.
    pub bytes_received: u64,
}

/// A snapshot of a client's or worker's counters.
#[derive(Clone, Debug)]
pub struct Stats {
    /// Job counts.
    pub counters: Counters,
    /// Bytes written, all servers.
    pub bytes_sent: u64,
    /// Bytes read, all servers.
    pub bytes_received: u64,
    /// Connects beyond the first to each server.
    pub reconnects: u64,
    /// Per server, newest first (the list order).
    pub servers: Vec<ServerStats>,
}

impl ServerStats {
    /// For `DownUntil`: the wall-clock time the back-off ends.
    pub fn down_until_system_time(&self) -> Option<SystemTime> {
        match self.state {
            ServerState::DownUntil(t) => {
                let left = t.saturating_duration_since(Instant::now());
                Some(SystemTime::now() + left)
            }
            _ => None,
        }
    }

    /// For `DownUntil`: how long until the server is tried again.
    pub fn retry_in(&self) -> Option<Duration> {
        match self.state {
            ServerState::DownUntil(t) => Some(t.saturating_duration_since(Instant::now())),
            _ => None,
        }
    }
}

impl<X> ServerList<X> {
    /// The snapshot behind `stats()`.
    pub(crate) fn stats(&self, counters: Counters) -> Stats {
        let servers: Vec<ServerStats> = self
            .iter()
            .map(|s| ServerStats {
                host: s.addr.host.clone(),
                port: s.addr.port,
                state: s.health.state(),
                connects: s.health.connects,
                failures: s.health.failures,
                jobs: s.health.jobs,
                last_error: s.health.last_error.clone(),
                bytes_sent: s.conn.bytes_sent,
                bytes_received: s.conn.bytes_received,
            })
            .collect();
        Stats {
            counters,
            bytes_sent: servers.iter().map(|s| s.bytes_sent).sum(),
            bytes_received: servers.iter().map(|s| s.bytes_received).sum(),
            reconnects: servers.iter().map(|s| s.connects.saturating_sub(1)).sum(),
            servers,
        }
    }
}
