//! Splitting arbitrary payloads for every packet type, and the client's
//! view of a hostile server: arbitrary bytes fed through a real Client
//! connection must end in events or errors, never a panic or hang.
#![no_main]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::OnceLock;
use std::time::Duration;

use gearman_core::protocol::{encode, Magic, PacketRef, PacketType};
use gearman_core::{Client, Priority, Scope, Step, TaskKind};
use libfuzzer_sys::fuzz_target;

fn split(kind: PacketType, payload: &[u8]) {
    if let Ok(p) = PacketRef::parse(Magic::Response, kind, payload) {
        assert_eq!(p.args().len(), kind.argc());
        // Re-encoding what was parsed gives back the same payload unless the
        // last argument of a non-data packet swallowed extra separators.
        let mut out = Vec::new();
        if encode(&mut out, Magic::Response, kind, &p.args(), p.data()).is_ok() && kind.argc() > 0 {
            assert_eq!(&out[12..], payload);
        }
    }
}

/// A local listener that answers every client connection with the bytes of
/// the current fuzz input (handed over through a channel).
fn server() -> &'static (u16, std::sync::Mutex<std::sync::mpsc::Sender<Vec<u8>>>) {
    static S: OnceLock<(u16, std::sync::Mutex<std::sync::mpsc::Sender<Vec<u8>>>)> = OnceLock::new();
    S.get_or_init(|| {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            for bytes in rx {
                let Ok((mut s, _)) = l.accept() else { continue };
                let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
                let mut buf = [0u8; 4096];
                let _ = s.read(&mut buf);
                let _ = s.write_all(&bytes);
            }
        });
        (port, std::sync::Mutex::new(tx))
    })
}

fuzz_target!(|data: &[u8]| {
    if let Some((k, payload)) = data.split_first() {
        split(PacketType::ALL[(*k as usize) % 43], payload);
    }
    let (port, tx) = server();
    tx.lock().unwrap().send(data.to_vec()).unwrap();
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), *port as i64).unwrap();
    c.set_timeout(100);
    c.set_max_packet_size(1 << 16);
    let fg = TaskKind::Submit {
        priority: Priority::Normal,
        background: false,
    };
    c.add_task(fg, b"f", b"w", Some(b"u")).unwrap();
    for _ in 0..64 {
        match c.run(Scope::All) {
            Step::Event(..) => {}
            _ => break,
        }
    }
});
