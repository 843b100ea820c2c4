//! The meaning of gearmand's admin replies (protocol doc §7): listing rows,
//! `OK` values and `ERR` errors. Every parser rejects what gearmand 1.1
//! would not send with a "not the text protocol" error instead of guessing.

use super::reply::{not_text_protocol, Reply};
use crate::{Error, ReturnCode};

/// One `status` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FunctionStatus {
    /// The function name.
    pub function: Vec<u8>,
    /// Jobs gearmand holds for it, running ones included (the TOTAL column,
    /// as `gearadmin --status` shows it).
    pub queued: u64,
    /// Jobs a worker is running.
    pub running: u64,
    /// Worker registrations (CAN_DO) for it.
    pub workers: u64,
}

/// One `prioritystatus` row: queued (not running) jobs per priority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityStatus {
    /// The function name.
    pub function: Vec<u8>,
    /// Queued high-priority jobs.
    pub high: u64,
    /// Queued normal-priority jobs.
    pub normal: u64,
    /// Queued low-priority jobs.
    pub low: u64,
    /// Worker registrations for it.
    pub workers: u64,
}

/// One `workers` row: a connection (workers, clients and admin
/// connections alike).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkerInfo {
    /// gearmand's file descriptor for the connection.
    pub fd: i64,
    /// Peer address.
    pub ip: Vec<u8>,
    /// SET_CLIENT_ID, or `-` when none was sent.
    pub id: Vec<u8>,
    /// Registered functions, one entry per registration.
    pub functions: Vec<Vec<u8>>,
}

/// One `show jobs` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobInfo {
    /// Job handle.
    pub handle: Vec<u8>,
    /// Times the job was handed out again after a worker lost it.
    pub retries: u64,
    /// Cancelled or abandoned: gearmand drops it instead of running it.
    pub ignore: bool,
    /// Recorded in the persistent-queue bookkeeping (background jobs).
    pub queued: bool,
}

fn block(reply: Reply) -> Result<Vec<Vec<u8>>, Error> {
    match reply {
        Reply::Block(lines) => Ok(lines),
        Reply::Line(l) => Err(line_error(&l)),
    }
}

/// The error a one-line reply stands for where a listing was expected.
fn line_error(line: &[u8]) -> Error {
    match parse_ok(line) {
        Err(e) => e,
        Ok(_) => not_text_protocol("a one-line reply where a listing was expected"),
    }
}

fn number(field: &[u8]) -> Result<u64, Error> {
    std::str::from_utf8(field)
        .ok()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| not_text_protocol("a number was expected"))
}

/// Splits `NAME\tN\tN…` with `n` numbers from the right, so a function
/// name containing a tab stays whole.
fn name_and_numbers(line: &[u8], n: usize) -> Result<(Vec<u8>, Vec<u64>), Error> {
    let mut fields: Vec<&[u8]> = line.rsplitn(n + 1, |&b| b == b'\t').collect();
    if fields.len() != n + 1 {
        return Err(not_text_protocol("too few tab-separated fields"));
    }
    let name = fields.pop().unwrap_or_default().to_vec();
    let nums = fields
        .iter()
        .rev()
        .map(|f| number(f))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((name, nums))
}

/// One `status` line.
pub fn status_line(l: &[u8]) -> Result<FunctionStatus, Error> {
    let (function, n) = name_and_numbers(l, 3)?;
    Ok(FunctionStatus {
        function,
        queued: n[0],
        running: n[1],
        workers: n[2],
    })
}

/// `status` reply → rows.
pub fn status(reply: Reply) -> Result<Vec<FunctionStatus>, Error> {
    block(reply)?.iter().map(|l| status_line(l)).collect()
}

/// One `prioritystatus` line.
pub fn priority_line(l: &[u8]) -> Result<PriorityStatus, Error> {
    let (function, n) = name_and_numbers(l, 4)?;
    Ok(PriorityStatus {
        function,
        high: n[0],
        normal: n[1],
        low: n[2],
        workers: n[3],
    })
}

/// `prioritystatus` reply → rows.
pub fn priority_status(reply: Reply) -> Result<Vec<PriorityStatus>, Error> {
    block(reply)?.iter().map(|l| priority_line(l)).collect()
}

/// `workers` reply → rows. The line is `FD IP ID :` followed by
/// ` FUNCTION` per registration. An ID or function name containing a
/// space cannot be told apart (gearmand does not escape them); libgearman
/// and gearman-rs only send ids without spaces.
pub fn workers(reply: Reply) -> Result<Vec<WorkerInfo>, Error> {
    block(reply)?.iter().map(|l| worker_line(l)).collect()
}

