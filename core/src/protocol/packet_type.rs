//! Every Gearman packet type, in one table.
//!
//! The `(argc, data)` pair decides how a payload splits into arguments and is
//! copied from libgearman's `command.cc` (protocol doc §1–§2): with `data`,
//! the payload is `argc` NUL-terminated arguments followed by opaque data;
//! without, the last of `argc` arguments is the unterminated remainder.
//! `direction` records which magic the packet travels with.

/// Which way a packet type travels (and therefore which magic it carries).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Sent to the server with `\0REQ`.
    Request,
    /// Sent by the server with `\0RES`.
    Response,
    /// WORK_* packets: a worker sends them as requests, the server forwards
    /// them to clients as responses.
    Both,
    /// Not a wire packet (TEXT, UNUSED).
    Neither,
}

macro_rules! packet_types {
    ($( $variant:ident = $value:literal, $name:literal, ($argc:literal, $data:literal), $dir:ident; )*) => {
        /// A Gearman packet type (`gearman_command_t`), values `0..=42`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        pub enum PacketType {
            $( #[doc = $name] $variant = $value, )*
        }

        impl PacketType {
            /// Every packet type in numeric order.
            pub const ALL: [PacketType; 43] = [ $( PacketType::$variant, )* ];

            /// The protocol name, e.g. `"SUBMIT_JOB"`.
            pub fn name(self) -> &'static str {
                match self { $( PacketType::$variant => $name, )* }
            }

            /// Number of arguments (libgearman `command.cc`).
            pub fn argc(self) -> usize {
                match self { $( PacketType::$variant => $argc, )* }
            }

            /// Whether opaque data follows the NUL-terminated arguments.
            pub fn has_data(self) -> bool {
                match self { $( PacketType::$variant => $data, )* }
            }

            /// Travel direction.
            pub fn direction(self) -> Direction {
                match self { $( PacketType::$variant => Direction::$dir, )* }
            }

            /// `None` for values ≥ 43 (gearmand closes the connection on those).
            pub fn from_u32(value: u32) -> Option<PacketType> {
                match value { $( $value => Some(PacketType::$variant), )* _ => None }
            }
        }
    };
}

packet_types! {
    Text = 0, "TEXT", (5, false), Neither;
    CanDo = 1, "CAN_DO", (1, false), Request;
    CantDo = 2, "CANT_DO", (1, false), Request;
    ResetAbilities = 3, "RESET_ABILITIES", (0, false), Request;
    PreSleep = 4, "PRE_SLEEP", (0, false), Request;
    Unused = 5, "UNUSED", (0, false), Neither;
    Noop = 6, "NOOP", (0, false), Response;
    SubmitJob = 7, "SUBMIT_JOB", (2, true), Request;
    JobCreated = 8, "JOB_CREATED", (1, false), Response;
    GrabJob = 9, "GRAB_JOB", (0, false), Request;
    NoJob = 10, "NO_JOB", (0, false), Response;
    JobAssign = 11, "JOB_ASSIGN", (2, true), Response;
    WorkStatus = 12, "WORK_STATUS", (3, false), Both;
    WorkComplete = 13, "WORK_COMPLETE", (1, true), Both;
    WorkFail = 14, "WORK_FAIL", (1, false), Both;
    GetStatus = 15, "GET_STATUS", (1, false), Request;
    EchoReq = 16, "ECHO_REQ", (0, true), Request;
    EchoRes = 17, "ECHO_RES", (0, true), Response;
    SubmitJobBg = 18, "SUBMIT_JOB_BG", (2, true), Request;
    Error = 19, "ERROR", (2, false), Response;
    StatusRes = 20, "STATUS_RES", (5, false), Response;
    SubmitJobHigh = 21, "SUBMIT_JOB_HIGH", (2, true), Request;
    SetClientId = 22, "SET_CLIENT_ID", (1, false), Request;
    CanDoTimeout = 23, "CAN_DO_TIMEOUT", (2, false), Request;
    AllYours = 24, "ALL_YOURS", (0, false), Request;
    WorkException = 25, "WORK_EXCEPTION", (1, true), Both;
    OptionReq = 26, "OPTION_REQ", (1, false), Request;
    OptionRes = 27, "OPTION_RES", (1, false), Response;
    WorkData = 28, "WORK_DATA", (1, true), Both;
    WorkWarning = 29, "WORK_WARNING", (1, true), Both;
    GrabJobUniq = 30, "GRAB_JOB_UNIQ", (0, false), Request;
    JobAssignUniq = 31, "JOB_ASSIGN_UNIQ", (3, true), Response;
    SubmitJobHighBg = 32, "SUBMIT_JOB_HIGH_BG", (2, true), Request;
    SubmitJobLow = 33, "SUBMIT_JOB_LOW", (2, true), Request;
    SubmitJobLowBg = 34, "SUBMIT_JOB_LOW_BG", (2, true), Request;
    SubmitJobSched = 35, "SUBMIT_JOB_SCHED", (7, true), Request;
    SubmitJobEpoch = 36, "SUBMIT_JOB_EPOCH", (3, true), Request;
    SubmitReduceJob = 37, "SUBMIT_REDUCE_JOB", (4, true), Request;
    SubmitReduceJobBackground = 38, "SUBMIT_REDUCE_JOB_BACKGROUND", (4, true), Request;
    GrabJobAll = 39, "GRAB_JOB_ALL", (0, false), Request;
    JobAssignAll = 40, "JOB_ASSIGN_ALL", (4, true), Response;
    GetStatusUnique = 41, "GET_STATUS_UNIQUE", (1, false), Request;
    StatusResUnique = 42, "STATUS_RES_UNIQUE", (6, false), Response;
}

