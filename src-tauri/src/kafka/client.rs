//! A connected cluster: librdkafka client handles built from connection settings, the
//! timeouts every call is bounded by, and the translation of librdkafka errors into ours.
//!
//! Connecting is cheap: building the handles does no network I/O. The first request
//! finds out whether the cluster is reachable, and the error callback's last transport
//! error explains a timeout ("connection refused" beats "timed out").

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rdkafka::admin::AdminClient;
use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka_sys::types::RDKafka;

use super::ffi::{ClientEvent, MainQueue};
use crate::error::{Error, ErrorKind, Result};

/// Bound on any single request to the cluster. Keeps an unreachable bootstrap from
/// holding the UI longer than 10 s (the promise we make), with margin for the poll.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(8);

/// How to reach a cluster. Security settings arrive with saved profiles' TLS/SASL support.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The registry key: the id of the profile this connection came from.
    pub id: String,
    pub bootstrap_servers: String,
}

/// Remembers the last client-level error librdkafka reported, to explain timeouts, and
/// when every broker was last seen down, to stop waiting early.
#[derive(Default)]
pub struct KafkaDeskContext {
    last_error: Mutex<Option<(RDKafkaErrorCode, String)>>,
    all_brokers_down_at: Mutex<Option<Instant>>,
}

// Client-level events arrive through our own poller of the main queue (see below).
impl ClientContext for KafkaDeskContext {}

impl KafkaDeskContext {
    fn record(&self, event: ClientEvent) {
        match event {
            ClientEvent::Error { code, reason } => {
                log::info!(target: "librdkafka", "client error {code:?}: {reason}");
                // "n/n brokers are down" says less than the transport error before it: keep
                // that one as the cause, and only note the moment.
                if code == RDKafkaErrorCode::AllBrokersDown {
                    if let Ok(mut at) = self.all_brokers_down_at.lock() {
                        *at = Some(Instant::now());
                    }
                } else if let Ok(mut last) = self.last_error.lock() {
                    *last = Some((code, reason));
                }
            }
            ClientEvent::Log { level, facility, message } => {
                // librdkafka uses syslog levels: 0-3 errors, 4 warning, 5-6 info, 7 debug.
                let level = match level {
                    0..=3 => log::Level::Warn,
                    4..=6 => log::Level::Info,
                    _ => log::Level::Debug,
                };
                log::log!(target: "librdkafka", level, "{facility} {message}");
            }
        }
    }

    fn last_error(&self) -> Option<(RDKafkaErrorCode, String)> {
        self.last_error.lock().ok().and_then(|last| last.clone())
    }

    fn all_brokers_down_since(&self, since: Instant) -> bool {
        self.all_brokers_down_at.lock().ok().and_then(|at| *at).is_some_and(|at| at >= since)
    }
}

/// Polls a client's main queue on a thread of its own until stopped.
struct EventPoller {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EventPoller {
    fn start(admin: &AdminClient<KafkaDeskContext>) -> Result<EventPoller> {
        // SAFETY: the Cluster owning this poller stops it (joins the thread) before it
        // drops the client, so the queue never outlives the handle.
        let queue = unsafe { MainQueue::of(admin.inner().native_ptr()) };
        let context = Arc::clone(admin.inner().context());
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("kafkadesk-client-events".into())
            .spawn(move || {
                while !stopped.load(Ordering::Relaxed) {
                    if let Some(event) = queue.poll(Duration::from_millis(200)) {
                        context.record(event);
                    }
                }
            })
            .map_err(|e| Error::internal("Could not start the client's event thread.").with_detail(e.to_string()))?;
        Ok(EventPoller { stop, thread: Some(thread) })
    }
}

impl Drop for EventPoller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One connected cluster. Shared as `Arc<Cluster>` between the registry and running calls.
pub struct Cluster {
    pub id: String,
    pub bootstrap_servers: String,
    // Declared before `admin`: fields drop in order, and the poller must stop first.
    _events: EventPoller,
    admin: AdminClient<KafkaDeskContext>,
}

impl Cluster {
    pub fn connect(conn: &Connection) -> Result<Arc<Cluster>> {
        let admin = base_config(conn)
            .create_with_context(KafkaDeskContext::default())
            .map_err(|e| Error::invalid_input("bootstrapServers", format!("The connection settings were refused: {e}.")))?;
        let events = EventPoller::start(&admin)?;
        Ok(Arc::new(Cluster {
            id: conn.id.clone(),
            bootstrap_servers: conn.bootstrap_servers.clone(),
            _events: events,
            admin,
        }))
    }

    pub(crate) fn admin(&self) -> &AdminClient<KafkaDeskContext> {
        &self.admin
    }

    /// The raw librdkafka handle, for the calls in `ffi/`. Valid while `self` lives.
    pub(crate) fn native(&self) -> *mut RDKafka {
        self.admin.inner().native_ptr()
    }

    /// Turns an error from a request into ours, using what the error callback saw: a
    /// request that timed out because no broker could be reached says why.
    pub(crate) fn explain(&self, error: Error) -> Error {
        if error.kind != ErrorKind::Timeout && error.kind != ErrorKind::Unreachable {
            return error;
        }
        match self.admin.inner().context().last_error() {
            Some((code, reason)) => {
                let cause = explain_code(code, &reason, "the request");
                if cause.kind == ErrorKind::Timeout {
                    error
                } else {
                    unreachable_or(cause, &self.bootstrap_servers)
                }
            }
            None => error,
        }
    }

