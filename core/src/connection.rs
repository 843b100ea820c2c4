//! One connection to one gearmand: non-blocking socket, growable read
//! buffer, coalescing write queue, fork detection; the bytes go through a
//! [`Transport`] (plain TCP, or TLS when configured).
//!
//! The connection knows nothing about tasks or jobs; the client and worker
//! state machines drive it from their poll loops. Design points:
//!
//! - **Reads** go into one growable buffer. When a header announces a body,
//!   capacity for exactly that packet is reserved (the header was already
//!   checked against the maximum packet size) and the kernel copies the body
//!   straight into place; packets are parsed as borrowed views.
//!   Note: reserving is virtual memory; pages are only committed as bytes
//!   arrive, so a hostile length below the maximum costs address space, not
//!   RAM. A large packet that ends the input may take the whole buffer
//!   with it (a job's workload, a task's result: [`Input::take_packet`]),
//!   so its bytes are never copied out; otherwise, after a large packet
//!   the buffer shrinks back.
//!   With an embedder allocator (see [`large_body`]), the large data part
//!   of a result or an assignment is instead received straight into the
//!   embedder's memory and handled *detached* from its packet.
//! - **Writes** are queued: small packets are encoded into one owned buffer,
//!   large pre-encoded packets (client submissions) are queued by reference
//!   (`Arc`) and gathered with `sendmsg`, so a 64 MiB workload is never
//!   copied again after `add_task`.
//! - **Fork safety**: the fork generation (see `sys::fork_generation`) at
//!   connect time is recorded; a child
//!   that inherits the connection closes its copy of the descriptor (no
//!   `shutdown()`, which would kill the parent's connection too) and starts
//!   over.
//! - **Transport**: after the TCP connect, [`Transport::handshake`] runs
//!   (nothing for plain TCP) in the same poll loop and under the same
//!   deadline; only then is the connection `Connected` and the queued
//!   preamble and requests flushed through the transport.

use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::ops::Range;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Arc;

use crate::huge_pages;
use crate::large_body::{self, BodyMemory, LargeBody, DETACH_FROM};
use crate::poll::{self, Deadline, PollOutcome};
use crate::protocol::{decode_header, encode, find_nul, header, Magic, PacketType, HEADER_LEN};
use crate::server::ServerAddr;
use crate::sys::{self, ConnectStart};
use crate::tls::TlsConfig;
use crate::transport::{plain_recv, Handshake, Transport};
use crate::{Error, ReturnCode};

/// How much of a packet's start is read to find its arguments before a
/// large data part is detached (see `detach`).
const READ_CHUNK: usize = 64 * 1024;
/// What the receive buffer grows by for small packets when it has less
/// than a quarter of this free: 16 KiB holds some 200 replies of a batch
/// (pecl/gearman's libgearman reads into 8 KiB); 64 KiB cost 48 KiB of
/// heap per connection and saved no recv (a read brings a few hundred
/// bytes in perf-ops' 1,000-task batches: 0.4-1.0 recv per task either way).
const READ_RESERVE: usize = 16 * 1024;
/// Shrink an idle read buffer that grew beyond this.
const SHRINK_ABOVE: usize = 1 << 20;
/// Pre-encoded packets smaller than this are copied into the coalescing
/// buffer instead of being queued by reference.
const SHARE_ABOVE: usize = 16 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Closed,
    Connecting {
        addr: usize,
    },
    /// TCP is up; the transport's handshake is running.
    Handshaking,
    Connected,
}

/// Progress of a connection attempt.
#[derive(Debug)]
pub(crate) enum ConnectStep {
    /// Usable now.
    Connected,
    /// Waiting for POLLOUT.
    Pending,
    /// Every address failed.
    Failed(Error),
}

/// Bytes that live outside the connection and are sent from where they
/// are: a caller's large workload (for PHP, its refcounted string), kept
/// alive by the queue until written.
pub type SharedBytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

enum Chunk {
    Own(Vec<u8>),
    Shared(Arc<Vec<u8>>),
    External(SharedBytes),
}

impl Chunk {
    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            Chunk::Own(v) => v,
            Chunk::Shared(a) => a,
            Chunk::External(a) => (**a).as_ref(),
        }
    }
}

/// Most iovecs gathered into one sendmsg (they live on the stack).
const MAX_IOV: usize = 64;
/// Data up to this size that `send_blocking` sends after a queued head is
/// copied behind it (one send(2) of one buffer) rather than gathered.
const COPY_SEND_MAX: usize = 1024;
/// A written owned chunk up to this capacity is kept for the next packets.
const KEEP_CHUNK: usize = 64 * 1024;

/// Bytes waiting to be written, in order.
#[derive(Default)]
pub(crate) struct OutQueue {
    chunks: VecDeque<Chunk>,
    /// Bytes of the front chunk already written.
    off: usize,
    /// An emptied owned chunk, reused by the next `buf()`, so that steady
    /// traffic encodes into the same allocation instead of a fresh one per
    /// packet.
    spare: Vec<u8>,
}

impl OutQueue {
    /// The owned tail buffer to encode small packets into.
    #[inline]
    pub(crate) fn buf(&mut self) -> &mut Vec<u8> {
        if !matches!(self.chunks.back(), Some(Chunk::Own(_))) {
            self.push_own();
        }
        match self.chunks.back_mut() {
            Some(Chunk::Own(v)) => v,
            _ => unreachable!("just pushed an owned chunk"),
        }
    }

    /// Starts a new owned tail buffer (the spare one if there is one).
    #[cold]
    fn push_own(&mut self) {
        let v = if self.spare.capacity() > 0 {
            std::mem::take(&mut self.spare)
        } else {
            Vec::with_capacity(4096)
        };
        self.chunks.push_back(Chunk::Own(v));
    }

    /// Encodes one request packet at the tail.
    pub(crate) fn request(
        &mut self,
        kind: PacketType,
        args: &[&[u8]],
        data: &[u8],
    ) -> Result<(), Error> {
        encode(self.buf(), Magic::Request, kind, args, data).map(|_| ())
    }

