//! Client against a real gearmand, without workers.

mod common;

use common::Gearmand;
use gearman_core::{Client, Priority, ReturnCode, Scope, Step, TaskEvent, TaskKind};

fn client(g: &Gearmand) -> Client {
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.set_timeout(5000);
    c
}

fn bg() -> TaskKind {
    TaskKind::Submit {
        priority: Priority::Normal,
        background: true,
    }
}

#[test]
fn background_submit_and_status() {
    let g = Gearmand::start();
    let mut c = client(&g);
    let id = c
        .add_task(bg(), b"nobody_does_this", b"payload", Some(b"u1"))
        .unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    let t = c.task(id).unwrap();
    assert!(t.is_finished());
    assert!(t.handle().starts_with(b"H:"));
    assert_eq!(t.return_code(), ReturnCode::Success);
    assert_eq!(c.run(Scope::All), Step::Done);
    let handle = c.task(id).unwrap().handle().to_vec();
    let s = c.job_status(&handle).unwrap();
    assert!(s.known && !s.running);
    assert_eq!((s.numerator, s.denominator), (0, 0));
    let s = c.job_status_by_unique(b"u1").unwrap();
    assert!(s.known);
    assert_eq!(s.client_count, Some(0));
    let s = c.job_status(b"H:nope:1").unwrap();
    assert!(!s.known);
    // Same unique, same function → same handle (coalesced by gearmand).
    let id2 = c
        .add_task(bg(), b"nobody_does_this", b"payload", Some(b"u1"))
        .unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id2, TaskEvent::Created));
    assert_eq!(c.task(id2).unwrap().handle(), &handle[..]);
    // Status task.
    let st = c
        .add_task(
            TaskKind::Status {
                handle: handle.clone(),
            },
            b"",
            b"",
            None,
        )
        .unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(st, TaskEvent::Status));
    let t = c.task(st).unwrap();
    assert!(t.is_known() && !t.is_running() && t.is_finished());
    assert_eq!(t.function(), &handle[..]);
}

#[test]
fn submission_order_is_newest_first() {
    let g = Gearmand::start();
    let mut c = client(&g);
    let a = c.add_task(bg(), b"f", b"a", None).unwrap();
    let b = c.add_task(bg(), b"f", b"b", None).unwrap();
    let mut created = Vec::new();
    loop {
        match c.run(Scope::All) {
            Step::Event(id, TaskEvent::Created) => created.push(id),
            Step::Done => break,
            s => panic!("{:?}", s),
        }
    }
    assert_eq!(created, vec![b, a]);
    let n = |id| {
        let h = c.task(id).unwrap().handle().to_vec();
        let s = String::from_utf8(h).unwrap();
        s.rsplit(':').next().unwrap().parse::<u64>().unwrap()
    };
    assert!(n(b) < n(a));
}

#[test]
fn echo_and_exceptions_option() {
    let g = Gearmand::start();
    let mut c = client(&g);
    c.echo(b"hello\0world").unwrap();
    c.enable_exceptions().unwrap();
    c.echo(b"again").unwrap();
}

#[test]
fn job_status_does_not_disturb_pending_submissions() {
    let g = Gearmand::start();
    let mut c = client(&g);
    let a = c.add_task(bg(), b"f", b"a", Some(b"ua")).unwrap();
    // Queue the submission, then interleave sync requests.
    let s = c.job_status_by_unique(b"nope").unwrap();
    assert!(!s.known);
    assert_eq!(c.run(Scope::All), Step::Event(a, TaskEvent::Created));
    let s = c.job_status_by_unique(b"ua").unwrap();
    assert!(s.known);
    let b = c.add_task(bg(), b"f", b"b", Some(b"ub")).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(b, TaskEvent::Created));
}

#[test]
fn unique_too_long_for_server_is_answered_locally() {
    let g = Gearmand::start();
    let mut c = client(&g);
    let s = c.job_status_by_unique(&[b'x'; 64]).unwrap();
    assert!(!s.known);
    let s = c.job_status(&[b'x'; 64]).unwrap();
    assert!(!s.known);
}

