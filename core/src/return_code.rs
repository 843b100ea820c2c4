//! `gearman_return_t`: the status codes libgearman 1.1.x reports.
//!
//! PHP code observes these numbers through `returnCode()` and the `GEARMAN_*`
//! constants, so the values and names must match libgearman exactly
//! (php-api.md §2.2). Codes that libgearman does not export to PHP (33, 48–52)
//! are still returned, so they are listed here too.

use std::fmt;

macro_rules! return_codes {
    ($( $variant:ident = $value:literal, $name:literal; )*) => {
        /// A libgearman return code (`gearman_return_t`), values `0..=53`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ReturnCode {
            $( #[doc = $name] $variant = $value, )*
        }

        impl ReturnCode {
            /// Every code in numeric order.
            pub const ALL: &'static [ReturnCode] = &[ $( ReturnCode::$variant, )* ];

            /// The libgearman name, e.g. `"GEARMAN_COULD_NOT_CONNECT"`.
            pub fn name(self) -> &'static str {
                match self { $( ReturnCode::$variant => $name, )* }
            }

            /// Inverse of `as u32`; `None` outside `0..=53`.
            pub fn from_u32(value: u32) -> Option<ReturnCode> {
                match value { $( $value => Some(ReturnCode::$variant), )* _ => None }
            }
        }
    };
}

return_codes! {
    Success = 0, "GEARMAN_SUCCESS";
    IoWait = 1, "GEARMAN_IO_WAIT";
    Shutdown = 2, "GEARMAN_SHUTDOWN";
    ShutdownGraceful = 3, "GEARMAN_SHUTDOWN_GRACEFUL";
    Errno = 4, "GEARMAN_ERRNO";
    Event = 5, "GEARMAN_EVENT";
    TooManyArgs = 6, "GEARMAN_TOO_MANY_ARGS";
    NoActiveFds = 7, "GEARMAN_NO_ACTIVE_FDS";
    InvalidMagic = 8, "GEARMAN_INVALID_MAGIC";
    InvalidCommand = 9, "GEARMAN_INVALID_COMMAND";
    InvalidPacket = 10, "GEARMAN_INVALID_PACKET";
    UnexpectedPacket = 11, "GEARMAN_UNEXPECTED_PACKET";
    GetAddrInfo = 12, "GEARMAN_GETADDRINFO";
    NoServers = 13, "GEARMAN_NO_SERVERS";
    LostConnection = 14, "GEARMAN_LOST_CONNECTION";
    MemoryAllocationFailure = 15, "GEARMAN_MEMORY_ALLOCATION_FAILURE";
    JobExists = 16, "GEARMAN_JOB_EXISTS";
    JobQueueFull = 17, "GEARMAN_JOB_QUEUE_FULL";
    ServerError = 18, "GEARMAN_SERVER_ERROR";
    WorkError = 19, "GEARMAN_WORK_ERROR";
    WorkData = 20, "GEARMAN_WORK_DATA";
    WorkWarning = 21, "GEARMAN_WORK_WARNING";
    WorkStatus = 22, "GEARMAN_WORK_STATUS";
    WorkException = 23, "GEARMAN_WORK_EXCEPTION";
    WorkFail = 24, "GEARMAN_WORK_FAIL";
    NotConnected = 25, "GEARMAN_NOT_CONNECTED";
    CouldNotConnect = 26, "GEARMAN_COULD_NOT_CONNECT";
    SendInProgress = 27, "GEARMAN_SEND_IN_PROGRESS";
    RecvInProgress = 28, "GEARMAN_RECV_IN_PROGRESS";
    NotFlushing = 29, "GEARMAN_NOT_FLUSHING";
    DataTooLarge = 30, "GEARMAN_DATA_TOO_LARGE";
    InvalidFunctionName = 31, "GEARMAN_INVALID_FUNCTION_NAME";
    InvalidWorkerFunction = 32, "GEARMAN_INVALID_WORKER_FUNCTION";
    NoRegisteredFunction = 33, "GEARMAN_NO_REGISTERED_FUNCTION";
    NoRegisteredFunctions = 34, "GEARMAN_NO_REGISTERED_FUNCTIONS";
    NoJobs = 35, "GEARMAN_NO_JOBS";
    EchoDataCorruption = 36, "GEARMAN_ECHO_DATA_CORRUPTION";
    NeedWorkloadFn = 37, "GEARMAN_NEED_WORKLOAD_FN";
    Pause = 38, "GEARMAN_PAUSE";
    UnknownState = 39, "GEARMAN_UNKNOWN_STATE";
    Pthread = 40, "GEARMAN_PTHREAD";
    PipeEof = 41, "GEARMAN_PIPE_EOF";
    QueueError = 42, "GEARMAN_QUEUE_ERROR";
    FlushData = 43, "GEARMAN_FLUSH_DATA";
    SendBufferTooSmall = 44, "GEARMAN_SEND_BUFFER_TOO_SMALL";
    IgnorePacket = 45, "GEARMAN_IGNORE_PACKET";
    UnknownOption = 46, "GEARMAN_UNKNOWN_OPTION";
    Timeout = 47, "GEARMAN_TIMEOUT";
    ArgumentTooLarge = 48, "GEARMAN_ARGUMENT_TOO_LARGE";
    InvalidArgument = 49, "GEARMAN_INVALID_ARGUMENT";
    InProgress = 50, "GEARMAN_IN_PROGRESS";
    InvalidServerOption = 51, "GEARMAN_INVALID_SERVER_OPTION";
    JobNotFound = 52, "GEARMAN_JOB_NOT_FOUND";
    MaxReturn = 53, "GEARMAN_MAX_RETURN";
}

