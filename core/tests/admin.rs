//! The admin client against a real gearmand (known queues and workers,
//! values checked exactly, `gearadmin` as a second opinion) and against a
//! scripted fake server for everything gearmand would never send.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use common::Gearmand;
use gearman_core::admin::{Admin, FunctionStatus, Reply};
use gearman_core::{
    Client, Priority, ReturnCode, Scope, Step, TaskEvent, TaskKind, WorkStep, Worker,
};

fn admin(port: u16) -> Admin {
    let mut a = Admin::new("127.0.0.1", port);
    a.set_timeout(5000);
    a
}

fn bg(c: &mut Client, function: &str, workload: &str, priority: Priority) -> Vec<u8> {
    let id = c
        .add_task(
            TaskKind::Submit {
                priority,
                background: true,
            },
            function.as_bytes(),
            workload.as_bytes(),
            None,
        )
        .unwrap();
    assert!(matches!(
        c.run(Scope::Only(id)),
        Step::Event(_, TaskEvent::Created)
    ));
    c.task(id).unwrap().handle().to_vec()
}

fn gearadmin(port: u16, option: &str) -> String {
    let out = Command::new("gearadmin")
        .args(["-h", "127.0.0.1", "-p", &port.to_string(), option])
        .output()
        .expect("gearadmin (gearman-tools) installed");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn listings_with_known_queues_and_workers() {
    let g = Gearmand::start();
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.set_timeout(5000);
    let h1 = bg(&mut c, "adm_a", "1", Priority::High);
    bg(&mut c, "adm_a", "2", Priority::Normal);
    bg(&mut c, "adm_a", "3", Priority::Low);
    bg(&mut c, "adm_a", "4", Priority::Low);
    bg(&mut c, "adm_b", "5", Priority::Normal);
    // A worker for adm_b (registered twice) and adm_c, with an id.
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    w.set_id(b"adm-worker").unwrap();
    w.register(b"adm_c", 0).unwrap();
    w.register(b"adm_b", 0).unwrap();
    w.register(b"adm_b", 0).unwrap();
    w.set_timeout(5000);
    // Take adm_b's job and keep it running.
    let job = match w.grab_job() {
        WorkStep::Job(j) => j,
        other => panic!("{:?}", other),
    };
    assert_eq!(job.workload(), b"5");

    let mut a = admin(g.port);
    let mut status = a.status().unwrap();
    status.sort_by(|x, y| x.function.cmp(&y.function));
    let row = |f: &str, q, r, n| FunctionStatus {
        function: f.as_bytes().to_vec(),
        queued: q,
        running: r,
        workers: n,
    };
    assert_eq!(
        status,
        vec![
            row("adm_a", 4, 0, 0),
            row("adm_b", 1, 1, 2),
            row("adm_c", 0, 0, 1)
        ]
    );

    let mut prio = a.priority_status().unwrap();
    prio.sort_by(|x, y| x.function.cmp(&y.function));
    let p: Vec<_> = prio
        .iter()
        .map(|r| {
            (
                String::from_utf8_lossy(&r.function).into_owned(),
                r.high,
                r.normal,
                r.low,
                r.workers,
            )
        })
        .collect();
    assert_eq!(
        p,
        vec![
            ("adm_a".into(), 1, 1, 2, 0),
            ("adm_b".into(), 0, 0, 0, 2),
            ("adm_c".into(), 0, 0, 0, 1)
        ]
    );

    let workers = a.workers().unwrap();
    let mine: Vec<_> = workers.iter().filter(|r| r.id == b"adm-worker").collect();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].ip, b"127.0.0.1");
    // One entry per registration, in gearmand's order (it prepends the
    // CAN_DOs, which libgearman and gearman-rs send newest first).
    assert_eq!(
        mine[0].functions,
        vec![b"adm_c".to_vec(), b"adm_b".to_vec(), b"adm_b".to_vec()]
    );
    // The client and this admin connection are listed too, without id or functions.
    assert_eq!(
        workers
            .iter()
            .filter(|r| r.id == b"-" && r.functions.is_empty())
            .count(),
        2
    );

    let jobs = a.jobs().unwrap();
    assert_eq!(jobs.len(), 5);
    assert!(jobs.iter().all(|j| j.retries == 0 && !j.ignore && j.queued));
    assert!(jobs.iter().any(|j| j.handle == h1));
    assert_eq!(a.unique_jobs().unwrap().len(), 5);

    // Same server, same moment: gearadmin prints what we parsed.
    let mut ours: Vec<String> = a
        .status()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{}\t{}\t{}\t{}",
                String::from_utf8_lossy(&r.function),
                r.queued,
                r.running,
                r.workers
            )
        })
        .collect();
    let mut theirs: Vec<String> = gearadmin(g.port, "--status")
        .lines()
        .filter(|l| *l != ".")
        .map(String::from)
        .collect();
    ours.sort();
    theirs.sort();
    assert_eq!(ours, theirs);

    assert_eq!(
        a.version().unwrap(),
        gearadmin(g.port, "--server-version").trim()
    );
    assert_eq!(
        a.pid().unwrap(),
        gearadmin(g.port, "--getpid").trim().parse::<u64>().unwrap()
    );
    w.send_complete(&job, b"").unwrap();
}

