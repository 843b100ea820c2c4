//! What a client and a worker share: the server list (newest first, each
//! with its connection and health) and the settings that govern talking to
//! those servers (timeout, non-blocking mode, maximum packet size, connect
//! timeout, TLS).
//!
//! The connect timeout bounds a connect attempt only when another server
//! could take over: a blackholed host (SYNs dropped) then costs at most that
//! long before failover, and afterwards nothing while it is down (see
//! `health.rs`). The last server left to try gets the call's whole timeout,
//! exactly as with one server and as libgearman does.
//!
//! Both roles keep role-specific state per server (the client its reply
//! FIFO and handle routes, the worker its pending registrations and sleep
//! flags); [`Server<X>`] carries that as `X` and dereferences to it, so
//! `server.conn` (shared) and `server.expect` (client only) read the same.
//! The public configuration methods are generated into both `Client` and
//! `Worker` by [`server_list_methods!`], so there is one implementation.

use std::ops::{Deref, DerefMut, Index, IndexMut};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::connection::Connection;
use crate::health::Health;
use crate::poll::Deadline;
use crate::protocol::DEFAULT_MAX_PACKET;
use crate::server::{self, ServerAddr};
use crate::tls::TlsConfig;
use crate::Error;

/// Settings that apply to every server of a client or worker.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// Milliseconds a blocking call may take; -1 = forever.
    pub(crate) timeout: i32,
    /// Return instead of waiting.
    pub(crate) non_blocking: bool,
    /// Largest packet payload accepted from a server.
    pub(crate) max_packet: usize,
    /// Milliseconds a connect may take while another server could be
    /// used instead; -1 = no limit but the call's timeout.
    pub(crate) connect_timeout: i32,
    /// TLS for every connection (`None` = plain TCP).
    pub(crate) tls: Option<Arc<TlsConfig>>,
}

/// Default connect timeout (ms) when failover is possible.
pub const DEFAULT_CONNECT_TIMEOUT: i32 = 1000;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: -1,
            non_blocking: false,
            max_packet: DEFAULT_MAX_PACKET,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            tls: None,
        }
    }
}

/// One server: its address, connection and health, plus the role's own
/// per-server state `X`.
pub(crate) struct Server<X> {
    /// Stable identity (indexes shift when servers are added in front).
    pub(crate) uid: u64,
    pub(crate) addr: ServerAddr,
    pub(crate) conn: Connection,
    pub(crate) health: Health,
    pub(crate) role: X,
}

impl<X> Deref for Server<X> {
    type Target = X;
    fn deref(&self) -> &X {
        &self.role
    }
}

impl<X> DerefMut for Server<X> {
    fn deref_mut(&mut self) -> &mut X {
        &mut self.role
    }
}

/// The servers (newest first) and the settings they are used with.
pub(crate) struct ServerList<X> {
    list: Vec<Server<X>>,
    next_uid: u64,
    settings: Settings,
}

impl<X> Default for ServerList<X> {
    fn default() -> Self {
        ServerList {
            list: Vec::new(),
            next_uid: 1,
            settings: Settings::default(),
        }
    }
}

impl<X: Default> ServerList<X> {
    /// Resolves `host:port` now and puts it at the front (libgearman's
    /// order: the newest server is tried first).
    pub(crate) fn add(&mut self, host: Option<&str>, port: i64) -> Result<(), Error> {
        let addr = server::resolve(host, port)?;
        let uid = self.next_uid;
        self.next_uid += 1;
        let health = Health::shared(&addr.host, addr.port);
        let server = Server {
            uid,
            addr,
            conn: Connection::with_tls(self.settings.max_packet, self.settings.tls.clone()),
            health,
            role: X::default(),
        };
        self.list.insert(0, server);
        Ok(())
    }
}

impl<X> ServerList<X> {
    pub(crate) fn timeout(&self) -> i32 {
        self.settings.timeout
    }

