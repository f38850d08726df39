//! The one owner of a connected cluster: its librdkafka handles (through `Arc<Cluster>`),
//! its browse sessions and jobs, the leases of running requests, and its orderly close.
//!
//! Every request takes a [`Lease`]; a request that changes the cluster takes a [`Write`],
//! which only [`ConnectedCluster::write`] makes, and only for a writable profile: read-only
//! is a property of the types, not of a review. Closing (disconnect, reconnect, profile
//! delete) stops the sessions, cancels the jobs, waits (bounded) for the leases, and lets
//! go of the handles, which are destroyed on a thread of their own — never on the caller's
//! thread (which may be the main thread) and never under a lock.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::client::{Cluster, Connection};
use super::messages::Registry;
use crate::error::{Error, ErrorKind, Result};

/// How long a close waits for running requests to let go of their leases. Their work is
/// bounded by its own timeouts; the handles outlive a late lease anyway (it holds them).
pub const LEASE_WAIT: Duration = Duration::from_secs(10);

/// A connected cluster and everything that runs on it.
pub struct ConnectedCluster {
    pub id: String,
    cluster: Mutex<Option<Arc<Cluster>>>,
    leases: Arc<LeaseCount>,
    read_only: AtomicBool,
    closing: AtomicBool,
    /// Browse sessions and cancellable jobs of this connection; they stop with it.
    registry: Registry,
}

impl ConnectedCluster {
    /// Connects (builds the handles; no network I/O yet) and becomes their owner.
    pub fn open(settings: &Connection) -> Result<Arc<ConnectedCluster>> {
        Ok(Self::owning(Cluster::connect(settings)?, settings.read_only))
    }

    /// Becomes the owner of handles built elsewhere.
    pub fn owning(cluster: Arc<Cluster>, read_only: bool) -> Arc<ConnectedCluster> {
        Arc::new(ConnectedCluster {
            id: cluster.id.clone(),
            cluster: Mutex::new(Some(cluster)),
            leases: Arc::new(LeaseCount::default()),
            read_only: AtomicBool::new(read_only),
            closing: AtomicBool::new(false),
            registry: Registry::default(),
        })
    }

    /// A lease for one request; refused once the connection is closing.
    pub fn lease(&self) -> Result<Lease> {
        if self.closing.load(Ordering::Acquire) {
            return Err(not_connected());
        }
        let cluster = self.cluster.lock().map_err(|_| poisoned())?.clone().ok_or_else(not_connected)?;
        Ok(Lease { cluster, _count: LeaseGuard::new(&self.leases) })
    }

    /// The read-only gate: the only maker of [`Write`] handles, refused on a read-only profile.
    pub fn write(&self, profile_name: &str) -> Result<Write> {
        if self.read_only.load(Ordering::Acquire) {
            return Err(Error::new(
                ErrorKind::ReadOnly,
                format!("\"{profile_name}\" is a read-only connection: KafkaDesk does not change this cluster."),
            ));
        }
        Ok(Write(self.lease()?))
    }

    /// Follows the profile's read-only flag when it is edited while connected.
    pub fn set_read_only(&self, read_only: bool) {
        self.read_only.store(read_only, Ordering::Release);
    }

    pub fn is_read_only(&self) -> bool {
        self.read_only.load(Ordering::Acquire)
    }

    /// The sessions and jobs of this connection.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Requests running on this connection right now.
    pub fn leases(&self) -> usize {
        self.leases.count()
    }

    /// Closes the connection: new leases are refused, sessions stop, jobs are cancelled at
    /// once; then, on a thread of its own, the close waits up to [`LEASE_WAIT`] for running
    /// requests and lets go of the handles (destroyed on their own thread, see `Cluster`).
    /// The returned [`Closing`] says when that is done; nobody has to wait for it.
    pub fn close(self: &Arc<Self>) -> Closing {
        self.closing.store(true, Ordering::Release);
        self.registry.close_all();
        let owner = Arc::clone(self);
        let done = Arc::new(Done::default());
        let finished = Arc::clone(&done);
        destroy_off_thread(move || {
            owner.leases.wait_zero(LEASE_WAIT);
            let cluster = owner.cluster.lock().ok().and_then(|mut c| c.take());
            drop(cluster);
            finished.set();
        });
        Closing(done)
    }
}

fn not_connected() -> Error {
    Error::not_found("Not connected to that cluster; connect first.")
}

fn poisoned() -> Error {
    Error::internal("The connection is unusable after an earlier fault.")
}

/// A running request's hold on the connection: the handles stay alive while it lives, and
/// a close waits (bounded) for it. Derefs to the cluster, so Kafka functions taking
/// `&Arc<Cluster>` accept `&lease`.
pub struct Lease {
    cluster: Arc<Cluster>,
    _count: LeaseGuard,
}

/// Another lease on the same connection (e.g. for a task the request spawns).
impl Clone for Lease {
    fn clone(&self) -> Lease {
        Lease { cluster: Arc::clone(&self.cluster), _count: LeaseGuard::new(&self._count.0) }
    }
}

impl Deref for Lease {
    type Target = Arc<Cluster>;
    fn deref(&self) -> &Arc<Cluster> {
        &self.cluster
    }
}

/// A lease for a request that changes the cluster. Only [`ConnectedCluster::write`] makes
/// one, and refuses on read-only profiles: every mutating function in `kafka/` takes `&Write`.
#[derive(Clone)]
pub struct Write(Lease);

impl Deref for Write {
    type Target = Arc<Cluster>;
    fn deref(&self) -> &Arc<Cluster> {
        &self.0.cluster
    }
}

impl Write {
    /// The cluster this handle may change.
    pub fn cluster(&self) -> &Arc<Cluster> {
        &self.0.cluster
    }
}

