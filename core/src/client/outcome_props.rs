//! Property: every added task reaches exactly one outcome, whatever a
//! (scripted, fake) server does to its submissions — replies, work
//! failures, ERROR packets, connections dropped before or after
//! JOB_CREATED — and whatever the caller answers to AttemptFailed (retry
//! now, retry after a delay, give up), with or without
//! `report_end_only` (then no other event is reported). Checks after every step that the
//! count of tasks awaiting submission matches the tasks (see
//! `Task::set_state`): a task it forgot would never be submitted and the
//! run would not end.

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use proptest::prelude::*;

use super::{Client, Priority, Scope, Step, TaskEvent, TaskId, TaskKind};
use crate::ReturnCode;

/// What the fake server does with one submission.
#[derive(Clone, Copy, Debug)]
enum Act {
    /// JOB_CREATED, then WORK_COMPLETE for a foreground job.
    Ok,
    /// JOB_CREATED, then WORK_FAIL for a foreground job.
    Fail,
    /// An ERROR reply.
    Error,
    /// Closes the connection without a reply.
    Drop,
    /// JOB_CREATED, then closes the connection.
    CreatedThenDrop,
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![
        3 => Just(Act::Ok),
        1 => Just(Act::Fail),
        1 => Just(Act::Error),
        1 => Just(Act::Drop),
        1 => Just(Act::CreatedThenDrop),
    ]
}

/// The caller's answer to an AttemptFailed: `Some(delay)` retries.
fn decision() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![Just(None), Just(Some(0)), (1u64..4).prop_map(Some)]
}

