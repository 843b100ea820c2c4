//! Malformed and hostile server input, via a scripted fake server: every
//! case must end in an error for the affected tasks, never a panic, a hang
//! or an allocation sized by the attacker.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use gearman_core::{
    Client, Priority, ReturnCode, Scope, Step, TaskEvent, TaskKind, WorkStep, Worker,
};

/// Accepts one connection and runs `script` on it.
fn fake(script: impl FnOnce(TcpStream) + Send + 'static) -> (u16, JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        script(s);
    });
    (port, h)
}

fn read_packet(s: &mut TcpStream) -> (u32, Vec<u8>) {
    let mut h = [0u8; 12];
    s.read_exact(&mut h).unwrap();
    assert_eq!(&h[..4], b"\0REQ");
    let kind = u32::from_be_bytes(h[4..8].try_into().unwrap());
    let len = u32::from_be_bytes(h[8..12].try_into().unwrap());
    let mut body = vec![0u8; len as usize];
    s.read_exact(&mut body).unwrap();
    (kind, body)
}

fn res(kind: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = b"\0RES".to_vec();
    v.extend_from_slice(&kind.to_be_bytes());
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

fn header(kind: u32, len: u32) -> Vec<u8> {
    let mut v = b"\0RES".to_vec();
    v.extend_from_slice(&kind.to_be_bytes());
    v.extend_from_slice(&len.to_be_bytes());
    v
}

fn client(port: u16) -> Client {
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(5000);
    c
}

fn fg() -> TaskKind {
    TaskKind::Submit {
        priority: Priority::Normal,
        background: false,
    }
}

fn rss_kib() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = s.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Submits one task; the fake answers the SUBMIT with `reply`; returns
/// what `run` reports after Created (if any).
fn after_submit(reply: Vec<u8>, created: bool) -> (Step, Client) {
    let (port, h) = fake(move |mut s| {
        let (kind, _) = read_packet(&mut s);
        assert_eq!(kind, 7);
        if created {
            s.write_all(&res(8, b"H:fake:1")).unwrap();
        }
        s.write_all(&reply).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let mut c = client(port);
    let id = c.add_task(fg(), b"f", b"w", None).unwrap();
    if created {
        assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    }
    let step = c.run(Scope::All);
    // The attempt failed with the error; the task is not dropped but stays
    // pending (the next run submits it again).
    let t = c.task(id).unwrap();
    assert!(
        !t.is_finished() && t.return_code() != ReturnCode::Success,
        "attempt must have failed: {:?}",
        step
    );
    h.join().unwrap();
    (step, c)
}

fn expect_error(step: Step, code: ReturnCode) {
    match step {
        Step::Error(e) => assert_eq!(e.code, code, "{}", e),
        s => panic!("expected {:?}, got {:?}", code, s),
    }
}

#[test]
fn garbage_text_reply() {
    let (step, _) = after_submit(b"ERR UNKNOWN_COMMAND\r\n".to_vec(), false);
    expect_error(step, ReturnCode::InvalidMagic);
}

#[test]
fn request_magic_from_server() {
    let mut p = res(8, b"H:1");
    p[3] = b'Q';
    let (step, _) = after_submit(p, false);
    expect_error(step, ReturnCode::InvalidMagic);
}

#[test]
fn unknown_packet_type() {
    let (step, _) = after_submit(res(99, b""), true);
    expect_error(step, ReturnCode::InvalidCommand);
}

#[test]
fn four_gib_length_is_refused_without_allocating() {
    let before = rss_kib();
    let (step, _) = after_submit(header(13, u32::MAX), true);
    expect_error(step, ReturnCode::InvalidPacket);
    assert!(rss_kib() < before + 64 * 1024, "memory grew");
}

#[test]
fn length_just_under_the_limit_costs_only_what_arrives() {
    // 1 GiB - 1 announced (accepted by the default limit), 1 MiB sent,
    // then the connection closes.
    let before = rss_kib();
    let mut reply = header(13, (1 << 30) - 1);
    reply.extend_from_slice(b"H:fake:1\0");
    reply.extend(std::iter::repeat_n(b'x', 1 << 20));
    let (step, c) = after_submit(reply, true);
    expect_error(step, ReturnCode::LostConnection);
    assert!(
        rss_kib() < before + 200 * 1024,
        "RSS grew by {} KiB",
        rss_kib() - before
    );
    drop(c);
}

#[test]
fn configured_max_packet_size() {
    let (port, h) = fake(|mut s| {
        read_packet(&mut s);
        s.write_all(&res(8, b"H:fake:1")).unwrap();
        s.write_all(&res(13, &[b'x'; 2048])).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let mut c = client(port);
    c.set_max_packet_size(1024);
    let id = c.add_task(fg(), b"f", b"w", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    expect_error(c.run(Scope::All), ReturnCode::InvalidPacket);
    h.join().unwrap();
}

#[test]
fn close_mid_packet() {
    let mut p = res(13, b"H:fake:1\0result");
    p.truncate(p.len() - 3);
    let (step, _) = after_submit(p, true);
    expect_error(step, ReturnCode::LostConnection);
}

#[test]
fn missing_arguments() {
    // STATUS_RES-like garbage: WORK_COMPLETE without the handle terminator.
    let (step, _) = after_submit(res(13, b"no-terminator"), true);
    expect_error(step, ReturnCode::InvalidPacket);
}

#[test]
fn reply_nobody_asked_for() {
    let (step, _) = after_submit(res(8, b"H:fake:2"), true);
    expect_error(step, ReturnCode::UnexpectedPacket);
}

#[test]
fn error_packet_answers_the_submission() {
    let (port, h) = fake(|mut s| {
        read_packet(&mut s);
        read_packet(&mut s);
        s.write_all(&res(19, b"QUEUE_ERROR\0Job queue is full"))
            .unwrap();
        s.write_all(&res(8, b"H:fake:7")).unwrap();
        std::thread::sleep(Duration::from_millis(200));
    });
    let mut c = client(port);
    let bg = TaskKind::Submit {
        priority: Priority::Low,
        background: true,
    };
    let a = c.add_task(bg.clone(), b"f", b"a", None).unwrap();
    let b = c.add_task(bg, b"f", b"b", None).unwrap();
    // b (newest) is submitted first and gets the ERROR; a gets the handle.
    match c.run(Scope::All) {
        Step::Error(e) => {
            assert_eq!(e.code, ReturnCode::QueueError);
            assert_eq!(e.message, "QUEUE_ERROR:Job queue is full");
            assert_eq!(
                e.to_string(),
                "_client_run_tasks(GEARMAN_QUEUE_ERROR) QUEUE_ERROR:Job queue is full"
            );
        }
        s => panic!("{:?}", s),
    }
    assert_eq!(c.task(b).unwrap().return_code(), ReturnCode::QueueError);
    assert_eq!(c.run(Scope::All), Step::Event(a, TaskEvent::Created));
    assert_eq!(c.task(a).unwrap().handle(), b"H:fake:7");
    // b is still pending (a later run would submit it again); forget it.
    assert!(!c.task(b).unwrap().is_finished());
    c.remove_task(b);
    assert_eq!(c.run(Scope::All), Step::Done);
    h.join().unwrap();
}

#[test]
fn byte_by_byte_delivery() {
    let (port, h) = fake(|mut s| {
        read_packet(&mut s);
        let mut all = res(8, b"H:fake:1");
        all.extend(res(28, b"H:fake:1\0chunk\0with nul"));
        all.extend(res(14, b"H:fake:1\0"));
        for b in all {
            s.write_all(&[b]).unwrap();
            s.flush().unwrap();
            std::thread::sleep(Duration::from_micros(200));
        }
        std::thread::sleep(Duration::from_millis(100));
    });
    let mut c = client(port);
    let id = c.add_task(fg(), b"f", b"w", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Data));
    assert_eq!(c.task(id).unwrap().data(), b"chunk\0with nul");
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Fail));
    assert_eq!(c.run(Scope::All), Step::Done);
    h.join().unwrap();
}

#[test]
fn silent_server_times_out_on_time() {
    let (port, h) = fake(|mut s| {
        read_packet(&mut s);
        std::thread::sleep(Duration::from_millis(700));
    });
    let mut c = client(port);
    c.set_timeout(300);
    let id = c.add_task(fg(), b"f", b"w", None).unwrap();
    let start = Instant::now();
    expect_error(c.run(Scope::All), ReturnCode::Timeout);
    let el = start.elapsed().as_millis();
    assert!((300..350).contains(&el), "{} ms", el);
    assert!(!c.task(id).unwrap().is_finished());
    h.join().unwrap();
}

#[test]
fn echo_mismatch() {
    let (port, h) = fake(|mut s| {
        let (kind, body) = read_packet(&mut s);
        assert_eq!((kind, body.as_slice()), (16, &b"ping"[..]));
        s.write_all(&res(17, b"pong")).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    });
    let mut c = client(port);
    assert_eq!(
        c.echo(b"ping").unwrap_err().code,
        ReturnCode::EchoDataCorruption
    );
    h.join().unwrap();
}

#[test]
fn option_rejected() {
    let (port, h) = fake(|mut s| {
        let (kind, body) = read_packet(&mut s);
        assert_eq!((kind, body.as_slice()), (26, &b"exceptions"[..]));
        s.write_all(&res(
            19,
            b"UNKNOWN_OPTION\0Server does not recognize given option",
        ))
        .unwrap();
        std::thread::sleep(Duration::from_millis(100));
    });
    let mut c = client(port);
    assert_eq!(
        c.enable_exceptions().unwrap_err().code,
        ReturnCode::UnknownOption
    );
    h.join().unwrap();
}

#[test]
fn worker_gets_garbage_for_grab() {
    let (port, h) = fake(|mut s| {
        assert_eq!(read_packet(&mut s).0, 1); // CAN_DO
        assert_eq!(read_packet(&mut s).0, 39); // GRAB_JOB_ALL
        s.write_all(&header(31, u32::MAX)).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    });
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), port as i64).unwrap();
    w.register(b"f", 0).unwrap();
    w.set_timeout(2000);
    match w.work() {
        WorkStep::Error(e) => assert_eq!(e.code, ReturnCode::InvalidPacket),
        s => panic!("{:?}", s),
    }
    h.join().unwrap();
}

#[test]
fn worker_job_assign_with_nul_rich_workload_and_stray_noops() {
    let (port, h) = fake(|mut s| {
        assert_eq!(read_packet(&mut s).0, 22); // SET_CLIENT_ID
        assert_eq!(read_packet(&mut s).0, 23); // CAN_DO_TIMEOUT
        assert_eq!(read_packet(&mut s).0, 39);
        s.write_all(&res(6, b"")).unwrap();
        s.write_all(&res(31, b"H:x:1\0f\0uniq\0\0work\0")).unwrap();
        let (kind, body) = read_packet(&mut s);
        assert_eq!((kind, body.as_slice()), (13, &b"H:x:1\0done"[..]));
    });
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), port as i64).unwrap();
    w.set_id(b"w1").unwrap();
    w.register(b"f", 3).unwrap();
    w.set_timeout(2000);
    match w.work() {
        WorkStep::Job(j) => {
            assert_eq!(j.handle(), b"H:x:1");
            assert_eq!(j.unique(), b"uniq");
            assert_eq!(j.workload(), b"\0work\0");
            w.send_complete(&j, b"done").unwrap();
        }
        s => panic!("{:?}", s),
    }
    h.join().unwrap();
}

