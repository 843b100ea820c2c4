//! An admin client for gearmand's text protocol (protocol doc §7): what
//! `gearadmin` does, as an API (`GearmanAdmin` in PHP).
//!
//! One connection, opened lazily at the first call and reopened when it
//! is found dead or out of step (gearmand restarted while we were idle, a
//! stray reply). Each call is one command line and one reply, within a
//! deadline that covers name resolution's result use, connect, send and
//! the whole reply ([`Admin::set_timeout`]); a reply larger than
//! [`Admin::set_max_reply`] bytes is an error, never a growing buffer.
//! After a timeout or any error mid-reply the connection is closed, so a
//! late reply can never be taken for the next command's.
//!
//! The framing ([`reply`]) and the meaning of replies ([`parse`]) are pure
//! functions over bytes, tested and fuzzed on their own.
//!
//! Transport: the socket, its buffers and fork detection are
//! [`Connection`]'s, exactly as for clients and workers, so the admin
//! client speaks TLS the same way ([`Admin::set_tls`]): verified, never
//! falling back to plaintext, the handshake within the call's deadline.

pub mod parse;
pub mod reply;

use std::sync::Arc;

use crate::connection::Connection;
use crate::poll::{self, Deadline, PollOutcome};
use crate::server::{self, ServerAddr};
use crate::tls::TlsConfig;
use crate::{Error, ReturnCode};

pub use parse::{raise_err, FunctionStatus, JobInfo, PriorityStatus, WorkerInfo};
pub use reply::{Framer, Reply, Shape};

/// Default bound of one reply (`show jobs` on a busy server is the big one).
pub const DEFAULT_MAX_REPLY: usize = 64 << 20;

/// gearmand 1.1 splits a command line into at most this many words and
/// drops the connection, without a reply, when there are more.
pub const MAX_WORDS: usize = 5;

/// Why a command line or argument cannot be sent (the PHP layer turns
/// this into a ValueError).
pub fn check_line(line: &[u8]) -> Result<(), &'static str> {
    if line.iter().any(|&b| b == b'\n' || b == b'\r' || b == 0) {
        return Err("must not contain line breaks or NUL bytes");
    }
    if line.split(|&b| b == b' ').filter(|w| !w.is_empty()).count() > MAX_WORDS {
        return Err("must have at most 5 words (gearmand drops the connection otherwise)");
    }
    Ok(())
}

/// Why a function name or job handle cannot be an admin-command argument.
pub fn check_word(word: &[u8]) -> Result<(), &'static str> {
    if word.is_empty() {
        return Err("must not be empty");
    }
    if word
        .iter()
        .any(|&b| b == b' ' || b == b'\t' || b == b'\n' || b == b'\r' || b == 0)
    {
        return Err("must not contain spaces, tabs, line breaks or NUL bytes");
    }
    Ok(())
}

/// A gearmand admin connection.
pub struct Admin {
    host: String,
    port: u16,
    addr: Option<ServerAddr>,
    conn: Connection,
    timeout: i32,
    max_reply: usize,
}

impl Admin {
    /// An admin client for `host:port`; nothing is resolved or connected
    /// until the first command. Timeout 5000 ms.
    pub fn new(host: &str, port: u16) -> Admin {
        Admin {
            host: host.to_string(),
            port,
            addr: None,
            conn: Connection::new(DEFAULT_MAX_REPLY),
            timeout: 5000,
            max_reply: DEFAULT_MAX_REPLY,
        }
    }

    /// Deadline of each call in ms (-1 = none; the PHP class never uses it).
    pub fn set_timeout(&mut self, ms: i32) {
        self.timeout = ms;
    }

    /// The timeout in ms.
    pub fn timeout(&self) -> i32 {
        self.timeout
    }

    /// Largest reply accepted, in bytes.
    pub fn set_max_reply(&mut self, bytes: usize) {
        self.max_reply = bytes.max(64);
        self.conn.set_max_packet(self.max_reply);
    }

