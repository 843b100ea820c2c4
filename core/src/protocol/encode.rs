//! Packet encoding straight into a caller-owned buffer.
//!
//! The hot path appends to a connection's write buffer and never allocates
//! per packet. [`encode_head`] writes only header and arguments so that a
//! large data part can be handed to `sendmsg` from where it already lives
//! (one copy fewer for 64 MiB results).

use super::frame::{Magic, HEADER_LEN};
use super::packet_type::PacketType;
use crate::{Error, ReturnCode};

/// The 12-byte header of a packet: magic, type and payload length, big
/// endian. The one place a header is laid out; `const` so that argument-less
/// requests (GRAB_JOB*, PRE_SLEEP) are encoded at compile time.
#[inline]
pub const fn header(magic: Magic, kind: PacketType, len: u32) -> [u8; HEADER_LEN] {
    let m = magic.bytes();
    let t = kind.value().to_be_bytes();
    let l = len.to_be_bytes();
    [
        m[0], m[1], m[2], m[3], t[0], t[1], t[2], t[3], l[0], l[1], l[2], l[3],
    ]
}

/// Payload length of a packet with these arguments and `data_len` data bytes.
pub fn payload_len(kind: PacketType, args: &[&[u8]], data_len: usize) -> u64 {
    let args_len: u64 = args.iter().map(|a| a.len() as u64).sum();
    let terminators = if kind.has_data() {
        args.len()
    } else {
        args.len().saturating_sub(1)
    };
    args_len + terminators as u64 + data_len as u64
}

/// Whether `b` contains a NUL byte: eight bytes at a time (function
/// names and unique keys are short, where `contains` goes byte by byte).
pub fn has_nul(b: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero_in = |w: u64| w.wrapping_sub(LO) & !w & HI != 0;
    let mut words = b.chunks_exact(8);
    for w in &mut words {
        if zero_in(u64::from_le_bytes(w.try_into().expect("8 bytes"))) {
            return true;
        }
    }
    words.remainder().contains(&0)
}

fn check(kind: PacketType, args: &[&[u8]], data_len: usize) -> Result<u32, Error> {
    if args.len() != kind.argc() {
        return Err(Error::invalid_argument(
            "gearman_packet_create_args",
            format!(
                "{} takes {} arguments, {} given",
                kind.name(),
                kind.argc(),
                args.len()
            ),
        ));
    }
    if !kind.has_data() && data_len != 0 {
        return Err(Error::invalid_argument(
            "gearman_packet_create_args",
            format!("{} carries no data", kind.name()),
        ));
    }
    let terminated = if kind.has_data() {
        args.len()
    } else {
        args.len().saturating_sub(1)
    };
    if args[..terminated].iter().any(|a| has_nul(a)) {
        // A NUL inside a terminated argument would shift every later field.
        return Err(Error::invalid_argument(
            "gearman_packet_create_args",
            format!("{} argument contains a NUL byte", kind.name()),
        ));
    }
    let len = payload_len(kind, args, data_len);
    u32::try_from(len).map_err(|_| {
        Error::new(
            ReturnCode::DataTooLarge,
            "gearman_packet_create_args",
            format!(
                "{} payload of {} bytes does not fit the 32-bit length field",
                kind.name(),
                len
            ),
        )
    })
}

/// Appends header and arguments of a packet whose data part (`data_len`
/// bytes) the caller sends separately, right after. Returns the number of
/// bytes appended.
pub fn encode_head(
    out: &mut Vec<u8>,
    magic: Magic,
    kind: PacketType,
    args: &[&[u8]],
    data_len: usize,
) -> Result<usize, Error> {
    let len = check(kind, args, data_len)?;
    let start = out.len();
    let head_len = HEADER_LEN + len as usize - data_len;
    out.reserve(head_len);
    out.extend_from_slice(&header(magic, kind, len));
    let terminated = if kind.has_data() {
        args.len()
    } else {
        args.len().saturating_sub(1)
    };
    for (i, a) in args.iter().enumerate() {
        out.extend_from_slice(a);
        if i < terminated {
            out.push(0);
        }
    }
    Ok(out.len() - start)
}