    /// Queues a pre-encoded packet, by reference if it is large.
    pub(crate) fn push_shared(&mut self, packet: &Arc<Vec<u8>>) {
        if packet.len() < SHARE_ABOVE {
            self.buf().extend_from_slice(packet);
        } else {
            self.chunks.push_back(Chunk::Shared(Arc::clone(packet)));
        }
    }

    /// Queues caller-owned bytes by reference (the data part of a packet
    /// whose header [`push_shared`](Self::push_shared) queued); small ones
    /// are copied.
    pub(crate) fn push_external(&mut self, bytes: &SharedBytes) {
        let b: &[u8] = (**bytes).as_ref();
        if b.len() < SHARE_ABOVE {
            self.buf().extend_from_slice(b);
        } else {
            self.chunks.push_back(Chunk::External(Arc::clone(bytes)));
        }
    }

    /// Nothing left to write. (`advance` keeps the front chunk unwritten
    /// or drops it, so this stops at the first chunk.)
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        // Only an owned chunk can be empty (the kept one, see `advance`):
        // shared and external chunks are queued from SHARE_ABOVE bytes on.
        match self.chunks.len() {
            0 => true,
            // The usual case (the kept chunk), without an iterator.
            1 => matches!(self.chunks.front(), Some(Chunk::Own(v)) if v.is_empty()),
            _ => self
                .chunks
                .iter()
                .all(|c| matches!(c, Chunk::Own(v) if v.is_empty())),
        }
    }

    /// The one owned chunk, when it is all that is queued and none of it
    /// was written yet: what [`Connection::flush`] sends in one piece.
    #[inline]
    fn sole_own(&mut self) -> Option<&mut Vec<u8>> {
        match (self.chunks.len(), self.off) {
            (1, 0) => match self.chunks.front_mut() {
                Some(Chunk::Own(v)) if v.capacity() <= KEEP_CHUNK => Some(v),
                _ => None,
            },
            _ => None,
        }
    }

    /// The queued bytes if they are one slice (the common case: no iovec
    /// array to fill).
    fn single(&self) -> Option<&[u8]> {
        match self.chunks.len() {
            1 => Some(&self.chunks[0].bytes()[self.off..]),
            _ => None,
        }
    }

    /// Bytes left to write.
    pub(crate) fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.bytes().len()).sum::<usize>() - self.off
    }

    fn clear(&mut self) {
        self.chunks.clear();
        self.off = 0;
    }

    /// Fills `iov` with the queued bytes, in order; returns how many slots
    /// were used.
    fn slices<'a>(&'a self, iov: &mut [IoSlice<'a>]) -> usize {
        let mut k = 0;
        for (i, c) in self.chunks.iter().enumerate() {
            if k == iov.len() {
                break;
            }
            let b = if i == 0 {
                &c.bytes()[self.off..]
            } else {
                c.bytes()
            };
            if !b.is_empty() {
                iov[k] = IoSlice::new(b);
                k += 1;
            }
        }
        k
    }

    /// Calls `send` with the queued bytes followed by `extra` as iovecs.
    /// The usual queue (a chunk or two) goes on a small stack array;
    /// filling all [`MAX_IOV`] slots is for long queues of shared packets.
    fn send_with<R>(&self, extra: &[u8], send: impl FnOnce(&[IoSlice<'_>]) -> R) -> R {
        const FEW: usize = 4;
        if self.chunks.len() < FEW {
            let mut iov = [IoSlice::new(&[]); FEW];
            let k = self.fill(&mut iov, extra);
            send(&iov[..k])
        } else {
            let mut iov = [IoSlice::new(&[]); MAX_IOV];
            let k = self.fill(&mut iov, extra);
            send(&iov[..k])
        }
    }

    /// [`slices`](Self::slices), then `extra` if a slot is left and it is
    /// not empty.
    fn fill<'a>(&'a self, iov: &mut [IoSlice<'a>], extra: &'a [u8]) -> usize {
        let mut k = self.slices(iov);
        if k < iov.len() && !extra.is_empty() {
            iov[k] = IoSlice::new(extra);
            k += 1;
        }
        k
    }

    fn advance(&mut self, mut n: usize) {
        // The usual case: one owned chunk, all written. It stays in place,
        // emptied, for the next packets (no pop, no push).
        let single = self.chunks.len() == 1;
        if let (true, Some(Chunk::Own(v))) = (single, self.chunks.front_mut()) {
            if n == v.len() - self.off && v.capacity() <= KEEP_CHUNK {
                v.clear();
                self.off = 0;
                return;
            }
        }
        while n > 0 {
            let Some(front) = self.chunks.front() else {
                break;
            };
            let left = front.bytes().len() - self.off;
            if n >= left {
                n -= left;
                self.off = 0;
                self.pop_front();
            } else {
                self.off += n;
                n = 0;
            }
        }
        // Drop fully written (or empty) chunks so `len` stays cheap.
        while matches!(self.chunks.front(), Some(c) if c.bytes().len() == self.off) {
            self.pop_front();
            self.off = 0;
        }
    }

    /// Drops the written front chunk, keeping an owned one as the spare.
    fn pop_front(&mut self) {
        if let Some(Chunk::Own(mut v)) = self.chunks.pop_front() {
            if v.capacity() <= KEEP_CHUNK && v.capacity() > self.spare.capacity() {
                v.clear();
                self.spare = v;
            }
        }
    }
}

/// A packet of at least this size that ends the buffered input may take
/// the whole receive buffer with it (see [`Input::take_packet`]).
const TAKE_ABOVE: usize = 64 * 1024;

/// Bytes of a packet for a handler: borrowed from the receive buffer, or,
/// for a large packet, the receive buffer itself with the bytes' place in
/// it, so that they need not be copied out (a 16 MiB result or workload is
/// then written once, by the kernel, into the buffer that keeps it).
pub(crate) enum Body<'a> {
    Borrowed(&'a [u8]),
    Owned(Vec<u8>, Range<usize>),
    /// Data received into embedder memory (see [`large_body`]).
    Large(LargeBody),
}

impl Body<'_> {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            Body::Borrowed(b) => b,
            Body::Owned(v, r) => &v[r.clone()],
            Body::Large(b) => b.bytes(),
        }
    }
}