    /// TLS for the connections opened from now on (`None` = plain TCP).
    /// An open connection is closed, so the next call uses the new setting.
    pub fn set_tls(&mut self, tls: Option<Arc<TlsConfig>>) {
        self.conn.close();
        self.conn.set_tls(tls);
    }

    /// `host:port` as given.
    pub fn server(&self) -> (&str, u16) {
        (&self.host, self.port)
    }

    // ---- commands --------------------------------------------------------

    /// Sends one command line (without line end) and returns the reply,
    /// whatever it says (`ERR` replies included). The reply shape comes
    /// from the command ([`Shape::of`]).
    pub fn command(&mut self, line: &[u8]) -> Result<Reply, Error> {
        if let Err(why) = check_line(line) {
            return Err(Error::invalid_argument(
                "gearman_admin",
                format!("command {}", why),
            ));
        }
        self.round_trip(line, Shape::of(line), None)
    }

    fn run(&mut self, line: &[u8]) -> Result<Reply, Error> {
        self.round_trip(line, Shape::of(line), None)
    }

    /// A listing whose lines are checked as they arrive.
    fn listing(&mut self, line: &[u8], check: reply::LineCheck) -> Result<Reply, Error> {
        self.round_trip(line, Shape::Block, Some(check))
    }

    /// `prefix FUNCTION suffix`, the function name checked.
    fn function_line(prefix: &str, function: &[u8], suffix: &str) -> Result<Vec<u8>, Error> {
        if let Err(why) = check_word(function) {
            return Err(Error::invalid_argument(
                "gearman_admin",
                format!("function name {}", why),
            ));
        }
        let mut line = prefix.as_bytes().to_vec();
        line.extend_from_slice(function);
        line.extend_from_slice(suffix.as_bytes());
        Ok(line)
    }

    /// `status`.
    pub fn status(&mut self) -> Result<Vec<FunctionStatus>, Error> {
        parse::status(self.listing(b"status", |l| parse::status_line(l).map(drop))?)
    }

    /// `prioritystatus`.
    pub fn priority_status(&mut self) -> Result<Vec<PriorityStatus>, Error> {
        parse::priority_status(
            self.listing(b"prioritystatus", |l| parse::priority_line(l).map(drop))?,
        )
    }

    /// `workers`.
    pub fn workers(&mut self) -> Result<Vec<WorkerInfo>, Error> {
        parse::workers(self.listing(b"workers", |l| parse::worker_line(l).map(drop))?)
    }

    /// `show jobs`.
    pub fn jobs(&mut self) -> Result<Vec<JobInfo>, Error> {
        parse::jobs(self.listing(b"show jobs", |l| parse::job_line(l).map(drop))?)
    }

    /// `show unique jobs`.
    pub fn unique_jobs(&mut self) -> Result<Vec<Vec<u8>>, Error> {
        parse::unique_jobs(self.run(b"show unique jobs")?)
    }

    /// `version`, e.g. `1.1.20+ds`.
    pub fn version(&mut self) -> Result<String, Error> {
        Ok(String::from_utf8_lossy(&parse::ok(self.run(b"version")?)?).into_owned())
    }

    /// `getpid`.
    pub fn pid(&mut self) -> Result<u64, Error> {
        parse::ok_number(self.run(b"getpid")?)
    }

    /// `maxqueue FUNCTION SIZE`: at most `size` jobs (queued and running,
    /// all priorities) for each priority's submissions; 0 = no limit.
    /// gearmand only applies it to a function it knows (registered by a
    /// worker, used by a job, or created with `create function`).
    pub fn max_queue(&mut self, function: &[u8], size: u32) -> Result<(), Error> {
        let line = Self::function_line("maxqueue ", function, &format!(" {}", size))?;
        parse::ok(self.run(&line)?).map(|_| ())
    }