impl ReturnCode {
    /// The numeric value as PHP sees it.
    pub fn value(self) -> u32 {
        self as u32
    }

    /// `true` only for [`ReturnCode::Success`].
    pub fn is_success(self) -> bool {
        self == ReturnCode::Success
    }

    /// Maps the `CODE` argument of an ERROR packet back to a return code.
    ///
    /// gearmand sends the libgearman name without its `GEARMAN_` prefix
    /// (`"QUEUE_ERROR"`); libgearman looks it up in its name table and falls
    /// back to `GEARMAN_SERVER_ERROR` for anything unknown (protocol doc §4).
    /// A full `GEARMAN_`-prefixed name is accepted as well.
    pub fn from_error_packet_code(code: &[u8]) -> ReturnCode {
        let code = code.strip_prefix(b"GEARMAN_").unwrap_or(code);
        ReturnCode::ALL
            .iter()
            .copied()
            .find(|rc| &rc.name().as_bytes()[b"GEARMAN_".len()..] == code)
            .unwrap_or(ReturnCode::ServerError)
    }
}

impl fmt::Display for ReturnCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_dense_and_named() {
        assert_eq!(ReturnCode::ALL.len(), 54);
        for (i, rc) in ReturnCode::ALL.iter().enumerate() {
            assert_eq!(rc.value() as usize, i);
            assert_eq!(ReturnCode::from_u32(i as u32), Some(*rc));
            assert!(rc.name().starts_with("GEARMAN_"));
        }
        assert_eq!(ReturnCode::from_u32(54), None);
    }

    #[test]
    fn well_known_values() {
        assert_eq!(ReturnCode::CouldNotConnect.value(), 26);
        assert_eq!(
            ReturnCode::CouldNotConnect.name(),
            "GEARMAN_COULD_NOT_CONNECT"
        );
        assert_eq!(ReturnCode::InvalidArgument.value(), 49);
        assert_eq!(
            ReturnCode::InvalidArgument.name(),
            "GEARMAN_INVALID_ARGUMENT"
        );
        assert_eq!(ReturnCode::Timeout.value(), 47);
        assert_eq!(ReturnCode::NoRegisteredFunction.value(), 33);
        assert_eq!(ReturnCode::JobNotFound.value(), 52);
        assert_eq!(ReturnCode::MaxReturn.value(), 53);
        assert_eq!(ReturnCode::WorkFail.to_string(), "GEARMAN_WORK_FAIL");
    }

    #[test]
    fn error_packet_codes() {
        for (code, want) in [
            (&b"QUEUE_ERROR"[..], ReturnCode::QueueError),
            (b"INVALID_MAGIC", ReturnCode::InvalidMagic),
            (b"UNKNOWN_OPTION", ReturnCode::UnknownOption),
            (b"JOB_NOT_FOUND", ReturnCode::JobNotFound),
            (b"ARGUMENT_TOO_LARGE", ReturnCode::ArgumentTooLarge),
            (b"GEARMAN_TIMEOUT", ReturnCode::Timeout),
            (b"whatever", ReturnCode::ServerError),
            (b"", ReturnCode::ServerError),
            (b"queue_error", ReturnCode::ServerError),
        ] {
            assert_eq!(
                ReturnCode::from_error_packet_code(code),
                want,
                "{}",
                String::from_utf8_lossy(code)
            );
        }
    }
}