/// Packets whose large data part may be detached: what a task's result or
/// a job's workload is made of. (Each side only ever receives its own
/// kinds; one that arrives on the wrong side is ignored there, with or
/// without its data.)
fn detachable(kind: PacketType) -> bool {
    matches!(
        kind,
        PacketType::WorkData
            | PacketType::WorkComplete
            | PacketType::JobAssign
            | PacketType::JobAssignUniq
            | PacketType::JobAssignAll
    )
}

/// The data part of the packet being received, detached from it: the
/// header and arguments stay in the receive buffer, the data goes to `mem`.
struct Detached {
    mem: BodyMemory,
    /// Bytes of `mem` written so far.
    got: usize,
    /// The packet's type, for its rewritten header.
    kind: PacketType,
}

/// Where `part` (a subslice of `whole`) lies in `whole`.
pub(crate) fn place(whole: &[u8], part: &[u8]) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    debug_assert!(start + part.len() <= whole.len());
    start..start + part.len()
}

/// Unparsed input taken out of a connection while its packets are handled
/// (so the handler can borrow the connection's owner mutably).
pub(crate) struct Input {
    buf: Vec<u8>,
    pos: usize,
    generation: u64,
    /// The detached data of the (only) packet in `buf`, complete. Boxed
    /// (one word) like [`Connection`]'s: every small packet's input carries
    /// the empty option in and out.
    large: Option<Box<Detached>>,
}

impl Input {
    /// The unconsumed bytes.
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Marks `n` bytes as consumed.
    pub(crate) fn consume(&mut self, n: usize) {
        self.pos += n;
    }

    /// Whether the next packet, `used` bytes long, may be taken with
    /// [`Input::take_packet`]: it is large and nothing follows it (so the
    /// buffer was sized for it and holds nobody else's bytes).
    pub(crate) fn can_take(&self, used: usize) -> bool {
        used >= TAKE_ABOVE && self.pos + used == self.buf.len()
    }

    /// Whether the next packet's data was detached (see
    /// [`Input::take_detached`]).
    pub(crate) fn has_detached(&self) -> bool {
        self.large.is_some()
    }

    /// The detached data of the next packet, `used` bytes long in the
    /// buffer (its header and arguments; see [`large_body`]), which is then
    /// consumed. `None` if the packet has its data in the buffer.
    pub(crate) fn take_detached(&mut self, used: usize) -> Option<LargeBody> {
        let body = self.large.take()?;
        debug_assert_eq!(self.pos + used, self.buf.len());
        self.pos += used;
        Some(LargeBody::filled(body.mem))
    }

    /// Consumes the next packet (see [`Input::can_take`]) by taking the
    /// whole buffer; `part` (a range of [`Input::bytes`]) is returned as the
    /// matching range of the buffer. The connection starts a fresh buffer.
    pub(crate) fn take_packet(&mut self, part: Range<usize>) -> Body<'static> {
        let at = self.pos;
        self.pos = 0;
        Body::Owned(
            std::mem::take(&mut self.buf),
            at + part.start..at + part.end,
        )
    }
}

/// One (re)connectable TCP connection.
pub(crate) struct Connection {
    fd: Option<OwnedFd>,
    state: State,
    /// `sys::fork_generation()` when the socket was opened.
    forks: u64,
    generation: u64,
    rbuf: Vec<u8>,
    rpos: usize,
    /// Total bytes (from `rpos`) the packet being received needs.
    need: usize,
    /// The packet being received has its data detached (the header and
    /// arguments are all `rbuf` holds from `rpos`). Boxed: the small
    /// packets' path only tests and moves one word (the memory is 1 MiB or
    /// more, one allocation more for it is nothing).
    large: Option<Box<Detached>>,
    out: OutQueue,
    max_packet: usize,
    transport: Transport,
    /// Lifetime byte counts over every socket this connection had
    /// (`stats()`; plain adds on the I/O path).
    pub(crate) bytes_sent: u64,
    pub(crate) bytes_received: u64,
    /// TLS settings for the next connect (`None` = plain TCP).
    tls: Option<Arc<TlsConfig>>,
    /// Nothing has been read since the connect (plain TCP): the first bytes
    /// are checked for a TLS server answering a plaintext client.
    fresh: bool,
}

impl Connection {
    pub(crate) fn new(max_packet: usize) -> Connection {
        Connection {
            fd: None,
            state: State::Closed,
            forks: 0,
            generation: 0,
            rbuf: Vec::new(),
            rpos: 0,
            need: HEADER_LEN,
            large: None,
            out: OutQueue::default(),
            max_packet,
            transport: Transport::Plain,
            bytes_sent: 0,
            bytes_received: 0,
            tls: None,
            fresh: false,
        }
    }

    pub(crate) fn set_max_packet(&mut self, max: usize) {
        self.max_packet = max;
    }

    /// A closed connection that will use `tls` (if any) when opened.
    pub(crate) fn with_tls(max_packet: usize, tls: Option<Arc<TlsConfig>>) -> Connection {
        let mut c = Connection::new(max_packet);
        c.tls = tls;
        c
    }

    /// TLS for connections opened from now on (an open one is kept).
    pub(crate) fn set_tls(&mut self, tls: Option<Arc<TlsConfig>>) {
        self.tls = tls;
    }

    pub(crate) fn max_packet(&self) -> usize {
        self.max_packet
    }

    pub(crate) fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Whether received bytes wait to be decoded.
    #[inline]
    pub(crate) fn has_input(&self) -> bool {
        self.rpos < self.rbuf.len()
    }

