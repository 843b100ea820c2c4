//! poll(2) and deadlines: the only place the driver sleeps.
//!
//! A timeout in this crate is a deadline for a whole public call (not reset
//! by activity): `-1` waits forever, `0` fails as soon as something would
//! have to wait. EINTR is reported to the caller as
//! [`PollOutcome::Interrupted`] so the PHP layer can run signal handlers.

use std::time::{Duration, Instant};

use crate::{Error, ReturnCode};

/// When a blocking call must give up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// Never.
    pub const NEVER: Deadline = Deadline(None);

    /// From a libgearman-style millisecond timeout (negative = never).
    pub fn after_ms(ms: i32) -> Deadline {
        if ms < 0 {
            Deadline(None)
        } else {
            Deadline::after_ms_from(Instant::now(), ms)
        }
    }

    /// [`Deadline::after_ms`] counted from a clock reading the caller has.
    #[inline]
    pub fn after_ms_from(now: Instant, ms: i32) -> Deadline {
        Deadline((ms >= 0).then(|| now + Duration::from_millis(ms as u64)))
    }

    /// At `t`, or never.
    pub fn at(t: Option<Instant>) -> Deadline {
        Deadline(t)
    }

    /// The instant, if any.
    pub fn instant(&self) -> Option<Instant> {
        self.0
    }

    /// Whether the deadline has passed.
    pub fn expired(&self) -> bool {
        matches!(self.0, Some(t) if Instant::now() >= t)
    }

    /// Milliseconds for poll(2) until the earlier of the deadline and
    /// `timer`: `-1` for "forever", rounded up so we never wake early and spin.
    pub fn poll_ms(&self, timer: Option<Instant>) -> i32 {
        self.poll_ms_at(None, timer)
    }

    /// [`Deadline::poll_ms`] from a clock reading the caller just took, if
    /// it has one (the one the deadline was set from, typically): one clock
    /// read per wait. Without one (or with neither deadline nor timer) the
    /// clock is read here, only when needed.
    #[inline]
    pub fn poll_ms_at(&self, now: Option<Instant>, timer: Option<Instant>) -> i32 {
        let until = match (self.0, timer) {
            (None, None) => return -1,
            (Some(a), None) | (None, Some(a)) => a,
            (Some(a), Some(b)) => a.min(b),
        };
        let now = now.unwrap_or_else(Instant::now);
        if until <= now {
            return 0;
        }
        let d = until - now;
        let ms = d.as_millis() + u128::from(!d.subsec_nanos().is_multiple_of(1_000_000));
        ms.min(i32::MAX as u128) as i32
    }
}

/// Result of a successful client or worker `wait()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readiness {
    /// A connection has something to do (or a timer expired).
    Ready,
    /// A signal interrupted the wait (EINTR); nothing was lost.
    Interrupted,
}

/// What a poll(2) call ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PollOutcome {
    /// This many descriptors have events.
    Ready(usize),
    /// The timeout elapsed.
    TimedOut,
    /// A signal arrived (EINTR).
    Interrupted,
}

/// poll(2) over `fds` for at most `timeout_ms` (-1 = forever).
pub fn poll(fds: &mut [libc::pollfd], timeout_ms: i32) -> Result<PollOutcome, Error> {
    poll_masked(fds, timeout_ms, None)
}

/// [`poll`], but with `mask` as the signal mask while waiting (ppoll(2)):
/// signals blocked by the caller and pending are delivered as the wait
/// starts and end it with EINTR (see `stop_signal::Held`).
pub fn poll_masked(
    fds: &mut [libc::pollfd],
    timeout_ms: i32,
    mask: Option<&libc::sigset_t>,
) -> Result<PollOutcome, Error> {
    let r = match mask {
        // SAFETY: fds is a valid, exclusively borrowed pollfd array.
        None => unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout_ms) },
        Some(mask) => {
            let ts = (timeout_ms >= 0).then(|| libc::timespec {
                tv_sec: (timeout_ms / 1000) as libc::time_t,
                tv_nsec: ((timeout_ms % 1000) as libc::c_long) * 1_000_000,
            });
            let tsp = ts
                .as_ref()
                .map_or(std::ptr::null(), |t| t as *const libc::timespec);
            // SAFETY: valid pollfd array, timespec and sigset for the call.
            unsafe { libc::ppoll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, tsp, mask) }
        }
    };
    if r > 0 {
        return Ok(PollOutcome::Ready(r as usize));
    }
    if r == 0 {
        return Ok(PollOutcome::TimedOut);
    }
    let e = std::io::Error::last_os_error();
    if e.raw_os_error() == Some(libc::EINTR) {
        return Ok(PollOutcome::Interrupted);
    }
    Err(
        Error::new(ReturnCode::Errno, "gearman_wait", format!("poll: {}", e))
            .with_errno(e.raw_os_error().unwrap_or(0)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_math() {
        assert_eq!(Deadline::after_ms(-1).poll_ms(None), -1);
        assert!(!Deadline::after_ms(-1).expired());
        let d = Deadline::after_ms(0);
        assert_eq!(d.poll_ms(None), 0);
        let d = Deadline::after_ms(1000);
        let ms = d.poll_ms(None);
        assert!(ms > 900 && ms <= 1000, "{}", ms);
        let soon = Instant::now() + Duration::from_millis(10);
        assert!(d.poll_ms(Some(soon)) <= 10);
        assert!(Deadline::NEVER.poll_ms(Some(soon)) <= 10);
    }

    #[test]
    fn poll_times_out_and_sees_readiness() {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        use std::os::fd::AsRawFd;
        let mut fds = [libc::pollfd {
            fd: a.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        }];
        assert_eq!(poll(&mut fds, 0).unwrap(), PollOutcome::TimedOut);
        use std::io::Write;
        (&b).write_all(b"x").unwrap();
        assert_eq!(poll(&mut fds, 1000).unwrap(), PollOutcome::Ready(1));
    }
}
