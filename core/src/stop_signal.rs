//! Noticing SIGTERM, SIGINT and SIGQUIT while a worker waits.
//!
//! A worker that sleeps in poll(2) learns only "EINTR" when a signal
//! arrives, not which one. The worker contract (worker/mod.rs) needs the
//! difference: a stop signal ends `work()`, any other signal (SIGHUP for a
//! reload, SIGCHLD from a child, …) must not. So while a handler installed
//! by the program (pcntl's) is in place for a stop signal, [`arm`] chains a
//! tiny handler in front of it that counts the signal and then calls the
//! program's handler with the same arguments. Signals left at SIG_DFL or
//! SIG_IGN are never touched: their default action stays what it was.
//!
//! A signal that arrives while the worker is *between* waits (sending a
//! GRAB, reading its answer) would be handled by pcntl's C handler without
//! interrupting anything, and the worker would then sleep with the PHP
//! handler still queued. [`Held`] closes that gap: the caller blocks
//! signals for the whole idle part of `work()`/`wait()`, and the worker
//! sleeps in `ppoll(2)` with the caller's original mask, so a signal that
//! arrived meanwhile is delivered the moment the sleep starts and ends it
//! with EINTR.
//!
//! [`arm`] is called before each sleep, so a handler the program
//! re-installs later is wrapped again. Reading the three dispositions costs
//! three `sigaction` calls per sleep, so a caller that learns of every
//! handler change itself (the PHP layer wraps `pcntl_signal()`) says so with
//! [`watch`] and reports changes with [`handlers_changed`], which re-arms
//! at once when a worker armed before; [`arm`] then reads the dispositions
//! only after a change. [`disarm`] puts the
//! program's handler back where ours is still installed (the PHP layer
//! calls it at request end, before the shared object could be unloaded).
//!
//! A caller that knows no handler can be waiting to be dispatched (no
//! `pcntl_signal()` yet) has no gap to close and sleeps without holding
//! signals: [`Held::none`], two `rt_sigprocmask` fewer per sleep.

use std::cell::UnsafeCell;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The signals that mean "stop working".
pub const STOP_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGQUIT];

static COUNT: AtomicU64 = AtomicU64::new(0);

/// Whether a caller reports every disposition change ([`watch`]).
static WATCHED: AtomicBool = AtomicBool::new(false);
/// A disposition may have changed since [`arm`] last read them.
static CHANGED: AtomicBool = AtomicBool::new(true);
/// [`arm`] ran since the last [`disarm`]: a worker counts stop signals.
static ARMED: AtomicBool = AtomicBool::new(false);

/// `true`: the caller will call [`handlers_changed`] whenever the program
/// may have changed a stop signal's disposition, so [`arm`] re-reads them
/// only then. `false` (the default): [`arm`] reads them every time.
pub fn watch(on: bool) {
    WATCHED.store(on, Ordering::Relaxed);
    CHANGED.store(true, Ordering::Relaxed);
}

/// The program may have installed, reset or ignored a signal handler: the
/// next [`arm`] reads the dispositions again. Once a worker counts stop
/// signals, the new handler is chained at once, so a stop signal that
/// comes before the worker's next sleep is counted too.
pub fn handlers_changed() {
    CHANGED.store(true, Ordering::Relaxed);
    if ARMED.load(Ordering::Relaxed) {
        arm();
    }
}

/// The handler we chained in front of, per stop signal. Written only while
/// our handler is not installed for that signal (so never concurrently with
/// the handler reading it).
struct Prev(UnsafeCell<[MaybeUninit<libc::sigaction>; 3]>);
// SAFETY: see the type's doc: writes and the handler's reads of one entry
// never overlap; arm/disarm run on the thread that drives the worker.
unsafe impl Sync for Prev {}
static PREV: Prev = Prev(UnsafeCell::new([MaybeUninit::uninit(); 3]));

/// Signals blocked until dropped, except the ones a fault raises
/// (blocking those would turn a crash into a hang). See the module docs.
pub struct Held {
    /// The mask from before; `None` for [`Held::none`].
    old: Option<libc::sigset_t>,
}