    /// The received bytes not handled yet (see [`consume_input`](Self::consume_input)).
    #[inline]
    pub(crate) fn input(&self) -> &[u8] {
        &self.rbuf[self.rpos..]
    }

    /// Marks the first `n` bytes of [`input`](Self::input) handled: a whole
    /// packet decoded where it lies, without taking the input out.
    #[inline]
    pub(crate) fn consume_input(&mut self, n: usize) {
        debug_assert!(n <= self.rbuf.len() - self.rpos);
        self.rpos += n;
    }

    /// The one send(2) of the kept request buffer that `flush` and
    /// `send_blocking` make in the usual case (see [`OutQueue::sole_own`]):
    /// `None` when the queue is not that buffer alone; `Ok(true)` when all of
    /// it went (the buffer stays in place, emptied), `Ok(false)` when part
    /// did (the queue advanced past it). Plaintext only: the callers check.
    #[inline]
    fn send_sole(&mut self, fd: std::os::fd::RawFd) -> Option<io::Result<bool>> {
        let v = self.out.sole_own()?;
        if v.is_empty() {
            return Some(Ok(true));
        }
        Some(match sys::send(fd, v) {
            Ok(n) if n == v.len() => {
                v.clear();
                self.bytes_sent += n as u64;
                Ok(true)
            }
            Ok(n) => {
                self.bytes_sent += n as u64;
                self.out.advance(n);
                Ok(false)
            }
            Err(e) => Err(e),
        })
    }

    /// Bumped on every successful connect; lets callers tell a reconnected
    /// connection from the one their request went out on.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Closes the socket without `shutdown()` and forgets all buffered I/O.
    pub(crate) fn close(&mut self) {
        self.fd = None; // drop = close(2)
        self.state = State::Closed;
        // Dropping a transport sends nothing (no TLS close_notify), which is
        // what a forked child needs: the parent's session stays intact.
        self.transport = Transport::Plain;
        self.rbuf = Vec::new();
        self.rpos = 0;
        self.need = HEADER_LEN;
        // Data of a packet cut off mid-body goes back to the embedder.
        self.large = None;
        self.out.clear();
    }

    /// If this connection was opened by another process (we are a forked
    /// child), close our copy and return `true`.
    pub(crate) fn forked(&mut self, forks: u64) -> bool {
        if self.state != State::Closed && self.forks != forks {
            self.close();
            return true;
        }
        false
    }

    /// Whether an idle, connected socket was closed by the peer meanwhile.
    pub(crate) fn peer_closed(&mut self) -> bool {
        match (&self.fd, self.state) {
            (Some(fd), State::Connected) => {
                self.rpos == self.rbuf.len()
                    && self.transport.peer_closed(fd.as_raw_fd(), &mut self.rbuf)
            }
            _ => false,
        }
    }

    /// The write queue (usable in any state; flushed once connected).
    pub(crate) fn out(&mut self) -> &mut OutQueue {
        &mut self.out
    }

    pub(crate) fn has_output(&self) -> bool {
        !self.out.is_empty() || self.transport.has_pending()
    }

    /// Starts connecting (from `Closed`), trying each resolved address.
    pub(crate) fn connect(&mut self, server: &ServerAddr) -> ConnectStep {
        self.close();
        self.forks = sys::fork_generation();
        if let Some(tls) = &self.tls {
            match tls.start(&server.host, format!("{}:{}", server.host, server.port)) {
                Ok(t) => self.transport = Transport::Tls(Box::new(t)),
                Err(e) => return ConnectStep::Failed(e),
            }
        }
        self.fresh = true;
        self.try_from(server, 0, 0)
    }

    fn try_from(&mut self, server: &ServerAddr, first: usize, mut errno: i32) -> ConnectStep {
        for (i, addr) in server.addrs.iter().enumerate().skip(first) {
            match sys::start_connect(addr) {
                Ok(ConnectStart::Done(fd)) => {
                    self.fd = Some(fd);
                    return self.connected();
                }
                Ok(ConnectStart::Pending(fd)) => {
                    self.fd = Some(fd);
                    self.state = State::Connecting { addr: i };
                    return ConnectStep::Pending;
                }
                Err(e) => errno = e.raw_os_error().unwrap_or(0),
            }
        }
        self.close();
        ConnectStep::Failed(Error::could_not_connect(&server.host, server.port, errno))
    }

    /// TCP is up: start the transport's handshake.
    fn connected(&mut self) -> ConnectStep {
        self.state = State::Handshaking;
        self.handshake()
    }

    fn handshake(&mut self) -> ConnectStep {
        let fd = self.fd.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
        match self.transport.handshake(fd) {
            Ok(Handshake::Done) => {
                self.state = State::Connected;
                self.generation += 1;
                ConnectStep::Connected
            }
            Ok(Handshake::Waiting) => ConnectStep::Pending,
            Err(e) => {
                self.close();
                ConnectStep::Failed(e)
            }
        }
    }

    /// Continues a pending connect after poll reported the socket.
    pub(crate) fn continue_connect(&mut self, server: &ServerAddr) -> ConnectStep {
        let addr = match self.state {
            State::Connecting { addr } => addr,
            State::Handshaking => return self.handshake(),
            State::Connected => return ConnectStep::Connected,
            State::Closed => return ConnectStep::Pending,
        };
        let fd = self.fd.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
        match sys::finish_connect(fd) {
            Ok(()) => self.connected(),
            Err(e) => {
                self.fd = None;
                self.try_from(server, addr + 1, e.raw_os_error().unwrap_or(0))
            }
        }
    }