/// One `workers` line.
pub fn worker_line(line: &[u8]) -> Result<WorkerInfo, Error> {
    let bad = || not_text_protocol("a workers line is `FD IP ID : FUNCTIONS`");
    let mut parts = line.splitn(3, |&b| b == b' ');
    let fd = parts.next().ok_or_else(bad)?;
    let ip = parts.next().ok_or_else(bad)?;
    let rest = parts.next().ok_or_else(bad)?;
    let fd = i64::try_from(number(fd)?).map_err(|_| bad())?;
    // "ID :" or "ID : f1 f2": the first " :" that ends the line or is
    // followed by a space (a function may be called ":").
    let at = (0..rest.len().saturating_sub(1))
        .find(|&i| rest[i..].starts_with(b" :") && (i + 2 == rest.len() || rest[i + 2] == b' '))
        .ok_or_else(bad)?;
    let id = &rest[..at];
    let functions = rest.get(at + 3..).unwrap_or_default();
    if id.is_empty() || ip.is_empty() {
        return Err(bad());
    }
    let functions = if functions.is_empty() {
        Vec::new()
    } else {
        functions
            .split(|&b| b == b' ')
            .map(|f| f.to_vec())
            .collect()
    };
    Ok(WorkerInfo {
        fd,
        ip: ip.to_vec(),
        id: id.to_vec(),
        functions,
    })
}

/// One `show jobs` line.
pub fn job_line(l: &[u8]) -> Result<JobInfo, Error> {
    let flag = |n: u64| match n {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(not_text_protocol("a 0/1 flag was expected")),
    };
    let (handle, n) = name_and_numbers(l, 3)?;
    if handle.is_empty() {
        return Err(not_text_protocol("an empty job handle"));
    }
    Ok(JobInfo {
        handle,
        retries: n[0],
        ignore: flag(n[1])?,
        queued: flag(n[2])?,
    })
}

/// `show jobs` reply → rows.
pub fn jobs(reply: Reply) -> Result<Vec<JobInfo>, Error> {
    block(reply)?.iter().map(|l| job_line(l)).collect()
}

/// `show unique jobs` reply → the unique keys (an empty one for jobs
/// submitted without).
pub fn unique_jobs(reply: Reply) -> Result<Vec<Vec<u8>>, Error> {
    block(reply)
}

/// A one-line `OK[ value]` reply → the value (empty for a bare `OK`);
/// `ERR …` → the error it reports.
pub fn ok(reply: Reply) -> Result<Vec<u8>, Error> {
    match reply {
        Reply::Line(l) => parse_ok(&l),
        Reply::Block(_) => Err(not_text_protocol("a listing where one line was expected")),
    }
}

fn parse_ok(line: &[u8]) -> Result<Vec<u8>, Error> {
    if line == b"OK" {
        return Ok(Vec::new());
    }
    if let Some(v) = line.strip_prefix(b"OK ") {
        return Ok(v.to_vec());
    }
    if line == b"ERR" || line.starts_with(b"ERR ") {
        return Err(server_error(line.get(4..).unwrap_or_default()));
    }
    Err(not_text_protocol("neither OK nor ERR"))
}

/// `ERR CODE text+with+plus+signs` (the text is optional; some replies
/// have free text and no code) → an error whose message is gearmand's
/// code and text, and whose return code is the nearest libgearman one.
pub fn server_error(rest: &[u8]) -> Error {
    let rest = String::from_utf8_lossy(rest);
    let (word, text) = rest.split_once(' ').unwrap_or((&rest, ""));
    let is_code = !word.is_empty() && word.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    if !is_code {
        return Error::new(ReturnCode::ServerError, "gearman_admin", rest.into_owned());
    }
    let code = match word {
        "UNKNOWN_JOB" => ReturnCode::JobNotFound,
        "INVALID_ARGUMENTS" | "UNKNOWN_SHOW_ARGUMENTS" => ReturnCode::InvalidArgument,
        "UNKNOWN_COMMAND" => ReturnCode::InvalidCommand,
        other => ReturnCode::from_error_packet_code(other.as_bytes()),
    };
    let text = text.replace('+', " ");
    let message = if text.is_empty() {
        word.to_string()
    } else {
        format!("{} {}", word, text)
    };
    Error::new(code, "gearman_admin", message)
}

/// `Err` for a one-line `ERR …` reply, the reply itself otherwise: raw
/// commands fail like every other call.
pub fn raise_err(reply: Reply) -> Result<Reply, Error> {
    match &reply {
        Reply::Line(l) if l == b"ERR" || l.starts_with(b"ERR ") => {
            Err(server_error(l.get(4..).unwrap_or_default()))
        }
        _ => Ok(reply),
    }
}

