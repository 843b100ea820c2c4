//! Which server created each recently created job handle, so that
//! `job_status` asks that server.

use crate::protocol::MAX_HANDLE_LEN;

/// How many recently created handles remember their server.
pub(crate) const RECENT_HANDLES: usize = 1024;

/// Bytes of a record before its handle: the handle's length and the
/// server's uid.
const RECORD_HEAD: usize = 1 + 8;

/// The last [`RECENT_HANDLES`] handles with their server's uid, oldest
/// first, as records `[len: u8][uid: u64 LE][handle]` back to back in one
/// buffer. A record takes its handle's length, not the longest a handle may
/// be: gearmand's handles (`H:host:number`) are some 10–40 bytes, so 1,024
/// of them take 20–50 KB where fixed 72-byte slots took 72 KB (a client with
/// one server, where every record names it, still keeps them: a server
/// added later goes in front). The oldest records are dropped by moving
/// `start`; the live ones move to the front when the buffer is full, which
/// copies each byte about twice over its life. Once the buffer has its size,
/// recording allocates nothing (a `Vec` per handle was a malloc and a free
/// per submitted job).
#[derive(Default)]
pub(crate) struct RecentHandles {
    buf: Vec<u8>,
    /// Where the oldest live record starts.
    start: usize,
    /// Live records.
    count: usize,
}

impl RecentHandles {
    /// Remembers that server `uid` created `handle`. Longer handles than
    /// [`MAX_HANDLE_LEN`] are not kept: `job_status` answers those locally
    /// and never looks them up.
    pub(crate) fn record(&mut self, handle: &[u8], uid: u64) {
        if handle.len() > MAX_HANDLE_LEN {
            return;
        }
        if self.count == RECENT_HANDLES {
            self.start += RECORD_HEAD + self.buf[self.start] as usize;
            self.count -= 1;
        }
        let need = RECORD_HEAD + handle.len();
        if self.buf.capacity() - self.buf.len() < need {
            self.buf.drain(..self.start);
            self.start = 0;
            if self.buf.capacity() - self.buf.len() < need {
                // By half, not doubling: the buffer stops growing near the
                // size of its 1,024 records, which doubling would overshoot.
                self.buf.reserve_exact(need.max(self.buf.len() / 2));
            }
        }
        let mut head = [0u8; RECORD_HEAD];
        head[0] = handle.len() as u8;
        head[1..].copy_from_slice(&uid.to_le_bytes());
        self.buf.extend_from_slice(&head);
        self.buf.extend_from_slice(handle);
        self.count += 1;
    }

    /// The uid of the server that created `handle` most recently.
    pub(crate) fn server_uid(&self, handle: &[u8]) -> Option<u64> {
        let mut found = None;
        let mut rest = &self.buf[self.start..];
        while let Some((&len, tail)) = rest.split_first() {
            let (uid, tail) = tail.split_at(RECORD_HEAD - 1);
            let (h, tail) = tail.split_at(len as usize);
            if h == handle {
                // Oldest first: a later record of the same handle wins.
                found = Some(u64::from_le_bytes(uid.try_into().expect("8 bytes")));
            }
            rest = tail;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_wins_and_oldest_goes() {
        let mut r = RecentHandles::default();
        r.record(b"H:a:1", 1);
        r.record(b"H:a:1", 2);
        assert_eq!(r.server_uid(b"H:a:1"), Some(2));
        assert_eq!(r.server_uid(b"H:a:2"), None);
        r.record(&[b'x'; MAX_HANDLE_LEN + 1], 3);
        assert_eq!(r.server_uid(&[b'x'; MAX_HANDLE_LEN + 1]), None);
        r.record(&[b'y'; MAX_HANDLE_LEN], 4);
        assert_eq!(r.server_uid(&[b'y'; MAX_HANDLE_LEN]), Some(4));
        // Three kept so far: fill the ring exactly.
        for k in 0..RECENT_HANDLES - 3 {
            r.record(format!("H:b:{k}").as_bytes(), 5);
        }
        assert_eq!(r.server_uid(b"H:a:1"), Some(2));
        // Full: each new handle replaces the oldest.
        r.record(b"H:c:1", 6);
        assert_eq!(r.server_uid(b"H:a:1"), Some(2), "uid 1's entry went first");
        r.record(b"H:c:2", 6);
        assert_eq!(r.server_uid(b"H:a:1"), None);
        assert_eq!(r.server_uid(b"H:c:1"), Some(6));
        assert_eq!(r.server_uid(b"H:b:0"), Some(5));
        r.record(b"H:b:0", 7);
        assert_eq!(r.server_uid(b"H:b:0"), Some(7));
        assert_eq!(r.count, RECENT_HANDLES);
    }

    #[test]
    fn records_take_their_handles_length() {
        let mut r = RecentHandles::default();
        for k in 0..3 * RECENT_HANDLES {
            r.record(format!("H:vm:{:05}", k).as_bytes(), 1 + k as u64 % 3);
        }
        let first_kept = 2 * RECENT_HANDLES;
        assert_eq!(
            r.server_uid(format!("H:vm:{:05}", first_kept - 1).as_bytes()),
            None
        );
        for k in [first_kept, first_kept + 1, 3 * RECENT_HANDLES - 1] {
            let h = format!("H:vm:{:05}", k);
            assert_eq!(r.server_uid(h.as_bytes()), Some(1 + k as u64 % 3), "{h}");
        }
        // 1,024 live records of 9 + 10 bytes; growth by half stays near that.
        assert_eq!(r.buf.len() - r.start, RECENT_HANDLES * (RECORD_HEAD + 10));
        assert!(r.buf.capacity() <= RECENT_HANDLES * (RECORD_HEAD + 10) * 3 / 2);
    }
}
