//! Which server a client task goes to first.
//!
//! - [`Selection::First`] (default, libgearman's order): the newest-added
//!   server, then the next ones on failure.
//! - [`Selection::RoundRobin`]: each submission starts one server further.
//! - [`Selection::Random`]: each submission starts at a random server.
//!
//! Whatever the strategy, a task with a caller-given unique key starts at
//! `murmur3(unique) % servers` (so equal keys meet on one gearmand and
//! coalesce), failover walks on from the starting server, and servers that
//! are down are skipped while another is usable (see `health.rs`).
//! Choosing costs a few arithmetic operations: no syscall, no allocation.

use std::hash::{BuildHasher, Hasher};

/// A server selection strategy (`GEARMAN_SERVER_SELECTION_*`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Selection {
    /// Newest-added server first, failing over in list order.
    #[default]
    First,
    /// Rotate the starting server with every submission.
    RoundRobin,
    /// A uniformly random starting server per submission.
    Random,
}

impl Selection {
    /// The `GEARMAN_SERVER_SELECTION_*` value.
    pub fn value(self) -> i64 {
        match self {
            Selection::First => 0,
            Selection::RoundRobin => 1,
            Selection::Random => 2,
        }
    }

    /// From a `GEARMAN_SERVER_SELECTION_*` value.
    pub fn from_value(v: i64) -> Option<Selection> {
        match v {
            0 => Some(Selection::First),
            1 => Some(Selection::RoundRobin),
            2 => Some(Selection::Random),
            _ => None,
        }
    }

    /// From a php.ini word (`first`, `round_robin`, `random`, or the number).
    pub fn parse(s: &str) -> Option<Selection> {
        match s.trim().to_ascii_lowercase().as_str() {
            "first" | "0" | "" => Some(Selection::First),
            "round_robin" | "round-robin" | "roundrobin" | "1" => Some(Selection::RoundRobin),
            "random" | "2" => Some(Selection::Random),
            _ => None,
        }
    }
}

/// A client's strategy with its cursor and random state.
#[derive(Clone, Debug)]
pub(crate) struct Selector {
    strategy: Selection,
    cursor: usize,
    rng: u64,
}

impl Default for Selector {
    fn default() -> Self {
        // std's RandomState is seeded once per thread from the OS and then
        // derived without syscalls: a cheap, per-client different seed.
        let seed = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        Selector {
            strategy: Selection::First,
            cursor: 0,
            rng: seed | 1,
        }
    }
}

impl Selector {
    pub(crate) fn strategy(&self) -> Selection {
        self.strategy
    }

    pub(crate) fn set_strategy(&mut self, s: Selection) {
        self.strategy = s;
    }

    /// The index to start at among `n > 0` servers.
    pub(crate) fn start(&mut self, n: usize) -> usize {
        match self.strategy {
            Selection::First => 0,
            Selection::RoundRobin => {
                let i = self.cursor % n;
                self.cursor = i + 1;
                i
            }
            Selection::Random => {
                // xorshift64*: fast and good enough to spread load.
                let mut x = self.rng;
                x ^= x >> 12;
                x ^= x << 25;
                x ^= x >> 27;
                self.rng = x;
                let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
                // Multiply-shift instead of `%`: unbiased enough, no division.
                (((r >> 32) * n as u64) >> 32) as usize
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_words() {
        for s in [Selection::First, Selection::RoundRobin, Selection::Random] {
            assert_eq!(Selection::from_value(s.value()), Some(s));
        }
        assert_eq!(Selection::from_value(3), None);
        assert_eq!(Selection::parse("Round_Robin"), Some(Selection::RoundRobin));
        assert_eq!(Selection::parse("random"), Some(Selection::Random));
        assert_eq!(Selection::parse("0"), Some(Selection::First));
        assert_eq!(Selection::parse("fastest"), None);
    }

    #[test]
    fn strategies_spread() {
        let mut s = Selector::default();
        assert_eq!((0..5).map(|_| s.start(3)).collect::<Vec<_>>(), vec![0; 5]);
        s.set_strategy(Selection::RoundRobin);
        assert_eq!(
            (0..7).map(|_| s.start(3)).collect::<Vec<_>>(),
            vec![0, 1, 2, 0, 1, 2, 0]
        );
        // A server added meanwhile (n grows) keeps the rotation in range.
        assert!(s.start(4) < 4);
        s.set_strategy(Selection::Random);
        let mut counts = [0usize; 3];
        for _ in 0..30_000 {
            counts[s.start(3)] += 1;
        }
        for c in counts {
            assert!((9_000..11_000).contains(&c), "{counts:?}");
        }
        assert_eq!(s.start(1), 0);
    }
}
