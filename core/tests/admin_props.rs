//! Property tests for the admin reply framing and parsing: arbitrary bytes
//! never panic, never claim more than they were given and never exceed the
//! bound; feeding in pieces equals feeding at once; rendered rows parse
//! back. `PROPTEST_CASES=200000 cargo test -p gearman-core --test
//! admin_props` is the long run.

use gearman_core::admin::{parse, Framer, Reply, Shape};
use proptest::prelude::*;

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![Just(Shape::Line), Just(Shape::Block)]
}

/// Bytes that look like replies often enough to reach deep states.
fn replyish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b".\n".to_vec()),
        Just(b"OK".to_vec()),
        Just(b"ERR ".to_vec()),
        Just(b"\t".to_vec()),
        Just(b" : ".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..6),
        "[a-z0-9]{0,4}".prop_map(|s| s.into_bytes()),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn framing_is_total_and_bounded(buf in replyish(), shape in shape(), max in 1usize..300) {
        match Framer::new(shape, max).feed(&buf) {
            Ok(Some((reply, used))) => {
                prop_assert!(used <= buf.len() && used <= max);
                prop_assert!(used > 0);
                // The reply is made of the bytes it consumed.
                let text = reply.to_text();
                prop_assert!(text.len() <= used + 2);
                // Whatever it is, the parsers never panic on it.
                let _ = parse::status(reply.clone());
                let _ = parse::priority_status(reply.clone());
                let _ = parse::workers(reply.clone());
                let _ = parse::jobs(reply.clone());
                let _ = parse::ok_number(reply.clone());
            }
            Ok(None) => prop_assert!(buf.len() < max),
            Err(_) => {}
        }
    }

    #[test]
    fn feeding_in_pieces_equals_feeding_at_once(buf in replyish(), shape in shape(), cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..5)) {
        let whole = Framer::new(shape, 1 << 16).feed(&buf).map_err(|e| e.code);
        let mut ends: Vec<usize> = cuts.iter().map(|c| c.index(buf.len() + 1)).collect();
        ends.sort_unstable();
        ends.push(buf.len());
        let mut f = Framer::new(shape, 1 << 16);
        let mut got = Ok(None);
        for end in ends {
            got = f.feed(&buf[..end]).map_err(|e| e.code);
            if !matches!(got, Ok(None)) {
                break;
            }
        }
        prop_assert_eq!(got, whole);
    }

    #[test]
    fn rendered_status_rows_parse_back(rows in proptest::collection::vec(("[a-zA-Z0-9_.:-]{0,12}", any::<u32>(), any::<u32>(), any::<u32>()), 0..20)) {
        let mut wire = Vec::new();
        for (f, q, r, w) in &rows {
            wire.extend_from_slice(format!("{}\t{}\t{}\t{}\n", f, q, r, w).as_bytes());
        }
        wire.extend_from_slice(b".\n");
        let (reply, used) = Framer::new(Shape::Block, 1 << 20).feed(&wire).unwrap().unwrap();
        prop_assert_eq!(used, wire.len());
        prop_assert_eq!(reply.to_text(), wire.clone());
        let parsed = parse::status(reply).unwrap();
        prop_assert_eq!(parsed.len(), rows.len());
        for (p, (f, q, r, w)) in parsed.iter().zip(&rows) {
            prop_assert_eq!(&p.function, f.as_bytes());
            prop_assert_eq!((p.queued, p.running, p.workers), (*q as u64, *r as u64, *w as u64));
        }
    }

    #[test]
    fn rendered_worker_rows_parse_back(rows in proptest::collection::vec((0u32..100000, "[0-9.:a-f]{1,15}", "[!-~]{1,20}", proptest::collection::vec("[!-~]{1,10}", 0..5)), 0..10)) {
        let mut lines = Vec::new();
        for (fd, ip, id, fns) in &rows {
            let mut l = format!("{} {} {} :", fd, ip, id);
            for f in fns { l.push(' '); l.push_str(f); }
            lines.push(l.into_bytes());
        }
        let parsed = parse::workers(Reply::Block(lines)).unwrap();
        for (p, (fd, ip, id, fns)) in parsed.iter().zip(&rows) {
            prop_assert_eq!(p.fd, *fd as i64);
            prop_assert_eq!(&p.ip, ip.as_bytes());
            // An id ending in " :" patterns cannot occur ([!-~] has no space).
            prop_assert_eq!(&p.id, id.as_bytes());
            let want: Vec<Vec<u8>> = fns.iter().map(|f| f.as_bytes().to_vec()).collect();
            prop_assert_eq!(&p.functions, &want);
        }
    }
}
