//! A job handed to this worker by JOB_ASSIGN / JOB_ASSIGN_UNIQ / JOB_ASSIGN_ALL.

use std::ops::Range;

use crate::connection::Body;
use crate::large_body::LargeBody;
use crate::protocol::{header, Magic, PacketRef, PacketType, HEADER_LEN};

/// How the worker asks for jobs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GrabMode {
    /// GRAB_JOB: jobs arrive without their unique key.
    Plain,
    /// GRAB_JOB_UNIQ
    Uniq,
    /// GRAB_JOB_ALL (libgearman's default; gearmand answers JOB_ASSIGN_UNIQ
    /// for ordinary jobs).
    #[default]
    All,
}

impl GrabMode {
    #[cfg(test)]
    fn packet(self) -> PacketType {
        match self {
            GrabMode::Plain => PacketType::GrabJob,
            GrabMode::Uniq => PacketType::GrabJobUniq,
            GrabMode::All => PacketType::GrabJobAll,
        }
    }

    /// The whole GRAB packet (a bare header: no arguments), encoded once.
    pub(crate) fn encoded(self) -> &'static [u8; HEADER_LEN] {
        const PLAIN: [u8; HEADER_LEN] = bare_request(PacketType::GrabJob);
        const UNIQ: [u8; HEADER_LEN] = bare_request(PacketType::GrabJobUniq);
        const ALL: [u8; HEADER_LEN] = bare_request(PacketType::GrabJobAll);
        match self {
            GrabMode::Plain => &PLAIN,
            GrabMode::Uniq => &UNIQ,
            GrabMode::All => &ALL,
        }
    }
}

/// A request packet without arguments (GRAB_JOB*, PRE_SLEEP): just its
/// header, encoded at compile time.
pub(crate) const fn bare_request(kind: PacketType) -> [u8; HEADER_LEN] {
    header(Magic::Request, kind, 0)
}

/// One assigned job. Results are sent back through the [`Worker`](super::Worker)
/// on the connection the job came from; if that connection has been lost
/// (or replaced by a reconnect) sends fail with LOST_CONNECTION.
///
/// Handle, function, unique key and workload stay where the packet had
/// them, in one buffer: a copy of the packet's payload (into a recycled
/// buffer), or for a large packet the receive buffer itself (the workload
/// is then not copied at all), or with the embedder's allocator the
/// workload is received straight into the embedder's memory
/// ([`Job::large_workload`]).
///
/// Boxed: a job is handed from the packet handler up to the caller's
/// callback and back to [`Worker::recycle`](super::Worker::recycle) through
/// a dozen moves, each a pointer copy this way; the box is recycled with
/// the buffer, so a steady `work()` loop still allocates nothing per job.
#[derive(Clone, Debug)]
pub struct Job(Box<Parts>);

#[derive(Debug)]
struct Parts {
    buf: Vec<u8>,
    /// Handle, function, unique and workload in `buf`.
    parts: [Range<usize>; 4],
    /// The workload, when it was detached from its packet.
    large: Option<LargeBody>,
    server: u64,
    generation: u64,
}

/// A copy keeps the workload in its own buffer (a detached one is copied).
impl Clone for Parts {
    fn clone(&self) -> Parts {
        let mut buf = self.buf.clone();
        let mut parts = self.parts.clone();
        if let Some(b) = &self.large {
            parts[3] = buf.len()..buf.len() + b.bytes().len();
            buf.extend_from_slice(b.bytes());
        }
        Parts {
            buf,
            parts,
            large: None,
            server: self.server,
            generation: self.generation,
        }
    }
}

/// Jobs are equal when their fields are, wherever the workload lives.
impl PartialEq for Job {
    fn eq(&self, other: &Job) -> bool {
        (self.server(), self.generation()) == (other.server(), other.generation())
            && self.handle() == other.handle()
            && self.function() == other.function()
            && self.unique() == other.unique()
            && self.workload() == other.workload()
    }
}

impl Eq for Job {}

impl Job {
    /// The job an assignment packet describes, without its bytes yet:
    /// [`Job::fill`] gives them (the caller knows whether the receive
    /// buffer can be taken). `spare` (a recycled job: its box and buffer,
    /// emptied first) saves the allocations.
    #[inline]
    pub(crate) fn from_packet(
        p: &PacketRef<'_>,
        server: u64,
        generation: u64,
        spare: Option<Job>,
    ) -> Job {
        let data = p.data_range();
        let unique = match p.kind() {
            PacketType::JobAssignUniq | PacketType::JobAssignAll => p.arg_range(2),
            _ => data.start..data.start,
        };
        let parts = [p.arg_range(0), p.arg_range(1), unique, data];
        match spare {
            Some(mut job) => {
                let j = &mut *job.0;
                j.buf.clear();
                j.large = None;
                j.parts = parts;
                j.server = server;
                j.generation = generation;
                job
            }
            None => Job(Box::new(Parts {
                buf: Vec::new(),
                parts,
                large: None,
                server,
                generation,
            })),
        }
    }

