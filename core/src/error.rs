//! The error type every fallible core call returns.
//!
//! PHP code sees two things of an error: the numeric code (`returnCode()`,
//! must be exact) and the text of `error()`, whose *shape* should match
//! libgearman: `"<c-function>(<CODE_NAME>) <message> -> <file>:<line>: pid(<pid>)"`
//! (php-api.md §3.4). The core keeps the parts separately — `code`,
//! `message` (libgearman's wording) and `origin` (the libgearman function the
//! message would come from) — and the PHP layer decides how to decorate them.

use std::fmt;

use crate::ReturnCode;

/// A failed operation: a libgearman return code plus a human message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The libgearman return code PHP's `returnCode()` must show.
    pub code: ReturnCode,
    /// libgearman's wording, e.g. `"no servers provided"`.
    pub message: String,
    /// The libgearman function this error is attributed to, e.g.
    /// `"gearman_wait"`; used for the `func(CODE) message` shape.
    pub origin: &'static str,
    /// The OS `errno` behind the failure, 0 when there is none (what
    /// `getErrno()` reports; libgearman reports 0 for refused connections).
    pub errno: i32,
}

impl Error {
    /// An error with the given code, origin and message.
    pub fn new(code: ReturnCode, origin: &'static str, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            origin,
            errno: 0,
        }
    }

    /// Attaches an OS errno.
    pub fn with_errno(mut self, errno: i32) -> Error {
        self.errno = errno;
        self
    }

    /// `GEARMAN_INVALID_ARGUMENT` with libgearman's wording.
    pub fn invalid_argument(origin: &'static str, message: impl Into<String>) -> Error {
        Error::new(ReturnCode::InvalidArgument, origin, message)
    }

    /// `GEARMAN_NO_SERVERS`: "no servers provided".
    pub fn no_servers(origin: &'static str) -> Error {
        Error::new(ReturnCode::NoServers, origin, "no servers provided")
    }

    /// `GEARMAN_COULD_NOT_CONNECT` for one server: "Connection to h:p failed".
    pub fn could_not_connect(host: &str, port: u16, errno: i32) -> Error {
        Error::new(
            ReturnCode::CouldNotConnect,
            "gearman_connection_st::connect",
            format!("Connection to {}:{} failed", host, port),
        )
        .with_errno(errno)
    }

    /// `GEARMAN_LOST_CONNECTION`: "lost connection to server (EOF)" and friends.
    pub fn lost_connection(detail: &str) -> Error {
        Error::new(
            ReturnCode::LostConnection,
            "gearman_connection_st::recv_socket",
            format!("lost connection to server ({})", detail),
        )
    }

    /// `GEARMAN_TIMEOUT` with libgearman's `gearman_wait` wording.
    pub fn timeout(polled: usize) -> Error {
        Error::new(
            ReturnCode::Timeout,
            "gearman_wait",
            format!(
                "timeout reached, {} servers were poll(), no servers were available, pipe:false",
                polled
            ),
        )
    }

    /// `GEARMAN_NO_ACTIVE_FDS`: "no active file descriptors".
    pub fn no_active_fds() -> Error {
        Error::new(
            ReturnCode::NoActiveFds,
            "gearman_wait",
            "no active file descriptors",
        )
    }

    /// The libgearman `error()` text without the file/line/pid suffix:
    /// `"origin(GEARMAN_CODE) message"`. For GETADDRINFO libgearman prints the
    /// bare message, so this does too.
    pub fn libgearman_text(&self) -> String {
        if self.code == ReturnCode::GetAddrInfo {
            self.message.clone()
        } else {
            format!("{}({}) {}", self.origin, self.code.name(), self.message)
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.libgearman_text())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let e = Error::no_servers("_client_run_task");
        assert_eq!(e.code, ReturnCode::NoServers);
        assert_eq!(
            e.to_string(),
            "_client_run_task(GEARMAN_NO_SERVERS) no servers provided"
        );
        let t = Error::timeout(1);
        assert_eq!(
            t.to_string(),
            "gearman_wait(GEARMAN_TIMEOUT) timeout reached, 1 servers were poll(), no servers were available, pipe:false"
        );
        let c = Error::could_not_connect("127.0.0.1", 4731, 111);
        assert_eq!(c.message, "Connection to 127.0.0.1:4731 failed");
        assert_eq!(c.errno, 111);
        let g = Error::new(
            ReturnCode::GetAddrInfo,
            "x",
            "h:1 getaddrinfo:Name or service not known",
        );
        assert_eq!(g.to_string(), "h:1 getaddrinfo:Name or service not known");
    }
}