impl Held {
    /// Holds nothing: for a caller with no handler that could be left
    /// queued (see the module docs); the sleep keeps the current mask.
    #[inline]
    pub fn none() -> Held {
        Held { old: None }
    }

    /// Blocks (almost) every signal on this thread until dropped.
    pub fn new() -> Held {
        // SAFETY: plain sigset manipulation on owned values.
        unsafe {
            let mut all = std::mem::zeroed::<libc::sigset_t>();
            let mut old = std::mem::zeroed::<libc::sigset_t>();
            libc::sigfillset(&mut all);
            for s in [
                libc::SIGSEGV,
                libc::SIGBUS,
                libc::SIGFPE,
                libc::SIGILL,
                libc::SIGTRAP,
                libc::SIGABRT,
                libc::SIGSYS,
            ] {
                libc::sigdelset(&mut all, s);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
            Held { old: Some(old) }
        }
    }

    /// The mask to sleep with: the one from before [`Held::new`] (`None`:
    /// nothing held, sleep with the current mask). Borrowed: the set is
    /// 128 bytes.
    pub fn wait_mask(&self) -> Option<&libc::sigset_t> {
        self.old.as_ref()
    }
}

impl Default for Held {
    fn default() -> Self {
        Held::new()
    }
}

impl Held {
    /// Lets the signals through now, as dropping does, but in place: a
    /// `Held` is 136 bytes, and moving one out to drop it is a memcpy call
    /// (the worker releases its hold before every job's callback).
    #[inline]
    pub fn release(&mut self) {
        if let Some(old) = &self.old {
            // SAFETY: restores the mask saved by `new`.
            unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, old, std::ptr::null_mut()) };
            self.old = None;
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        self.release();
    }
}

/// How many stop signals arrived while armed (monotonic, process-wide).
pub fn count() -> u64 {
    COUNT.load(Ordering::Relaxed)
}

extern "C" fn on_stop_signal(sig: libc::c_int, info: *mut libc::siginfo_t, ctx: *mut libc::c_void) {
    COUNT.fetch_add(1, Ordering::Relaxed);
    let Some(k) = STOP_SIGNALS.iter().position(|&s| s == sig) else {
        return;
    };
    // SAFETY: entry k was initialised before our handler was installed for sig.
    let prev = unsafe { (*PREV.0.get())[k].assume_init_ref() };
    let h = prev.sa_sigaction;
    if h == libc::SIG_DFL || h == libc::SIG_IGN {
        return;
    }
    // SAFETY: the previous handler was installed for this signal with these
    // flags; call it the way the kernel would have.
    unsafe {
        if prev.sa_flags & libc::SA_SIGINFO != 0 {
            let f: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                std::mem::transmute(h);
            f(sig, info, ctx);
        } else {
            let f: extern "C" fn(libc::c_int) = std::mem::transmute(h);
            f(sig);
        }
    }
}

fn current(sig: libc::c_int) -> Option<libc::sigaction> {
    let mut old = MaybeUninit::<libc::sigaction>::zeroed();
    // SAFETY: a null new action only reads the current one.
    let r = unsafe { libc::sigaction(sig, std::ptr::null(), old.as_mut_ptr()) };
    // SAFETY: filled in by a successful sigaction.
    (r == 0).then(|| unsafe { old.assume_init() })
}

fn ours() -> libc::sighandler_t {
    on_stop_signal as *const () as libc::sighandler_t
}

