//! A job handed to this worker by JOB_ASSIGN / JOB_ASSIGN_UNIQ / JOB_ASSIGN_ALL.

use crate::protocol::{PacketRef, PacketType};

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
    pub(crate) fn packet(self) -> PacketType {
        match self {
            GrabMode::Plain => PacketType::GrabJob,
            GrabMode::Uniq => PacketType::GrabJobUniq,
            GrabMode::All => PacketType::GrabJobAll,
        }
    }
}

/// One assigned job. Results are sent back through the [`Worker`](super::Worker)
/// on the connection the job came from; if that connection has been lost
/// (or replaced by a reconnect) sends fail with LOST_CONNECTION.
///
/// Handle, function, unique key and workload are kept back to back in one
/// buffer: one allocation per job instead of four.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    buf: Vec<u8>,
    /// Ends of handle, function and unique in `buf`; the workload follows.
    ends: [usize; 3],
    pub(crate) server: u64,
    pub(crate) generation: u64,
}

impl Job {
    /// Builds a job from an assignment packet, in `buf` (emptied first; a
    /// recycled job's buffer saves the allocation).
    pub(crate) fn from_packet(
        p: &PacketRef<'_>,
        server: u64,
        generation: u64,
        mut buf: Vec<u8>,
    ) -> Job {
        let unique = match p.kind() {
            PacketType::JobAssignUniq | PacketType::JobAssignAll => p.arg(2),
            _ => &[],
        };
        let parts = [p.arg(0), p.arg(1), unique, p.data()];
        buf.clear();
        buf.reserve_exact(parts.iter().map(|b| b.len()).sum());
        let mut ends = [0; 3];
        for (k, part) in parts.iter().enumerate() {
            buf.extend_from_slice(part);
            if k < 3 {
                ends[k] = buf.len();
            }
        }
        Job {
            buf,
            ends,
            server,
            generation,
        }
    }

    /// The buffer, for reuse by the next job.
    pub(crate) fn into_buf(self) -> Vec<u8> {
        self.buf
    }

    /// Job handle.
    pub fn handle(&self) -> &[u8] {
        &self.buf[..self.ends[0]]
    }

    /// Function name.
    pub fn function(&self) -> &[u8] {
        &self.buf[self.ends[0]..self.ends[1]]
    }

    /// Unique key (empty with [`GrabMode::Plain`]).
    pub fn unique(&self) -> &[u8] {
        &self.buf[self.ends[1]..self.ends[2]]
    }

    /// Workload.
    pub fn workload(&self) -> &[u8] {
        &self.buf[self.ends[2]..]
    }
}
