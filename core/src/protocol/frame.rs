//! Packet framing: the 12-byte header and bounded argument splitting.
//!
//! Decoding never allocates: [`decode`] returns a [`PacketRef`] whose
//! arguments borrow the receive buffer. Every search for an argument
//! separator is bounded by the declared payload length (the C parsers are
//! not, protocol doc §1), a header announcing more than the configured
//! maximum is rejected before any byte of its body is buffered, and a
//! payload with too few separators for its type is an error, not a panic.

use std::fmt;
use std::ops::Range;

use super::packet_type::{PacketType, MAX_ARGS};
use crate::{Error, ReturnCode};

/// Size of a binary packet header.
pub const HEADER_LEN: usize = 12;
/// `"\0REQ"`: packets sent to the server.
pub const MAGIC_REQ: [u8; 4] = *b"\0REQ";
/// `"\0RES"`: packets sent by the server.
pub const MAGIC_RES: [u8; 4] = *b"\0RES";
/// Default maximum payload a connection accepts: 1 GiB.
pub const DEFAULT_MAX_PACKET: usize = 1 << 30;

/// Packet magic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Magic {
    /// `\0REQ`
    Request,
    /// `\0RES`
    Response,
}

impl Magic {
    /// The four magic bytes.
    pub const fn bytes(self) -> [u8; 4] {
        match self {
            Magic::Request => MAGIC_REQ,
            Magic::Response => MAGIC_RES,
        }
    }
}

/// Why bytes could not be decoded as a packet. Every variant is fatal for
/// the connection: the stream position of the next packet is unknowable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FrameError {
    /// The first four bytes were not the expected magic (this includes a
    /// text line where a binary packet was expected).
    BadMagic([u8; 4]),
    /// The type field is not a known packet type (0..=42).
    UnknownType(u32),
    /// The declared payload length exceeds the connection's maximum.
    TooLarge {
        /// Declared payload length.
        len: u32,
        /// Configured maximum.
        max: usize,
    },
    /// The payload has fewer NUL separators than its type requires.
    MissingArguments {
        /// Packet type.
        kind: PacketType,
        /// NUL-terminated arguments found.
        found: usize,
        /// NUL-terminated arguments required.
        needed: usize,
    },
}

impl FrameError {
    /// The libgearman return code for this failure.
    pub fn code(&self) -> ReturnCode {
        match self {
            FrameError::BadMagic(_) => ReturnCode::InvalidMagic,
            FrameError::UnknownType(_) => ReturnCode::InvalidCommand,
            FrameError::TooLarge { .. } | FrameError::MissingArguments { .. } => {
                ReturnCode::InvalidPacket
            }
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::BadMagic(m) => write!(f, "invalid magic {:02x?}", m),
            FrameError::UnknownType(t) => write!(f, "invalid command value {}", t),
            FrameError::TooLarge { len, max } => {
                write!(
                    f,
                    "packet of {} bytes exceeds the maximum packet size {}",
                    len, max
                )
            }
            FrameError::MissingArguments {
                kind,
                found,
                needed,
            } => write!(
                f,
                "{} packet has {} of {} required arguments",
                kind.name(),
                found,
                needed
            ),
        }
    }
}

impl From<FrameError> for Error {
    fn from(e: FrameError) -> Error {
        Error::new(e.code(), "gearman_packet_unpack", e.to_string())
    }
}

/// A decoded header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Packet magic.
    pub magic: Magic,
    /// Packet type.
    pub kind: PacketType,
    /// Payload length.
    pub len: u32,
}

/// Decodes and validates a 12-byte header against the expected magic and
/// the maximum payload size.
pub fn decode_header(
    bytes: &[u8; HEADER_LEN],
    expect: Magic,
    max_payload: usize,
) -> Result<Header, FrameError> {
    let magic: [u8; 4] = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if magic != expect.bytes() {
        return Err(FrameError::BadMagic(magic));
    }
    let raw = u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let kind = PacketType::from_u32(raw).ok_or(FrameError::UnknownType(raw))?;
    let len = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
    if len as u64 > max_payload as u64 {
        return Err(FrameError::TooLarge {
            len,
            max: max_payload,
        });
    }
    Ok(Header {
        magic: expect,
        kind,
        len,
    })
}