    pub(crate) fn non_blocking(&self) -> bool {
        self.settings.non_blocking
    }

    pub(crate) fn set_timeout(&mut self, ms: i32) {
        self.settings.timeout = ms;
    }

    pub(crate) fn set_non_blocking(&mut self, on: bool) {
        self.settings.non_blocking = on;
    }

    pub(crate) fn connect_timeout(&self) -> i32 {
        self.settings.connect_timeout
    }

    pub(crate) fn set_connect_timeout(&mut self, ms: i32) {
        self.settings.connect_timeout = ms;
    }

    /// When a connect starting now must be given up. With `others` (another
    /// server could take over): after the connect timeout, and before half
    /// of what is left of the call's deadline, so failing over still fits
    /// in the call. Without: the call's deadline.
    pub(crate) fn connect_by(&self, call: Deadline, others: bool) -> Option<Instant> {
        if !others {
            return call.instant();
        }
        let now = Instant::now();
        let cap = u64::try_from(self.settings.connect_timeout)
            .ok()
            .map(|ms| now + Duration::from_millis(ms));
        let half = call
            .instant()
            .map(|end| now + end.saturating_duration_since(now) / 2);
        match (cap, half) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Applies to open connections too.
    pub(crate) fn set_max_packet_size(&mut self, bytes: usize) {
        self.settings.max_packet = bytes;
        for s in self.list.iter_mut() {
            s.conn.set_max_packet(bytes);
        }
    }

    /// TLS for connections opened from now on; the caller closes open ones.
    pub(crate) fn set_tls(&mut self, tls: Option<Arc<TlsConfig>>) {
        for s in self.list.iter_mut() {
            s.conn.set_tls(tls.clone());
        }
        self.settings.tls = tls;
    }

    pub(crate) fn tls_enabled(&self) -> bool {
        self.settings.tls.is_some()
    }

    /// Index of the server with this uid.
    pub(crate) fn position(&self, uid: u64) -> Option<usize> {
        self.list.iter().position(|s| s.uid == uid)
    }
}

impl<X> Deref for ServerList<X> {
    type Target = [Server<X>];
    fn deref(&self) -> &[Server<X>] {
        &self.list
    }
}

impl<X> DerefMut for ServerList<X> {
    fn deref_mut(&mut self) -> &mut [Server<X>] {
        &mut self.list
    }
}

impl<X> Index<usize> for ServerList<X> {
    type Output = Server<X>;
    fn index(&self, i: usize) -> &Server<X> {
        &self.list[i]
    }
}

impl<X> IndexMut<usize> for ServerList<X> {
    fn index_mut(&mut self, i: usize) -> &mut Server<X> {
        &mut self.list[i]
    }
}

/// The configuration API of `Client` and `Worker`, generated once for
/// both from their `servers: ServerList<_>` and `counters: Counters`
/// fields. Each type provides `fn server_added(&mut self)` (called after
/// every added server) and `fn close_for_tls(&mut self)` (drop open
/// connections the way the role does when they break).
macro_rules! server_list_methods {
    () => {
        /// Adds one server (resolved now) at the front of the list.
        /// Nothing is connected here.
        pub fn add_server(&mut self, host: Option<&str>, port: i64) -> Result<(), Error> {
            self.servers.add(host, port)?;
            self.server_added();
            Ok(())
        }

        /// Adds `"h1:p1,h2,…"` (libgearman's parsing); stops at the first
        /// item that fails to resolve (earlier items stay added).
        pub fn add_servers(&mut self, list: Option<&str>) -> Result<(), Error> {
            for (host, port) in $crate::server::parse_list(list) {
                self.add_server(Some(&host), port)?;
            }
            Ok(())
        }

        /// Number of servers added.
        pub fn server_count(&self) -> usize {
            self.servers.len()
        }

        /// The servers, newest first.
        pub fn servers(&self) -> impl Iterator<Item = &$crate::server::ServerAddr> {
            self.servers.iter().map(|s| &s.addr)
        }

        /// Milliseconds each blocking call may take in total; -1 = forever,
        /// 0 = fail as soon as anything would have to wait.
        pub fn set_timeout(&mut self, ms: i32) {
            self.servers.set_timeout(ms);
        }

        /// The timeout in milliseconds.
        pub fn timeout(&self) -> i32 {
            self.servers.timeout()
        }

        /// Non-blocking mode: return instead of waiting.
        pub fn set_non_blocking(&mut self, on: bool) {
            self.servers.set_non_blocking(on);
        }

        /// Whether non-blocking mode is on.
        pub fn non_blocking(&self) -> bool {
            self.servers.non_blocking()
        }

        /// Largest packet payload accepted from a server (default 1 GiB).
        pub fn set_max_packet_size(&mut self, bytes: usize) {
            self.servers.set_max_packet_size(bytes);
        }

        /// Milliseconds a connect may take while another server could be
        /// used instead (default 1000; -1 = only the call's timeout).
        pub fn set_connect_timeout(&mut self, ms: i32) {
            self.servers.set_connect_timeout(ms);
        }

        /// The connect timeout in milliseconds.
        pub fn connect_timeout(&self) -> i32 {
            self.servers.connect_timeout()
        }

        /// Lifetime counters and per-server state (built on demand; counting
        /// itself is a plain add on the paths that already run).
        pub fn stats(&self) -> $crate::stats::Stats {
            self.servers.stats(self.counters)
        }

        /// TLS for every connection (`None` = plain TCP; see
        /// [`crate::tls`]). Open connections are closed first, so that
        /// nothing more goes out with the old setting.
        pub fn set_tls(&mut self, tls: Option<std::sync::Arc<$crate::tls::TlsConfig>>) {
            self.close_for_tls();
            self.servers.set_tls(tls);
        }

        /// Whether connections use TLS.
        pub fn tls_enabled(&self) -> bool {
            self.servers.tls_enabled()
        }
    };
}
pub(crate) use server_list_methods;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Role {
        n: u32,
    }