#[test]
fn cancel_maxqueue_create_drop() {
    let g = Gearmand::start();
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.set_timeout(5000);
    let mut a = admin(g.port);
    let h = bg(&mut c, "adm_cancel", "x", Priority::Normal);
    a.cancel_job(&h).unwrap();
    let jobs = a.jobs().unwrap();
    assert!(jobs.iter().any(|j| j.handle == h && j.ignore), "{:?}", jobs);
    let e = a.cancel_job(b"H:nowhere:1").unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ReturnCode::JobNotFound, "UNKNOWN_JOB")
    );

    a.create_function(b"adm_new").unwrap();
    assert!(a
        .status()
        .unwrap()
        .iter()
        .any(|r| r.function == b"adm_new" && r.queued == 0 && r.workers == 0));
    a.max_queue(b"adm_new", 1).unwrap();
    bg(&mut c, "adm_new", "1", Priority::Normal);
    let id = c
        .add_task(
            TaskKind::Submit {
                priority: Priority::Normal,
                background: true,
            },
            b"adm_new",
            b"2",
            None,
        )
        .unwrap();
    match c.run(Scope::Only(id)) {
        Step::Error(e) => assert_eq!(e.code, ReturnCode::QueueError),
        other => panic!("{:?}", other),
    }
    a.max_queue_by_priority(b"adm_new", 0, 0, 0).unwrap();
    bg(&mut c, "adm_new", "3", Priority::Normal);

    let e = a.drop_function(b"adm_gone").unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ReturnCode::ServerError, "function not found")
    );
    a.create_function(b"adm_empty").unwrap();
    a.drop_function(b"adm_empty").unwrap();
    assert!(!a
        .status()
        .unwrap()
        .iter()
        .any(|r| r.function == b"adm_empty"));

    // Raw commands: any reply, listings with their "." line.
    assert_eq!(
        a.command(b"verbose").unwrap(),
        Reply::Line(b"OK ERROR".to_vec())
    );
    assert!(matches!(a.command(b"show jobs").unwrap(), Reply::Block(_)));
    assert_eq!(
        a.command(b"show foo").unwrap(),
        Reply::Line(b"ERR UNKNOWN_SHOW_ARGUMENTS".to_vec())
    );
}

#[test]
fn reconnects_after_gearmand_restarts() {
    let mut g = Gearmand::start();
    let mut a = admin(g.port);
    let pid1 = a.pid().unwrap();
    g.restart();
    let pid2 = a.pid().unwrap();
    assert_ne!(pid1, pid2);
    g.kill();
    let e = a.status().unwrap_err();
    assert_eq!(e.code, ReturnCode::CouldNotConnect);
}

/// A fake server: for each connection, reads command lines and answers
/// each with `script(line)`; `None` = stay silent (keep the connection
/// open); a reply ending in `<close>` is sent without that marker and the
/// connection is closed.
fn fake(script: fn(&[u8]) -> Option<Vec<u8>>) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { return };
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let mut b = [0u8; 256];
                loop {
                    let Ok(n) = s.read(&mut b) else { return };
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&b[..n]);
                    while let Some(i) = buf.iter().position(|&c| c == b'\n') {
                        let line: Vec<u8> = buf.drain(..=i).collect();
                        match script(line.strip_suffix(b"\r\n").unwrap_or(&line)) {
                            Some(reply) => {
                                let (reply, close) = match reply.strip_suffix(b"<close>") {
                                    Some(r) => (r.to_vec(), true),
                                    None => (reply, false),
                                };
                                // Byte by byte: framing must not depend on read sizes.
                                for c in reply {
                                    if s.write_all(&[c]).is_err() {
                                        return;
                                    }
                                }
                                if close {
                                    return;
                                }
                            }
                            None => std::thread::sleep(Duration::from_secs(30)),
                        }
                    }
                }
            });
        }
    });
    port
}