/// Position of the first NUL in `b`. Arguments (job handles, function
/// names, unique keys) are tens of bytes, where memchr's set-up costs more
/// than the search: the first 64 bytes are scanned eight at a time, the
/// rest (a long argument) by memchr.
#[inline]
pub(crate) fn find_nul(b: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let head = b.len().min(64);
    let mut words = b[..head].chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        // The lowest set bit marks the first zero byte (higher ones can
        // be false positives only above a real zero byte).
        let z = w.wrapping_sub(LO) & !w & HI;
        if z != 0 {
            return Some(at + (z.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if let Some(k) = words.remainder().iter().position(|&c| c == 0) {
        return Some(at + k);
    }
    memchr::memchr(0, &b[head..]).map(|k| head + k)
}

/// Bytes of a payload that [`split_nuls`] scans eight at a time before it
/// looks for the remaining separators one argument at a time.
const SPLIT_WORDS: usize = 128;

/// Writes the positions of the first `n` NULs of `payload` (`n` at most
/// [`MAX_ARGS`]) to `ends`; returns how many there are (`n` when all).
///
/// The arguments of a packet sit one after the other and are short, so
/// one pass over the payload's first [`SPLIT_WORDS`] bytes, a word at a
/// time, takes every NUL of a word from one exact zero-byte mask: cheaper
/// than a [`find_nul`] per argument, each with its own set-up (JOB_ASSIGN_ALL
/// has three). Separators past that (a long argument) are found with
/// `find_nul`, so its memchr still serves long arguments.
#[inline]
fn split_nuls(payload: &[u8], n: usize, ends: &mut [u32; MAX_ARGS]) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let n = n.min(MAX_ARGS);
    let mut found = 0;
    if n == 0 {
        return 0;
    }
    let head = payload.len().min(SPLIT_WORDS);
    let mut words = payload[..head].chunks_exact(8);
    let mut at = 0usize;
    for w in &mut words {
        let w = u64::from_le_bytes(w.try_into().expect("8 bytes"));
        // The high bit of every zero byte and of no other: a byte's low
        // seven bits plus 0x7f carry into its high bit unless all zero,
        // and never into the next byte.
        let mut z = !(((w & LOW7) + LOW7) | w | LOW7);
        while z != 0 {
            // Payloads are at most u32::MAX bytes (see `parse`).
            ends[found] = (at + (z.trailing_zeros() / 8) as usize) as u32;
            found += 1;
            if found == n {
                return n;
            }
            z &= z - 1;
        }
        at += 8;
    }
    for &c in words.remainder() {
        if c == 0 {
            ends[found] = at as u32;
            found += 1;
            if found == n {
                return n;
            }
        }
        at += 1;
    }
    while found < n {
        let Some(k) = find_nul(&payload[at..]) else {
            break;
        };
        ends[found] = (at + k) as u32;
        found += 1;
        at += k + 1;
    }
    found
}

/// A packet viewed in place: arguments and data borrow the buffer.
///
/// Kept small (48 bytes: the payload and one `u32` end offset per argument,
/// not a slice per argument): every received packet's view is built and
/// moved through `decode`'s `Result`, and at about 160 bytes (seven slices)
/// those moves and the slices' initialisation were most of the cost of
/// decoding a NOOP or NO_JOB. An argument's slice is made when asked for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PacketRef<'a> {
    payload: &'a [u8],
    /// Where argument `i` ends in `payload` (its NUL, or the payload's end
    /// for the last argument of a packet without data); argument `i + 1`
    /// starts one byte later.
    ends: [u32; MAX_ARGS],
    magic: Magic,
    kind: PacketType,
    argc: u8,
}

/// The arguments of a [`PacketRef`], as a slice (see [`PacketRef::args`]).
#[derive(Clone, Copy)]
pub struct Args<'a> {
    args: [&'a [u8]; MAX_ARGS],
    argc: usize,
}

impl<'a> std::ops::Deref for Args<'a> {
    type Target = [&'a [u8]];
    fn deref(&self) -> &[&'a [u8]] {
        &self.args[..self.argc]
    }
}

impl fmt::Debug for Args<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'b> PartialEq<&[&'b [u8]]> for Args<'_> {
    fn eq(&self, other: &&[&'b [u8]]) -> bool {
        **self == **other
    }
}

impl<'a> PacketRef<'a> {
    /// Splits `payload` according to `kind`'s `(argc, data)` rule.
    ///
    /// - data packets: exactly `argc` NUL-terminated arguments, then data
    ///   (may be empty, may contain NULs);
    /// - other packets: `argc - 1` NUL-terminated arguments, then the last
    ///   argument is the whole remainder (may contain NULs, may be empty);
    /// - `argc == 0` without data: no arguments; a non-empty payload is
    ///   tolerated and only visible through [`PacketRef::payload`].
    ///
    /// A payload is at most `u32::MAX` bytes (the header's length field);
    /// a longer one is refused as [`FrameError::TooLarge`].
    #[inline]
    pub fn parse(
        magic: Magic,
        kind: PacketType,
        payload: &'a [u8],
    ) -> Result<PacketRef<'a>, FrameError> {
        let Ok(len) = u32::try_from(payload.len()) else {
            return Err(FrameError::TooLarge {
                len: u32::MAX,
                max: u32::MAX as usize,
            });
        };
        let argc = kind.argc();
        let terminated = if kind.has_data() {
            argc
        } else {
            argc.saturating_sub(1)
        };
        let mut ends = [0u32; MAX_ARGS];
        let found = split_nuls(payload, terminated, &mut ends);
        if found < terminated {
            return Err(FrameError::MissingArguments {
                kind,
                found,
                needed: terminated,
            });
        }
        if argc > terminated {
            ends[argc - 1] = len;
        }
        Ok(PacketRef {
            payload,
            ends,
            magic,
            kind,
            argc: argc as u8,
        })
    }

    /// Packet magic.
    pub fn magic(&self) -> Magic {
        self.magic
    }

    /// Packet type.
    pub fn kind(&self) -> PacketType {
        self.kind
    }

    /// Where argument `i` (below `argc`) starts in the payload.
    #[inline]
    fn start(&self, i: usize) -> usize {
        if i == 0 {
            0
        } else {
            self.ends[i - 1] as usize + 1
        }
    }

    /// The arguments (`argc` of them), without their NUL terminators.
    pub fn args(&self) -> Args<'a> {
        let mut args: [&'a [u8]; MAX_ARGS] = [&[]; MAX_ARGS];
        for (i, a) in args.iter_mut().enumerate().take(self.argc()) {
            *a = self.arg(i);
        }
        Args {
            args,
            argc: self.argc(),
        }
    }

    /// Number of arguments (the type's argc).
    pub fn argc(&self) -> usize {
        self.argc as usize
    }

    /// Argument `i`, or an empty slice past `argc`.
    #[inline]
    pub fn arg(&self, i: usize) -> &'a [u8] {
        if i < self.argc() {
            &self.payload[self.start(i)..self.ends[i] as usize]
        } else {
            &[]
        }
    }

    /// Where [`arg`](Self::arg) `i` lies in the payload (`0..0` past
    /// `argc`): for a caller that keeps the payload's bytes elsewhere (a
    /// worker's job), without building the slice first.
    #[inline]
    pub fn arg_range(&self, i: usize) -> Range<usize> {
        if i < self.argc() {
            self.start(i)..self.ends[i] as usize
        } else {
            0..0
        }
    }

    /// Where [`data`](Self::data) lies in the payload (an empty range at
    /// its end for a packet without data).
    #[inline]
    pub fn data_range(&self) -> Range<usize> {
        let len = self.payload.len();
        if self.kind.has_data() {
            self.start(self.argc())..len
        } else {
            len..len
        }
    }

    /// The opaque data of a data packet (empty for other packets).
    #[inline]
    pub fn data(&self) -> &'a [u8] {
        if self.kind.has_data() {
            &self.payload[self.start(self.argc())..]
        } else {
            &[]
        }
    }

    /// The whole payload.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    /// Header plus payload length.
    pub fn wire_len(&self) -> usize {
        HEADER_LEN + self.payload.len()
    }
}

