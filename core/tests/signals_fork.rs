//! EINTR and fork behaviour. Kept in one test binary (run serially) since
//! both involve process-wide state.

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::Gearmand;
use gearman_core::{
    Client, Priority, ReturnCode, Scope, Step, TaskEvent, TaskKind, WorkStep, Worker,
};

static SERIAL: Mutex<()> = Mutex::new(());

extern "C" fn on_sigusr1(_: libc::c_int) {}

/// Installs a SIGUSR1 handler without SA_RESTART (as PHP's pcntl does).
fn install_handler() {
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigusr1 as *const () as usize;
        sa.sa_flags = 0;
        libc::sigemptyset(&mut sa.sa_mask);
        assert_eq!(libc::sigaction(libc::SIGUSR1, &sa, std::ptr::null_mut()), 0);
    }
}

/// Sends SIGUSR1 to `thread` after `ms`.
fn signal_later(thread: libc::pthread_t, ms: u64) -> std::thread::JoinHandle<()> {
    let t = thread as usize;
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(ms));
        unsafe { libc::pthread_kill(t as libc::pthread_t, libc::SIGUSR1) };
    })
}

fn fg() -> TaskKind {
    TaskKind::Submit {
        priority: Priority::Normal,
        background: false,
    }
}

#[test]
fn signal_interrupts_worker_sleep_and_client_wait_without_losing_state() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    install_handler();
    let g = Gearmand::start();
    let me = unsafe { libc::pthread_self() };

    // Worker idle-sleeping: Interrupted, promptly.
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    w.register(b"sig", 0).unwrap();
    w.set_timeout(5000);
    let k = signal_later(me, 150);
    let start = Instant::now();
    assert_eq!(w.work(), WorkStep::Interrupted);
    // Well before the 5 s timeout (a loaded 2-core machine has been seen
    // to take more than 1 s here).
    assert!(start.elapsed() < Duration::from_millis(3000));
    k.join().unwrap();

    // Client waiting for a result: Interrupted, then resumes.
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.set_timeout(5000);
    let id = c.add_task(fg(), b"sig", b"payload", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    let k = signal_later(me, 150);
    assert_eq!(c.run(Scope::All), Step::Interrupted);
    k.join().unwrap();
    // The worker (same thread, after its interruption) now takes the job.
    match w.work() {
        WorkStep::Job(j) => w.send_complete(&j, b"after signal").unwrap(),
        s => panic!("{:?}", s),
    }
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Complete));
    assert_eq!(c.task(id).unwrap().result(), b"after signal");
    assert_eq!(c.run(Scope::All), Step::Done);
}

#[test]
fn forked_child_does_not_share_connections() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let g = Gearmand::start();
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    c.set_timeout(5000);
    let pending = c.add_task(fg(), b"nobody", b"x", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(pending, TaskEvent::Created));
    let handle = c.task(pending).unwrap().handle().to_vec();

    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    if pid == 0 {
        // Child: the inherited task is lost, new work uses a new connection.
        let code = (|| {
            match c.run(Scope::All) {
                Step::Error(e) if e.code == ReturnCode::LostConnection => {}
                _ => return 1,
            }
            if c.task(pending).map(|t| t.return_code()) != Some(ReturnCode::LostConnection) {
                return 2;
            }
            let bg = TaskKind::Submit {
                priority: Priority::Normal,
                background: true,
            };
            let id = match c.add_task(bg, b"child", b"y", None) {
                Ok(id) => id,
                Err(_) => return 3,
            };
            if c.run(Scope::All) != Step::Event(id, TaskEvent::Created) {
                return 4;
            }
            if c.job_status(&handle).map(|s| s.known) != Ok(true) {
                return 5;
            }
            0
        })();
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status));
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "child failed step {}",
        libc::WEXITSTATUS(status)
    );
    // The parent's connection survived the child's close: still attached.
    assert!(!c.task(pending).unwrap().is_finished());
    let s = c.job_status(&handle).unwrap();
    assert!(s.known);
    // A worker completing the job is still seen by the parent.
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), g.port as i64).unwrap();
    w.register(b"nobody", 0).unwrap();
    w.set_timeout(2000);
    match w.work() {
        WorkStep::Job(j) => w.send_complete(&j, b"parent").unwrap(),
        s => panic!("{:?}", s),
    }
    assert_eq!(c.run(Scope::All), Step::Event(pending, TaskEvent::Complete));
}

#[test]
fn worker_survives_restart_while_sleeping() {
    let _g = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut g = Gearmand::start();
    let port = g.port;
    let mut w = Worker::new();
    w.add_server(Some("127.0.0.1"), port as i64).unwrap();
    w.register(b"again", 0).unwrap();
    w.set_timeout(300);
    assert_eq!(w.work(), WorkStep::Timeout);
    g.restart();
    // Submit on the new server; the sleeping worker notices the dead
    // connection, backs off briefly, reconnects, re-registers, grabs.
    let mut c = Client::new();
    c.add_server(Some("127.0.0.1"), port as i64).unwrap();
    c.set_timeout(5000);
    let bg = TaskKind::Submit {
        priority: Priority::Normal,
        background: true,
    };
    let id = c.add_task(bg, b"again", b"z", None).unwrap();
    assert_eq!(c.run(Scope::All), Step::Event(id, TaskEvent::Created));
    w.set_timeout(3000);
    match w.work() {
        WorkStep::Job(j) => {
            assert_eq!(j.workload(), b"z");
            w.send_complete(&j, b"").unwrap();
        }
        s => panic!("{:?}", s),
    }
}
