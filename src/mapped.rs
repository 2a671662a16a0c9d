//! Chunks of plain files read through a memory map, with a guard that turns a file truncated
//! under the map into an error rather than a crash.
//!
//! `pread` copies every byte out of the page cache: on a warm file that copy is about a sixth of
//! tlm's CPU time. A map reads the page cache in place. Its catch is SIGBUS: a page past the
//! file's end (the file was truncated while mapped, as logrotate's `copytruncate` does) cannot
//! be read. The guard catches SIGBUS on an address inside the mapping its own thread is reading,
//! maps a page of zeros there so that the read can go on, and notes the fault; the read then
//! fails with [`changed_under_us`]. Any other SIGBUS goes to the handler that was installed
//! before (the Rust runtime's, or the default one), as if the guard were not there.
//!
//! Bytes that another process rewrites in place while tlm reads them may be seen half old, half
//! new, as with `pread` between two calls; lines are never read past the mapping.

use std::cell::Cell;
use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::{compiler_fence, AtomicUsize, Ordering};
use std::sync::OnceLock;

thread_local! {
    /// The mapping this thread is reading, as its first and past-the-end addresses.
    static GUARDED: Cell<(usize, usize)> = const { Cell::new((0, 0)) };
    /// A page of it was past the file's end.
    static FAULTED: Cell<bool> = const { Cell::new(false) };
}

/// The SIGBUS action before the guard, once the guard is installed (`None`: it could not be).
static PREVIOUS: OnceLock<Option<libc::sigaction>> = OnceLock::new();
static PAGE: AtomicUsize = AtomicUsize::new(4096);

/// A read-only private map of part of a file, unmapped on drop.
pub struct Mapped {
    base: *mut libc::c_void,
    /// The mapped length, from `base` (a page boundary at or before the offset asked for).
    mapped: usize,
    /// Where the bytes asked for start within the mapping, and how many there are.
    skip: usize,
    len: usize,
}

impl Mapped {
    /// Maps `len` bytes of `file` from `offset`. `None` when mapping is not possible here (no
    /// guard, nothing to map, or a file that cannot be mapped): read it another way.
    pub fn new(file: &File, offset: u64, len: usize) -> Option<Mapped> {
        if len == 0 || !guard_installed() {
            return None;
        }
        let page = PAGE.load(Ordering::Relaxed) as u64;
        let start = offset - offset % page;
        let skip = (offset - start) as usize;
        let mapped = skip + len;
        // SAFETY: a fresh read-only private mapping chosen by the kernel; nothing aliases it.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                mapped,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                libc::off_t::try_from(start).ok()?,
            )
        };
        if base == libc::MAP_FAILED {
            return None;
        }
        Some(Mapped {
            base,
            mapped,
            skip,
            len,
        })
    }

    /// Runs `read` over the mapped bytes with the guard on. Fails if the file turned out shorter
    /// than mapped (its missing pages read as zeros meanwhile).
    pub fn read<R>(&self, read: impl FnOnce(&[u8]) -> R) -> io::Result<R> {
        let start = self.base as usize;
        GUARDED.with(|g| g.set((start, start + self.mapped)));
        FAULTED.with(|f| f.set(false));
        // The handler reads these thread-locals: no read of the map may be moved before them
        // (the optimiser may otherwise, as they do not alias; it did in a release build).
        compiler_fence(Ordering::SeqCst);
        // SAFETY: the mapping is `mapped` readable bytes from `base` until `self` is dropped; a
        // page the file no longer backs is replaced by zeros by the guard, not left to fault.
        let bytes =
            unsafe { std::slice::from_raw_parts(self.base.cast::<u8>().add(self.skip), self.len) };
        let result = read(bytes);
        compiler_fence(Ordering::SeqCst);
        GUARDED.with(|g| g.set((0, 0)));
        if FAULTED.with(|f| f.replace(false)) {
            return Err(changed_under_us());
        }
        Ok(result)
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        // SAFETY: `base..base + mapped` is this value's own mapping, and no slice of it outlives
        // `read`.
        unsafe {
            libc::munmap(self.base, self.mapped);
        }
    }
}