    /// Connects (from any state), waiting for completion until `deadline`.
    /// Signals do not abort the wait.
    pub(crate) fn connect_blocking(
        &mut self,
        server: &ServerAddr,
        deadline: Deadline,
    ) -> Result<(), Error> {
        let mut step = self.connect(server);
        loop {
            match step {
                ConnectStep::Connected => return Ok(()),
                ConnectStep::Failed(e) => return Err(e),
                ConnectStep::Pending => {}
            }
            let Some(mut pfd) = self.pollfd(false) else {
                return Err(Error::could_not_connect(&server.host, server.port, 0));
            };
            match poll::poll(std::slice::from_mut(&mut pfd), deadline.poll_ms(None))? {
                PollOutcome::TimedOut if deadline.expired() => {
                    let e = self.connect_timeout(server, 1);
                    self.close();
                    return Err(e);
                }
                PollOutcome::Ready(_) => step = self.continue_connect(server),
                _ => step = ConnectStep::Pending,
            }
        }
    }

    /// Whether the connection is in its TLS handshake.
    pub(crate) fn is_handshaking(&self) -> bool {
        self.state == State::Handshaking
    }

    /// The TIMEOUT error for a connect that did not finish in time, naming
    /// the TLS handshake if that is what stalled.
    pub(crate) fn connect_timeout(&self, server: &ServerAddr, polled: usize) -> Error {
        let mut e = Error::timeout(polled);
        if self.is_handshaking() {
            e.message = format!(
                "{} (TLS handshake with {}:{} did not complete)",
                e.message, server.host, server.port
            );
        }
        e
    }

    /// The pollfd for this connection, if it has anything to wait for.
    ///
    /// The usual case, a connected socket waited on for reading (every
    /// reply wait and sleep), inline; the others out of line.
    #[inline]
    pub(crate) fn pollfd(&self, want_read: bool) -> Option<libc::pollfd> {
        if want_read && self.state == State::Connected {
            let fd = self.fd.as_ref()?.as_raw_fd();
            let events = if self.has_output() {
                libc::POLLIN | libc::POLLOUT
            } else {
                libc::POLLIN
            };
            return Some(libc::pollfd {
                fd,
                events,
                revents: 0,
            });
        }
        self.pollfd_other()
    }

    /// [`pollfd`](Self::pollfd) for a connection being set up, or a
    /// connected one waited on for writing only (reading is the inline case).
    #[inline(never)]
    fn pollfd_other(&self) -> Option<libc::pollfd> {
        let fd = self.fd.as_ref()?.as_raw_fd();
        let events = match self.state {
            State::Closed => return None,
            State::Connecting { .. } => libc::POLLOUT,
            State::Handshaking => self.transport.handshake_events(),
            State::Connected if self.has_output() => libc::POLLOUT,
            State::Connected => return None,
        };
        Some(libc::pollfd {
            fd,
            events,
            revents: 0,
        })
    }

    /// Writes as much queued output as the socket takes without blocking.
    /// `Ok(true)` when everything is written.
    pub(crate) fn flush(&mut self) -> Result<bool, Error> {
        if self.state != State::Connected {
            return Ok(self.out.is_empty());
        }
        let fd = self.fd.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
        // The usual case (a request or two encoded into the kept buffer, on
        // a plaintext connection): one send(2) of that buffer, which stays
        // in place emptied; anything else takes the general path below.
        if matches!(self.transport, Transport::Plain) {
            match self.send_sole(fd) {
                Some(Ok(true)) => return Ok(true),
                // A partial send goes on below.
                Some(Ok(false)) | None => {}
                Some(Err(e)) if would_block(&e) => return Ok(false),
                Some(Err(e)) => return Err(send_error(&e)),
            }
        }
        loop {
            // `left`: what this send offers; all of it taken = queue empty.
            let (left, r) = match self.out.single() {
                Some([]) => break,
                Some(b) => (b.len(), self.transport.send(fd, &[IoSlice::new(b)])),
                None if self.out.is_empty() => break,
                None => {
                    let transport = &mut self.transport;
                    (
                        usize::MAX,
                        self.out.send_with(&[], |iov| transport.send(fd, iov)),
                    )
                }
            };
            match r {
                Ok(n) => {
                    self.bytes_sent += n as u64;
                    self.out.advance(n);
                    if n == left {
                        break;
                    }
                }
                Err(e) if would_block(&e) => return Ok(false),
                Err(e) => return Err(self.transport.send_failed(fd, &e)),
            }
        }
        match self.transport.flush_pending(fd) {
            Ok(done) => Ok(done),
            Err(e) => Err(self.transport.send_failed(fd, &e)),
        }
    }