    /// `maxqueue FUNCTION HIGH NORMAL LOW`: a limit per priority of the
    /// submitted job (0 = no limit).
    pub fn max_queue_by_priority(
        &mut self,
        function: &[u8],
        high: u32,
        normal: u32,
        low: u32,
    ) -> Result<(), Error> {
        let line = Self::function_line(
            "maxqueue ",
            function,
            &format!(" {} {} {}", high, normal, low),
        )?;
        parse::ok(self.run(&line)?).map(|_| ())
    }

    /// `cancel job HANDLE`: a queued job is dropped instead of run
    /// (ERR UNKNOWN_JOB → JOB_NOT_FOUND for an unknown handle).
    pub fn cancel_job(&mut self, handle: &[u8]) -> Result<(), Error> {
        if let Err(why) = check_word(handle) {
            return Err(Error::invalid_argument(
                "gearman_admin",
                format!("job handle {}", why),
            ));
        }
        let mut line = b"cancel job ".to_vec();
        line.extend_from_slice(handle);
        parse::ok(self.run(&line)?).map(|_| ())
    }

    /// `create function NAME`.
    pub fn create_function(&mut self, function: &[u8]) -> Result<(), Error> {
        let line = Self::function_line("create function ", function, "")?;
        parse::ok(self.run(&line)?).map(|_| ())
    }

    /// `drop function NAME` (only without workers and running jobs).
    pub fn drop_function(&mut self, function: &[u8]) -> Result<(), Error> {
        let line = Self::function_line("drop function ", function, "")?;
        parse::ok(self.run(&line)?).map(|_| ())
    }

    // ---- the exchange ----------------------------------------------------

    fn round_trip(
        &mut self,
        line: &[u8],
        shape: Shape,
        check: Option<reply::LineCheck>,
    ) -> Result<Reply, Error> {
        let deadline = Deadline::after_ms(self.timeout);
        if self.addr.is_none() {
            self.addr = Some(server::resolve(Some(&self.host), i64::from(self.port))?);
        }
        self.prepare();
        match self.exchange(line, shape, check, deadline) {
            // The connection died before any reply: the idle one went away
            // between our check and the send, or a fresh one landed in the
            // backlog of a gearmand that was still exiting and was reset.
            // gearmand answers every line it reads, so one more try on a
            // fresh connection (within the same deadline) is safe.
            Err((e, false)) if e.code == ReturnCode::LostConnection => {
                self.conn.close();
                self.exchange(line, shape, check, deadline)
                    .map_err(|(e, _)| e)
            }
            r => r.map_err(|(e, _)| e),
        }
    }

    /// Closes a connection inherited across fork, found closed by the peer,
    /// or holding unread bytes (out of step).
    fn prepare(&mut self) {
        self.conn.forked(crate::sys::fork_generation());
        if !self.conn.is_connected() {
            self.conn.close();
            return;
        }
        let input = self.conn.take_input();
        let buffered = !input.bytes().is_empty();
        self.conn.restore_input(input, 0);
        // An idle admin connection has nothing to read: EOF means gearmand
        // went away, bytes mean we are out of step.
        let stale = buffered || self.conn.has_output() || !matches!(self.conn.read(), Ok(0));
        if stale {
            self.conn.close();
        }
    }

    /// One command and its reply. The flag tells whether any reply bytes
    /// had arrived when it failed.
    fn exchange(
        &mut self,
        line: &[u8],
        shape: Shape,
        check: Option<reply::LineCheck>,
        deadline: Deadline,
    ) -> Result<Reply, (Error, bool)> {
        if !self.conn.is_connected() {
            let addr = self.addr.as_ref().expect("resolved before the exchange");
            self.conn
                .connect_blocking(addr, deadline)
                .map_err(|e| (e, false))?;
        }
        let out = self.conn.out().buf();
        out.extend_from_slice(line);
        // "\r\n": `create function` takes the name as its token minus two
        // bytes (gearmand bug), so a bare "\n" would lose a character.
        out.extend_from_slice(b"\r\n");
        let mut framer = Framer::new(shape, self.max_reply);
        if let Some(check) = check {
            framer = framer.with_line_check(check);
        }
        let r = self.receive(&mut framer, deadline);
        if r.is_err() {
            self.conn.close();
        }
        r
    }

