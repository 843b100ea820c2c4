//! Unique keys as libgearman 1.1 sends them.
//!
//! libgearman always sends a unique with a submission (add.cc): the caller's
//! key, or a 36-character UUID when none was given, or — for the magic key
//! `"#"` — the decimal murmur3 hash of the workload. Keys longer than 64
//! bytes are rejected; a key of exactly 64 bytes is truncated to 63 (room for
//! libgearman's NUL).

use std::cell::Cell;

use crate::{Error, ReturnCode};

/// libgearman's unique limit (`GEARMAN_MAX_UNIQUE_SIZE`).
pub const MAX_UNIQUE: usize = 64;

/// MurmurHash3 x86 32-bit (Austin Appleby's reference algorithm).
pub fn murmur3_x86_32(data: &[u8], seed: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for b in &mut blocks {
        let mut k = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    let mut k: u32 = 0;
    if tail.len() >= 3 {
        k ^= (tail[2] as u32) << 16;
    }
    if tail.len() >= 2 {
        k ^= (tail[1] as u32) << 8;
    }
    if !tail.is_empty() {
        k ^= tail[0] as u32;
        k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h ^= k;
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

/// libhashkit's `hashkit_murmur3`, which libgearman uses for the `"#"`
/// unique: MurmurHash3_x86_32 seeded with `0xdeadbeef * length` (32-bit
/// wrapping), as in libhashkit/murmur3_api.cc.
pub fn hashkit_murmur3(data: &[u8]) -> u32 {
    murmur3_x86_32(data, 0xdead_beef_u32.wrapping_mul(data.len() as u32))
}

thread_local! {
    /// (fork generation + 1 when seeded, 0 before; state a, state b).
    /// Re-seeded after fork so parent and child never hand out the same
    /// sequence of UUIDs.
    static RNG: Cell<(u64, u64, u64)> = const { Cell::new((0, 0, 0)) };
}

fn seed() -> (u64, u64) {
    let mut bytes = [0u8; 16];
    // SAFETY: getrandom writes at most `len` bytes into the valid buffer.
    let n = unsafe { libc::getrandom(bytes.as_mut_ptr().cast(), bytes.len(), 0) };
    if n != bytes.len() as isize {
        // Fall back to time, pid and a stack address: unique enough.
        let t = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0);
        let p = unsafe { libc::getpid() } as u64;
        let a = &bytes as *const _ as u64;
        bytes[..8].copy_from_slice(&(t ^ (p << 32)).to_le_bytes());
        bytes[8..].copy_from_slice(&(a ^ t.rotate_left(17)).to_le_bytes());
    }
    (
        u64::from_le_bytes(bytes[..8].try_into().unwrap()),
        u64::from_le_bytes(bytes[8..].try_into().unwrap()),
    )
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A random (version 4) UUID as 36 lowercase characters,
/// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
///
/// libgearman uses a time-based UUID; any UUID text serves the same purpose
/// (a key that never coalesces). Seeded once per process from getrandom(2).
pub fn generate_uuid() -> [u8; 36] {
    let seeded = crate::sys::fork_generation() + 1;
    let (hi, lo) = RNG.with(|cell| {
        let (p, mut a, mut b) = cell.get();
        if p != seeded {
            let (sa, sb) = seed();
            a = sa;
            b = sb;
        }
        let hi = splitmix(&mut a);
        let lo = splitmix(&mut b);
        cell.set((seeded, a, b));
        (hi, lo)
    });
    // Version 4 (byte 6's high nibble), variant 10 (byte 8's top bits).
    let hi = (hi & !0x0000_0000_0000_f000) | 0x0000_0000_0000_4000;
    let lo = (lo & !0xc000_0000_0000_0000) | 0x8000_0000_0000_0000;
    uuid_text(hi, lo)
}

/// `hi` and `lo` as 32 hex digits in UUID groups (8-4-4-4-12). Two digits
/// per byte from a table: cheaper than arithmetic on the nibbles.
fn uuid_text(hi: u64, lo: u64) -> [u8; 36] {
    let bytes = ((hi as u128) << 64 | lo as u128).to_be_bytes();
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (k, b) in bytes.iter().enumerate() {
        if matches!(k, 4 | 6 | 8 | 10) {
            at += 1;
        }
        out[at..at + 2].copy_from_slice(&HEX_PAIRS[*b as usize]);
        at += 2;
    }
    out
}

/// The two lowercase hex digits of every byte.
static HEX_PAIRS: [[u8; 2]; 256] = {
    let digits = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [digits[i >> 4], digits[i & 15]];
        i += 1;
    }
    t
};

/// Checks a caller-supplied unique against libgearman's limit.
pub fn validate(unique: Option<&[u8]>) -> Result<(), Error> {
    match unique {
        Some(u) if u.len() > MAX_UNIQUE => Err(Error::new(
            ReturnCode::InvalidArgument,
            "gearman_client_add_task",
            "unique name longer then GEARMAN_MAX_UNIQUE_SIZE",
        )),
        _ => Ok(()),
    }
}

/// The unique key a submission sends: the caller's (borrowed) or one made
/// here (a UUID or the `#` hash, on the stack: adding a task allocates no
/// key).
#[derive(Clone, Copy, Debug)]
pub enum Unique<'a> {
    /// The caller's key (truncated to 63 bytes).
    Given(&'a [u8]),
    /// A generated key: the first `len` bytes.
    Made([u8; 36], u8),
}

impl std::ops::Deref for Unique<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Unique::Given(u) => u,
            Unique::Made(b, n) => &b[..*n as usize],
        }
    }
}