impl fmt::Debug for PacketRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("PacketRef");
        d.field("magic", &self.magic).field("kind", &self.kind);
        let args: Vec<String> = self
            .args()
            .iter()
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        d.field("args", &args)
            .field("data_len", &self.data().len())
            .finish()
    }
}

/// Result of looking for one packet at the front of a buffer.
#[derive(Debug)]
pub enum Decoded<'a> {
    /// A complete packet and the number of buffer bytes it occupies.
    Packet(PacketRef<'a>, usize),
    /// The buffer holds a prefix of a packet; this many bytes in total are
    /// needed for the packet to be complete (at least [`HEADER_LEN`]).
    NeedMore(usize),
}

/// A complete packet at the start of `buf` that has neither payload nor
/// arguments (NOOP, NO_JOB: most of what a worker receives), recognised
/// inline at the caller; `None` for anything else (or an invalid header),
/// which [`decode`] then decodes (the same packet, for one of these). It
/// takes [`HEADER_LEN`] bytes; the view does not borrow `buf` (there is
/// nothing in it to borrow), so the caller can consume them before using it.
#[inline(always)]
pub fn decode_bare(buf: &[u8], expect: Magic) -> Option<PacketRef<'static>> {
    let h: &[u8; HEADER_LEN] = buf.get(..HEADER_LEN)?.try_into().ok()?;
    if h[8..12] != [0; 4] || h[..4] != expect.bytes() {
        return None;
    }
    let kind = PacketType::from_u32(u32::from_be_bytes([h[4], h[5], h[6], h[7]]))?;
    if kind.argc() != 0 {
        return None;
    }
    Some(PacketRef {
        payload: &[],
        ends: [0; MAX_ARGS],
        magic: expect,
        kind,
        argc: 0,
    })
}