impl PacketType {
    /// The wire value.
    pub const fn value(self) -> u32 {
        self as u32
    }

    /// Whether a server may legitimately send this type (`\0RES` magic).
    pub fn is_response(self) -> bool {
        matches!(self.direction(), Direction::Response | Direction::Both)
    }

    /// Whether a client or worker may send this type (`\0REQ` magic).
    pub fn is_request(self) -> bool {
        matches!(self.direction(), Direction::Request | Direction::Both)
    }
}

/// The largest `argc` of any packet type (SUBMIT_JOB_SCHED has 7, TEXT 5).
pub const MAX_ARGS: usize = 7;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_dense() {
        for (i, t) in PacketType::ALL.iter().enumerate() {
            assert_eq!(t.value() as usize, i);
            assert_eq!(PacketType::from_u32(i as u32), Some(*t));
            assert!(t.argc() <= MAX_ARGS);
        }
        assert_eq!(PacketType::from_u32(43), None);
        assert_eq!(PacketType::from_u32(u32::MAX), None);
    }

    #[test]
    fn argc_and_data_match_command_cc() {
        use PacketType::*;
        let expect: [(PacketType, usize, bool); 43] = [
            (Text, 5, false),
            (CanDo, 1, false),
            (CantDo, 1, false),
            (ResetAbilities, 0, false),
            (PreSleep, 0, false),
            (Unused, 0, false),
            (Noop, 0, false),
            (SubmitJob, 2, true),
            (JobCreated, 1, false),
            (GrabJob, 0, false),
            (NoJob, 0, false),
            (JobAssign, 2, true),
            (WorkStatus, 3, false),
            (WorkComplete, 1, true),
            (WorkFail, 1, false),
            (GetStatus, 1, false),
            (EchoReq, 0, true),
            (EchoRes, 0, true),
            (SubmitJobBg, 2, true),
            (Error, 2, false),
            (StatusRes, 5, false),
            (SubmitJobHigh, 2, true),
            (SetClientId, 1, false),
            (CanDoTimeout, 2, false),
            (AllYours, 0, false),
            (WorkException, 1, true),
            (OptionReq, 1, false),
            (OptionRes, 1, false),
            (WorkData, 1, true),
            (WorkWarning, 1, true),
            (GrabJobUniq, 0, false),
            (JobAssignUniq, 3, true),
            (SubmitJobHighBg, 2, true),
            (SubmitJobLow, 2, true),
            (SubmitJobLowBg, 2, true),
            (SubmitJobSched, 7, true),
            (SubmitJobEpoch, 3, true),
            (SubmitReduceJob, 4, true),
            (SubmitReduceJobBackground, 4, true),
            (GrabJobAll, 0, false),
            (JobAssignAll, 4, true),
            (GetStatusUnique, 1, false),
            (StatusResUnique, 6, false),
        ];
        for (t, argc, data) in expect {
            assert_eq!((t.argc(), t.has_data()), (argc, data), "{}", t.name());
        }
    }

    #[test]
    fn directions() {
        assert!(PacketType::SubmitJob.is_request() && !PacketType::SubmitJob.is_response());
        assert!(PacketType::JobCreated.is_response() && !PacketType::JobCreated.is_request());
        assert!(PacketType::WorkComplete.is_request() && PacketType::WorkComplete.is_response());
        assert!(!PacketType::Text.is_request() && !PacketType::Text.is_response());
        assert_eq!(PacketType::StatusResUnique.name(), "STATUS_RES_UNIQUE");
    }
}
