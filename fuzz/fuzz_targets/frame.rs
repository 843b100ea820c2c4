//! Decoding a stream of arbitrary bytes as server packets must never panic,
//! never report more bytes than it was given, and never accept a payload
//! over the limit.
#![no_main]

use gearman_core::protocol::{decode, Decoded, Magic};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (limit, rest) = match data.split_first() {
        Some((l, r)) => ((*l as usize) * 16, r),
        None => (0, data),
    };
    for magic in [Magic::Response, Magic::Request] {
        let mut cur = rest;
        loop {
            match decode(cur, magic, limit) {
                Ok(Decoded::Packet(p, used)) => {
                    assert!(used >= 12 && used <= cur.len());
                    assert!(p.payload().len() <= limit);
                    assert_eq!(p.args().len(), p.kind().argc());
                    cur = &cur[used..];
                }
                Ok(Decoded::NeedMore(n)) => {
                    assert!(n > cur.len());
                    break;
                }
                Err(_) => break,
            }
        }
    }
});
