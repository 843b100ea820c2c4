//! Several servers: selection strategies, down servers and their probes,
//! the lazily negotiated "exceptions" option, counters. Real gearmands plus
//! a scripted fake for a server that refuses the option.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{DeadPort, Gearmand};
use gearman_core::{
    Client, Priority, ReturnCode, Scope, Selection, ServerState, Step, TaskEvent, TaskKind,
};

fn bg() -> TaskKind {
    TaskKind::Submit {
        priority: Priority::Normal,
        background: true,
    }
}

/// Submits one background job and runs until it is created or fails.
fn submit(c: &mut Client, f: &[u8]) -> Result<(), gearman_core::Error> {
    let id = c.add_task(bg(), f, b"w", None).unwrap();
    let r = loop {
        match c.run(Scope::Only(id)) {
            Step::Event(_, TaskEvent::Created) => break Ok(()),
            Step::Event(..) => {}
            Step::Error(e) => break Err(e),
            Step::Done => break Err(gearman_core::Error::no_active_fds()),
            s => panic!("{s:?}"),
        }
    };
    c.remove_task(id);
    r
}

fn queued(g: &Gearmand, f: &str) -> usize {
    g.admin("status")
        .lines()
        .find_map(|l| {
            let v: Vec<&str> = l.split('\t').collect();
            (v.len() == 4 && v[0] == f).then(|| v[1].parse().unwrap())
        })
        .unwrap_or(0)
}

#[test]
fn round_robin_spreads_and_counts() {
    let gs: Vec<Gearmand> = (0..3).map(|_| Gearmand::start()).collect();
    let mut c = Client::new();
    for g in &gs {
        c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    }
    c.set_timeout(5000);
    c.set_server_selection(Selection::RoundRobin);
    for _ in 0..30 {
        submit(&mut c, b"ms_rr").unwrap();
    }
    for g in &gs {
        assert_eq!(queued(g, "ms_rr"), 10);
    }
    let s = c.stats();
    assert_eq!(s.counters.jobs, 30);
    assert!(s
        .servers
        .iter()
        .all(|x| x.jobs == 10 && x.connects == 1 && x.state == ServerState::Up));
    assert_eq!(s.reconnects, 0);
    assert!(s.bytes_sent > 0 && s.bytes_received > 0);
}

#[test]
fn down_server_is_skipped_then_probed_back() {
    let live = Gearmand::start();
    let mut dead = Gearmand::start();
    dead.kill();
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), live.port as i64).unwrap();
    c.add_server(Some("127.0.0.1"), dead.port as i64).unwrap(); // newest: tried first
    c.set_timeout(5000);
    for _ in 0..50 {
        submit(&mut c, b"ms_probe").unwrap();
    }
    let s = c.stats();
    assert!(matches!(s.servers[0].state, ServerState::DownUntil(_)));
    // One failure per back-off period, not one per call.
    assert!(s.servers[0].failures < 10, "{}", s.servers[0].failures);
    assert_eq!(queued(&live, "ms_probe"), 50);
    dead.restart();
    // Once its back-off is over the next call probes it and uses it again.
    let end = Instant::now() + Duration::from_secs(40);
    while queued(&dead, "ms_probe") == 0 {
        assert!(Instant::now() < end, "restarted server never used again");
        submit(&mut c, b"ms_probe").unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    let s = c.stats();
    assert_eq!(s.servers[0].state, ServerState::Up);
    assert_eq!(s.servers[0].connects, 1);
}

#[test]
fn refused_exceptions_option_fails_that_call_and_failover_moves_on() {
    let live = Gearmand::start();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let fake_port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut head = [0u8; 12];
        s.read_exact(&mut head).unwrap();
        assert_eq!(
            u32::from_be_bytes(head[4..8].try_into().unwrap()),
            26,
            "OPTION_REQ first"
        );
        let mut body = vec![0u8; u32::from_be_bytes(head[8..12].try_into().unwrap()) as usize];
        s.read_exact(&mut body).unwrap();
        assert_eq!(body, b"exceptions");
        let payload = b"UNKNOWN_OPTION\0Server does not recognize given option";
        let mut v = b"\0RES".to_vec();
        v.extend_from_slice(&19u32.to_be_bytes());
        v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
        v.extend_from_slice(payload);
        s.write_all(&v).unwrap();
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest); // the client hangs up
    });
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), live.port as i64).unwrap();
    c.add_server(Some("127.0.0.1"), fake_port as i64).unwrap(); // newest: tried first
    c.set_timeout(5000);
    c.request_exceptions(); // lazy: nothing connected yet
    assert_eq!(c.stats().servers[0].state, ServerState::NeverUsed);
    let e = submit(&mut c, b"ms_opt").unwrap_err();
    assert_ne!(e.code, ReturnCode::Success);
    assert!(e.message.contains("UNKNOWN_OPTION"), "{}", e.message);
    h.join().unwrap();
    let s = c.stats();
    assert!(matches!(s.servers[0].state, ServerState::DownUntil(_)));
    assert!(s.servers[0]
        .last_error
        .as_ref()
        .unwrap()
        .message
        .contains("UNKNOWN_OPTION"));
    assert_eq!(s.counters.failed, 1);
    // The next call goes to the live server.
    submit(&mut c, b"ms_opt").unwrap();
    assert_eq!(queued(&live, "ms_opt"), 1);
}

#[test]
fn every_server_down_each_call_tries_all() {
    let (dead_a, dead_b) = (DeadPort::new(), DeadPort::new());
    let (a, b) = (dead_a.port, dead_b.port);
    let mut c = Client::new();
    c.add_servers(Some(&format!("127.0.0.1:{a},127.0.0.1:{b}")))
        .unwrap();
    c.set_timeout(2000);
    for _ in 0..3 {
        assert_eq!(
            submit(&mut c, b"ms_down").unwrap_err().code,
            ReturnCode::CouldNotConnect
        );
    }
    let s = c.stats();
    assert_eq!((s.servers[0].failures, s.servers[1].failures), (3, 3));
    assert_eq!(s.counters.failed, 3);
}