    /// The id of the server connection ([`WServer::uid`](super::WServer)) the job came on.
    pub(crate) fn server(&self) -> u64 {
        self.0.server
    }

    /// The generation of that connection when the job came.
    pub(crate) fn generation(&self) -> u64 {
        self.0.generation
    }

    /// Whether the job still needs [`Job::fill`] (an assignment payload is
    /// never empty: it has at least two separators).
    pub(crate) fn unfilled(&self) -> bool {
        self.0.buf.is_empty()
    }

    /// Gives the job its packet's payload: borrowed (copied) or a taken
    /// receive buffer with the payload's place in it.
    /// A detached workload comes as [`Body::Large`] after a fill with the
    /// packet's (data-less) payload.
    #[inline]
    pub(crate) fn fill(&mut self, payload: Body<'_>) {
        let j = &mut *self.0;
        match payload {
            Body::Borrowed(b) => {
                j.buf.reserve_exact(b.len());
                j.buf.extend_from_slice(b);
            }
            Body::Large(b) => j.large = Some(b),
            Body::Owned(v, r) => {
                j.buf = v;
                j.buf.truncate(r.end);
                for part in j.parts.iter_mut() {
                    *part = part.start + r.start..part.end + r.start;
                }
            }
        }
    }

    /// The buffer's capacity.
    pub(crate) fn capacity(&self) -> usize {
        self.0.buf.capacity()
    }

    /// Drops a detached workload.
    pub(crate) fn drop_large(&mut self) {
        self.0.large = None;
    }

    /// Takes the buffer out (the job keeps an empty one).
    pub(crate) fn take_buf(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0.buf)
    }

    /// Job handle.
    pub fn handle(&self) -> &[u8] {
        &self.0.buf[self.0.parts[0].clone()]
    }

    /// Function name.
    pub fn function(&self) -> &[u8] {
        &self.0.buf[self.0.parts[1].clone()]
    }

    /// Unique key (empty with [`GrabMode::Plain`]).
    pub fn unique(&self) -> &[u8] {
        &self.0.buf[self.0.parts[2].clone()]
    }

    /// Workload.
    pub fn workload(&self) -> &[u8] {
        match &self.0.large {
            Some(b) => b.bytes(),
            None => &self.0.buf[self.0.parts[3].clone()],
        }
    }

    /// The workload if it was received into the embedder's memory (see
    /// `large_body`): the embedder can then use it without a copy.
    pub fn large_workload(&self) -> Option<&LargeBody> {
        self.0.large.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{Magic, PacketRef};

    #[test]
    fn parts_from_a_copied_or_taken_payload() {
        let payload = b"H:1\0fn\0uq\0work\0load";
        for kind in [PacketType::JobAssignUniq, PacketType::JobAssign] {
            let p = PacketRef::parse(Magic::Response, kind, payload).unwrap();
            let recycled = Job::from_packet(&p, 3, 9, None);
            let mut copied = Job::from_packet(&p, 7, 1, Some(recycled));
            assert_eq!((copied.server(), copied.generation()), (7, 1));
            assert!(copied.unfilled());
            let mut taken = copied.clone();
            copied.fill(Body::Borrowed(payload));
            // The receive buffer with a 12-byte header in front.
            let mut buf = b"\0RES0000len_".to_vec();
            buf.extend_from_slice(payload);
            taken.fill(Body::Owned(buf, 12..12 + payload.len()));
            for j in [&copied, &taken] {
                assert!(!j.unfilled());
                assert_eq!(j.handle(), b"H:1");
                assert_eq!(j.function(), b"fn");
                if kind == PacketType::JobAssignUniq {
                    assert_eq!((j.unique(), j.workload()), (&b"uq"[..], &b"work\0load"[..]));
                } else {
                    assert_eq!(
                        (j.unique(), j.workload()),
                        (&b""[..], &b"uq\0work\0load"[..])
                    );
                }
            }
        }
    }

    #[test]
    fn pre_encoded_grab_packets_match_the_encoder() {
        for mode in [GrabMode::Plain, GrabMode::Uniq, GrabMode::All] {
            let mut v = Vec::new();
            crate::protocol::encode(&mut v, Magic::Request, mode.packet(), &[], b"").unwrap();
            assert_eq!(&v[..], &mode.encoded()[..], "{:?}", mode);
        }
        let mut v = Vec::new();
        crate::protocol::encode(&mut v, Magic::Request, PacketType::PreSleep, &[], b"").unwrap();
        assert_eq!(&v[..], &bare_request(PacketType::PreSleep)[..]);
    }
}