    /// Runs blocking librdkafka work off the async runtime, so no window ever freezes.
    ///
    /// When librdkafka reports every broker down while the work waits, this returns the
    /// cause at once instead of after the full request timeout; the abandoned work ends on
    /// its own timeout, holding only its `Arc` of the cluster.
    pub async fn blocking<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&Cluster) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let started = Instant::now();
        let cluster = Arc::clone(self);
        let mut task = tokio::task::spawn_blocking(move || work(&cluster));
        let mut tick = tokio::time::interval(Duration::from_millis(100));
        loop {
            tokio::select! {
                result = &mut task => return result?.map_err(|e| self.explain(e)),
                _ = tick.tick() => {
                    if self.admin.inner().context().all_brokers_down_since(started) {
                        let down = Error::new(
                            ErrorKind::Unreachable,
                            format!("Could not reach any broker at {}: every broker is down or unreachable.", self.bootstrap_servers),
                        );
                        return Err(self.explain(down));
                    }
                }
            }
        }
    }
}

fn base_config(conn: &Connection) -> ClientConfig {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", &conn.bootstrap_servers)
        .set("client.id", "kafkadesk")
        .set("socket.timeout.ms", REQUEST_TIMEOUT.as_millis().to_string())
        .set("socket.connection.setup.timeout.ms", "5000")
        // Retry quickly so a broker that comes back is noticed within a refresh or two.
        .set("reconnect.backoff.max.ms", "2000")
        .set("topic.metadata.refresh.interval.ms", "30000")
        .set_log_level(RDKafkaLogLevel::Warning);
    config
}

fn unreachable_or(cause: Error, bootstrap: &str) -> Error {
    if cause.kind == ErrorKind::Unreachable {
        let reason = cause.detail.clone().unwrap_or_default();
        Error::new(ErrorKind::Unreachable, format!("Could not reach any broker at {bootstrap}: {}.", plain_cause(&reason)))
            .with_detail(reason)
    } else {
        cause
    }
}

/// A short human reading of librdkafka's transport error text.
fn plain_cause(reason: &str) -> &'static str {
    let r = reason.to_ascii_lowercase();
    if r.contains("connection refused") {
        "connection refused (is Kafka running there?)"
    } else if r.contains("resolve") || r.contains("name or service not known") || r.contains("nodename") {
        "the host name could not be resolved"
    } else if r.contains("timed out") {
        "the connection timed out"
    } else if r.contains("all brokers are down") || r.contains("brokers are down") {
        "every broker is down or unreachable"
    } else {
        "the network connection failed"
    }
}

/// Maps a librdkafka error code to our error kinds; `what` names the request.
pub(crate) fn explain_code(code: RDKafkaErrorCode, reason: &str, what: &str) -> Error {
    use RDKafkaErrorCode as C;
    let name = format!("{code:?}");
    let detail = if reason.is_empty() { name.clone() } else { format!("{name}: {reason}") };
    let kind = match code {
        C::AllBrokersDown | C::BrokerTransportFailure | C::Resolve | C::BrokerNotAvailable | C::NetworkException => {
            ErrorKind::Unreachable
        }
        C::Authentication | C::SaslAuthenticationFailed | C::IllegalSASLState | C::UnsupportedSASLMechanism => {
            ErrorKind::Auth
        }
        C::SSL => ErrorKind::Tls,
        C::OperationTimedOut | C::RequestTimedOut => ErrorKind::Timeout,
        _ => ErrorKind::Kafka,
    };
    let message = match kind {
        ErrorKind::Unreachable => format!("Could not reach the cluster for {what}."),
        ErrorKind::Auth => format!("The cluster refused the credentials: {reason}"),
        ErrorKind::Tls => format!("The TLS connection failed: {reason}"),
        ErrorKind::Timeout => format!("The cluster did not answer {what} in time."),
        _ => format!("Kafka refused {what}: {}", if reason.is_empty() { name.as_str() } else { reason }),
    };
    Error::new(kind, message).with_detail(detail)
}

/// Our error for an rdkafka crate error returned by `what`.
pub(crate) fn explain_kafka_error(error: KafkaError, what: &str) -> Error {
    match error.rdkafka_error_code() {
        Some(code) => explain_code(code, "", what),
        None => Error::new(ErrorKind::Kafka, format!("Kafka refused {what}: {error}")).with_detail(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_transport_auth_tls_and_timeouts() {
        assert_eq!(explain_code(RDKafkaErrorCode::AllBrokersDown, "", "x").kind, ErrorKind::Unreachable);
        assert_eq!(explain_code(RDKafkaErrorCode::Authentication, "bad", "x").kind, ErrorKind::Auth);
        assert_eq!(explain_code(RDKafkaErrorCode::SSL, "bad", "x").kind, ErrorKind::Tls);
        assert_eq!(explain_code(RDKafkaErrorCode::OperationTimedOut, "", "x").kind, ErrorKind::Timeout);
        let other = explain_code(RDKafkaErrorCode::TopicAlreadyExists, "exists", "creating t");
        assert_eq!(other.kind, ErrorKind::Kafka);
        assert_eq!(other.detail.as_deref(), Some("TopicAlreadyExists: exists"));
    }

    #[test]
    fn explains_common_transport_causes_in_plain_words() {
        assert!(plain_cause("Connect to ipv4#127.0.0.1:1 failed: Connection refused").contains("refused"));
        assert!(plain_cause("Failed to resolve 'nohost:9092': Name or service not known").contains("resolved"));
    }
}