fn res(kind: u32, payload: &[u8]) -> Vec<u8> {
    let mut v = b"\0RES".to_vec();
    v.extend_from_slice(&kind.to_be_bytes());
    v.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// Reads one request; `None` at EOF.
fn request(s: &mut TcpStream) -> Option<u32> {
    let mut h = [0u8; 12];
    s.read_exact(&mut h).ok()?;
    let kind = u32::from_be_bytes(h[4..8].try_into().unwrap());
    let len = u32::from_be_bytes(h[8..12].try_into().unwrap());
    let mut body = vec![0u8; len as usize];
    s.read_exact(&mut body).ok()?;
    Some(kind)
}

/// A server following `script` (then answering Ok), until `stop`.
fn fake(script: Vec<Act>, stop: Arc<AtomicBool>) -> (u16, JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let h = std::thread::spawn(move || {
        let mut job = 0u32;
        while let Ok((mut s, _)) = l.accept() {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            while let Some(kind) = request(&mut s) {
                const SUBMIT_JOB: u32 = 7;
                const SUBMIT_JOB_BG: u32 = 18;
                assert!(kind == SUBMIT_JOB || kind == SUBMIT_JOB_BG, "{kind}");
                let a = script.lock().unwrap().pop_front().unwrap_or(Act::Ok);
                job += 1;
                let handle = format!("H:fake:{job}");
                let created = res(8, handle.as_bytes());
                let mut out = Vec::new();
                match a {
                    Act::Drop => break,
                    Act::Error => out.extend(res(19, b"ERR\0refused")),
                    Act::CreatedThenDrop => {
                        let _ = s.write_all(&created);
                        break;
                    }
                    Act::Ok | Act::Fail => {
                        out.extend(created);
                        if kind == SUBMIT_JOB && matches!(a, Act::Ok) {
                            out.extend(res(13, format!("{handle}\0done").as_bytes()));
                        } else if kind == SUBMIT_JOB {
                            out.extend(res(14, handle.as_bytes()));
                        }
                    }
                }
                if s.write_all(&out).is_err() {
                    break;
                }
            }
        }
    });
    (port, h)
}

fn run_case(
    background: Vec<bool>,
    end_only: Vec<bool>,
    hook: bool,
    script: Vec<Act>,
    decisions: Vec<Option<u64>>,
) {
    let stop = Arc::new(AtomicBool::new(false));
    let (port, server) = fake(script, stop.clone());
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(5000);
    c.set_retry_hook(hook);
    let mut bg: HashMap<TaskId, bool> = HashMap::new();
    let mut quiet: HashMap<TaskId, bool> = HashMap::new();
    for (k, &b) in background.iter().enumerate() {
        let kind = TaskKind::Submit {
            priority: Priority::Normal,
            background: b,
        };
        let id = c
            .add_task(kind, b"f", format!("w{k}").as_bytes(), None)
            .unwrap();
        bg.insert(id, b);
        let q = end_only.get(k).copied().unwrap_or(false);
        if q {
            c.report_end_only(id);
        }
        quiet.insert(id, q);
        c.assert_unsubmitted_count();
    }
    let mut outcomes: HashMap<TaskId, u32> = HashMap::new();
    let mut decisions = decisions.into_iter();
    let mut steps = 0;
    loop {
        steps += 1;
        assert!(steps < 2000, "run does not end");
        let step = c.run(Scope::All);
        c.assert_unsubmitted_count();
        match step {
            Step::Event(id, event) => {
                let terminal = match event {
                    TaskEvent::Created => bg[&id],
                    TaskEvent::Complete | TaskEvent::Fail | TaskEvent::Exception => true,
                    TaskEvent::AttemptFailed(_) => {
                        assert!(hook);
                        match decisions.next().flatten() {
                            Some(ms) if c.retry_task(id, ms) => {}
                            _ => c.give_up(id),
                        }
                        c.assert_unsubmitted_count();
                        false
                    }
                    _ => false,
                };
                if quiet[&id] {
                    assert!(
                        terminal || matches!(event, TaskEvent::AttemptFailed(_)),
                        "{id:?}: {event:?} reported although only the end was asked for"
                    );
                }
                if terminal {
                    let n = outcomes.entry(id).or_default();
                    *n += 1;
                    assert_eq!(*n, 1, "{id:?} ended twice");
                }
            }
            Step::Error(e) => assert_ne!(e.code, ReturnCode::Timeout, "{e:?}"),
            Step::Done => break,
            s => panic!("{s:?}"),
        }
    }
    for (&id, _) in bg.iter() {
        let t = c.task(id).unwrap();
        assert!(t.is_finished(), "{id:?} not finished at Done");
        match outcomes.get(&id) {
            Some(1) => {}
            // Ended by a run error the caller gave up on (hook only).
            None if hook => assert_ne!(t.return_code(), ReturnCode::Success),
            other => panic!("{id:?}: {other:?} outcomes"),
        }
    }
    assert!(!c.has_pending_tasks());
    for id in bg.keys() {
        c.remove_task(*id);
    }
    c.assert_unsubmitted_count();
    drop(c);
    stop.store(true, Ordering::SeqCst);
    let _ = TcpStream::connect(("127.0.0.1", port));
    server.join().unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_task_ends_exactly_once(
        background in proptest::collection::vec(any::<bool>(), 1..6),
        end_only in proptest::collection::vec(any::<bool>(), 6),
        hook in any::<bool>(),
        script in proptest::collection::vec(act(), 0..10),
        decisions in proptest::collection::vec(decision(), 0..10),
    ) {
        run_case(background, end_only, hook, script, decisions);
    }
}

#[test]
fn lost_then_delayed_retry_then_success() {
    // Hook off: dropped twice (tasks Lost, resubmitted by the next run).
    run_case(
        vec![false, true, false],
        vec![false, false, true],
        false,
        vec![Act::Drop, Act::CreatedThenDrop, Act::Error, Act::Fail],
        vec![],
    );
    // Hook on: retried after a delay, retried at once, then given up.
    run_case(
        vec![false, true],
        vec![true],
        true,
        vec![Act::Drop, Act::Error, Act::Fail, Act::Drop],
        vec![Some(2), Some(0), None],
    );
}
