//! Which server created each recently created job handle, so that
//! `job_status` asks that server.

use crate::protocol::MAX_HANDLE_LEN;

/// How many recently created handles remember their server.
pub(crate) const RECENT_HANDLES: usize = 1024;

/// A ring of the last [`RECENT_HANDLES`] handles with their server's uid.
/// Handles are stored inline: recording one allocates nothing (a `Vec` per
/// handle was a malloc and a free per submitted job).
#[derive(Default)]
pub(crate) struct RecentHandles {
    ring: Vec<Entry>,
    /// The slot the next handle goes to once the ring is full (the oldest).
    next: usize,
}

#[derive(Clone, Copy)]
struct Entry {
    uid: u64,
    len: u8,
    bytes: [u8; MAX_HANDLE_LEN],
}

impl Entry {
    fn handle(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }
}

impl RecentHandles {
    /// Remembers that server `uid` created `handle`. Longer handles than
    /// [`MAX_HANDLE_LEN`] are not kept: `job_status` answers those locally
    /// and never looks them up.
    pub(crate) fn record(&mut self, handle: &[u8], uid: u64) {
        if handle.len() > MAX_HANDLE_LEN {
            return;
        }
        let e = if self.ring.len() < RECENT_HANDLES {
            self.ring.push(Entry {
                uid,
                len: 0,
                bytes: [0; MAX_HANDLE_LEN],
            });
            self.ring.last_mut().expect("pushed")
        } else {
            let e = &mut self.ring[self.next];
            self.next = (self.next + 1) % RECENT_HANDLES;
            e
        };
        e.uid = uid;
        e.len = handle.len() as u8;
        e.bytes[..handle.len()].copy_from_slice(handle);
    }

    /// The uid of the server that created `handle` most recently.
    pub(crate) fn server_uid(&self, handle: &[u8]) -> Option<u64> {
        let (older, newer) = self.ring.split_at(self.next);
        older
            .iter()
            .rev()
            .chain(newer.iter().rev())
            .find(|e| e.handle() == handle)
            .map(|e| e.uid)
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
    }
}