/// Appends one complete packet to `out`. Returns the number of bytes appended.
pub fn encode(
    out: &mut Vec<u8>,
    magic: Magic,
    kind: PacketType,
    args: &[&[u8]],
    data: &[u8],
) -> Result<usize, Error> {
    out.reserve(HEADER_LEN + payload_len(kind, args, data.len()).min(usize::MAX as u64) as usize);
    let n = encode_head(out, magic, kind, args, data.len())?;
    out.extend_from_slice(data);
    Ok(n + data.len())
}

/// Appends a request packet (the client and worker only ever send requests).
pub fn request(
    out: &mut Vec<u8>,
    kind: PacketType,
    args: &[&[u8]],
    data: &[u8],
) -> Result<usize, Error> {
    encode(out, Magic::Request, kind, args, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_nul_finds_every_position() {
        for len in 0..40 {
            let mut v = vec![0xffu8; len];
            assert!(!has_nul(&v));
            v.iter_mut().for_each(|b| *b = 0x80);
            assert!(!has_nul(&v));
            for i in 0..len {
                let mut w = vec![b'a'; len];
                w[i] = 0;
                assert!(has_nul(&w), "len {len} at {i}");
                w[i] = 1;
                assert!(!has_nul(&w));
            }
        }
    }
    use PacketType as T;

    #[test]
    fn submit_job_wire_bytes() {
        let mut out = Vec::new();
        request(&mut out, T::SubmitJob, &[b"reverse", b""], b"test").unwrap();
        let mut expect = b"\0REQ\x00\x00\x00\x07\x00\x00\x00\x0d".to_vec();
        expect.extend_from_slice(b"reverse\0\0test");
        assert_eq!(out, expect);
    }

    #[test]
    fn zero_length_packets() {
        let mut out = Vec::new();
        request(&mut out, T::GrabJobAll, &[], b"").unwrap();
        assert_eq!(out, b"\0REQ\x00\x00\x00\x27\x00\x00\x00\x00");
        out.clear();
        request(&mut out, T::EchoReq, &[], b"").unwrap();
        assert_eq!(out.len(), HEADER_LEN);
    }

    #[test]
    fn non_data_last_argument_is_unterminated() {
        let mut out = Vec::new();
        request(&mut out, T::WorkStatus, &[b"H:vm:98", b"1", b"2"], b"").unwrap();
        assert_eq!(&out[HEADER_LEN..], b"H:vm:98\x001\x002");
        assert_eq!(u32::from_be_bytes(out[8..12].try_into().unwrap()), 11);
        out.clear();
        // The last argument of a non-data packet may contain NULs.
        request(&mut out, T::SetClientId, &[b"a\0b"], b"").unwrap();
        assert_eq!(&out[HEADER_LEN..], b"a\0b");
    }

    #[test]
    fn rejects_malformed_requests() {
        let mut out = Vec::new();
        assert!(request(&mut out, T::SubmitJob, &[b"f"], b"x").is_err());
        assert!(request(&mut out, T::CanDo, &[b"f"], b"data").is_err());
        assert!(request(&mut out, T::SubmitJob, &[b"f\0g", b"u"], b"x").is_err());
        assert!(out.is_empty(), "nothing appended on error");
    }

    #[test]
    fn head_then_data_equals_encode() {
        let mut a = Vec::new();
        request(&mut a, T::WorkComplete, &[b"H:1"], b"payload").unwrap();
        let mut b = Vec::new();
        encode_head(&mut b, Magic::Request, T::WorkComplete, &[b"H:1"], 7).unwrap();
        b.extend_from_slice(b"payload");
        assert_eq!(a, b);
    }
}
