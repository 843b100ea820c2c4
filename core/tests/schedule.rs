//! Scheduled jobs (SUBMIT_JOB_EPOCH) against a real gearmand 1.1.x, which
//! never wakes a sleeping worker when such a job comes due: the worker's
//! poll interval is what makes them run on time.

mod common;

use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::Gearmand;
use gearman_core::client::MAX_EPOCH;
use gearman_core::{Client, ReturnCode, Scope, Step, TaskEvent, WorkStep, Worker};

fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn client(port: u16) -> Client {
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(10_000);
    c
}

/// Submits one scheduled job and returns its handle.
fn submit_at(c: &mut Client, function: &str, workload: &str, when: u64) -> Vec<u8> {
    let id = c
        .add_task_at(function.as_bytes(), workload.as_bytes(), None, when)
        .unwrap();
    match c.run(Scope::Only(id)) {
        Step::Event(_, TaskEvent::Created) | Step::Done => {}
        other => panic!("{:?}", other),
    }
    let t = c.task(id).unwrap();
    assert!(t.is_finished());
    assert_eq!(t.return_code(), ReturnCode::Success);
    let h = t.handle().to_vec();
    c.remove_task(id);
    h
}

/// A worker thread that waits (never timing out on its own) and reports
/// each job's workload with the Unix time it got it, `jobs` times.
fn spawn_worker(
    port: u16,
    function: &'static str,
    interval_ms: u32,
    jobs: usize,
) -> mpsc::Receiver<(String, f64)> {
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut w = Worker::new();
        w.add_server(Some("127.0.0.1"), port as i64).unwrap();
        w.register(function.as_bytes(), 0).unwrap();
        w.set_poll_interval(interval_ms);
        w.set_timeout(20_000);
        assert_eq!(w.grab_job(), WorkStep::NoJobs); // registered before anything is submitted
        ready_tx.send(()).unwrap();
        for _ in 0..jobs {
            match w.work() {
                WorkStep::Job(j) => {
                    let at = now();
                    w.send_complete(&j, b"").unwrap();
                    if tx
                        .send((String::from_utf8_lossy(j.workload()).into_owned(), at))
                        .is_err()
                    {
                        return;
                    }
                }
                WorkStep::Timeout => return,
                other => panic!("worker: {:?}", other),
            }
        }
    });
    ready_rx
        .recv_timeout(Duration::from_secs(10))
        .expect("worker registered");
    // Let the worker's GRAB / PRE_SLEEP reach gearmand: it must be asleep.
    std::thread::sleep(Duration::from_millis(200));
    rx
}

#[test]
fn due_job_reaches_a_sleeping_worker_within_the_poll_interval() {
    let g = Gearmand::start();
    let rx = spawn_worker(g.port, "sched_poll", 300, 1);
    let mut c = client(g.port);
    let when = now() as u64 + 2;
    submit_at(&mut c, "sched_poll", "due", when);
    let (w, at) = rx.recv_timeout(Duration::from_secs(10)).expect("job ran");
    assert_eq!(w, "due");
    // gearmand hands it out once time(NULL) >= when; one interval later at
    // the latest, plus a generous margin for a loaded machine.
    assert!(
        at >= when as f64 - 0.05,
        "ran {:.3} s before its time",
        when as f64 - at
    );
    assert!(
        at < when as f64 + 1.0 + 0.3 + 1.5,
        "ran {:.3} s after its time",
        at - when as f64
    );
}

#[test]
fn without_polling_gearmand_1_1_never_wakes_the_worker() {
    // The reason for the poll interval: with it off (libgearman's
    // behaviour) the due job waits in the queue while the worker sleeps.
    let g = Gearmand::start();
    let rx = spawn_worker(g.port, "sched_nopoll", 0, 1);
    let mut c = client(g.port);
    submit_at(&mut c, "sched_nopoll", "stuck", now() as u64 + 1);
    assert!(
        rx.recv_timeout(Duration::from_millis(3500)).is_err(),
        "gearmand woke the worker"
    );
    // Any other job's NOOP wakes it; then it takes the overdue job first.
    let id = c
        .add_task(
            gearman_core::TaskKind::Submit {
                priority: gearman_core::Priority::Normal,
                background: true,
            },
            b"sched_nopoll",
            b"poke",
            None,
        )
        .unwrap();
    while !matches!(
        c.run(Scope::Only(id)),
        Step::Event(_, TaskEvent::Created) | Step::Done
    ) {}
    let (w, _) = rx
        .recv_timeout(Duration::from_secs(10))
        .expect("job ran after the wake-up");
    assert_eq!(w, "stuck");
}

