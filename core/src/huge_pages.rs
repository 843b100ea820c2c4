//! Transparent huge pages for large, freshly allocated buffers.
//!
//! A multi-megabyte payload (a 16 MiB workload, the receive buffer it
//! arrives in, the PHP string it ends up as) lives in memory the allocator
//! just mapped, so every 4 KiB page of it is faulted in, zeroed and charged
//! on first write: about 4,100 page faults per 16 MiB buffer, which
//! profiles of a 16 MiB echo showed as most of the client's and the
//! worker's CPU time. With `MADV_HUGEPAGE` the kernel backs each 2 MiB
//! aligned part with one huge page instead (8 faults for 16 MiB), also
//! where the system's THP mode is `madvise` (Debian's default).
//!
//! Only whole 2 MiB regions inside the buffer are advised, so no byte
//! outside it changes; a buffer that is only partly written commits at
//! most one huge page beyond what was written. Small buffers are never
//! advised (no effect on the RSS of ordinary traffic).

/// Size of a huge page on x86-64 and aarch64 with 4 KiB base pages.
const HUGE_PAGE: usize = 2 << 20;

/// Buffers at least this large are worth advising (the aligned interior of
/// anything smaller may be empty, and its faults are cheap enough).
pub const ADVISE_FROM: usize = 2 * HUGE_PAGE;

/// Advises `len` bytes at `ptr` (memory not written yet, owned by the
/// caller) for huge pages if the buffer is at least [`ADVISE_FROM`] long.
/// Best effort: a kernel without THP refuses and nothing changes.
pub fn advise(ptr: *const u8, len: usize) {
    if len < ADVISE_FROM {
        return;
    }
    let start = (ptr as usize).next_multiple_of(HUGE_PAGE);
    let end = (ptr as usize + len) & !(HUGE_PAGE - 1);
    if end > start {
        // SAFETY: [start, end) lies inside the caller's allocation;
        // MADV_HUGEPAGE changes how its pages are backed, never their
        // contents.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advised_buffer_keeps_its_bytes() {
        let mut v: Vec<u8> = Vec::with_capacity(3 * HUGE_PAGE + 123);
        advise(v.as_ptr(), v.capacity());
        v.resize(v.capacity(), 0xa5);
        assert!(v.iter().all(|&b| b == 0xa5));
        // Small buffers are left alone (and nothing breaks either way).
        let small = vec![1u8; 4096];
        advise(small.as_ptr(), small.len());
        assert_eq!(small[4095], 1);
    }
}