#[derive(Default)]
struct LeaseCount {
    count: Mutex<usize>,
    zero: Condvar,
}

impl LeaseCount {
    fn count(&self) -> usize {
        self.count.lock().map_or(0, |c| *c)
    }

    /// Waits until no lease is left, at most `bound`; true when none is.
    fn wait_zero(&self, bound: Duration) -> bool {
        let Ok(count) = self.count.lock() else { return false };
        match self.zero.wait_timeout_while(count, bound, |c| *c > 0) {
            Ok((count, _)) => *count == 0,
            Err(_) => false,
        }
    }
}

struct LeaseGuard(Arc<LeaseCount>);

impl LeaseGuard {
    fn new(leases: &Arc<LeaseCount>) -> LeaseGuard {
        if let Ok(mut c) = leases.count.lock() {
            *c += 1;
        }
        LeaseGuard(Arc::clone(leases))
    }
}

impl Drop for LeaseGuard {
    fn drop(&mut self) {
        if let Ok(mut c) = self.0.count.lock() {
            *c = c.saturating_sub(1);
            if *c == 0 {
                self.0.zero.notify_all();
            }
        }
    }
}

/// Tells when a close has finished (leases released, handles let go).
pub struct Closing(Arc<Done>);

impl Closing {
    /// Waits without blocking the async runtime; true when closed within `bound`.
    pub async fn finished(self, bound: Duration) -> bool {
        let done = self.0;
        tokio::task::spawn_blocking(move || done.wait(bound)).await.unwrap_or(false)
    }
}

#[derive(Default)]
struct Done {
    done: Mutex<bool>,
    cv: Condvar,
}

impl Done {
    fn set(&self) {
        if let Ok(mut d) = self.done.lock() {
            *d = true;
            self.cv.notify_all();
        }
    }

    fn wait(&self, bound: Duration) -> bool {
        let Ok(done) = self.done.lock() else { return false };
        self.cv.wait_timeout_while(done, bound, |d| !*d).map(|(d, _)| *d).unwrap_or(false)
    }
}

/// Closing threads still running, so the app (and tests) can wait for every client to be
/// destroyed before the process exits.
fn in_progress() -> &'static (Mutex<usize>, Condvar) {
    static CLOSING: OnceLock<(Mutex<usize>, Condvar)> = OnceLock::new();
    CLOSING.get_or_init(Default::default)
}

/// Runs blocking teardown work on a thread of its own, counted by [`wait_all_closed`].
pub(crate) fn destroy_off_thread(work: impl FnOnce() + Send + 'static) {
    let (count, _) = in_progress();
    if let Ok(mut c) = count.lock() {
        *c += 1;
    }
    let finish = || {
        let (count, cv) = in_progress();
        if let Ok(mut c) = count.lock() {
            *c = c.saturating_sub(1);
            cv.notify_all();
        }
    };
    let spawned = std::thread::Builder::new().name("kafkadesk-close".into()).spawn(move || {
        work();
        finish();
    });
    if let Err(e) = spawned {
        // No thread to be had: the work is lost with its closure, which frees the handles
        // here. Rare enough (out of threads) to log rather than to plan for.
        log::error!("could not start a closing thread: {e}");
        finish();
    }
}

/// Waits until every close and handle teardown started so far has finished, at most
/// `bound`; true when all have.
pub fn wait_all_closed(bound: Duration) -> bool {
    let (count, cv) = in_progress();
    let deadline = Instant::now() + bound;
    let Ok(mut c) = count.lock() else { return false };
    while *c > 0 {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        match cv.wait_timeout(c, left) {
            Ok((guard, _)) => c = guard,
            Err(_) => return false,
        }
    }
    true
}

/// Closings still running (for diagnostics and tests).
pub fn closing_now() -> usize {
    in_progress().0.lock().map_or(0, |c| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(read_only: bool) -> Arc<ConnectedCluster> {
        let mut settings = Connection::plain("p", "127.0.0.1:1");
        settings.read_only = read_only;
        ConnectedCluster::open(&settings).expect("handles")
    }

    #[test]
    fn read_only_connections_make_no_write_handles() {
        let ro = owner(true);
        assert_eq!(ro.write("Prod").err().expect("refused").kind, ErrorKind::ReadOnly);
        assert!(ro.lease().is_ok(), "reads are allowed");
        let rw = owner(false);
        assert!(rw.write("Dev").is_ok());
        rw.set_read_only(true);
        assert_eq!(rw.write("Dev").err().expect("refused after the edit").kind, ErrorKind::ReadOnly);
        ro.close();
        rw.close();
        assert!(wait_all_closed(Duration::from_secs(20)));
    }

    #[test]
    fn a_close_waits_for_leases_and_refuses_new_ones() {
        let conn = owner(false);
        let lease = conn.lease().expect("lease");
        assert_eq!(conn.leases(), 1);
        let closing = conn.close();
        assert_eq!(conn.lease().err().expect("closing").kind, ErrorKind::NotFound);
        // The lease still reaches the handles while the close waits for it.
        assert_eq!(lease.id, "p");
        assert!(!closing.0.wait(Duration::from_millis(300)), "waits while a lease is held");
        drop(lease);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        assert!(rt.block_on(closing.finished(Duration::from_secs(5))));
        assert_eq!(conn.leases(), 0);
        assert!(wait_all_closed(Duration::from_secs(20)));
    }

    #[test]
    fn dropping_the_last_handle_hands_the_teardown_to_a_closing_thread() {
        let cluster = Cluster::connect(&Connection::plain("p", "127.0.0.1:1")).expect("handles");
        drop(cluster);
        assert!(wait_all_closed(Duration::from_secs(20)), "the teardown finishes");
    }
}