/// Looks for one complete packet at the start of `buf`.
///
/// Validates the header as soon as 12 bytes are present, so a hostile
/// length is refused before its body is read.
#[inline]
pub fn decode(buf: &[u8], expect: Magic, max_payload: usize) -> Result<Decoded<'_>, FrameError> {
    if buf.len() < HEADER_LEN {
        // Reject a text line or wrong magic early: any differing prefix byte
        // already proves the stream is not what we expect.
        let magic = expect.bytes();
        let n = buf.len().min(4);
        if buf[..n] != magic[..n] {
            let mut m = [0u8; 4];
            m[..n].copy_from_slice(&buf[..n]);
            return Err(FrameError::BadMagic(m));
        }
        return Ok(Decoded::NeedMore(HEADER_LEN));
    }
    let mut head = [0u8; HEADER_LEN];
    head.copy_from_slice(&buf[..HEADER_LEN]);
    let header = decode_header(&head, expect, max_payload)?;
    let total = HEADER_LEN + header.len as usize;
    if buf.len() < total {
        return Ok(Decoded::NeedMore(total));
    }
    let packet = PacketRef::parse(header.magic, header.kind, &buf[HEADER_LEN..total])?;
    Ok(Decoded::Packet(packet, total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::encode::encode;
    use PacketType as T;

    fn frame(magic: [u8; 4], kind: u32, payload: &[u8]) -> Vec<u8> {
        let mut v = magic.to_vec();
        v.extend_from_slice(&kind.to_be_bytes());
        v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        v.extend_from_slice(payload);
        v
    }

    #[test]
    fn decode_bare_takes_exactly_the_packets_without_payload_or_arguments() {
        for kind in PacketType::ALL {
            for payload in [&b""[..], b"H:x:1\0f\0data"] {
                let mut buf = frame(MAGIC_RES, kind as u32, payload);
                buf.extend_from_slice(b"\0RES"); // the start of the next packet
                let bare = decode_bare(&buf, Magic::Response);
                if payload.is_empty() && kind.argc() == 0 {
                    let p = bare.expect("a bare packet");
                    match decode(&buf, Magic::Response, usize::MAX) {
                        Ok(Decoded::Packet(q, used)) => {
                            assert!(p == q, "{kind:?}");
                            assert_eq!(used, HEADER_LEN);
                        }
                        other => panic!("{kind:?}: {other:?}"),
                    }
                } else {
                    assert!(bare.is_none(), "{kind:?} {payload:?}");
                }
            }
        }
        let noop = frame(MAGIC_RES, PacketType::Noop as u32, b"");
        // Another magic, a prefix, an unknown type: left to decode.
        assert!(decode_bare(&noop, Magic::Request).is_none());
        assert!(decode_bare(&noop[..HEADER_LEN - 1], Magic::Response).is_none());
        assert!(decode_bare(&frame(MAGIC_RES, 43, b""), Magic::Response).is_none());
    }

    fn parse(kind: PacketType, payload: &[u8]) -> PacketRef<'_> {
        PacketRef::parse(Magic::Response, kind, payload).unwrap()
    }

    #[test]
    fn find_nul_agrees_with_a_byte_search() {
        let mut b = vec![1u8; 200];
        assert_eq!(find_nul(&b), None);
        assert_eq!(find_nul(&[]), None);
        for at in 0..200 {
            b[at] = 0;
            for len in [at + 1, at + 7, 200] {
                let s = &b[..len.min(200)];
                assert_eq!(
                    find_nul(s),
                    s.iter().position(|&c| c == 0),
                    "at {} len {}",
                    at,
                    len
                );
            }
            // Bytes that trip a naive zero-byte test (0x80, 0x01 after a zero).
            b[at] = 0x80;
            assert_eq!(find_nul(&b), None);
            b[at] = 1;
        }
        let mut b = vec![0x80u8, 0x01, 0x00, 0x01, 0xff, 0, 0x80, 0x80];
        assert_eq!(find_nul(&b), Some(2));
        b[2] = 0x81;
        assert_eq!(find_nul(&b), Some(5));
    }

    #[test]
    fn split_nuls_agrees_with_a_byte_search() {
        fn nuls(b: &[u8], n: usize) -> Vec<u32> {
            b.iter()
                .enumerate()
                .filter(|(_, &c)| c == 0)
                .map(|(i, _)| i as u32)
                .take(n)
                .collect()
        }
        // A cheap deterministic generator: NULs, bytes that trip a naive
        // zero-byte test (0x80, 0x01 after a zero) and others, at lengths
        // around the word and SPLIT_WORDS boundaries.
        let mut x: u32 = 12345;
        for len in (0..40)
            .chain(SPLIT_WORDS - 10..SPLIT_WORDS + 20)
            .chain([300, 1000])
        {
            for density in [2u32, 5, 17, 200] {
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        match (x >> 16) % density {
                            0 => 0,
                            1 => 0x80,
                            2 => 0x01,
                            _ => (x >> 8) as u8 | 1,
                        }
                    })
                    .collect();
                for n in 0..=MAX_ARGS {
                    let mut ends = [0u32; MAX_ARGS];
                    let found = split_nuls(&b, n, &mut ends);
                    let want = nuls(&b, n);
                    assert_eq!(
                        &ends[..found],
                        &want[..],
                        "len {len} density {density} n {n}"
                    );
                }
            }
        }
        // Separators far apart: the first beyond the word scan.
        let mut b = vec![b'a'; 3000];
        b[5] = 0;
        b[SPLIT_WORDS + 3] = 0;
        b[2500] = 0;
        let mut ends = [0u32; MAX_ARGS];
        assert_eq!(split_nuls(&b, 3, &mut ends), 3);
        assert_eq!(ends[..3], [5, SPLIT_WORDS as u32 + 3, 2500]);
        assert_eq!(split_nuls(&b, 4, &mut ends), 3);
    }

    #[test]
    fn ranges_place_the_arguments_and_data() {
        use crate::connection::place;
        for (kind, payload) in [
            (T::JobAssignAll, &b"H:vm:1\0fn\0uniq\0\0work\0load"[..]),
            (T::JobAssign, b"H:vm:1\0fn\0"),
            (T::WorkFail, b"H:vm:84\0"),
            (T::Error, b"QUEUE_ERROR\0Job\0queue"),
            (T::Noop, b""),
        ] {
            let p = parse(kind, payload);
            for i in 0..MAX_ARGS + 1 {
                let want = if i < p.argc() {
                    place(payload, p.arg(i))
                } else {
                    0..0
                };
                assert_eq!(p.arg_range(i), want, "{kind:?} {i}");
            }
            let want = if kind.has_data() {
                place(payload, p.data())
            } else {
                payload.len()..payload.len()
            };
            assert_eq!(p.data_range(), want, "{kind:?}");
        }
    }

    #[test]
    fn data_packet_with_nuls_in_data() {
        let p = parse(T::WorkData, b"H:x:1\0a\0b\0");
        assert_eq!(&*p.args(), &[b"H:x:1" as &[u8]]);
        assert_eq!(p.data(), b"a\0b\0");
    }

    #[test]
    fn data_packet_with_empty_data() {
        let p = parse(T::WorkComplete, b"H:x:1\0");
        assert_eq!(p.arg(0), b"H:x:1");
        assert_eq!(p.data(), b"");
        let p = parse(T::EchoRes, b"");
        assert!(p.args().is_empty());
        assert_eq!(p.data(), b"");
    }

    #[test]
    fn last_argument_keeps_nuls() {
        // WORK_FAIL forwarded for an exception carries the terminator (§5.4).
        let p = parse(T::WorkFail, b"H:vm:84\0");
        assert_eq!(p.arg(0), b"H:vm:84\0");
        let p = parse(T::Error, b"QUEUE_ERROR\0Job\0queue");
        assert_eq!(p.arg(0), b"QUEUE_ERROR");
        assert_eq!(p.arg(1), b"Job\0queue");
        let p = parse(T::StatusRes, b"H:1\x001\x000\x003\x0010");
        assert_eq!(&*p.args(), &[b"H:1" as &[u8], b"1", b"0", b"3", b"10"]);
        let p = parse(T::StatusResUnique, b"u\x001\x000\x000\x000\x002");
        assert_eq!(p.arg(5), b"2");
        assert_eq!(p.arg(6), b"");
    }

    #[test]
    fn empty_last_argument() {
        let p = parse(T::JobCreated, b"");
        assert_eq!(&*p.args(), &[b"" as &[u8]]);
        let p = parse(T::Error, b"X\0");
        assert_eq!(p.arg(1), b"");
    }

    #[test]
    fn missing_arguments_is_an_error() {
        let e = PacketRef::parse(Magic::Response, T::JobAssignUniq, b"H:1\0func\0").unwrap_err();
        assert_eq!(
            e,
            FrameError::MissingArguments {
                kind: T::JobAssignUniq,
                found: 2,
                needed: 3
            }
        );
        assert_eq!(e.code(), ReturnCode::InvalidPacket);
        assert!(PacketRef::parse(Magic::Response, T::StatusRes, b"H:1\x001").is_err());
        assert!(PacketRef::parse(Magic::Response, T::WorkData, b"no-nul").is_err());
        assert!(PacketRef::parse(Magic::Response, T::Error, b"").is_err());
    }

    #[test]
    fn zero_arg_packets_tolerate_payload() {
        let p = parse(T::Noop, b"junk");
        assert!(p.args().is_empty());
        assert_eq!(p.payload(), b"junk");
        assert_eq!(p.data(), b"");
    }

    #[test]
    fn every_type_round_trips() {
        for kind in PacketType::ALL {
            let args_owned: Vec<Vec<u8>> = (0..kind.argc())
                .map(|i| format!("arg{}", i).into_bytes())
                .collect();
            let args: Vec<&[u8]> = args_owned.iter().map(|a| a.as_slice()).collect();
            let data: &[u8] = if kind.has_data() { b"da\0ta" } else { b"" };
            for magic in [Magic::Request, Magic::Response] {
                let mut buf = Vec::new();
                encode(&mut buf, magic, kind, &args, data).unwrap();
                match decode(&buf, magic, DEFAULT_MAX_PACKET).unwrap() {
                    Decoded::Packet(p, used) => {
                        assert_eq!(used, buf.len(), "{}", kind.name());
                        assert_eq!(p.kind(), kind);
                        assert_eq!(p.magic(), magic);
                        assert_eq!(&*p.args(), args.as_slice(), "{}", kind.name());
                        assert_eq!(p.data(), data);
                    }
                    Decoded::NeedMore(_) => panic!("incomplete {}", kind.name()),
                }
            }
        }
    }

    #[test]
    fn truncated_input_needs_more() {
        let full = frame(MAGIC_RES, 8, b"H:lap:1");
        for cut in 0..full.len() {
            match decode(&full[..cut], Magic::Response, 1024).unwrap() {
                Decoded::NeedMore(n) => assert!(n > cut),
                Decoded::Packet(..) => panic!("packet from {} bytes", cut),
            }
        }
        assert!(matches!(
            decode(&full, Magic::Response, 1024).unwrap(),
            Decoded::Packet(_, 19)
        ));
    }

    #[test]
    fn wrong_magic_and_text() {
        let req = frame(MAGIC_REQ, 8, b"x");
        assert_eq!(
            decode(&req, Magic::Response, 1024).unwrap_err().code(),
            ReturnCode::InvalidMagic
        );
        assert!(matches!(
            decode(b"OK 1.1\n", Magic::Response, 1024),
            Err(FrameError::BadMagic(_))
        ));
        // Even a 2-byte prefix is enough to know.
        assert!(matches!(
            decode(b"\0X", Magic::Response, 1024),
            Err(FrameError::BadMagic(_))
        ));
    }

    #[test]
    fn unknown_type() {
        for t in [43u32, 99, u32::MAX] {
            let f = frame(MAGIC_RES, t, b"");
            assert_eq!(
                decode(&f, Magic::Response, 1024).unwrap_err(),
                FrameError::UnknownType(t)
            );
        }
    }

    #[test]
    fn huge_length_rejected_from_header_alone() {
        let mut f = MAGIC_RES.to_vec();
        f.extend_from_slice(&13u32.to_be_bytes());
        f.extend_from_slice(&u32::MAX.to_be_bytes());
        let e = decode(&f, Magic::Response, DEFAULT_MAX_PACKET).unwrap_err();
        assert_eq!(
            e,
            FrameError::TooLarge {
                len: u32::MAX,
                max: DEFAULT_MAX_PACKET
            }
        );
        assert_eq!(e.code(), ReturnCode::InvalidPacket);
        // At the limit is fine (just incomplete).
        let mut f = MAGIC_RES.to_vec();
        f.extend_from_slice(&13u32.to_be_bytes());
        f.extend_from_slice(&100u32.to_be_bytes());
        assert!(matches!(
            decode(&f, Magic::Response, 100).unwrap(),
            Decoded::NeedMore(112)
        ));
        assert!(decode(&f, Magic::Response, 99).is_err());
    }

    #[test]
    fn decode_borrows_only_its_packet() {
        let mut buf = frame(MAGIC_RES, 8, b"H:1");
        buf.extend(frame(MAGIC_RES, 6, b""));
        let Decoded::Packet(p, used) = decode(&buf, Magic::Response, 1024).unwrap() else {
            panic!()
        };
        assert_eq!(p.arg(0), b"H:1");
        let Decoded::Packet(p2, used2) = decode(&buf[used..], Magic::Response, 1024).unwrap()
        else {
            panic!()
        };
        assert_eq!(p2.kind(), T::Noop);
        assert_eq!(used + used2, buf.len());
    }
}
