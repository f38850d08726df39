//! Admin requests whose caller stopped waiting, kept until librdkafka answers them.
//!
//! A request's result queue may only be destroyed once its result event has arrived, and
//! the client may only be destroyed once no request is left in flight: otherwise
//! librdkafka delivers into freed memory. When `admin_request` gives up polling, it hands
//! the queue to the reaper of its client; the client's owner polls the reaper now and
//! then and settles it (bounded) before it destroys the client.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{Event, Queue};

/// The reaper of each live client, by the address of its handle.
fn reapers() -> &'static Mutex<HashMap<usize, Arc<Reaper>>> {
    static REAPERS: OnceLock<Mutex<HashMap<usize, Arc<Reaper>>>> = OnceLock::new();
    REAPERS.get_or_init(Default::default)
}

/// The abandoned requests of one client.
#[derive(Default)]
pub struct Reaper {
    pending: Mutex<Vec<Queue>>,
}

/// Ties a reaper to a client handle for as long as the registration lives.
pub struct ReaperRegistration {
    key: usize,
    reaper: Arc<Reaper>,
}

impl Reaper {
    /// Registers the reaper of a new client. Drop the registration only after `settle`.
    pub fn register(rk: *mut RDKafka) -> ReaperRegistration {
        let reaper = Arc::new(Reaper::default());
        let key = rk as usize;
        if let Ok(mut all) = reapers().lock() {
            all.insert(key, Arc::clone(&reaper));
        }
        ReaperRegistration { key, reaper }
    }

    /// Requests still waiting for their answer.
    pub fn pending(&self) -> usize {
        self.pending.lock().map_or(0, |p| p.len())
    }

    /// Polls every abandoned request once (waiting up to `wait` on each) and frees those
    /// that were answered. Returns how many are still pending.
    pub fn reap(&self, wait: Duration) -> usize {
        let Ok(mut pending) = self.pending.lock() else { return 0 };
        let wait_ms = i32::try_from(wait.as_millis()).unwrap_or(i32::MAX);
        pending.retain(|queue| {
            // SAFETY: the queue is live (we own it); an event that arrives is destroyed by
            // its guard, after which the queue may go too.
            let event = unsafe { rdsys::rd_kafka_queue_poll(queue.0, wait_ms) };
            if event.is_null() {
                true
            } else {
                drop(Event(event));
                false
            }
        });
        pending.len()
    }

    /// Waits (up to `bound`) until every abandoned request was answered; true when none is left.
    pub fn settle(&self, bound: Duration) -> bool {
        let deadline = Instant::now() + bound;
        loop {
            if self.reap(Duration::from_millis(100)) == 0 {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
        }
    }
}

impl ReaperRegistration {
    pub fn reaper(&self) -> &Reaper {
        &self.reaper
    }
}

impl Drop for ReaperRegistration {
    fn drop(&mut self) {
        if let Ok(mut all) = reapers().lock() {
            all.remove(&self.key);
        }
    }
}

/// Hands a queue whose request is still in flight to its client's reaper.
pub(super) fn abandon(rk: *mut RDKafka, queue: Queue) {
    let reaper = reapers().lock().ok().and_then(|all| all.get(&(rk as usize)).cloned());
    match reaper {
        Some(reaper) => match reaper.pending.lock() {
            Ok(mut pending) => pending.push(queue),
            Err(_) => std::mem::forget(queue),
        },
        // A client without an owner (none is built that way): leaking the queue is the
        // only safe choice, since nobody waits for its answer before destroying the client.
        None => {
            log::warn!("an abandoned admin request has no reaper; its queue is leaked");
            std::mem::forget(queue);
        }
    }
}