    /// Writes all queued output, then `data`, blocking (with poll) until
    /// done, or until no progress was possible for `idle_ms` (-1 = never
    /// give up; a stalled peer, not a large payload, is what times out). Used for worker results, which may be
    /// huge: `data` goes to the kernel straight from the caller's slice.
    /// A timeout or error leaves a partial packet on the wire, so the
    /// connection is closed in that case.
    pub(crate) fn send_blocking(&mut self, data: &[u8], idle_ms: i32) -> Result<(), Error> {
        if self.state != State::Connected {
            return Err(Error::lost_connection("not connected"));
        }
        let fd = self.fd.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
        // The usual case (a small result after its head in the kept buffer,
        // plaintext): the data is copied behind the head and both go in one
        // send(2), as `flush` sends; what that does not finish, the loop
        // below writes from the queue.
        let mut data = data;
        if data.len() <= COPY_SEND_MAX && matches!(self.transport, Transport::Plain) {
            if let Some(v) = self.out.sole_own() {
                v.extend_from_slice(data);
                data = &[];
                match self.send_sole(fd) {
                    Some(Ok(true)) => return Ok(()),
                    Some(Ok(false)) | None => {}
                    Some(Err(e)) if e.raw_os_error() == Some(libc::EINTR) || would_block(&e) => {}
                    Some(Err(e)) => {
                        let e = send_error(&e);
                        self.close();
                        return Err(e);
                    }
                }
            }
        }
        let mut doff = 0;
        loop {
            let rest = &data[doff..];
            let (queued, r) = match self.out.single() {
                // The usual case (a worker result): the packet head in the
                // one queued buffer, then `data`; two iovecs, no queue walk.
                Some(head) if !head.is_empty() || !rest.is_empty() => (
                    head.len(),
                    self.transport
                        .send(fd, &[IoSlice::new(head), IoSlice::new(rest)]),
                ),
                _ => {
                    let queued = self.out.len();
                    let r = if queued == 0 && rest.is_empty() {
                        match self.transport.flush_pending(fd) {
                            Ok(true) => return Ok(()),
                            Ok(false) => Err(io::Error::from_raw_os_error(libc::EAGAIN)),
                            Err(e) => Err(e),
                        }
                    } else {
                        let transport = &mut self.transport;
                        self.out.send_with(rest, |iov| transport.send(fd, iov))
                    };
                    (queued, r)
                }
            };
            match r {
                Ok(n) => {
                    self.bytes_sent += n as u64;
                    let from_queue = n.min(queued);
                    self.out.advance(from_queue);
                    doff += n - from_queue;
                    // All written and nothing held back by the transport:
                    // done without another pass (which would find the same).
                    if from_queue == queued && doff == data.len() && !self.transport.has_pending() {
                        return Ok(());
                    }
                }
                Err(e) if e.raw_os_error() == Some(libc::EINTR) => {}
                Err(e) if would_block(&e) => {
                    let deadline = Deadline::after_ms(idle_ms);
                    let mut pfd = [libc::pollfd {
                        fd,
                        events: libc::POLLOUT,
                        revents: 0,
                    }];
                    match poll::poll(&mut pfd, deadline.poll_ms(None)) {
                        Ok(PollOutcome::TimedOut) if deadline.expired() => {
                            self.close();
                            return Err(Error::timeout(1));
                        }
                        Ok(_) => {}
                        Err(e) => {
                            self.close();
                            return Err(e);
                        }
                    }
                }
                Err(e) => {
                    let e = self.transport.send_failed(fd, &e);
                    self.close();
                    return Err(e);
                }
            }
        }
    }

    /// One non-blocking read. `Ok(0)` means nothing was available; EOF and
    /// socket errors are `LOST_CONNECTION` errors (the caller closes).
    pub(crate) fn read(&mut self) -> Result<usize, Error> {
        if self.state != State::Connected {
            return Ok(0);
        }
        let fd = self.fd.as_ref().map(|f| f.as_raw_fd()).unwrap_or(-1);
        // The usual case: everything received was handled, and the buffer
        // (of a usual size) has room for what the next packet needs. It is
        // emptied and read into, which is all the general path below would
        // do with it.
        let cap = self.rbuf.capacity();
        if self.rpos == self.rbuf.len()
            && cap <= SHRINK_ABOVE
            && cap >= self.need.max(READ_RESERVE / 4)
            && self.large.is_none()
            && matches!(self.transport, Transport::Plain)
        {
            self.rbuf.clear();
            self.rpos = 0;
            let n = match plain_recv(fd, &mut self.rbuf) {
                Ok(n) => n,
                Err(e) => return Err(self.recv_failed(e)),
            };
            if self.fresh && n > 0 {
                self.first_bytes()?;
            }
            self.bytes_received += n as u64;
            return Ok(n);
        }
        self.read_general(fd)
    }

    /// [`read`](Self::read) when the buffer holds part of a packet, needs
    /// to grow or shrink, or the data is detached; out of line.
    #[inline(never)]
    fn read_general(&mut self, fd: std::os::fd::RawFd) -> Result<usize, Error> {
        if self.large.is_some() {
            return self.read_detached(fd);
        }
        if self.rpos == self.rbuf.len() {
            self.rbuf.clear();
            self.rpos = 0;
            if self.rbuf.capacity() > SHRINK_ABOVE && self.need <= READ_CHUNK {
                self.rbuf = Vec::new();
            }
        }
        let have = self.rbuf.len() - self.rpos;
        let mut need = self.need.max(HEADER_LEN);
        if need >= HEADER_LEN + DETACH_FROM && large_body::enabled() {
            match self.detach() {
                Detach::Started => return self.read_detached(fd),
                // Read a little more for the arguments rather than reserve
                // for the whole packet.
                Detach::NeedArgs => need = need.min(have + READ_CHUNK),
                Detach::No => {}
            }
        }
        if self.rbuf.capacity() - self.rpos < need {
            // The packet does not fit behind rpos: move the unread bytes to
            // the front and reserve exactly what the packet needs.
            self.compact();
            if self.rbuf.capacity() < need {
                self.rbuf.reserve_exact(need - have);
                // Fresh memory for a large packet: fault it in as huge pages.
                let spare = self.rbuf.spare_capacity_mut();
                huge_pages::advise(spare.as_ptr().cast(), spare.len());
            }
        }
        if self.rbuf.capacity() - self.rbuf.len() < READ_RESERVE / 4 {
            if self.rpos > self.rbuf.len() / 2 {
                self.compact();
            }
            if self.rbuf.capacity() - self.rbuf.len() < READ_RESERVE / 4 {
                self.rbuf.reserve(READ_RESERVE);
            }
        }
        let n = match self.transport.recv(fd, &mut self.rbuf) {
            Ok(n) => n,
            Err(e) => return Err(self.recv_failed(e)),
        };
        if self.fresh && n > 0 {
            self.first_bytes()?;
        }
        self.bytes_received += n as u64;
        Ok(n)
    }

    /// A failed recv's error; on a new plaintext connection a reset gets a
    /// hint (stunnel and TLS servers reset a plaintext client). Out of line:
    /// keeps `read`'s common path small.
    #[cold]
    #[inline(never)]
    fn recv_failed(&self, mut e: Error) -> Error {
        if self.fresh && e.errno == libc::ECONNRESET && matches!(self.transport, Transport::Plain) {
            e.message.push_str(
                ": nothing was received on this new connection; if the server expects TLS, enable it \
                 (GEARMAN_CLIENT_SSL / GEARMAN_WORKER_SSL or setSslOptions())",
            );
        }
        e
    }