    #[test]
    fn connect_budget_only_with_failover() {
        let mut l: ServerList<Role> = ServerList::default();
        let never = Deadline::after_ms(-1);
        assert_eq!(l.connect_by(never, false), None);
        let d = l.connect_by(never, true).unwrap() - Instant::now();
        assert!(
            d <= Duration::from_millis(1000) && d > Duration::from_millis(900),
            "{d:?}"
        );
        let call = Deadline::after_ms(600);
        assert_eq!(l.connect_by(call, false), call.instant());
        let d = l.connect_by(call, true).unwrap() - Instant::now();
        assert!(d <= Duration::from_millis(300), "{d:?}");
        l.set_connect_timeout(-1);
        assert_eq!(l.connect_by(never, true), None);
        l.set_connect_timeout(50);
        let d = l.connect_by(Deadline::after_ms(10_000), true).unwrap() - Instant::now();
        assert!(d <= Duration::from_millis(50), "{d:?}");
    }

    #[test]
    fn newest_first_with_stable_uids() {
        let mut l: ServerList<Role> = ServerList::default();
        l.add(Some("127.0.0.1"), 1).unwrap();
        l.add(Some("127.0.0.1"), 2).unwrap();
        assert_eq!(
            l.iter().map(|s| s.addr.port).collect::<Vec<_>>(),
            vec![2, 1]
        );
        assert_eq!(l.position(1), Some(1));
        assert_eq!(l.position(2), Some(0));
        l[0].n += 1; // role state through Deref
        assert_eq!(l[0].role.n, 1);
        l.set_max_packet_size(4096);
        assert!(l.iter().all(|s| s.conn.max_packet() == 4096));
        l.add(Some("127.0.0.1"), 3).unwrap();
        assert_eq!(l[0].conn.max_packet(), 4096);
    }
}