/// `OK <decimal>` → the number (`getpid`).
pub fn ok_number(reply: Reply) -> Result<u64, Error> {
    number(&ok(reply)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(lines: &[&str]) -> Reply {
        Reply::Block(lines.iter().map(|l| l.as_bytes().to_vec()).collect())
    }

    fn line(l: &str) -> Reply {
        Reply::Line(l.as_bytes().to_vec())
    }

    /// Code and message of a reply that must not parse.
    fn err<T: std::fmt::Debug>(r: Result<T, Error>) -> (ReturnCode, String) {
        let e = r.unwrap_err();
        (e.code, e.message)
    }

    #[test]
    fn status_rows() {
        let rows = status(b(&["fq\t1\t0\t0", "f\tb\t2\t1\t3", "\t0\t0\t0"])).unwrap();
        assert_eq!(
            rows[0],
            FunctionStatus {
                function: b"fq".to_vec(),
                queued: 1,
                running: 0,
                workers: 0
            }
        );
        assert_eq!(rows[1].function, b"f\tb");
        assert_eq!(
            (rows[1].queued, rows[1].running, rows[1].workers),
            (2, 1, 3)
        );
        assert_eq!(rows[2].function, b"");
        for bad in [
            "f\t1\t0",
            "f\t1\t0\tx",
            "f\t-1\t0\t0",
            "f\t1\t0\t 0",
            "f\t99999999999999999999999\t0\t0",
        ] {
            assert_eq!(
                status(b(&[bad])).unwrap_err().code,
                ReturnCode::UnexpectedPacket,
                "{:?}",
                bad
            );
        }
        assert_eq!(
            err(status(line("ERR UNKNOWN_COMMAND Unknown+server+commandx"))),
            (
                ReturnCode::InvalidCommand,
                "UNKNOWN_COMMAND Unknown server commandx".into()
            )
        );
    }

    #[test]
    fn priority_rows() {
        let rows = priority_status(b(&["fa\t0\t2\t1\t2"])).unwrap();
        assert_eq!(
            rows,
            vec![PriorityStatus {
                function: b"fa".to_vec(),
                high: 0,
                normal: 2,
                low: 1,
                workers: 2
            }]
        );
        assert!(priority_status(b(&["fa\t0\t2\t1"])).is_err());
    }

    #[test]
    fn worker_rows() {
        let rows = workers(b(&[
            "21 127.0.0.1 - :",
            "20 127.0.0.1 my-worker : fa f b fa",
            "7 ::1 x : g",
        ]))
        .unwrap();
        assert_eq!(
            rows[0],
            WorkerInfo {
                fd: 21,
                ip: b"127.0.0.1".to_vec(),
                id: b"-".to_vec(),
                functions: vec![]
            }
        );
        assert_eq!(rows[1].id, b"my-worker");
        assert_eq!(
            rows[1].functions,
            vec![b"fa".to_vec(), b"f".to_vec(), b"b".to_vec(), b"fa".to_vec()]
        );
        assert_eq!(rows[2].ip, b"::1");
        for bad in [
            "21 127.0.0.1 -",
            "x 127.0.0.1 - :",
            "21",
            "21 127.0.0.1",
            "21  - :",
        ] {
            assert!(workers(b(&[bad])).is_err(), "{:?}", bad);
        }
    }

    #[test]
    fn job_rows() {
        let rows = jobs(b(&["H:vm:1\t0\t0\t1", "H:vm:2\t3\t1\t0"])).unwrap();
        assert_eq!(
            rows[0],
            JobInfo {
                handle: b"H:vm:1".to_vec(),
                retries: 0,
                ignore: false,
                queued: true
            }
        );
        assert_eq!(
            rows[1],
            JobInfo {
                handle: b"H:vm:2".to_vec(),
                retries: 3,
                ignore: true,
                queued: false
            }
        );
        assert!(jobs(b(&["H:vm:1\t0\t2\t1"])).is_err());
        assert!(jobs(b(&["\t0\t0\t1"])).is_err());
        assert_eq!(
            unique_jobs(b(&["", "u1"])).unwrap(),
            vec![b"".to_vec(), b"u1".to_vec()]
        );
    }

    #[test]
    fn ok_and_err_lines() {
        assert_eq!(ok(line("OK")).unwrap(), b"");
        assert_eq!(ok(line("OK 1.1.20+ds")).unwrap(), b"1.1.20+ds");
        assert_eq!(ok_number(line("OK 6640")).unwrap(), 6640);
        assert!(ok_number(line("OK x")).is_err());
        assert_eq!(
            err(ok(line("ERR UNKNOWN_JOB"))),
            (ReturnCode::JobNotFound, "UNKNOWN_JOB".into())
        );
        let busy = "there are still connected workers or executing clients";
        assert_eq!(
            err(ok(line(&format!("ERR {busy}")))),
            (ReturnCode::ServerError, busy.into())
        );
        assert_eq!(
            err(ok(line(
                "ERR INVALID_ARGUMENTS An+incomplete+set+of+arguments+was+sent+to+this+command+maxqueue"
            ))),
            (
                ReturnCode::InvalidArgument,
                "INVALID_ARGUMENTS An incomplete set of arguments was sent to this command maxqueue".into()
            )
        );
        assert_eq!(
            err(ok(line("ERR CREATE_FUNCTION f"))).0,
            ReturnCode::ServerError
        );
        assert_eq!(err(ok(line("ERR"))).0, ReturnCode::ServerError);
        for bad in ["HTTP/1.1 400 Bad Request", "OKAY", "", "ok"] {
            assert_eq!(err(ok(line(bad))).0, ReturnCode::UnexpectedPacket);
        }
        assert!(ok(b(&[])).is_err());
    }
}
