//! Property tests for the codec: encode→decode round trips for every packet
//! type, and decoding arbitrary bytes never panics and never claims more than
//! it was given. `PROPTEST_CASES=200000 cargo test -p gearman-core --test
//! frame_props` is the long "fuzz" run used where cargo-fuzz is unavailable.

use gearman_core::protocol::{decode, encode, Decoded, Magic, PacketRef, PacketType, HEADER_LEN};
use proptest::prelude::*;

fn kind() -> impl Strategy<Value = PacketType> {
    (0usize..43).prop_map(|i| PacketType::ALL[i])
}

fn arg() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(1u8..=255, 0..20)
}

proptest! {
    #[test]
    fn round_trip(kind in kind(), args in proptest::collection::vec(arg(), 7),
                  last in proptest::collection::vec(any::<u8>(), 0..40),
                  data in proptest::collection::vec(any::<u8>(), 0..200),
                  req in any::<bool>()) {
        let argc = kind.argc();
        let mut owned: Vec<Vec<u8>> = args.into_iter().take(argc).collect();
        if !kind.has_data() && argc > 0 {
            // The last argument of a non-data packet may contain NULs.
            owned[argc - 1] = last;
        }
        let argv: Vec<&[u8]> = owned.iter().map(|a| a.as_slice()).collect();
        let data: &[u8] = if kind.has_data() { &data } else { &[] };
        let magic = if req { Magic::Request } else { Magic::Response };
        let mut buf = Vec::new();
        encode(&mut buf, magic, kind, &argv, data).unwrap();
        // Trailing garbage after the packet must not be consumed.
        let wire = buf.len();
        buf.extend_from_slice(b"\0RE");
        match decode(&buf, magic, 1 << 20).unwrap() {
            Decoded::Packet(p, used) => {
                prop_assert_eq!(used, wire);
                prop_assert_eq!(p.kind(), kind);
                prop_assert_eq!(p.args(), argv.as_slice());
                prop_assert_eq!(p.data(), data);
            }
            Decoded::NeedMore(_) => prop_assert!(false, "incomplete"),
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300),
                                   max in 0usize..400) {
        let mut rest: &[u8] = &bytes;
        loop {
            match decode(rest, Magic::Response, max) {
                Ok(Decoded::Packet(p, used)) => {
                    prop_assert!(used >= HEADER_LEN && used <= rest.len());
                    prop_assert!(p.payload().len() <= max);
                    rest = &rest[used..];
                }
                Ok(Decoded::NeedMore(n)) => { prop_assert!(n > rest.len()); break; }
                Err(_) => break,
            }
        }
    }

    #[test]
    fn arbitrary_headers_never_panic(magic_ok in any::<bool>(), kind in any::<u32>(), len in any::<u32>(),
                                     body in proptest::collection::vec(any::<u8>(), 0..64)) {
        let mut buf = if magic_ok { b"\0RES".to_vec() } else { b"\0REQ".to_vec() };
        buf.extend_from_slice(&(kind % 50).to_be_bytes());
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(&body);
        let _ = decode(&buf, Magic::Response, 1 << 30);
    }

    #[test]
    fn parse_any_payload(kind in kind(), payload in proptest::collection::vec(any::<u8>(), 0..100)) {
        if let Ok(p) = PacketRef::parse(Magic::Response, kind, &payload) {
            prop_assert_eq!(p.args().len(), kind.argc());
            let total: usize = p.args().iter().map(|a| a.len()).sum::<usize>() + p.data().len();
            prop_assert!(total <= payload.len());
        }
    }
}
