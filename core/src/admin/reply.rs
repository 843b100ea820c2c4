//! Framing of gearmand's text (admin) protocol replies: where one reply
//! ends in a byte stream, without trusting the stream.
//!
//! gearmand 1.1.x answers every admin line with exactly one reply, in
//! order (protocol doc §7):
//! - the listings (`status`, `prioritystatus`, `workers`, `show jobs`,
//!   `show unique jobs`) with zero or more lines and a final `.` line;
//! - everything else, and a listing command it rejects, with one line:
//!   `OK[ value]` or `ERR CODE[ text+with+plus+signs]`.
//!
//! Line ends are mixed: listings and `OK <value>` end in `\n`, `OK` and
//! `ERR` lines in `\r\n`. A `\r` before the `\n` is never part of a line.
//!
//! Bounds: a reply larger than the caller's limit is an error as soon as
//! that many bytes are buffered, whether or not a line end was seen, so a
//! peer that streams forever cannot make us buffer forever. A NUL byte is
//! an error too: gearmand never puts one in a text reply (names, handles,
//! ids and unique keys cannot contain it), but a binary packet starts with one.

use crate::{Error, ReturnCode};

/// How a command is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One line.
    Line,
    /// Lines up to a `.` line — or a single `ERR …\r\n` line.
    Block,
}

impl Shape {
    /// The shape of gearmand's reply to `command` (one line, without its
    /// line end), decided as gearmand's text.cc does: by the
    /// case-insensitive first word(s); extra words are ignored by gearmand.
    pub fn of(command: &[u8]) -> Shape {
        let mut words = command.split(|&b| b == b' ').filter(|w| !w.is_empty());
        let first = words.next().unwrap_or(b"");
        let is = |w: &[u8], s: &str| w.eq_ignore_ascii_case(s.as_bytes());
        if is(first, "status") || is(first, "prioritystatus") || is(first, "workers") {
            return Shape::Block;
        }
        if is(first, "show") {
            // "show jobs" and "show unique jobs" list; "show <other>" and a
            // bare "show" are one-line errors.
            match (words.next(), words.next()) {
                (Some(a), _) if is(a, "jobs") => return Shape::Block,
                (Some(a), Some(b)) if is(a, "unique") && is(b, "jobs") => return Shape::Block,
                _ => {}
            }
        }
        Shape::Line
    }
}

/// One complete reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// A one-line reply, line end removed.
    Line(Vec<u8>),
    /// The lines of a listing, without the final `.` line.
    Block(Vec<Vec<u8>>),
}

impl Reply {
    /// The reply as gearmand sent it, with `\n` line ends (and the final
    /// `.` line for a listing): what `GearmanAdmin::command()` returns.
    pub fn to_text(&self) -> Vec<u8> {
        match self {
            Reply::Line(l) => {
                let mut v = l.clone();
                v.push(b'\n');
                v
            }
            Reply::Block(lines) => {
                let mut v =
                    Vec::with_capacity(lines.iter().map(|l| l.len() + 1).sum::<usize>() + 2);
                for l in lines {
                    v.extend_from_slice(l);
                    v.push(b'\n');
                }
                v.extend_from_slice(b".\n");
                v
            }
        }
    }
}

/// Error for bytes that are not gearmand's text protocol.
pub fn not_text_protocol(detail: &str) -> Error {
    Error::new(
        ReturnCode::UnexpectedPacket,
        "gearman_admin",
        format!(
            "the server's reply is not the gearmand text protocol ({})",
            detail
        ),
    )
}

/// Takes one complete reply of `shape` from the front of `buf` (a fresh
/// [`Framer`] fed once).
pub fn take(buf: &[u8], shape: Shape, max: usize) -> Result<Option<(Reply, usize)>, Error> {
    Framer::new(shape, max).feed(buf)
}

