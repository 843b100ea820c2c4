//! A server's health: whether it is up, down (and until when), and the
//! lifetime counts behind `stats()`.
//!
//! A server whose connect failed (refused, unreachable, timed out) or whose
//! connection broke is *down* for a back-off period: 100 ms, doubling with
//! each consecutive failure, capped at 30 s, and reset by a successful
//! connect. While another server is usable a down server is skipped, so a
//! dead host costs one connect attempt per back-off period instead of one
//! per call; when every server is down they are all tried anyway (a caller
//! should never fail just because of our bookkeeping).
//!
//! Reading the clock costs nothing when no server is down: `down_until` is
//! checked for `None` first.

use std::time::{Duration, Instant};

use crate::Error;

/// First back-off period.
pub(crate) const BACKOFF_FIRST: Duration = Duration::from_millis(100);
/// Longest back-off period.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// Up/down state and lifetime counters of one server.
#[derive(Debug, Default)]
pub(crate) struct Health {
    /// Consecutive failures (0 after a successful connect).
    streak: u32,
    down_until: Option<Instant>,
    /// Successful connects.
    pub(crate) connects: u64,
    /// Failed connects and broken connections.
    pub(crate) failures: u64,
    /// Jobs this server accepted (client) or handed out (worker).
    pub(crate) jobs: u64,
    /// The most recent failure.
    pub(crate) last_error: Option<Error>,
}

/// What `stats()` says about a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerState {
    /// Never connected nor tried.
    NeverUsed,
    /// Usable: its last connect succeeded and it has not failed since.
    Up,
    /// Failed and not reconnected since; skipped until this instant while
    /// another server is usable (an instant in the past: tried again at
    /// the next use).
    DownUntil(Instant),
}

impl Health {
    /// A connect succeeded.
    pub(crate) fn connected(&mut self) {
        self.streak = 0;
        self.down_until = None;
        self.connects += 1;
    }

    /// A connect failed or an established connection broke: down for the
    /// next back-off period.
    pub(crate) fn failed(&mut self, error: &Error) {
        self.failures += 1;
        self.streak = self.streak.saturating_add(1);
        let exp = (self.streak - 1).min(16);
        let delay = (BACKOFF_FIRST * (1u32 << exp)).min(BACKOFF_MAX);
        self.down_until = Some(Instant::now() + delay);
        self.last_error = Some(error.clone());
    }

    /// Whether the server is in its back-off period at `now` (cheap when
    /// up: `now` is only evaluated if the server is down).
    pub(crate) fn is_down(&self, now: impl FnOnce() -> Instant) -> bool {
        match self.down_until {
            None => false,
            Some(t) => now() < t,
        }
    }

    /// When the back-off ends, if the server is or was down.
    pub(crate) fn down_until(&self) -> Option<Instant> {
        self.down_until
    }

    /// Failed last time and not reconnected since (even if its back-off
    /// period is over): worth a probe before trusting it with a task.
    pub(crate) fn suspect(&self) -> bool {
        self.streak > 0
    }

    /// Reported state.
    pub(crate) fn state(&self) -> ServerState {
        match self.down_until {
            Some(t) => ServerState::DownUntil(t),
            None if self.connects > 0 => ServerState::Up,
            None => ServerState::NeverUsed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ReturnCode;

    #[test]
    fn backoff_doubles_caps_and_resets() {
        let e = Error::new(ReturnCode::CouldNotConnect, "t", "x");
        let mut h = Health::default();
        assert_eq!(h.state(), ServerState::NeverUsed);
        assert!(!h.is_down(|| panic!("clock read while up")));
        for k in 0..12 {
            let before = Instant::now();
            h.failed(&e);
            let d = h.down_until().unwrap() - before;
            let want = (BACKOFF_FIRST * (1 << k)).min(BACKOFF_MAX);
            assert!(
                d >= want && d < want + Duration::from_millis(50),
                "{k}: {d:?}"
            );
        }
        assert!(h.is_down(Instant::now));
        assert_eq!(h.failures, 12);
        assert!(matches!(h.state(), ServerState::DownUntil(_)));
        assert!(h.suspect());
        h.connected();
        assert!(!h.suspect());
        assert_eq!(h.state(), ServerState::Up);
        assert!(!h.is_down(|| panic!("clock read while up")));
        h.failed(&e);
        let d = h.down_until().unwrap() - Instant::now();
        assert!(d <= BACKOFF_FIRST, "{d:?}");
        assert_eq!(
            h.last_error.as_ref().unwrap().code,
            ReturnCode::CouldNotConnect
        );
    }
}
