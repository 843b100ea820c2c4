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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// Job handle.
    pub handle: Vec<u8>,
    /// Function name.
    pub function: Vec<u8>,
    /// Unique key (empty with [`GrabMode::Plain`]).
    pub unique: Vec<u8>,
    /// Workload.
    pub workload: Vec<u8>,
    pub(crate) server: u64,
    pub(crate) generation: u64,
}

impl Job {
    /// Builds a job from an assignment packet.
    pub(crate) fn from_packet(p: &PacketRef<'_>, server: u64, generation: u64) -> Job {
        let unique = match p.kind() {
            PacketType::JobAssignUniq | PacketType::JobAssignAll => p.arg(2).to_vec(),
            _ => Vec::new(),
        };
        Job {
            handle: p.arg(0).to_vec(),
            function: p.arg(1).to_vec(),
            unique,
            workload: p.data().to_vec(),
            server,
            generation,
        }
    }
}