/// Incremental framing of one reply: fed the same growing buffer again
/// after every read, it resumes where it stopped, so a large listing costs
/// one pass, not one pass per read.
#[derive(Debug)]
pub struct Framer {
    shape: Shape,
    max: usize,
    /// Bytes of complete lines already taken.
    pos: usize,
    /// Bytes already searched for a line end (so each byte is looked at once).
    scanned: usize,
    lines: Vec<Vec<u8>>,
    /// Checks each listing line as it arrives, so something that is not
    /// the expected listing fails at its first line instead of waiting
    /// for a "." line that never comes.
    check: Option<LineCheck>,
}

/// A check of one listing line (see [`Framer::with_line_check`]).
pub type LineCheck = fn(&[u8]) -> Result<(), Error>;

impl Framer {
    /// A framer for one reply of `shape`, at most `max` bytes.
    pub fn new(shape: Shape, max: usize) -> Framer {
        Framer {
            shape,
            max,
            pos: 0,
            scanned: 0,
            lines: Vec::new(),
            check: None,
        }
    }

    /// Checks every listing line with `check` as soon as it is complete.
    pub fn with_line_check(mut self, check: LineCheck) -> Framer {
        self.check = Some(check);
        self
    }

    /// Looks at `buf` (everything received since the reply started).
    ///
    /// `Ok(None)`: incomplete, read more and call again with the grown
    /// buffer. `Ok(Some((reply, used)))`: `used` bytes form the reply.
    /// `Err`: the reply would exceed `max` bytes (DATA_TOO_LARGE), or the
    /// bytes are not the text protocol.
    pub fn feed(&mut self, buf: &[u8]) -> Result<Option<(Reply, usize)>, Error> {
        let window = &buf[..buf.len().min(self.max)];
        loop {
            // [pos, scanned) is known to hold neither a line end nor a NUL.
            let from = self.scanned.max(self.pos).min(window.len());
            let Some(n) = window[from..].iter().position(|&b| b == b'\n' || b == 0) else {
                self.scanned = window.len();
                break;
            };
            if window[from + n] == 0 {
                return Err(not_text_protocol(if from + n == 0 {
                    "binary packet"
                } else {
                    "NUL byte"
                }));
            }
            let raw = &window[self.pos..from + n];
            let crlf = raw.last() == Some(&b'\r');
            let line = if crlf { &raw[..raw.len() - 1] } else { raw };
            self.pos = from + n + 1;
            self.scanned = self.pos;
            match self.shape {
                Shape::Line => return Ok(Some((Reply::Line(line.to_vec()), self.pos))),
                Shape::Block if self.lines.is_empty() && crlf && is_err(line) => {
                    // A listing command gearmand refused. (A listing's own
                    // lines end in a bare "\n".)
                    return Ok(Some((Reply::Line(line.to_vec()), self.pos)));
                }
                Shape::Block if line == b"." => {
                    return Ok(Some((
                        Reply::Block(std::mem::take(&mut self.lines)),
                        self.pos,
                    )));
                }
                Shape::Block => {
                    if let Some(check) = self.check {
                        check(line)?;
                    }
                    self.lines.push(line.to_vec())
                }
            }
        }
        if buf.len() >= self.max {
            return Err(Error::new(
                ReturnCode::DataTooLarge,
                "gearman_admin",
                format!("the server's reply exceeds {} bytes", self.max),
            ));
        }
        Ok(None)
    }
}

