//! Framing and parsing gearmand admin replies from arbitrary bytes must
//! never panic, never take more bytes than given or than the bound, and
//! give the same answer whether the bytes come at once or in two pieces.
#![no_main]

use gearman_core::admin::{parse, Framer, Shape};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let shape = if ctl & 1 == 0 {
        Shape::Line
    } else {
        Shape::Block
    };
    let max = 1 + (ctl as usize >> 1) * 8;
    let whole = Framer::new(shape, max).feed(rest);
    if let Ok(Some((reply, used))) = &whole {
        assert!(*used <= rest.len() && *used <= max);
        let _ = parse::status(reply.clone());
        let _ = parse::priority_status(reply.clone());
        let _ = parse::workers(reply.clone());
        let _ = parse::jobs(reply.clone());
        let _ = parse::ok_number(reply.clone());
        let _ = parse::raise_err(reply.clone());
    }
    let cut = rest.len() / 2;
    let mut f = Framer::new(shape, max);
    let pieces = match f.feed(&rest[..cut]) {
        Ok(None) => f.feed(rest),
        other => other,
    };
    assert_eq!(pieces.map_err(|e| e.code), whole.map_err(|e| e.code));
});