/// The loop reads ahead of event delivery: when a whole job's packets
/// arrive in one segment, each event must still show the task as it was
/// when that packet was read (pecl/gearman callbacks observe exactly that).
#[test]
fn events_show_the_status_of_their_own_packet() {
    let (port, h) = fake(|mut s| {
        read_packet(&mut s);
        let mut all = res(8, b"H:fake:7");
        all.extend(res(12, b"H:fake:7\x001\x004"));
        all.extend(res(28, b"H:fake:7\0chunk"));
        all.extend(res(12, b"H:fake:7\x004\x004"));
        all.extend(res(13, b"H:fake:7\0done"));
        s.write_all(&all).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    });
    let mut c = client(port);
    let id = c.add_task(fg(), b"f", b"w", None).unwrap();
    let mut seen = Vec::new();
    loop {
        match c.run(Scope::All) {
            Step::Event(_, ev) => {
                let t = c.task(id).unwrap();
                seen.push((
                    ev,
                    t.is_known(),
                    t.is_running(),
                    t.numerator(),
                    t.denominator(),
                ));
            }
            Step::Done => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(
        seen,
        vec![
            (TaskEvent::Created, true, false, 0, 0),
            // WORK_STATUS makes a task known, not running (as libgearman).
            (TaskEvent::Status, true, false, 1, 4),
            (TaskEvent::Data, true, true, 1, 4),
            (TaskEvent::Status, true, true, 4, 4),
            (TaskEvent::Complete, false, false, 4, 4),
        ]
    );
    h.join().unwrap();
}

/// A connection that dies during the GRAB round trip (gearmand restarting
/// at that moment) must not fail `work()` while the server can be reached
/// again: the worker reconnects at once, registers again and carries on.
#[test]
fn worker_reconnects_when_the_connection_dies_during_a_grab() {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let h = std::thread::spawn(move || {
        // First connection: answer the first GRAB, then die on the second.
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut grabs = 0;
        loop {
            let (kind, _) = read_packet(&mut s);
            if kind == 39 {
                grabs += 1;
                if grabs == 2 {
                    break; // close without answering
                }
                s.write_all(&res(10, b"")).unwrap(); // NO_JOB
            }
        }
        drop(s);
        // Second connection: registrations come again, and the GRAB is answered.
        let (mut s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let mut kinds = Vec::new();
        loop {
            let (kind, _) = read_packet(&mut s);
            kinds.push(kind);
            if kind == 39 {
                s.write_all(&res(10, b"")).unwrap();
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        kinds
    });
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), port as i64).unwrap();
    w.set_timeout(200);
    // The script counts GRABs: no extra ones from the idle poll.
    w.set_poll_interval(0);
    w.register(b"f", 0).unwrap();
    assert!(
        matches!(w.work(), WorkStep::Timeout),
        "first call: NO_JOB, then idle"
    );
    match w.work() {
        WorkStep::Timeout => {}
        other => panic!("connection died during GRAB: {other:?}"),
    }
    // CAN_DO (1) was sent again on the new connection before its GRAB_JOB_ALL (39).
    assert_eq!(h.join().unwrap(), vec![1, 39]);
}