/// The unique libgearman would actually send for this key and workload
/// (call [`validate`] first; a longer key is truncated here regardless).
pub fn effective<'a>(unique: Option<&'a [u8]>, workload: &[u8]) -> Unique<'a> {
    match unique {
        Some(b"#") => {
            let mut b = [0u8; 36];
            let mut h = hashkit_murmur3(workload);
            // Decimal, as libgearman's "%u".
            let mut digits = [0u8; 10];
            let mut n = 0;
            loop {
                digits[n] = b'0' + (h % 10) as u8;
                n += 1;
                h /= 10;
                if h == 0 {
                    break;
                }
            }
            for (i, d) in digits[..n].iter().rev().enumerate() {
                b[i] = *d;
            }
            Unique::Made(b, n as u8)
        }
        Some(u) if !u.is_empty() => Unique::Given(&u[..u.len().min(MAX_UNIQUE - 1)]),
        _ => Unique::Made(generate_uuid(), 36),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_reference_vectors() {
        assert_eq!(murmur3_x86_32(b"", 0), 0);
        assert_eq!(murmur3_x86_32(b"", 1), 0x514e_28b7);
        assert_eq!(murmur3_x86_32(b"", 0xffff_ffff), 0x81f1_6f39);
        assert_eq!(murmur3_x86_32(b"\0\0\0\0", 0), 0x2362_f9de);
        assert_eq!(murmur3_x86_32(b"aaaa", 0x9747_b28c), 0x5a97_808a);
        assert_eq!(murmur3_x86_32(b"aaa", 0x9747_b28c), 0x283e_0130);
        assert_eq!(murmur3_x86_32(b"aa", 0x9747_b28c), 0x5d21_1726);
        assert_eq!(murmur3_x86_32(b"a", 0x9747_b28c), 0x7fa0_9ea6);
        assert_eq!(murmur3_x86_32(b"Hello, world!", 0x9747_b28c), 0x2488_4cba);
        assert_eq!(
            murmur3_x86_32(b"The quick brown fox jumps over the lazy dog", 0x9747_b28c),
            0x2fa8_26cd
        );
    }

    #[test]
    fn hashkit_seed_depends_on_length() {
        assert_eq!(hashkit_murmur3(b""), murmur3_x86_32(b"", 0));
        assert_eq!(
            hashkit_murmur3(b"abc"),
            murmur3_x86_32(b"abc", 0xdead_beef_u32.wrapping_mul(3))
        );
    }

    #[test]
    fn uuid_text_groups_the_hex_digits() {
        for (hi, lo) in [
            (0, 0),
            (u64::MAX, u64::MAX),
            (0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210),
            (0x1c2f_9a00_4b7e_41d3, 0x9e0a_77f1_c2d4_e5b6),
        ] {
            let hex = format!("{hi:016x}{lo:016x}");
            let want = format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            );
            assert_eq!(std::str::from_utf8(&uuid_text(hi, lo)).unwrap(), want);
        }
    }

    #[test]
    fn uuid_shape_and_uniqueness() {
        let a = generate_uuid();
        let b = generate_uuid();
        assert_ne!(a, b);
        let s = std::str::from_utf8(&a).unwrap();
        assert_eq!(s.len(), 36);
        for (i, c) in s.chars().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                assert_eq!(c, '-');
            } else {
                assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{}", s);
            }
        }
        assert_eq!(&s[14..15], "4");
        assert!(matches!(&s[19..20], "8" | "9" | "a" | "b"), "{}", s);
        // Every hex digit value occurs somewhere in a few thousand.
        let mut seen = [false; 16];
        for _ in 0..1000 {
            for c in generate_uuid() {
                if c != b'-' {
                    seen[(c as char).to_digit(16).unwrap() as usize] = true;
                }
            }
        }
        assert!(seen.iter().all(|&x| x));
    }

    #[test]
    fn effective_unique_rules() {
        assert_eq!(&*effective(Some(b"abc"), b"w"), b"abc");
        for w in [&b"w"[..], b"", b"a longer workload"] {
            assert_eq!(
                &*effective(Some(b"#"), w),
                hashkit_murmur3(w).to_string().as_bytes()
            );
        }
        assert_eq!(&*effective(Some(b"-"), b"w"), b"-");
        assert_eq!(effective(None, b"w").len(), 36);
        assert_eq!(effective(Some(b""), b"w").len(), 36);
        let k64 = [b'k'; 64];
        assert_eq!(effective(Some(&k64), b"w").len(), 63);
        assert!(validate(Some(&k64)).is_ok());
        let k65 = [b'k'; 65];
        let e = validate(Some(&k65)).unwrap_err();
        assert_eq!(e.code, ReturnCode::InvalidArgument);
        assert_eq!(e.message, "unique name longer then GEARMAN_MAX_UNIQUE_SIZE");
    }
}