    fn timed_out(&self) -> Error {
        Error::new(
            ReturnCode::Timeout,
            "gearman_admin",
            format!(
                "no complete reply from {}:{} within {} ms",
                self.host, self.port, self.timeout
            ),
        )
    }

    fn receive(&mut self, framer: &mut Framer, deadline: Deadline) -> Result<Reply, (Error, bool)> {
        let mut got_bytes = false;
        loop {
            let mut input = self.conn.take_input();
            got_bytes |= !input.bytes().is_empty();
            match framer.feed(input.bytes()) {
                Ok(Some((reply, used))) => {
                    input.consume(used);
                    let leftover = !input.bytes().is_empty();
                    self.conn.restore_input(input, 0);
                    if leftover {
                        // More than one reply's worth: we are out of step
                        // with gearmand (e.g. a unique key "." ended a
                        // listing early). Start over next time.
                        self.conn.close();
                    }
                    return Ok(reply);
                }
                Ok(None) => self.conn.restore_input(input, 0),
                Err(e) => return Err((e, true)),
            }
            self.conn.flush().map_err(|e| (e, got_bytes))?;
            let Some(mut pfd) = self.conn.pollfd(true) else {
                return Err((Error::lost_connection("not connected"), got_bytes));
            };
            match poll::poll(std::slice::from_mut(&mut pfd), deadline.poll_ms(None))
                .map_err(|e| (e, got_bytes))?
            {
                PollOutcome::TimedOut if deadline.expired() => {
                    return Err((self.timed_out(), got_bytes))
                }
                PollOutcome::Ready(_) => {
                    if pfd.revents & libc::POLLOUT != 0 {
                        self.conn.flush().map_err(|e| (e, got_bytes))?;
                    }
                    if pfd.revents & (libc::POLLIN | libc::POLLHUP | libc::POLLERR) != 0 {
                        self.conn.read().map_err(|e| (e, got_bytes))?;
                    }
                }
                // EINTR: the deadline still holds; signals are handled by
                // the caller once the call returns.
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argument_rules() {
        assert!(check_line(b"status").is_ok());
        assert!(check_line(b"").is_ok());
        assert!(check_line(b"a b c d e").is_ok());
        assert!(check_line(b"a b  c d   e ").is_ok());
        assert!(check_line(b"a b c d e f").is_err());
        assert!(check_line(b"status\nshutdown").is_err());
        assert!(check_line(b"status\r").is_err());
        assert!(check_line(b"st\0").is_err());
        assert!(check_word(b"H:vm:1").is_ok());
        for bad in [&b""[..], b"a b", b"a\tb", b"a\n", b"\0"] {
            assert!(check_word(bad).is_err());
        }
    }

    #[test]
    fn bad_arguments_never_reach_the_network() {
        // Port 1 on loopback: a connect attempt would fail loudly.
        let mut a = Admin::new("127.0.0.1", 1);
        for e in [
            a.command(b"status\nversion").unwrap_err(),
            a.cancel_job(b"").unwrap_err(),
            a.create_function(b"a b").unwrap_err(),
            a.drop_function(b"x\r").unwrap_err(),
            a.max_queue(b"", 1).unwrap_err(),
            a.max_queue_by_priority(b"f g", 1, 2, 3).unwrap_err(),
        ] {
            assert_eq!(e.code, ReturnCode::InvalidArgument, "{:?}", e);
        }
        assert_eq!(a.status().unwrap_err().code, ReturnCode::CouldNotConnect);
    }
}