#[test]
fn could_not_connect_and_failover() {
    let g = Gearmand::start();
    let dead_port = common::DeadPort::new();
    let dead = dead_port.port;
    let mut c = Client::new();
    c.set_timeout(5000);
    c.add_server(Some("127.0.0.1"), dead as i64).unwrap();
    let id = c.add_task(bg(), b"f", b"w", None).unwrap();
    match c.run(Scope::All) {
        Step::Error(e) => {
            assert_eq!(e.code, ReturnCode::CouldNotConnect);
            assert_eq!(
                e.message,
                format!("Connection to 127.0.0.1:{} failed", dead)
            );
        }
        s => panic!("{:?}", s),
    }
    assert_eq!(
        c.task(id).unwrap().return_code(),
        ReturnCode::CouldNotConnect
    );
    // Live server added after the dead one is tried first; dead one added
    // last is tried first and skipped.
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.add_server(Some("127.0.0.1"), dead as i64).unwrap();
    // The first task was not dropped: it is submitted again with the new
    // one (newest first) and both are created.
    assert!(!c.task(id).unwrap().is_finished());
    let id2 = c.add_task(bg(), b"f", b"w", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id2, TaskEvent::Created));
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    assert_eq!(c.run(Scope::All), Step::Done);
    assert!(c.enable_exceptions().is_err());
}

#[test]
fn timeout_zero_fails_immediately_and_tasks_stay_pending() {
    let g = Gearmand::start();
    let mut c = client(&g);
    let fg = TaskKind::Submit {
        priority: Priority::Normal,
        background: false,
    };
    let id = c.add_task(fg, b"no_worker", b"w", None).unwrap();
    c.set_timeout(300);
    let start = std::time::Instant::now();
    // Created arrives, then we wait for a worker that never comes.
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    match c.run(Scope::All) {
        Step::Error(e) => assert_eq!(e.code, ReturnCode::Timeout),
        s => panic!("{:?}", s),
    }
    let el = start.elapsed().as_millis();
    // Not before the timeout; the upper bound only catches a wait that
    // ignores it (a shared, loaded machine may add tens of ms).
    assert!((300..1300).contains(&el), "{} ms", el);
    assert!(!c.task(id).unwrap().is_finished());
    c.set_timeout(0);
    let start = std::time::Instant::now();
    assert!(matches!(c.run(Scope::All), Step::Error(e) if e.code == ReturnCode::Timeout));
    assert!(start.elapsed().as_millis() < 50);
}

#[test]
fn no_servers_in_list() {
    let mut c = Client::new();
    let id = c.add_task(bg(), b"f", b"w", None).unwrap();
    assert!(matches!(c.run(Scope::All), Step::Error(e) if e.code == ReturnCode::NoServers));
    // Still pending, and every later run says so (never Done with it dropped).
    assert!(!c.task(id).unwrap().is_finished());
    assert!(matches!(c.run(Scope::All), Step::Error(e) if e.code == ReturnCode::NoServers));
}

#[test]
fn unique_keys_map_to_servers_and_status_follows_the_handle() {
    let g1 = Gearmand::start();
    let g2 = Gearmand::start();
    let mut c = Client::new();
    c.set_timeout(5000);
    c.add_server(Some("127.0.0.1"), g1.port as i64).unwrap();
    c.add_server(Some("127.0.0.1"), g2.port as i64).unwrap();
    let mut on = [0usize; 2];
    for k in 0..16 {
        let u = format!("key-{}", k);
        let id = c
            .add_task(bg(), b"spread", b"w", Some(u.as_bytes()))
            .unwrap();
        assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
        let h = c.task(id).unwrap().handle().to_vec();
        c.remove_task(id);
        // The status query reaches the server that holds the job.
        assert!(c.job_status(&h).unwrap().known);
        // And the unique maps to the same server.
        assert!(c.job_status_by_unique(u.as_bytes()).unwrap().known);
        let counts1 = g1.admin("status");
        on[if counts1.contains("spread") && counts1.contains(&format!("spread\t{}", on[0] + 1)) {
            0
        } else {
            1
        }] += 1;
    }
    assert!(on[0] > 0 && on[1] > 0, "all jobs on one server: {:?}", on);
    // A status task with an impossible handle finishes without a reply.
    let st = c
        .add_task(
            TaskKind::Status {
                handle: vec![b'h'; 64],
            },
            b"",
            b"",
            None,
        )
        .unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(st, TaskEvent::Status));
    assert!(!c.task(st).unwrap().is_known());
}
