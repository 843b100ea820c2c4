//! Large packet data received straight into memory the embedder supplies.
//!
//! A 16 MiB result or workload ends up as a value of the embedding
//! language (for PHP, an emalloc'ed `zend_string`). Received into a buffer
//! of the core, it would be copied once more into that value: 16 MiB of
//! memcpy plus the page faults of a second 16 MiB buffer on each side of a
//! round trip. Instead, once a packet's header and arguments are in and
//! its data part is large ([`DETACH_FROM`]), the connection asks the
//! [`Allocator`] (registered once with [`set_allocator`]) for memory of
//! exactly the data's length and the kernel writes the data there; the
//! packet is then handled with its data *detached*: a [`LargeBody`] that
//! the embedder turns back into its value without copying.
//!
//! Without an allocator (plain Rust use, the core's own tests), or when it
//! declines, or on a TLS connection (rustls hands out all decrypted bytes
//! at once, possibly beyond the packet), the connection receives into its
//! own buffer as before.

use std::ffi::c_void;
use std::ptr::NonNull;
use std::sync::OnceLock;

/// Packets whose data part is at least this long are detached (below it the
/// copy costs less than the allocation round trip to the embedder).
pub const DETACH_FROM: usize = 1 << 20;

/// Memory for one packet's data, supplied by the embedder's [`Allocator`]:
/// `len` writable bytes at `data`, owned through `owner`, which `release`
/// frees. The core writes it, then hands it out as a [`LargeBody`] once all
/// `len` bytes are written; dropped unfilled (a connection lost mid-body),
/// it is released.
pub struct BodyMemory {
    data: NonNull<u8>,
    len: usize,
    owner: NonNull<c_void>,
    release: unsafe fn(NonNull<c_void>),
}

impl BodyMemory {
    /// Wraps memory for `len` bytes.
    ///
    /// # Safety
    /// `data` must be valid for reads and writes of `len` bytes until
    /// `release(owner)` runs (exactly once, on drop); the memory must stay
    /// usable on the thread that owns the connection it is given to (the
    /// core never touches it from another thread).
    pub unsafe fn new(
        data: NonNull<u8>,
        len: usize,
        owner: NonNull<c_void>,
        release: unsafe fn(NonNull<c_void>),
    ) -> BodyMemory {
        BodyMemory {
            data,
            len,
            owner,
            release,
        }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Never true for memory the core asks for (only large data is
    /// detached).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The not yet written bytes from `at` on, for recv(2).
    pub(crate) fn tail(&mut self, at: usize) -> (*mut u8, usize) {
        debug_assert!(at <= self.len);
        // SAFETY: `at` is within the allocation (see `new`).
        (unsafe { self.data.as_ptr().add(at) }, self.len - at)
    }

    /// Copies `b` to offset `at` (bytes that arrived before the data was
    /// detached).
    pub(crate) fn write_at(&mut self, at: usize, b: &[u8]) {
        assert!(at + b.len() <= self.len);
        // SAFETY: in bounds (checked above); `b` cannot overlap memory the
        // embedder handed to us exclusively.
        unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), self.data.as_ptr().add(at), b.len()) };
    }
}

impl Drop for BodyMemory {
    fn drop(&mut self) {
        // SAFETY: the contract of `new`: released exactly once.
        unsafe { (self.release)(self.owner) };
    }
}

// SAFETY: the core, like its clients and workers, is used by one thread at a
// time; `Send` only lets an idle client or worker move with its owner
// (see `BodyMemory::new`'s contract).
unsafe impl Send for BodyMemory {}

/// A packet's data, all of it received into embedder memory (see the
/// module docs). Only the core makes these, from filled [`BodyMemory`].
pub struct LargeBody(BodyMemory);

impl LargeBody {
    /// `mem` with all `mem.len()` bytes written.
    pub(crate) fn filled(mem: BodyMemory) -> LargeBody {
        LargeBody(mem)
    }

    /// The data.
    pub fn bytes(&self) -> &[u8] {
        // SAFETY: all `len` bytes were written before `filled`.
        unsafe { std::slice::from_raw_parts(self.0.data.as_ptr(), self.0.len) }
    }

    /// The embedder's handle given to [`BodyMemory::new`] (still owned by
    /// this body: to keep the value beyond it, take a reference of the
    /// embedder's own kind, e.g. a refcount).
    pub fn owner(&self) -> NonNull<c_void> {
        self.0.owner
    }
}

impl std::fmt::Debug for LargeBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LargeBody({} bytes)", self.0.len)
    }
}

/// Allocates memory for `len` bytes of packet data, or declines (`None`:
/// the core then uses its own buffer). Called from the thread that runs the
/// connection, inside its read.
pub type Allocator = fn(len: usize) -> Option<BodyMemory>;

static ALLOCATOR: OnceLock<Allocator> = OnceLock::new();

/// Registers the allocator for detached packet data (once per process; a
/// later call is ignored).
pub fn set_allocator(f: Allocator) {
    let _ = ALLOCATOR.set(f);
}

/// Memory for `len` bytes of data from the registered allocator.
pub(crate) fn alloc(len: usize) -> Option<BodyMemory> {
    ALLOCATOR.get().and_then(|f| f(len))
}

/// Whether an allocator is registered (read paths check this before
/// looking at a packet's arguments).
#[inline]
pub(crate) fn enabled() -> bool {
    ALLOCATOR.get().is_some()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Boxes [`boxed`] handed out and not yet released.
    pub(crate) static LIVE: AtomicUsize = AtomicUsize::new(0);

    /// A test allocator: boxed slices, counted in [`LIVE`].
    pub(crate) fn boxed(len: usize) -> Option<BodyMemory> {
        let b: Box<[u8]> = vec![0u8; len].into_boxed_slice();
        let raw = Box::into_raw(Box::new(b));
        unsafe fn release(owner: NonNull<c_void>) {
            drop(unsafe { Box::from_raw(owner.as_ptr().cast::<Box<[u8]>>()) });
            LIVE.fetch_sub(1, Ordering::SeqCst);
        }
        LIVE.fetch_add(1, Ordering::SeqCst);
        // SAFETY: the box lives until `release`.
        unsafe {
            let data = NonNull::new_unchecked((*raw).as_mut_ptr());
            Some(BodyMemory::new(
                data,
                len,
                NonNull::new_unchecked(raw.cast()),
                release,
            ))
        }
    }

    #[test]
    fn filled_memory_is_read_back() {
        let mut m = boxed(8).unwrap();
        m.write_at(0, b"abc");
        let (p, n) = m.tail(3);
        assert_eq!(n, 5);
        unsafe { std::ptr::copy_nonoverlapping(b"defgh".as_ptr(), p, 5) };
        let b = LargeBody::filled(m);
        assert_eq!(b.bytes(), b"abcdefgh");
    }
}
