//! Thin, safe wrappers over the few socket syscalls the driver needs.
//!
//! std's `TcpStream` cannot connect without blocking, cannot send without
//! raising SIGPIPE (which would kill the PHP process), and cannot read into
//! uninitialised capacity; these helpers do exactly that and nothing more.

use std::io;
use std::io::IoSlice;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Once;

/// Forks seen by this process image (see [`fork_generation`]).
static FORKS: AtomicU64 = AtomicU64::new(0);

extern "C" fn forked_child() {
    FORKS.fetch_add(1, Ordering::Relaxed);
}

/// A number that changes in a forked child: fork detection without a
/// getpid(2) per call. A `pthread_atfork` child handler bumps it; the
/// handler is installed on the first call, before anything that needs
/// detecting (a connection, a UUID stream) exists. glibc removes the
/// handler when the extension is unloaded (it is registered with our DSO
/// handle), so a later fork never jumps into unmapped code.
pub fn fork_generation() -> u64 {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // SAFETY: registers a plain function that only touches an atomic
        // (async-signal-safe, as a child handler must be).
        unsafe { libc::pthread_atfork(None, None, Some(forked_child)) };
    });
    FORKS.load(Ordering::Relaxed)
}

/// Hands the allocator's free heap pages back to the kernel. Freed memory
/// of a large batch (thousands of small task buffers) is otherwise kept by
/// glibc's malloc, which only trims the top of the heap, so a process's RSS
/// stays at its peak. Costs a walk over the heap: call it after releasing a
/// lot, not per operation.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only touches the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn cvt(r: libc::c_int) -> io::Result<libc::c_int> {
    if r < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(r)
    }
}

fn to_sockaddr(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: all-zero is a valid sockaddr_storage.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(a) => {
            // SAFETY: sockaddr_storage is large and aligned enough for sockaddr_in.
            let sin = unsafe { &mut *(&mut storage as *mut _ as *mut libc::sockaddr_in) };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = a.port().to_be();
            sin.sin_addr.s_addr = u32::from(*a.ip()).to_be();
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(a) => {
            // SAFETY: as above for sockaddr_in6.
            let sin6 = unsafe { &mut *(&mut storage as *mut _ as *mut libc::sockaddr_in6) };
            sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            sin6.sin6_port = a.port().to_be();
            sin6.sin6_addr.s6_addr = a.ip().octets();
            sin6.sin6_flowinfo = a.flowinfo();
            sin6.sin6_scope_id = a.scope_id();
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (storage, len as libc::socklen_t)
}

/// Outcome of starting a non-blocking connect.
pub enum ConnectStart {
    /// Connected at once (typical for loopback).
    Done(OwnedFd),
    /// In progress: poll for POLLOUT, then [`finish_connect`].
    Pending(OwnedFd),
}

/// Creates a non-blocking, close-on-exec TCP socket with TCP_NODELAY and
/// starts connecting it.
pub fn start_connect(addr: &SocketAddr) -> io::Result<ConnectStart> {
    let family = if addr.is_ipv4() {
        libc::AF_INET
    } else {
        libc::AF_INET6
    };
    // SAFETY: plain socket(2) call.
    let fd = cvt(unsafe {
        libc::socket(
            family,
            libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            0,
        )
    })?;
    // SAFETY: fd is a fresh descriptor we own.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let one: libc::c_int = 1;
    // SAFETY: valid fd and option buffer. Failure to set NODELAY is not fatal.
    unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_NODELAY,
            &one as *const _ as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        );
    }
    let (sa, len) = to_sockaddr(addr);
    // SAFETY: sa/len describe a valid socket address.
    let r = unsafe {
        libc::connect(
            fd.as_raw_fd(),
            &sa as *const _ as *const libc::sockaddr,
            len,
        )
    };
    if r == 0 {
        return Ok(ConnectStart::Done(fd));
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EINPROGRESS) | Some(libc::EINTR) | Some(libc::EAGAIN) => {
            Ok(ConnectStart::Pending(fd))
        }
        _ => Err(err),
    }
}

