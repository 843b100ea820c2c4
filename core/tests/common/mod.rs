//! Test support: a real gearmand on a free loopback port, killed by pid on
//! drop, and small helpers.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Gearmand {
    pub port: u16,
    child: Option<Child>,
    extra: Vec<String>,
}

/// A loopback port that refuses connections for as long as this value lives.
///
/// The socket is bound but never listens: a connect to it gets ECONNREFUSED,
/// no other test (or gearmand) can bind the port meanwhile, and the kernel
/// never hands it out as an ephemeral source port, which rules out a TCP
/// self-connect. A port from `free_port()` has neither guarantee once its
/// listener is closed, which made "server down" tests flaky under load.
pub struct DeadPort {
    _fd: std::os::fd::OwnedFd,
    pub port: u16,
}

impl DeadPort {
    pub fn new() -> DeadPort {
        use std::os::fd::FromRawFd;
        // SAFETY: plain socket calls on a descriptor we own; the sockaddr
        // structures are fully initialised and their lengths passed.
        unsafe {
            let raw = libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0);
            assert!(raw >= 0, "socket: {}", std::io::Error::last_os_error());
            let fd = std::os::fd::OwnedFd::from_raw_fd(raw);
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            addr.sin_family = libc::AF_INET as libc::sa_family_t;
            addr.sin_addr.s_addr = u32::from(std::net::Ipv4Addr::LOCALHOST).to_be();
            let len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            let rc = libc::bind(raw, &addr as *const _ as *const libc::sockaddr, len);
            assert_eq!(rc, 0, "bind: {}", std::io::Error::last_os_error());
            let mut got_len = len;
            let rc = libc::getsockname(
                raw,
                &mut addr as *mut _ as *mut libc::sockaddr,
                &mut got_len,
            );
            assert_eq!(rc, 0, "getsockname: {}", std::io::Error::last_os_error());
            DeadPort {
                _fd: fd,
                port: u16::from_be(addr.sin_port),
            }
        }
    }
}

/// A port nobody listens on right now (for a server the test starts there),
/// below the kernel's ephemeral range where there is room (as the phpt
/// harness's `gt_free_port()`): other processes' `bind(0)` and outgoing
/// connections, the usual takers of a port between this check and gearmand's
/// `bind()`, never use those, and a client reconnecting to a stopped server
/// there cannot connect to itself. `Gearmand` still moves to another port
/// when it loses the race.
pub fn free_port() -> u16 {
    use std::hash::{BuildHasher, RandomState};
    let range =
        std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range").unwrap_or_default();
    let lo: u64 = range
        .split_whitespace()
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if lo > 12000 {
        let random = RandomState::new();
        for i in 0..200u64 {
            let port = (10000 + random.hash_one(i) % (lo - 10000)) as u16;
            if TcpListener::bind(("127.0.0.1", port)).is_ok() {
                return port;
            }
        }
    }
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Whether process `pid` listens on 127.0.0.1:`port`: `Some(true)`,
/// `Some(false)` (nobody does yet) or `None` (another process does). Read
/// from /proc/net/tcp and /proc/PID/fd (like the phpt harness's
/// `gt_pid_listens()`): a test connect cannot tell gearmand's socket from
/// another process's, and gearmand keeps retrying a port in use.
fn pid_listens(pid: u32, port: u16) -> Option<bool> {
    let local = format!("{:08X}:{:04X}", u32::from_ne_bytes([127, 0, 0, 1]), port);
    let sockets: Vec<String> = std::fs::read_to_string("/proc/net/tcp")
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // Field 3 is the state (0A: LISTEN), field 9 the socket's inode.
            (f.len() > 9 && f[1] == local && f[3] == "0A").then(|| format!("socket:[{}]", f[9]))
        })
        .collect();
    if sockets.is_empty() {
        return Some(false);
    }
    let ours = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .any(|l| sockets.iter().any(|s| l.as_os_str() == s.as_str()));
    ours.then_some(true)
}

impl Gearmand {
    pub fn start() -> Gearmand {
        Gearmand::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Gearmand {
        let mut g = Gearmand {
            port: free_port(),
            child: None,
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        g.spawn(false);
        g
    }

    /// Starts gearmand on `self.port` and waits until its own socket listens.
    /// When another process took the port first, starts again on a fresh one,
    /// unless the port is `fixed` (a restart): then waits for it to be let go.
    fn spawn(&mut self, fixed: bool) {
        for attempt in 1.. {
            let pidfile = format!("/tmp/gearmand-core-test-{}.pid", self.port);
            let child = Command::new("gearmand")
                .arg(format!("--port={}", self.port))
                .arg("--listen=127.0.0.1")
                .arg("--log-file=none")
                .arg("--threads=1")
                .arg(format!("--pid-file={}", pidfile))
                .args(&self.extra)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("gearmand must be installed (/usr/sbin/gearmand)");
            let pid = child.id();
            self.child = Some(child);
            let start = Instant::now();
            loop {
                match pid_listens(pid, self.port) {
                    Some(true) => return,
                    None if !fixed => break,
                    _ => {}
                }
                assert!(
                    start.elapsed() < Duration::from_secs(20),
                    "gearmand did not come up on port {}",
                    self.port
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            self.kill();
            let _ = std::fs::remove_file(pidfile);
            assert!(attempt < 10, "gearmand lost its port {attempt} times");
            self.port = free_port();
        }
    }

    /// Kills gearmand (SIGKILL) and waits for it.
    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Starts gearmand again on the same port.
    pub fn restart(&mut self) {
        self.kill();
        let start = Instant::now();
        loop {
            if TcpListener::bind(("127.0.0.1", self.port)).is_ok() {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "port stayed busy"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        self.spawn(true);
    }

    /// Sends one admin text command and returns the reply up to ".\n" or
    /// the first line.
    pub fn admin(&self, cmd: &str) -> String {
        use std::io::{BufRead, BufReader, Write};
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        s.write_all(format!("{}\n", cmd).as_bytes()).unwrap();
        let mut r = BufReader::new(s);
        let mut out = String::new();
        loop {
            let mut line = String::new();
            if r.read_line(&mut line).unwrap() == 0 {
                break;
            }
            let done =
                line == ".\n" || !(cmd == "status" || cmd == "workers" || cmd.starts_with("show"));
            out.push_str(&line);
            if done {
                break;
            }
        }
        out
    }
}

impl Drop for Gearmand {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_file(format!("/tmp/gearmand-core-test-{}.pid", self.port));
    }
}
