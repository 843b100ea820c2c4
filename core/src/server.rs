//! Server addresses: libgearman's `addServer` / `addServers` rules.
//!
//! - empty or absent host → `"localhost"`;
//! - the port is cast to 16 bits first (70000 → 4464, -1 → 65535), then 0
//!   means the default 4730;
//! - `addServers("h1:p1,h2")` splits items at `,` and host from port at the
//!   first `:`; the port is parsed with C `atoi`; nothing is trimmed; an
//!   empty item (including after a trailing comma) means localhost:4730;
//! - names are resolved with getaddrinfo(3) when the server is added, and a
//!   failure is `GEARMAN_GETADDRINFO` with `"<host>:<port> getaddrinfo:<text>"`.

use std::ffi::{CStr, CString};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::{Error, ReturnCode};

/// `GEARMAN_DEFAULT_TCP_HOST`
pub const DEFAULT_HOST: &str = "localhost";
/// `GEARMAN_DEFAULT_TCP_PORT`
pub const DEFAULT_PORT: u16 = 4730;

/// A resolved server: what was asked for and the addresses to try, in
/// getaddrinfo order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerAddr {
    /// Host as given (or "localhost").
    pub host: String,
    /// Port after libgearman's normalisation.
    pub port: u16,
    /// Resolved addresses, tried in order when connecting.
    pub addrs: Vec<SocketAddr>,
}

/// Applies libgearman's host and port defaults.
pub fn normalize(host: Option<&str>, port: i64) -> (String, u16) {
    let host = match host {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => DEFAULT_HOST.to_string(),
    };
    let port = match port as u16 {
        0 => DEFAULT_PORT,
        p => p,
    };
    (host, port)
}

/// Normalises and resolves one server now.
pub fn resolve(host: Option<&str>, port: i64) -> Result<ServerAddr, Error> {
    let (host, port) = normalize(host, port);
    let addrs = getaddrinfo(&host, port)?;
    Ok(ServerAddr { host, port, addrs })
}

/// C `atoi`: optional leading whitespace and sign, then digits; anything
/// else ends the number; no digits → 0. Overflow wraps (C leaves it
/// undefined; any value is then cast to 16 bits anyway).
pub fn atoi(s: &str) -> i64 {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        neg = b[i] == b'-';
        i += 1;
    }
    let mut v: i64 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v.wrapping_mul(10).wrapping_add((b[i] - b'0') as i64);
        i += 1;
    }
    if neg {
        -v
    } else {
        v
    }
}