/// Chains the counting handler in front of every program-installed handler
/// of a stop signal (idempotent). While [`watch`]ed, only after
/// [`handlers_changed`] (and the first time).
pub fn arm() {
    // Cleared before reading, so a change made meanwhile is read next time.
    if !CHANGED.swap(false, Ordering::Relaxed) && WATCHED.load(Ordering::Relaxed) {
        return;
    }
    ARMED.store(true, Ordering::Relaxed);
    for (k, &sig) in STOP_SIGNALS.iter().enumerate() {
        let Some(old) = current(sig) else { continue };
        let h = old.sa_sigaction;
        if h == ours() || h == libc::SIG_DFL || h == libc::SIG_IGN {
            continue;
        }
        // SAFETY: our handler is not installed for `sig` (checked above), so
        // nothing reads entry k now.
        unsafe { (*PREV.0.get())[k] = MaybeUninit::new(old) };
        let mut new = old;
        new.sa_sigaction = ours();
        new.sa_flags |= libc::SA_SIGINFO;
        // SAFETY: a valid action for a catchable signal.
        unsafe { libc::sigaction(sig, &new, std::ptr::null_mut()) };
    }
}

/// Puts the program's handlers back where ours is still installed.
pub fn disarm() {
    for (k, &sig) in STOP_SIGNALS.iter().enumerate() {
        let Some(old) = current(sig) else { continue };
        if old.sa_sigaction != ours() {
            continue;
        }
        // SAFETY: entry k was set when our handler was installed.
        let prev = unsafe { (*PREV.0.get())[k].assume_init() };
        // SAFETY: restoring the action that was installed before ours.
        unsafe { libc::sigaction(sig, &prev, std::ptr::null_mut()) };
    }
    ARMED.store(false, Ordering::Relaxed);
    CHANGED.store(true, Ordering::Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU32;

    static SEEN: AtomicU32 = AtomicU32::new(0);
    extern "C" fn program_handler(_sig: libc::c_int) {
        SEEN.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn chains_counts_and_restores() {
        // SIGQUIT only: the test harness relies on the others' defaults.
        let sig = libc::SIGQUIT;
        let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
        act.sa_sigaction = program_handler as *const () as libc::sighandler_t;
        unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
        arm();
        arm();
        assert_eq!(current(sig).unwrap().sa_sigaction, ours());
        let before = count();
        unsafe { libc::raise(sig) };
        assert_eq!(count(), before + 1);
        assert_eq!(
            SEEN.load(Ordering::Relaxed),
            1,
            "the program's handler ran once"
        );
        disarm();
        assert_eq!(current(sig).unwrap().sa_sigaction, act.sa_sigaction);
        unsafe { libc::raise(sig) };
        assert_eq!(count(), before + 1, "not counted once disarmed");
        assert_eq!(SEEN.load(Ordering::Relaxed), 2);
        // Held: a signal raised meanwhile waits, and a masked poll
        // delivers it (EINTR) the moment it starts.
        {
            let held = Held::new();
            unsafe { libc::raise(sig) };
            assert_eq!(SEEN.load(Ordering::Relaxed), 2, "held back");
            let mut fds: [libc::pollfd; 0] = [];
            let mask = held.wait_mask();
            let r = crate::poll::poll_masked(&mut fds, 5000, mask).unwrap();
            assert_eq!(r, crate::poll::PollOutcome::Interrupted);
            assert_eq!(
                SEEN.load(Ordering::Relaxed),
                3,
                "delivered by the masked poll"
            );
        }
        act.sa_sigaction = libc::SIG_DFL;
        unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
        arm();
        assert_eq!(
            current(sig).unwrap().sa_sigaction,
            libc::SIG_DFL,
            "defaults are left alone"
        );
        // Watched: a change is read only once reported.
        watch(true);
        arm();
        act.sa_sigaction = program_handler as *const () as libc::sighandler_t;
        unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
        arm();
        assert_eq!(
            current(sig).unwrap().sa_sigaction,
            act.sa_sigaction,
            "an unreported change is not read"
        );
        handlers_changed();
        assert_eq!(
            current(sig).unwrap().sa_sigaction,
            ours(),
            "reported after an arm: chained at once"
        );
        disarm();
        watch(false);
        act.sa_sigaction = libc::SIG_DFL;
        unsafe { libc::sigaction(sig, &act, std::ptr::null_mut()) };
        // Held::none holds nothing and sleeps with the current mask.
        {
            let held = Held::none();
            assert!(held.wait_mask().is_none());
        }
    }
}
