//! What sits between a [`Connection`](crate::connection::Connection)'s
//! buffers and its socket.
//!
//! The connection owns the descriptor, the read buffer and the write queue;
//! a transport only moves bytes between those and the socket. Plain TCP is
//! the identity: gathered `sendmsg` straight from the queued (possibly
//! shared, multi-megabyte) packets and `recv` straight into the read
//! buffer's spare capacity, so nothing is copied on the fast path. A
//! transport that has to transform bytes (TLS) may hold some of them itself;
//! it says so with [`Transport::has_pending`] / [`Transport::pending_read`] so
//! that poll(2) interest stays exact and nothing is left waiting in a
//! buffer that poll cannot see.

use std::io::{self, IoSlice};
use std::os::fd::RawFd;

use crate::tls::TlsStream;
use crate::{sys, Error};

/// How bytes reach the socket.
pub(crate) enum Transport {
    /// Plain TCP: the queued bytes are the wire bytes.
    Plain,
    /// TLS: queued bytes are encrypted into records rustls holds until the
    /// socket takes them; input is decrypted into the read buffer.
    Tls(Box<TlsStream>),
}

/// Outcome of driving a handshake.
#[derive(Debug)]
pub(crate) enum Handshake {
    /// The transport is ready for application data.
    Done,
    /// Waiting for the socket ([`Transport::handshake_events`] says for what).
    Waiting,
}

impl Transport {
    /// Moves the handshake forward without blocking (plain TCP has none).
    pub(crate) fn handshake(&mut self, fd: RawFd) -> Result<Handshake, Error> {
        match self {
            Transport::Plain => Ok(Handshake::Done),
            Transport::Tls(t) => t.handshake(fd),
        }
    }

    /// poll(2) events needed while the handshake is not done.
    pub(crate) fn handshake_events(&self) -> i16 {
        match self {
            Transport::Plain => 0,
            Transport::Tls(t) => t.handshake_events(),
        }
    }

    /// Sends from `bufs` without blocking; the count is of the caller's
    /// bytes taken (consumed from the queue), `WouldBlock` if none could be.
    pub(crate) fn send(&mut self, fd: RawFd, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        match self {
            Transport::Plain => sys::send_vectored(fd, bufs),
            Transport::Tls(t) => t.send(fd, bufs),
        }
    }

    /// Bytes the transport itself still has to write (after `send` took
    /// them from the caller).
    pub(crate) fn has_pending(&self) -> bool {
        match self {
            Transport::Plain => false,
            Transport::Tls(t) => t.has_pending(),
        }
    }

    /// Writes what [`has_pending`](Self::has_pending) reports, without
    /// blocking. `Ok(true)` when nothing is left.
    pub(crate) fn flush_pending(&mut self, fd: RawFd) -> io::Result<bool> {
        match self {
            Transport::Plain => Ok(true),
            Transport::Tls(t) => t.flush_pending(fd),
        }
    }

    /// The error for a failed send. A TLS server that refuses a client
    /// (certificate) sends an alert and closes: a send racing with that
    /// fails with EPIPE/ECONNRESET, but the alert says why.
    pub(crate) fn send_failed(&mut self, fd: RawFd, e: &io::Error) -> Error {
        match self {
            Transport::Plain => crate::connection::send_error(e),
            Transport::Tls(t) => t
                .refusal(fd)
                .unwrap_or_else(|| crate::connection::send_error(e)),
        }
    }

    /// Reads what is available into `buf` (appending). `Ok(0)` = nothing
    /// available now; EOF and socket errors are `LOST_CONNECTION` errors.
    /// Inlined into the connection's read (once per reply): the plaintext
    /// path is a recv(2) and a test.
    #[inline]
    pub(crate) fn recv(&mut self, fd: RawFd, buf: &mut Vec<u8>) -> Result<usize, Error> {
        match self {
            Transport::Plain => plain_recv(fd, buf),
            Transport::Tls(t) => t.recv(fd, buf),
        }
    }

    /// Reads what is available into `room` bytes at `at` (memory the caller
    /// owns; see `large_body`), like [`recv`](Self::recv). Plaintext only:
    /// a TLS session hands out all it decrypted, which may run past the
    /// caller's memory, so detaching is not used with it.
    pub(crate) fn recv_raw(&mut self, fd: RawFd, at: *mut u8, room: usize) -> Result<usize, Error> {
        debug_assert!(matches!(self, Transport::Plain));
        // SAFETY: the caller's `room` bytes at `at` are writable.
        plain_read(unsafe { sys::recv_raw(fd, at, room) })
    }

    /// Whether the peer has closed an idle connection (see
    /// [`sys::peer_closed`]). A transport with its own framing may consume
    /// what arrived meanwhile; plaintext among it lands in `buf`.
    pub(crate) fn peer_closed(&mut self, fd: RawFd, buf: &mut Vec<u8>) -> bool {
        match self {
            Transport::Plain => sys::peer_closed(fd),
            Transport::Tls(t) => t.peer_closed(fd, buf),
        }
    }
}

/// [`Transport::recv`] on a plaintext connection.
#[inline(always)]
pub(crate) fn plain_recv(fd: RawFd, buf: &mut Vec<u8>) -> Result<usize, Error> {
    plain_read(sys::recv_into(fd, buf, usize::MAX))
}

/// A plaintext recv(2)'s outcome: bytes read, `0` for "nothing yet"
/// (EAGAIN, EINTR), EOF and errors as LOST_CONNECTION. The usual outcome
/// (bytes) inline; the others, which build errors, out of line.
#[inline(always)]
fn plain_read(r: io::Result<usize>) -> Result<usize, Error> {
    match r {
        Ok(n) if n > 0 => Ok(n),
        r => plain_read_other(r),
    }
}

#[cold]
#[inline(never)]
fn plain_read_other(r: io::Result<usize>) -> Result<usize, Error> {
    match r {
        Ok(0) => Err(Error::lost_connection("EOF")),
        Ok(n) => Ok(n),
        Err(e) if retry_later(&e) => Ok(0),
        Err(e) => {
            Err(Error::lost_connection(&e.to_string()).with_errno(e.raw_os_error().unwrap_or(0)))
        }
    }
}

/// Nothing to do now, poll and come back (EAGAIN, EINTR). Looks at the
/// errno itself when there is one (always, after recv(2)): `kind()`
/// decodes it through a call, and a worker's read before its GRAB reply
/// is there ends here about once per job.
pub(crate) fn retry_later(e: &io::Error) -> bool {
    match e.raw_os_error() {
        Some(n) => n == libc::EAGAIN || n == libc::EWOULDBLOCK || n == libc::EINTR,
        None => e.kind() == io::ErrorKind::WouldBlock || e.kind() == io::ErrorKind::Interrupted,
    }
}
