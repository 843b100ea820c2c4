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
//!
//! What is known about down servers is shared by every client and worker of
//! the process (per thread): a server added to a new `GearmanClient` starts
//! with the back-off earlier ones recorded for the same host and port. A
//! PHP-FPM worker creates a client per request; without this each request
//! would pay the connect timeout of a blackholed server again. Only down
//! servers are listed (a successful connect removes the entry), at most
//! [`KNOWN_DOWN_MAX`]; the lookup happens when a server is added, the
//! update when a connect succeeds or a server fails, never per call.

use std::cell::RefCell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::Error;

/// First back-off period.
pub(crate) const BACKOFF_FIRST: Duration = Duration::from_millis(100);
/// Longest back-off period.
pub(crate) const BACKOFF_MAX: Duration = Duration::from_secs(30);

/// At most this many down servers are remembered per thread.
pub(crate) const KNOWN_DOWN_MAX: usize = 1024;

thread_local! {
    /// (host, port) -> (consecutive failures, down until).
    static KNOWN_DOWN: RefCell<HashMap<(String, u16), (u32, Instant)>> = RefCell::new(HashMap::new());
}

/// Up/down state and lifetime counters of one server.
#[derive(Debug, Default)]
pub(crate) struct Health {
    /// Where this server is listed in `KNOWN_DOWN` (None: not shared).
    key: Option<(String, u16)>,
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
    /// The health of a server just added: what this process already knows
    /// about `host:port` being down, if anything.
    pub(crate) fn shared(host: &str, port: u16) -> Health {
        let key = (host.to_string(), port);
        let known = KNOWN_DOWN.with(|k| k.borrow().get(&key).copied());
        let (streak, down_until) = match known {
            Some((streak, until)) => (streak, Some(until)),
            None => (0, None),
        };
        Health {
            key: Some(key),
            streak,
            down_until,
            ..Health::default()
        }
    }

    /// A connect succeeded.
    pub(crate) fn connected(&mut self) {
        self.streak = 0;
        self.down_until = None;
        self.connects += 1;
        if let Some(key) = &self.key {
            KNOWN_DOWN.with(|k| k.borrow_mut().remove(key));
        }
    }

    /// A connect failed or an established connection broke: down for the
    /// next back-off period (continuing the streak other clients of this
    /// process recorded).
    pub(crate) fn failed(&mut self, error: &Error) {
        self.failures += 1;
        self.last_error = Some(error.clone());
        let known = self
            .key
            .as_ref()
            .and_then(|key| KNOWN_DOWN.with(|k| k.borrow().get(key).map(|e| e.0)));
        self.streak = self.streak.max(known.unwrap_or(0)).saturating_add(1);
        let exp = (self.streak - 1).min(16);
        let delay = (BACKOFF_FIRST * (1u32 << exp)).min(BACKOFF_MAX);
        let until = Instant::now() + delay;
        self.down_until = Some(until);
        if let Some(key) = &self.key {
            KNOWN_DOWN.with(|k| {
                let mut k = k.borrow_mut();
                if k.len() >= KNOWN_DOWN_MAX && !k.contains_key(key) {
                    // Forget the entry that ends first (bounded memory).
                    if let Some(old) = k.iter().min_by_key(|e| (e.1).1).map(|e| e.0.clone()) {
                        k.remove(&old);
                    }
                }
                k.insert(key.clone(), (self.streak, until));
            });
        }
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
    fn down_servers_are_known_to_new_objects_of_the_process() {
        let e = Error::new(ReturnCode::CouldNotConnect, "t", "x");
        let mut a = Health::shared("known-down.test", 1);
        assert!(!a.is_down(|| panic!("clock read while up")));
        a.failed(&e);
        a.failed(&e);
        let b = Health::shared("known-down.test", 1);
        assert!(b.is_down(Instant::now));
        assert!(b.suspect());
        assert_eq!(b.failures, 0, "counts stay per object");
        assert!(matches!(b.state(), ServerState::DownUntil(_)));
        // The streak continues: the third failure (by anyone) waits 400 ms.
        let mut c = Health::shared("known-down.test", 1);
        let before = Instant::now();
        c.failed(&e);
        assert!(c.down_until().unwrap() - before >= BACKOFF_FIRST * 4);
        // Another port or host is another server.
        assert!(!Health::shared("known-down.test", 2).is_down(Instant::now));
        // A success anywhere clears it for new objects.
        c.connected();
        assert!(!Health::shared("known-down.test", 1).is_down(Instant::now));
        // Other threads have their own view.
        a.failed(&e);
        std::thread::spawn(|| assert!(!Health::shared("known-down.test", 1).is_down(Instant::now)))
            .join()
            .unwrap();
    }

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