#[test]
fn jobs_run_in_time_order_and_past_times_at_once() {
    let g = Gearmand::start();
    let rx = spawn_worker(g.port, "sched_order", 200, 5);
    let mut c = client(g.port);
    let base = now() as u64;
    // Submitted out of order; gearmand skips jobs that are not due yet.
    submit_at(&mut c, "sched_order", "t+3", base + 3);
    submit_at(&mut c, "sched_order", "t+1", base + 1);
    submit_at(&mut c, "sched_order", "t+2", base + 2);
    let t0 = now();
    submit_at(&mut c, "sched_order", "past", base - 3600);
    submit_at(&mut c, "sched_order", "zero", 0);
    let mut got = Vec::new();
    for _ in 0..5 {
        got.push(rx.recv_timeout(Duration::from_secs(10)).expect("job ran"));
    }
    let order: Vec<&str> = got.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(order, ["past", "zero", "t+1", "t+2", "t+3"]);
    // Past times run right away (woken by the submission's NOOP).
    assert!(
        got[0].1 - t0 < 1.5,
        "past job waited {:.3} s",
        got[0].1 - t0
    );
    for (w, at) in &got[2..] {
        let due = (base + w[2..].parse::<u64>().unwrap()) as f64;
        assert!(
            *at >= due - 0.05 && *at < due + 0.2 + 1.5,
            "{} ran at {:.3} (due {})",
            w,
            at,
            due
        );
    }
}

#[test]
fn absurd_epoch_is_an_invalid_argument() {
    let mut c = Client::new();
    let e = c.add_task_at(b"f", b"w", None, MAX_EPOCH + 1).unwrap_err();
    assert_eq!(
        (e.code, e.message.as_str()),
        (ReturnCode::InvalidArgument, "epoch time out of range")
    );
    assert!(c.add_task_at(b"f", b"w", None, MAX_EPOCH).is_ok());
    // The usual submission checks apply too.
    assert_eq!(
        c.add_task_at(b"", b"w", None, 1).unwrap_err().message,
        "invalid function"
    );
    assert_eq!(
        c.add_task_at(b"f", b"", None, 1).unwrap_err().message,
        "invalid workload"
    );
}

#[test]
fn noop_still_wakes_a_polling_worker_at_once() {
    // A long poll interval must not delay a normal job's wake-up.
    let g = Gearmand::start();
    let rx = spawn_worker(g.port, "sched_noop", 60_000, 1);
    let mut c = client(g.port);
    let t0 = now();
    let kind = gearman_core::TaskKind::Submit {
        priority: gearman_core::Priority::Normal,
        background: true,
    };
    let id = c.add_task(kind, b"sched_noop", b"now", None).unwrap();
    while !matches!(
        c.run(Scope::Only(id)),
        Step::Event(_, TaskEvent::Created) | Step::Done
    ) {}
    let (w, at) = rx.recv_timeout(Duration::from_secs(10)).expect("job ran");
    assert_eq!(w, "now");
    assert!(at - t0 < 2.0, "woken after {:.3} s", at - t0);
}

#[test]
fn non_blocking_wait_returns_at_the_poll_interval() {
    // The canonical non-blocking loop (work → NoJobs → wait → work …) picks
    // a due job up too: wait() ends when the interval passes.
    let g = Gearmand::start();
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    w.register(b"sched_nb", 0).unwrap();
    w.set_non_blocking(true);
    w.set_poll_interval(300);
    w.set_timeout(10_000);
    assert_eq!(w.work(), WorkStep::NoJobs);
    let mut c = client(g.port);
    let when = now() as u64 + 2;
    submit_at(&mut c, "sched_nb", "nb", when);
    let start = now();
    let mut waits = 0;
    let job = loop {
        match w.work() {
            WorkStep::Job(j) => break j,
            WorkStep::NoJobs => {}
            other => panic!("{:?}", other),
        }
        assert_eq!(w.wait().unwrap(), gearman_core::Readiness::Ready);
        waits += 1;
        assert!(now() - start < 10.0, "no job after {} waits", waits);
    };
    let at = now();
    assert_eq!(job.workload(), b"nb");
    assert!(
        at >= when as f64 - 0.05 && at < when as f64 + 0.3 + 1.5,
        "ran {:.3} s from its time",
        at - when as f64
    );
    // Woken by the submission's NOOP once, then by the interval: a few
    // waits, not a spin.
    assert!((2..=20).contains(&waits), "{} waits", waits);
    w.send_complete(&job, b"").unwrap();
}