    /// The first bytes a new connection received: a TLS answer on a
    /// plaintext connection is refused. Once per connection, out of line.
    #[cold]
    #[inline(never)]
    fn first_bytes(&mut self) -> Result<(), Error> {
        self.fresh = false;
        if matches!(self.transport, Transport::Plain) && looks_like_tls(&self.rbuf[self.rpos..]) {
            return Err(Error::new(
                ReturnCode::CouldNotConnect,
                "gearman_connection_st::recv_socket",
                "the server answered with TLS: enable TLS (GEARMAN_CLIENT_SSL / GEARMAN_WORKER_SSL or setSslOptions())",
            ));
        }
        Ok(())
    }

    /// Tries to detach the data of the packet being received (`need` bytes
    /// from `rpos`, of which the header is in): for a detachable kind on a
    /// plaintext connection, once its arguments are in, memory for the data
    /// comes from the embedder and what arrived of the data moves there.
    #[cold]
    fn detach(&mut self) -> Detach {
        let head = &self.rbuf[self.rpos..];
        if !matches!(self.transport, Transport::Plain) || head.len() < HEADER_LEN {
            return Detach::No;
        }
        // (A reply's header: the caller's decode checked it before asking
        // for the packet's length.)
        let h: &[u8; HEADER_LEN] = head[..HEADER_LEN].try_into().expect("header length");
        let kind = match decode_header(h, Magic::Response, self.max_packet) {
            Ok(h) if detachable(h.kind) => h.kind,
            _ => return Detach::No,
        };
        // The data follows `argc` NUL-terminated arguments.
        let mut at = HEADER_LEN;
        for _ in 0..kind.argc() {
            match find_nul(&head[at..]) {
                Some(k) => at += k + 1,
                None if head.len() < READ_CHUNK => return Detach::NeedArgs,
                None => return Detach::No,
            }
        }
        let data_len = self.need - at;
        if data_len < DETACH_FROM {
            return Detach::No;
        }
        let Some(mut mem) = large_body::alloc(data_len) else {
            return Detach::No;
        };
        // Everything buffered belongs to this (incomplete) packet.
        let arrived = &head[at..];
        mem.write_at(0, arrived);
        let got = arrived.len();
        self.rbuf.truncate(self.rpos + at);
        self.large = Some(Box::new(Detached { mem, got, kind }));
        Detach::Started
    }

    /// One non-blocking read into the detached data. When it is complete,
    /// the header in the buffer is rewritten to cover only the arguments,
    /// so the packet decodes as usual, and its data goes out with the input
    /// ([`Input::take_detached`]).
    #[cold]
    fn read_detached(&mut self, fd: std::os::fd::RawFd) -> Result<usize, Error> {
        let Some(d) = self.large.as_mut() else {
            return Ok(0);
        };
        let (at, room) = d.mem.tail(d.got);
        let n = if room == 0 {
            0
        } else {
            self.transport.recv_raw(fd, at, room)?
        };
        d.got += n;
        if d.got == d.mem.len() {
            let args = (self.rbuf.len() - self.rpos - HEADER_LEN) as u32;
            let h = header(Magic::Response, d.kind, args);
            self.rbuf[self.rpos..self.rpos + HEADER_LEN].copy_from_slice(&h);
        }
        self.bytes_received += n as u64;
        Ok(n)
    }

    fn compact(&mut self) {
        if self.rpos > 0 {
            self.rbuf.drain(..self.rpos);
            self.rpos = 0;
        }
    }

    /// Takes the unparsed input out for packet handling.
    pub(crate) fn take_input(&mut self) -> Input {
        let large = match self.large.take() {
            None => None,
            Some(d) if d.got == d.mem.len() => Some(d),
            incomplete => {
                self.large = incomplete;
                None
            }
        };
        Input {
            buf: std::mem::take(&mut self.rbuf),
            pos: self.rpos,
            generation: self.generation,
            large,
        }
    }

    /// Puts input back after handling. `need` is the total size the next
    /// (incomplete) packet needs, from `Decoded::NeedMore`. Input from a
    /// connection that was closed or replaced meanwhile is discarded.
    pub(crate) fn restore_input(&mut self, input: Input, need: usize) {
        if self.state != State::Connected || input.generation != self.generation {
            return;
        }
        self.rbuf = input.buf;
        self.rpos = input.pos;
        self.need = need.max(HEADER_LEN);
        if input.large.is_some() {
            self.restore_detached(input.large);
        }
    }

    /// [`restore_input`](Self::restore_input)'s detached data, out of line
    /// (small packets have none). Not handled yet (a caller stopped before
    /// its packet): it stays with its packet; once that was consumed it is
    /// dropped.
    #[cold]
    #[inline(never)]
    fn restore_detached(&mut self, large: Option<Box<Detached>>) {
        if self.rpos < self.rbuf.len() {
            self.large = large;
        }
    }
}

/// Outcome of [`Connection::detach`].
enum Detach {
    Started,
    /// Maybe, once more of the arguments are in.
    NeedArgs,
    No,
}

/// A TLS record header (handshake or alert, SSL 3.0 to TLS 1.3): never the
/// start of a Gearman reply, which begins with a NUL.
fn looks_like_tls(b: &[u8]) -> bool {
    b.len() >= 3 && (b[0] == 0x15 || b[0] == 0x16) && b[1] == 3 && b[2] <= 4
}

fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

