//! App-wide bounds on browse sessions: how many may be open at once, and how much memory
//! their stores may hold together. A session takes a [`Reservation`] when it starts and
//! accounts its store's bytes on it as it fills; dropping the session (closed, or its
//! connection closed) gives everything back.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// Default: sessions open at once across every connection.
pub const DEFAULT_MAX_SESSIONS: usize = 16;
/// Default: MiB all sessions' stores may hold together.
pub const DEFAULT_TOTAL_MIB: u64 = 4096;

static MAX_SESSIONS: AtomicUsize = AtomicUsize::new(DEFAULT_MAX_SESSIONS);
static TOTAL_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_TOTAL_MIB << 20);
/// Sessions open now.
static SESSIONS: Mutex<usize> = Mutex::new(0);
/// Bytes held by every session's store now.
static BYTES: AtomicU64 = AtomicU64::new(0);

/// Changes the bounds (from settings); sessions already open stay open.
pub fn set_limits(max_sessions: usize, total_mib: u64) {
    MAX_SESSIONS.store(max_sessions.max(1), Ordering::Relaxed);
    TOTAL_BYTES.store(total_mib.max(1) << 20, Ordering::Relaxed);
}

/// The bounds now: (sessions, MiB).
pub fn limits() -> (usize, u64) {
    (MAX_SESSIONS.load(Ordering::Relaxed), TOTAL_BYTES.load(Ordering::Relaxed) >> 20)
}

/// What is in use now: (sessions, bytes).
pub fn in_use() -> (usize, u64) {
    (SESSIONS.lock().map_or(0, |s| *s), BYTES.load(Ordering::Relaxed))
}

/// One session's place in the budget; given back on drop.
#[derive(Debug, Default)]
pub struct Reservation {
    bytes: AtomicU64,
}

/// Reserves a place for one more session; a clear error at the session cap.
pub fn reserve() -> Result<Reservation> {
    let mut sessions = SESSIONS.lock().map_err(|_| Error::internal("The session budget is unusable after an earlier fault."))?;
    let max = MAX_SESSIONS.load(Ordering::Relaxed);
    if *sessions >= max {
        return Err(Error::invalid_input(
            "session",
            format!("{max} browse sessions are open, the most KafkaDesk keeps at once: close a browse tab first."),
        ));
    }
    *sessions += 1;
    Ok(Reservation::default())
}

impl Reservation {
    /// Records that this session's store now holds `bytes`. Returns how many bytes the
    /// store may hold at most from now on without taking the app over its total: `None`
    /// when there is room to spare.
    pub fn account(&self, bytes: u64) -> Option<u64> {
        let before = self.bytes.swap(bytes, Ordering::Relaxed);
        let total = if bytes >= before {
            BYTES.fetch_add(bytes - before, Ordering::Relaxed) + (bytes - before)
        } else {
            BYTES.fetch_sub(before - bytes, Ordering::Relaxed) - (before - bytes)
        };
        let limit = TOTAL_BYTES.load(Ordering::Relaxed);
        (total >= limit).then(|| bytes.saturating_sub(total - limit))
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        BYTES.fetch_sub(self.bytes.load(Ordering::Relaxed), Ordering::Relaxed);
        if let Ok(mut sessions) = SESSIONS.lock() {
            *sessions = sessions.saturating_sub(1);
        }
    }
}

/// The notice of a session stopped (or trimmed) at the app-wide memory bound.
pub fn full_notice() -> String {
    format!(
        "KafkaDesk's message memory ({} MiB across all browse sessions) is full: close another browse tab to load more.",
        limits().1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test owns the process-wide budget (tests run in parallel threads).
    #[test]
    fn sessions_and_memory_are_bounded_and_given_back() {
        set_limits(2, 100);
        let (sessions0, bytes0) = in_use();
        let a = reserve().expect("room");
        let b = reserve().expect("room");
        assert_eq!(reserve().expect_err("two open").detail.as_deref(), Some("session"));
        assert_eq!(a.account(60 << 20), None);
        // b may grow to what is left (40 MiB), no further.
        assert_eq!(b.account(50 << 20), Some(40 << 20));
        assert_eq!(b.account(10 << 20), None);
        drop(a);
        assert_eq!(in_use(), (sessions0 + 1, bytes0 + (10 << 20)));
        drop(b);
        assert_eq!(in_use(), (sessions0, bytes0));
        set_limits(DEFAULT_MAX_SESSIONS, DEFAULT_TOTAL_MIB);
    }
}
