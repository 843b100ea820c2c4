//! `GearmanClient::stats()` / `GearmanWorker::stats()`: the core's lifetime
//! counters as a PHP array (gearman-rs addition). One builder serves both;
//! only the name of the job count differs (`jobs_submitted` for a client,
//! `jobs_received` for a worker).
//!
//! ```text
//! [ 'jobs_submitted' => int, 'jobs_completed' => int, 'jobs_failed' => int,
//!   'jobs_exceptions' => int, 'retries' => int, 'timeouts' => int,
//!   'bytes_sent' => int, 'bytes_received' => int, 'reconnects' => int,
//!   'servers' => [ [ 'address' => 'host:port', 'state' => 'up'|'down'|'never used',
//!                    'down_until' => float|null (Unix time), 'connects' => int,
//!                    'failures' => int, 'jobs' => int (accepted by / received from it),
//!                    'last_error' => string|null,
//!                    'bytes_sent' => int, 'bytes_received' => int ], ... ] ]
//! ```

use std::time::UNIX_EPOCH;

use gearman_core::{ServerState, Stats};

use crate::zend::ffi::*;
use crate::zend::value::{
    self, assoc_zval, bytes_zval, double_zval, list_zval, long_zval, null_zval,
};

fn count(v: u64) -> zval {
    long_zval(v.min(i64::MAX as u64) as i64)
}

/// Sets `rv` to the stats array; `jobs_key` names the job count.
///
/// # Safety
/// `rv` must be a valid return-value zval.
pub unsafe fn set_array(rv: *mut zval, s: &Stats, jobs_key: &'static str) {
    let servers = s
        .servers
        .iter()
        .map(|srv| {
            let (state, until) = match srv.state {
                ServerState::Up => ("up", null_zval()),
                ServerState::NeverUsed => ("never used", null_zval()),
                ServerState::DownUntil(_) => {
                    let t = srv
                        .down_until_system_time()
                        .and_then(|t| t.duration_since(UNIX_EPOCH).ok());
                    (
                        "down",
                        t.map_or_else(null_zval, |d| double_zval(d.as_secs_f64())),
                    )
                }
            };
            let host = if srv.host.contains(':') {
                format!("[{}]", srv.host)
            } else {
                srv.host.clone()
            };
            assoc_zval(vec![
                (
                    "address",
                    bytes_zval(format!("{}:{}", host, srv.port).as_bytes()),
                ),
                ("state", bytes_zval(state.as_bytes())),
                ("down_until", until),
                ("connects", count(srv.connects)),
                ("failures", count(srv.failures)),
                ("jobs", count(srv.jobs)),
                (
                    "last_error",
                    srv.last_error
                        .as_ref()
                        .map_or_else(null_zval, |e| bytes_zval(e.libgearman_text().as_bytes())),
                ),
                ("bytes_sent", count(srv.bytes_sent)),
                ("bytes_received", count(srv.bytes_received)),
            ])
        })
        .collect();
    let c = &s.counters;
    value::set_assoc(
        rv,
        vec![
            (jobs_key, count(c.jobs)),
            ("jobs_completed", count(c.completed)),
            ("jobs_failed", count(c.failed)),
            ("jobs_exceptions", count(c.exceptions)),
            ("retries", count(c.retries)),
            ("timeouts", count(c.timeouts)),
            ("bytes_sent", count(s.bytes_sent)),
            ("bytes_received", count(s.bytes_received)),
            ("reconnects", count(s.reconnects)),
            ("servers", list_zval(servers)),
        ],
    );
}