pub(crate) fn send_error(e: &io::Error) -> Error {
    Error::new(
        ReturnCode::LostConnection,
        "gearman_connection_st::send_packet",
        format!("lost connection to server during send ({})", e),
    )
    .with_errno(e.raw_os_error().unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn out_queue_order_and_advance() {
        let mut q = OutQueue::default();
        q.buf().extend_from_slice(b"abc");
        let big = Arc::new(vec![7u8; SHARE_ABOVE]);
        q.push_shared(&big);
        q.buf().extend_from_slice(b"de");
        assert_eq!(q.len(), 5 + SHARE_ABOVE);
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        assert_eq!(q.slices(&mut iov), 3);
        assert_eq!(&*iov[0], b"abc");
        q.advance(2);
        assert_eq!(q.len(), 3 + SHARE_ABOVE);
        q.advance(1 + SHARE_ABOVE);
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        assert_eq!(q.slices(&mut iov), 1);
        assert_eq!(&*iov[0], b"de");
        q.advance(2);
        assert!(q.is_empty());
        // Small shared packets are coalesced by copy.
        q.push_shared(&Arc::new(b"xy".to_vec()));
        q.request(PacketType::GrabJob, &[], b"").unwrap();
        assert_eq!(q.chunks.len(), 1);
        assert_eq!(q.len(), 2 + HEADER_LEN);
        // A written owned chunk is reused for the next packet.
        let first = q.buf().as_ptr();
        q.advance(2 + HEADER_LEN);
        assert!(q.is_empty());
        q.request(PacketType::GrabJob, &[], b"").unwrap();
        assert_eq!(q.buf().as_ptr(), first);
    }

    /// A connected connection over one end of a socketpair; the other end
    /// plays the server.
    fn pair() -> (Connection, std::os::unix::net::UnixStream) {
        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        let mut c = Connection::new(64 << 20);
        c.fd = Some(OwnedFd::from(a));
        c.state = State::Connected;
        (c, b)
    }

    /// Reads and decodes until one packet is complete; returns its
    /// arguments, its data (detached or not) and whether it was detached.
    /// A received packet: arguments, data, whether the data was detached.
    type Received = (Vec<Vec<u8>>, Vec<u8>, bool);

    fn next_packet(c: &mut Connection) -> Result<Received, Error> {
        loop {
            c.read()?;
            let mut input = c.take_input();
            let need =
                match crate::protocol::decode(input.bytes(), Magic::Response, 64 << 20).unwrap() {
                    crate::protocol::Decoded::Packet(p, used) => {
                        let args = p.args().iter().map(|a| a.to_vec()).collect();
                        let inline = p.data().to_vec();
                        let r = match input.take_detached(used) {
                            Some(b) => (args, b.bytes().to_vec(), true),
                            None => {
                                input.consume(used);
                                (args, inline, false)
                            }
                        };
                        c.restore_input(input, HEADER_LEN);
                        return Ok(r);
                    }
                    crate::protocol::Decoded::NeedMore(n) => n,
                };
            c.restore_input(input, need);
        }
    }

    #[test]
    fn large_data_is_received_detached_and_freed_when_cut_off() {
        use crate::large_body::tests::{boxed, LIVE};
        use std::io::Write;
        use std::sync::atomic::Ordering;
        large_body::set_allocator(boxed);
        let (mut c, mut peer) = pair();
        let data: Vec<u8> = (0..DETACH_FROM + 12345)
            .map(|i| (i * 7 % 251) as u8)
            .collect();
        let mut packet = Vec::new();
        encode(
            &mut packet,
            Magic::Response,
            PacketType::WorkComplete,
            &[b"H:x:1"],
            &data,
        )
        .unwrap();
        // A small packet first, in the same stream.
        let mut small = Vec::new();
        encode(
            &mut small,
            Magic::Response,
            PacketType::WorkData,
            &[b"H:x:1"],
            b"tiny",
        )
        .unwrap();
        let writer = std::thread::spawn(move || {
            peer.write_all(&small).unwrap();
            for part in packet.chunks(100_000) {
                peer.write_all(part).unwrap();
            }
            peer
        });
        let (args, got, detached) = next_packet(&mut c).unwrap();
        assert_eq!(
            (args, &got[..], detached),
            (vec![b"H:x:1".to_vec()], &b"tiny"[..], false)
        );
        let (args, got, detached) = next_packet(&mut c).unwrap();
        assert_eq!(args, vec![b"H:x:1".to_vec()]);
        assert!(detached, "large data goes to the allocator's memory");
        assert!(got == data, "byte-exact");
        let mut peer = writer.join().unwrap();
        // Cut off mid-body: the partial memory is released on close.
        let before = LIVE.load(Ordering::SeqCst);
        let mut packet = Vec::new();
        encode(
            &mut packet,
            Magic::Response,
            PacketType::JobAssign,
            &[b"H:x:2", b"fn"],
            &data,
        )
        .unwrap();
        let writer = std::thread::spawn(move || {
            peer.write_all(&packet[..packet.len() / 2]).unwrap();
        });
        let Err(e) = next_packet(&mut c) else {
            panic!("a packet from half of one");
        };
        writer.join().unwrap();
        assert_eq!(e.code, ReturnCode::LostConnection);
        assert!(c.large.is_some(), "it was being received detached");
        assert_eq!(LIVE.load(Ordering::SeqCst), before + 1);
        c.close();
        assert_eq!(LIVE.load(Ordering::SeqCst), before);
    }

    #[test]
    fn external_bytes_follow_their_header_by_reference() {
        let mut q = OutQueue::default();
        q.push_shared(&Arc::new(b"head".to_vec()));
        let big: SharedBytes = Arc::new(vec![9u8; SHARE_ABOVE]);
        q.push_external(&big);
        assert_eq!(Arc::strong_count(&big), 2, "queued by reference");
        let small: SharedBytes = Arc::new(b"xy".to_vec());
        q.push_external(&small);
        assert_eq!(Arc::strong_count(&small), 1, "small ones are copied");
        let mut iov = [IoSlice::new(&[]); MAX_IOV];
        assert_eq!(q.slices(&mut iov), 3);
        assert_eq!(
            (&*iov[0], iov[1].len(), &*iov[2]),
            (&b"head"[..], SHARE_ABOVE, &b"xy"[..])
        );
        q.advance(4 + SHARE_ABOVE);
        assert_eq!(Arc::strong_count(&big), 1, "released once written");
        q.advance(2);
        assert!(q.is_empty());
    }
}