/// Splits an `addServers` list into `(host, port)` items exactly like
/// libgearman's `gearman_parse_servers` (hosts capped at 1024 bytes, ports
/// at 31 characters, input ends at the first NUL as a C string would).
/// `None` yields one item with the defaults.
pub fn parse_list(list: Option<&str>) -> Vec<(String, i64)> {
    let Some(list) = list else {
        return vec![(String::new(), 0)];
    };
    let list = list.split('\0').next().unwrap_or("");
    let mut out = Vec::new();
    for item in list.split(',') {
        let (host, port) = match item.split_once(':') {
            Some((h, p)) => (h, atoi(truncate(p, 31))),
            None => (item, 0),
        };
        out.push((truncate(host, 1024).to_string(), port));
    }
    out
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

fn gai_error(host: &str, port: u16, text: &str) -> Error {
    Error::new(
        ReturnCode::GetAddrInfo,
        "gearman_connection_st::lookup",
        format!("{}:{} getaddrinfo:{}", host, port, text),
    )
}

/// getaddrinfo(3) with libgearman's hints (any family, TCP).
pub fn getaddrinfo(host: &str, port: u16) -> Result<Vec<SocketAddr>, Error> {
    let c_host =
        CString::new(host).map_err(|_| gai_error(host, port, "Name or service not known"))?;
    let c_port = CString::new(port.to_string()).expect("digits have no NUL");
    // SAFETY: zeroed addrinfo is a valid "no hints" value; we set the fields we need.
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = libc::AF_UNSPEC;
    hints.ai_socktype = libc::SOCK_STREAM;
    hints.ai_protocol = libc::IPPROTO_TCP;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    // SAFETY: valid C strings and out-pointer; result freed below.
    let rc = unsafe { libc::getaddrinfo(c_host.as_ptr(), c_port.as_ptr(), &hints, &mut res) };
    if rc != 0 {
        let text = if rc == libc::EAI_SYSTEM {
            std::io::Error::last_os_error().to_string()
        } else {
            // SAFETY: gai_strerror returns a static string.
            unsafe { CStr::from_ptr(libc::gai_strerror(rc)) }
                .to_string_lossy()
                .into_owned()
        };
        return Err(gai_error(host, port, &text));
    }
    let mut addrs = Vec::new();
    let mut cur = res;
    while !cur.is_null() {
        // SAFETY: cur walks the list getaddrinfo returned.
        let ai = unsafe { &*cur };
        if let Some(a) = unsafe { sockaddr_to_std(ai.ai_addr, ai.ai_addrlen) } {
            if !addrs.contains(&a) {
                addrs.push(a);
            }
        }
        cur = ai.ai_next;
    }
    // SAFETY: res came from a successful getaddrinfo.
    unsafe { libc::freeaddrinfo(res) };
    if addrs.is_empty() {
        return Err(gai_error(host, port, "no usable address"));
    }
    Ok(addrs)
}

/// Converts a C socket address to std's type.
///
/// # Safety
/// `sa` must point to `len` readable bytes of a socket address.
pub(crate) unsafe fn sockaddr_to_std(
    sa: *const libc::sockaddr,
    len: libc::socklen_t,
) -> Option<SocketAddr> {
    if sa.is_null() {
        return None;
    }
    match (*sa).sa_family as i32 {
        libc::AF_INET if len as usize >= std::mem::size_of::<libc::sockaddr_in>() => {
            let a = &*(sa as *const libc::sockaddr_in);
            let ip = Ipv4Addr::from(u32::from_be(a.sin_addr.s_addr));
            Some(SocketAddr::V4(SocketAddrV4::new(
                ip,
                u16::from_be(a.sin_port),
            )))
        }
        libc::AF_INET6 if len as usize >= std::mem::size_of::<libc::sockaddr_in6>() => {
            let a = &*(sa as *const libc::sockaddr_in6);
            let ip = Ipv6Addr::from(a.sin6_addr.s6_addr);
            Some(SocketAddr::V6(SocketAddrV6::new(
                ip,
                u16::from_be(a.sin6_port),
                a.sin6_flowinfo,
                a.sin6_scope_id,
            )))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_port_cast() {
        assert_eq!(normalize(None, 0), ("localhost".into(), 4730));
        assert_eq!(normalize(Some(""), 5), ("localhost".into(), 5));
        assert_eq!(normalize(Some("h"), 70000), ("h".into(), 4464));
        assert_eq!(normalize(Some("h"), -1), ("h".into(), 65535));
        assert_eq!(normalize(Some("h"), 65536), ("h".into(), 4730));
        assert_eq!(normalize(Some("h"), 4731), ("h".into(), 4731));
    }

    #[test]
    fn atoi_like_c() {
        assert_eq!(atoi("4730"), 4730);
        assert_eq!(atoi(" 12x"), 12);
        assert_eq!(atoi("abc"), 0);
        assert_eq!(atoi("-1"), -1);
        assert_eq!(atoi("+7"), 7);
        assert_eq!(atoi(""), 0);
    }

    #[test]
    fn list_parsing() {
        assert_eq!(
            parse_list(Some("h1:1,h2,h3:x")),
            vec![("h1".into(), 1), ("h2".into(), 0), ("h3".into(), 0)]
        );
        assert_eq!(parse_list(Some("")), vec![(String::new(), 0)]);
        assert_eq!(parse_list(None), vec![(String::new(), 0)]);
        assert_eq!(
            parse_list(Some("a, b")),
            vec![("a".into(), 0), (" b".into(), 0)]
        );
        assert_eq!(
            parse_list(Some("h:1,")),
            vec![("h".into(), 1), (String::new(), 0)]
        );
        assert_eq!(parse_list(Some("[::1]:4730")), vec![("[".into(), 0)]);
        assert_eq!(parse_list(Some("h:1:2")), vec![("h".into(), 1)]);
        assert_eq!(parse_list(Some("h:12\0,x")), vec![("h".into(), 12)]);
    }

    #[test]
    fn resolution() {
        let s = resolve(Some("127.0.0.1"), 4799).unwrap();
        assert_eq!(s.addrs, vec!["127.0.0.1:4799".parse().unwrap()]);
        let s = resolve(Some("::1"), 4730).unwrap();
        assert!(s.addrs[0].is_ipv6());
        let e = resolve(Some("no.such.host.invalid"), 4799).unwrap_err();
        assert_eq!(e.code, ReturnCode::GetAddrInfo);
        assert!(
            e.message
                .starts_with("no.such.host.invalid:4799 getaddrinfo:"),
            "{}",
            e.message
        );
        let e = resolve(Some(" b"), 0).unwrap_err();
        assert!(
            e.message.starts_with(" b:4730 getaddrinfo:"),
            "{}",
            e.message
        );
    }
}