#[test]
fn fault_injecting_server() {
    // Mixed line ends, split across reads.
    let port = fake(|l| match l {
        b"status" => Some(b"f\t1\t0\t2\r\ng\t0\t0\t0\n.\r\n".to_vec()),
        b"version" => Some(b"OK 9.9\r\n".to_vec()),
        b"getpid" => Some(b"OK notanumber\n".to_vec()),
        b"workers" => Some(b"garbage line\n.\n".to_vec()),
        b"show jobs" => Some(b"\0RES\0\0\0\x0a\0\0\0\0".to_vec()),
        b"prioritystatus" => Some(b"HTTP/1.1 400 Bad Request\r\n".to_vec()),
        _ => Some(b"ERR UNKNOWN_COMMAND Unknown+server+command\r\n".to_vec()),
    });
    let mut a = admin(port);
    let s = a.status().unwrap();
    assert_eq!(
        (s[0].queued, s[0].workers, s[1].function.as_slice()),
        (1, 2, &b"g"[..])
    );
    assert_eq!(a.version().unwrap(), "9.9");
    for (e, code) in [
        (a.pid().unwrap_err(), ReturnCode::UnexpectedPacket),
        (a.workers().unwrap_err(), ReturnCode::UnexpectedPacket),
        (a.jobs().unwrap_err(), ReturnCode::UnexpectedPacket),
        (
            a.priority_status().unwrap_err(),
            ReturnCode::UnexpectedPacket,
        ),
        (
            a.create_function(b"x").unwrap_err(),
            ReturnCode::InvalidCommand,
        ),
    ] {
        assert_eq!(e.code, code, "{:?} (expected {:?})", e, code);
    }
    // Still usable after each error (a fresh connection where needed).
    assert_eq!(a.version().unwrap(), "9.9");

    // Endless reply: cut off at the bound, at once.
    let port = fake(|_| Some(vec![b'x'; 1 << 20]));
    let mut a = admin(port);
    a.set_max_reply(4096);
    let t = Instant::now();
    assert_eq!(a.version().unwrap_err().code, ReturnCode::DataTooLarge);
    assert!(t.elapsed() < Duration::from_secs(3));

    // Silence, and a reply that stops half-way: the deadline holds.
    for script in [(|_: &[u8]| None) as fn(&[u8]) -> Option<Vec<u8>>, |_| {
        Some(b"f\t1\t0".to_vec())
    }] {
        let port = fake(script);
        let mut a = admin(port);
        a.set_timeout(300);
        let t = Instant::now();
        let e = a.status().unwrap_err();
        assert_eq!(e.code, ReturnCode::Timeout);
        assert!(
            t.elapsed() >= Duration::from_millis(290) && t.elapsed() < Duration::from_secs(3),
            "{:?}",
            t.elapsed()
        );
    }

    // Two replies for one command: the extra one is never taken for the
    // next command's reply.
    let port = fake(|l| match l {
        b"version" => Some(b"OK 1\nOK 2\n".to_vec()),
        _ => Some(b"OK 3\n".to_vec()),
    });
    let mut a = admin(port);
    assert_eq!(a.version().unwrap(), "1");
    // The fake writes byte by byte: let the extra reply arrive before the
    // next command (bytes still in flight cannot be told from its reply).
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(a.pid().unwrap(), 3);

    // The peer closes without a reply.
    let port = fake(|_| Some(b"<close>".to_vec()));
    let mut a = admin(port);
    let e = a.version().unwrap_err();
    assert_eq!(e.code, ReturnCode::LostConnection, "{:?}", e);
    // ... or in the middle of a listing.
    let port = fake(|_| Some(b"f\t1\t0\t0\n<close>".to_vec()));
    let mut a = admin(port);
    assert_eq!(a.status().unwrap_err().code, ReturnCode::LostConnection);
}

#[test]
fn a_connection_lost_before_any_reply_is_retried_once() {
    // The first connection is closed on its command (a gearmand that was
    // still exiting); the second one answers.
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let port = fake(|_| {
        if CALLS.fetch_add(1, Ordering::SeqCst) == 0 {
            Some(b"<close>".to_vec())
        } else {
            Some(b"OK 7\n".to_vec())
        }
    });
    let mut a = admin(port);
    assert_eq!(a.pid().unwrap(), 7);
    assert_eq!(CALLS.load(Ordering::SeqCst), 2);
}