/// The error for a file that shrank while it was read.
pub fn changed_under_us() -> io::Error {
    io::Error::other("the file was truncated while it was being read")
}

/// Installs the SIGBUS guard once; false if it could not be.
fn guard_installed() -> bool {
    PREVIOUS
        .get_or_init(|| {
            // SAFETY: sysconf has no preconditions.
            let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
            if let Ok(page) = usize::try_from(page) {
                if page > 0 {
                    PAGE.store(page, Ordering::Relaxed);
                }
            }
            // SAFETY: zeroed `sigaction`s are valid values; the handler only touches
            // thread-locals without lazy initialisation, `mmap` and the saved action.
            unsafe {
                let mut guard: libc::sigaction = std::mem::zeroed();
                guard.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
                guard.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK | libc::SA_NODEFER;
                libc::sigemptyset(&mut guard.sa_mask);
                let mut previous: libc::sigaction = std::mem::zeroed();
                (libc::sigaction(libc::SIGBUS, &guard, &mut previous) == 0).then_some(previous)
            }
        })
        .is_some()
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid `siginfo_t` to an SA_SIGINFO handler.
    let addr = unsafe { (*info).si_addr() } as usize;
    let (start, end) = GUARDED.with(|g| g.get());
    if (start..end).contains(&addr) {
        let page = PAGE.load(Ordering::Relaxed);
        // SAFETY: the page is inside this thread's own mapping, which is only read; zeros in
        // place of the missing bytes let the read finish, and the fault is reported after it.
        let zeros = unsafe {
            libc::mmap(
                (addr - addr % page) as *mut libc::c_void,
                page,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if zeros != libc::MAP_FAILED {
            FAULTED.with(|f| f.set(true));
            return;
        }
    }
    // Not ours: the previous handler, or the default action when the fault recurs.
    match PREVIOUS.get().copied().flatten() {
        Some(prev) if prev.sa_sigaction > libc::SIG_IGN => {
            if prev.sa_flags & libc::SA_SIGINFO != 0 {
                // SAFETY: an SA_SIGINFO action's handler has this signature.
                let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                    unsafe { std::mem::transmute(prev.sa_sigaction) };
                handler(sig, info, context);
            } else {
                // SAFETY: a plain action's handler takes the signal number.
                let handler: extern "C" fn(libc::c_int) =
                    unsafe { std::mem::transmute(prev.sa_sigaction) };
                handler(sig);
            }
        }
        _ => {
            // SAFETY: restoring the default action is async-signal-safe.
            unsafe {
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn maps_any_offset_and_length() {
        let mut f = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        f.write_all(&data).unwrap();
        for (offset, len) in [
            (0, 1),
            (1, 4095),
            (4095, 2),
            (4096, 10_000),
            (12_345, 7_655),
        ] {
            let m = Mapped::new(&f, offset as u64, len).unwrap();
            let got = m.read(|b| b.to_vec()).unwrap();
            assert_eq!(got, data[offset..offset + len]);
        }
        assert!(Mapped::new(&f, 0, 0).is_none());
    }

    /// A file truncated under its map reads as zeros past its new end, the read reports it,
    /// and the process lives on; the next read of a whole file is clean again.
    #[test]
    fn a_truncated_file_is_an_error_not_a_crash() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![b'x'; 3 * 65536]).unwrap();
        let m = Mapped::new(&f, 0, 3 * 65536).unwrap();
        f.set_len(1000).unwrap();
        let err = m
            .read(|b| (b[999], b[65536 + 5], b[3 * 65536 - 1]))
            .unwrap_err();
        assert_eq!(err.to_string(), changed_under_us().to_string());
        let m = Mapped::new(&f, 0, 1000).unwrap();
        assert!(m.read(|b| b.iter().all(|&c| c == b'x')).unwrap());
    }
}