/// After POLLOUT on a pending connect: `Ok` if connected, else the error.
pub fn finish_connect(fd: RawFd) -> io::Result<()> {
    let mut err: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: valid out-buffers for SO_ERROR.
    cvt(unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            &mut err as *mut _ as *mut libc::c_void,
            &mut len,
        )
    })?;
    if err != 0 {
        return Err(io::Error::from_raw_os_error(err));
    }
    Ok(())
}

/// Reads once into `buf`'s spare capacity (up to `max` bytes) without
/// initialising it first. `Ok(0)` means EOF.
pub fn recv_into(fd: RawFd, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
    let spare = buf.capacity() - buf.len();
    let want = spare.min(max);
    if want == 0 {
        return Err(io::Error::other("no buffer space"));
    }
    // SAFETY: we write at most `want` bytes into the reserved, unused tail
    // of the allocation and only then extend the length by what was written.
    let n = unsafe { recv_raw(fd, buf.as_mut_ptr().add(buf.len()), want)? };
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

/// One recv(2) of at most `room` bytes into memory at `at`.
///
/// # Safety
/// `room` bytes at `at` must be writable.
#[inline]
pub unsafe fn recv_raw(fd: RawFd, at: *mut u8, room: usize) -> io::Result<usize> {
    let n = unsafe { libc::recv(fd, at.cast(), room, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(n as usize)
}

/// One send(2) of `buf` with MSG_NOSIGNAL (no SIGPIPE): a single slice
/// needs no msghdr.
#[inline]
pub fn send(fd: RawFd, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for reads of its length.
    let n = unsafe { libc::send(fd, buf.as_ptr().cast(), buf.len(), libc::MSG_NOSIGNAL) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Gathers `bufs` into one sendmsg(2) with MSG_NOSIGNAL (no SIGPIPE).
pub fn send_vectored(fd: RawFd, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    // SAFETY: zeroed msghdr is valid; iov points at IoSlices which are
    // ABI-compatible with iovec on Unix.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = bufs.as_ptr() as *mut libc::iovec;
    msg.msg_iovlen = bufs.len().min(1024) as _;
    let n = unsafe { libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Whether an idle socket has already been closed by the peer (EOF or
/// error pending). Used before reusing a connection that has been quiet so
/// that a restarted gearmand is noticed before a request is lost on it.
/// Unread data counts as alive.
pub fn peer_closed(fd: RawFd) -> bool {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout.
    let r = unsafe { libc::poll(&mut pfd, 1, 0) };
    if r <= 0 {
        return false;
    }
    if pfd.revents & (libc::POLLERR | libc::POLLNVAL) != 0 {
        return true;
    }
    let mut b = [0u8; 1];
    // SAFETY: 1-byte buffer, non-blocking peek.
    let n = unsafe {
        libc::recv(
            fd,
            b.as_mut_ptr().cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    if n == 0 {
        return true;
    }
    if n < 0 {
        let e = io::Error::last_os_error();
        return !matches!(e.raw_os_error(), Some(libc::EAGAIN) | Some(libc::EINTR));
    }
    false
}

/// Whether `fd` has input (or EOF/error) pending, without waiting.
pub fn readable(fd: RawFd) -> bool {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd, zero timeout.
    unsafe { libc::poll(&mut pfd, 1, 0) > 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fork_generation_changes_only_in_the_child() {
        let before = fork_generation();
        // SAFETY: the child only reads an atomic and calls _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0);
        if pid == 0 {
            let code = if fork_generation() != before { 0 } else { 1 };
            unsafe { libc::_exit(code) };
        }
        let mut status = 0;
        // SAFETY: waiting for our own child.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        assert!(libc::WIFEXITED(status), "child status {status}");
        assert_eq!(
            libc::WEXITSTATUS(status),
            0,
            "the child saw the same fork generation"
        );
        assert_eq!(fork_generation(), before);
    }
}