fn is_err(line: &[u8]) -> bool {
    line == b"ERR" || line.starts_with(b"ERR ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_follow_gearmand() {
        for c in [
            "status",
            "STATUS extra",
            "prioritystatus",
            "workers",
            "show jobs",
            "show  unique  jobs",
            "Show Jobs x",
        ] {
            assert_eq!(Shape::of(c.as_bytes()), Shape::Block, "{}", c);
        }
        for c in [
            "",
            "show",
            "show unique",
            "show foo",
            "version",
            "getpid",
            "maxqueue f 1",
            "cancel job H:x:1",
            "statusx",
        ] {
            assert_eq!(Shape::of(c.as_bytes()), Shape::Line, "{}", c);
        }
    }

    #[test]
    fn lines_with_either_ending() {
        assert_eq!(
            take(b"OK 1.1.20+ds\n", Shape::Line, 100).unwrap(),
            Some((Reply::Line(b"OK 1.1.20+ds".to_vec()), 13))
        );
        assert_eq!(
            take(b"OK\r\nrest", Shape::Line, 100).unwrap(),
            Some((Reply::Line(b"OK".to_vec()), 4))
        );
        assert_eq!(take(b"OK", Shape::Line, 100).unwrap(), None);
        assert_eq!(take(b"", Shape::Line, 100).unwrap(), None);
    }

    #[test]
    fn blocks_end_at_the_dot_line() {
        let wire = b"fq\t1\t0\t0\nf b\t0\t0\t1\n\n.\r\nOK\n";
        let (r, used) = take(wire, Shape::Block, 1000).unwrap().unwrap();
        assert_eq!(used, wire.len() - 3);
        assert_eq!(
            r,
            Reply::Block(vec![
                b"fq\t1\t0\t0".to_vec(),
                b"f b\t0\t0\t1".to_vec(),
                Vec::new()
            ])
        );
        assert_eq!(r.to_text(), b"fq\t1\t0\t0\nf b\t0\t0\t1\n\n.\n");
        assert_eq!(
            take(b".\n", Shape::Block, 10).unwrap(),
            Some((Reply::Block(vec![]), 2))
        );
        assert_eq!(take(b"a\nb\n", Shape::Block, 100).unwrap(), None);
        // A function called "." is a line ".\t0\t0\t0", not the end.
        assert_eq!(
            take(b".\t0\t0\t0\n.\n", Shape::Block, 100)
                .unwrap()
                .unwrap()
                .1,
            10
        );
    }

    #[test]
    fn refused_listing_is_one_err_line() {
        let (r, used) = take(b"ERR UNKNOWN_SHOW_ARGUMENTS\r\n", Shape::Block, 100)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r, used),
            (Reply::Line(b"ERR UNKNOWN_SHOW_ARGUMENTS".to_vec()), 28)
        );
        // Only as the first line, and only with gearmand's "\r\n".
        assert_eq!(
            take(b"ERR x\t1\t0\t0\n.\n", Shape::Block, 100)
                .unwrap()
                .unwrap()
                .0,
            Reply::Block(vec![b"ERR x\t1\t0\t0".to_vec()])
        );
    }

    #[test]
    fn incremental_feeding_equals_one_shot() {
        let wire = b"a\tb\n\nc\r\n.\nOK\n";
        let whole = take(wire, Shape::Block, 100).unwrap();
        for split in 0..wire.len() {
            let mut f = Framer::new(Shape::Block, 100);
            let first = f.feed(&wire[..split]).unwrap();
            let got = first.or_else(|| f.feed(wire).unwrap());
            assert_eq!(got, whole, "split at {}", split);
        }
    }

    #[test]
    fn bounded_and_text_only() {
        let e = take(b"aaaaaaaaaa", Shape::Line, 10).unwrap_err();
        assert_eq!(e.code, ReturnCode::DataTooLarge);
        assert_eq!(take(b"aaaaaaaa\n", Shape::Line, 10).unwrap().unwrap().1, 9);
        // The limit counts the whole reply, not a line.
        assert_eq!(
            take(b"a\nb\nc\nd\ne\n", Shape::Block, 10).unwrap_err().code,
            ReturnCode::DataTooLarge
        );
        assert_eq!(
            take(b"\0RES\0\0\0\x13", Shape::Line, 100).unwrap_err().code,
            ReturnCode::UnexpectedPacket
        );
        assert_eq!(
            take(b"OK \0\n", Shape::Line, 100).unwrap_err().code,
            ReturnCode::UnexpectedPacket
        );
    }
}
