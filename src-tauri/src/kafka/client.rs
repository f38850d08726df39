//! A connected cluster: librdkafka client handles built from connection settings, the
//! timeouts every call is bounded by, and the translation of librdkafka errors into ours.
//!
//! Connecting is cheap: building the handles does no network I/O. The first request
//! finds out whether the cluster is reachable, and the error callback's last transport
//! error explains a timeout ("connection refused" beats "timed out").

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rdkafka::admin::AdminClient;
use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::metadata::Metadata;
use rdkafka::producer::ThreadedProducer;

use super::delivery::DeliveryRouter;
use rdkafka_sys::types::RDKafka;

use super::ffi::{ClientEvent, MainQueue, Reaper, ReaperRegistration};
use crate::error::{Error, ErrorKind, Result};
use crate::profiles::{Profile, SecurityProtocol, SASL_PASSWORD, SSL_KEY_PASSWORD};

/// Bound on any single request to the cluster. Keeps an unreachable bootstrap from
/// holding the UI longer than 10 s (the promise we make), with margin for the poll.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(8);
/// The first metadata try's bound, and the pause before the next (see `Cluster::metadata`).
const METADATA_FIRST_TRY: Duration = Duration::from_secs(2);
const METADATA_RETRY_PAUSE: Duration = Duration::from_millis(100);

/// How to reach a cluster: bootstrap servers plus the librdkafka properties for security,
/// TLS and extras. Values of `secret_keys` are secrets: `Debug` never prints any value.
#[derive(Clone)]
pub struct Connection {
    /// The registry key: the id of the profile this connection came from.
    pub id: String,
    pub bootstrap_servers: String,
    pub properties: BTreeMap<String, String>,
    /// Whether this is PLAINTEXT (no TLS, no SASL).
    pub plaintext: bool,
    /// The profile's read-only flag: the connection's owner refuses write handles.
    pub read_only: bool,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.id)
            .field("bootstrap_servers", &self.bootstrap_servers)
            .field("properties", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Connection {
    /// A PLAINTEXT connection with no further settings.
    pub fn plain(id: &str, bootstrap_servers: &str) -> Connection {
        Connection {
            id: id.to_string(),
            bootstrap_servers: bootstrap_servers.to_string(),
            properties: BTreeMap::new(),
            plaintext: true,
            read_only: false,
        }
    }

    /// The librdkafka settings of a saved profile. `secrets` holds the values of the
    /// profile's `secret_fields` (by property name); a missing one is an error naming the
    /// form field, so the user knows to enter it again.
    pub fn from_profile(profile: &Profile, secrets: &BTreeMap<String, String>) -> Result<Connection> {
        let protocol = profile.security_protocol;
        let mut properties = BTreeMap::new();
        let mut set = |k: &str, v: &str| {
            properties.insert(k.to_string(), v.to_string());
        };
        set("security.protocol", protocol.as_str());
        if protocol.uses_sasl() {
            if let Some(mechanism) = profile.sasl_mechanism {
                set("sasl.mechanism", mechanism.as_str());
            }
            set("sasl.username", profile.sasl_username.as_deref().unwrap_or_default());
        }
        if protocol.uses_tls() {
            let tls = &profile.tls;
            // No CA file: librdkafka's "probe" finds the system's root certificates.
            set("ssl.ca.location", tls.ca_file.as_deref().unwrap_or("probe"));
            set("ssl.endpoint.identification.algorithm", if tls.verify_hostname { "https" } else { "none" });
            if let (Some(cert), Some(key)) = (&tls.client_cert_file, &tls.client_key_file) {
                set("ssl.certificate.location", cert);
                set("ssl.key.location", key);
            }
        }
        for (k, v) in &profile.extra_properties {
            set(k, v);
        }
        for field in &profile.secret_fields {
            match secrets.get(field) {
                Some(value) => {
                    crate::logs::remember_secret(value);
                    set(field, value)
                }
                None => {
                    let form_field = match field.as_str() {
                        SASL_PASSWORD => "saslPassword",
                        SSL_KEY_PASSWORD => "sslKeyPassword",
                        _ => "extraProperties",
                    };
                    return Err(Error::new(
                        ErrorKind::Auth,
                        format!(
                            "The saved {field} of \"{}\" is not available (it was kept for an earlier session only); enter it again in the connection editor.",
                            profile.name
                        ),
                    )
                    .with_detail(form_field));
                }
            }
        }
        Ok(Connection {
            id: profile.id.clone(),
            bootstrap_servers: profile.bootstrap_servers.clone(),
            properties,
            plaintext: protocol == SecurityProtocol::Plaintext,
            read_only: profile.read_only,
        })
    }
}

/// Remembers the last client-level error librdkafka reported, to explain timeouts, and
/// when every broker was last seen down or refused us (TLS, authentication), to stop
/// waiting early: librdkafka would retry those until the request times out.
#[derive(Default)]
pub struct KafkaDeskContext {
    last_error: Mutex<Option<(RDKafkaErrorCode, String)>>,
    all_brokers_down_at: Mutex<Option<Instant>>,
    refused_at: Mutex<Option<Instant>>,
    /// Some request of this client got an answer: the cluster is (or was) reachable.
    answered: AtomicBool,
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
                    if matches!(explain_code(code, &reason, "").kind, ErrorKind::Auth | ErrorKind::Tls) {
                        if let Ok(mut at) = self.refused_at.lock() {
                            *at = Some(Instant::now());
                        }
                    }
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

    /// Every broker down, or a TLS / authentication refusal, since `since`.
    ///
    /// "All brokers down" only counts before the cluster ever answered: librdkafka counts
    /// brokers it never connected to as down, so with sparse connections one dead broker
    /// can read as "3/3 brokers are down" while two others would answer.
    fn gave_up_since(&self, since: Instant) -> bool {
        let after = |at: &Mutex<Option<Instant>>| at.lock().ok().and_then(|at| *at).is_some_and(|at| at >= since);
        (!self.answered.load(Ordering::Relaxed) && after(&self.all_brokers_down_at)) || after(&self.refused_at)
    }
}

/// Polls a client's main queue on a thread of its own until stopped.
struct EventPoller {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EventPoller {
    fn start(admin: &AdminClient<KafkaDeskContext>, reaper: Arc<ReaperRegistration>) -> Result<EventPoller> {
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
                    // Frees the answers of requests nobody waits for any more.
                    if reaper.reaper().pending() > 0 {
                        reaper.reaper().reap(Duration::ZERO);
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

/// One connected cluster's librdkafka handles. Shared as `Arc<Cluster>` by the connection's
/// owner (`connection::ConnectedCluster`), its leases and running calls.
///
/// Whoever lets go of it last, wherever that is (the main thread, a lock holder, a blocking
/// task that was abandoned), the handles are destroyed on a thread of their own: see `Drop`.
pub struct Cluster {
    pub id: String,
    pub bootstrap_servers: String,
    /// Kept (in memory only) to build this cluster's other clients with the same security.
    connection: Connection,
    handles: std::mem::ManuallyDrop<Handles>,
}

/// What must be torn down, in order, when a cluster closes.
struct Handles {
    // Declared first: fields drop in order, and the poller must stop before the client goes.
    events: EventPoller,
    /// Abandoned requests of `admin`; settled before `admin` is destroyed.
    reaper: Arc<ReaperRegistration>,
    admin: AdminClient<KafkaDeskContext>,
    /// Created on the first produce (see `producer`).
    producer: OnceLock<ThreadedProducer<DeliveryRouter>>,
}

/// Bound on waiting for abandoned requests before a client is destroyed: librdkafka's
/// worst case for one request (twice its timeout) plus margin.
const SETTLE_BOUND: Duration = Duration::from_secs(2 * REQUEST_TIMEOUT.as_secs() + 3);

impl Handles {
    /// Stops the event thread, waits (bounded) for abandoned requests, flushes the
    /// producer briefly and destroys the clients. Blocks: runs on a closing thread only.
    fn destroy(self) {
        let Handles { events, reaper, admin, producer } = self;
        drop(events);
        if let Some(producer) = producer.into_inner() {
            // Messages already handed over get a moment to be delivered; the send job
            // that put them there has been cancelled or has finished.
            let _ = rdkafka::producer::Producer::flush(&producer, Duration::from_millis(500));
            drop(producer);
        }
        if reaper.reaper().settle(SETTLE_BOUND) {
            drop(admin);
        } else {
            // librdkafka still holds a request of this client: destroying it now could free
            // memory the answer is written to. Leaking one client is the safe choice.
            log::warn!("a client with unanswered requests is left open rather than destroyed");
            std::mem::forget(admin);
        }
        drop(reaper);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // SAFETY: taken once, here; `handles` is never used after.
        let handles = unsafe { std::mem::ManuallyDrop::take(&mut self.handles) };
        super::connection::destroy_off_thread(move || handles.destroy());
    }
}

impl Cluster {
    pub fn connect(conn: &Connection) -> Result<Arc<Cluster>> {
        let admin: AdminClient<KafkaDeskContext> = base_config(conn)
            .create_with_context(KafkaDeskContext::default())
            .map_err(|e| explain_config_error(&e))?;
        let reaper = Arc::new(Reaper::register(admin.inner().native_ptr()));
        let events = EventPoller::start(&admin, Arc::clone(&reaper))?;
        Ok(Arc::new(Cluster {
            id: conn.id.clone(),
            bootstrap_servers: conn.bootstrap_servers.clone(),
            connection: conn.clone(),
            handles: std::mem::ManuallyDrop::new(Handles { events, reaper, admin, producer: OnceLock::new() }),
        }))
    }

    /// The settings this cluster was connected with.
    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub(crate) fn admin(&self) -> &AdminClient<KafkaDeskContext> {
        &self.handles.admin
    }

    /// The raw librdkafka handle, for the calls in `ffi/`. Valid while `self` lives.
    pub(crate) fn native(&self) -> *mut RDKafka {
        self.handles.admin.inner().native_ptr()
    }

    /// Settings for another client of this cluster (a browse consumer).
    pub(crate) fn client_config(&self) -> ClientConfig {
        base_config(&self.connection)
    }

    /// The cluster's producer, created on first use: idempotent (no duplicates on retry),
    /// acks=all, and Java's murmur2 partitioner so a key lands where Java clients put it.
    pub(crate) fn producer(&self) -> Result<&ThreadedProducer<DeliveryRouter>> {
        if let Some(producer) = self.handles.producer.get() {
            return Ok(producer);
        }
        let created: ThreadedProducer<DeliveryRouter> = self
            .client_config()
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("partitioner", "murmur2_random")
            // Never create a topic by producing to a misspelt name.
            .set("allow.auto.create.topics", "false")
            .set("linger.ms", "5")
            // Well above a job's in-flight cap (produce::MAX_IN_FLIGHT): at librdkafka's
            // 100,000 a bulk send kept the queue full, blocked, and woke for every delivery
            // report (1.55-1.74 CPU-s per million plain lines instead of about 0.8).
            // Memory stays bounded by queue.buffering.max.kbytes (1 GiB, the default).
            .set("queue.buffering.max.messages", "1000000")
            // The broker's max.message.bytes decides what is too large, not a client default.
            .set("message.max.bytes", "104857600")
            // Long enough to ride out a leader election; bounded so a dead cluster is reported.
            .set("message.timeout.ms", "120000")
            .create_with_context(DeliveryRouter::default())
            .map_err(|e| explain_kafka_error(e, "creating a producer"))?;
        Ok(self.handles.producer.get_or_init(|| created))
    }

    /// Turns an error from a request into ours, using what the error callback saw: a
    /// request that timed out because no broker could be reached says why.
    pub(crate) fn explain(&self, error: Error) -> Error {
        if error.kind != ErrorKind::Timeout && error.kind != ErrorKind::Unreachable {
            return error;
        }
        match self.admin().inner().context().last_error() {
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

    /// The cluster's metadata (one topic's, or all), bounded by [`REQUEST_TIMEOUT`].
    ///
    /// librdkafka asks a single broker and, when that broker dies mid-request, keeps the
    /// request for it (to send again once it is back) until the timeout, although the others
    /// answer; or fails at once with a transport error. So the first try is short (a healthy
    /// cluster of 10,000 topics answers in well under a second) and the next try, which
    /// librdkafka sends to a broker that is up, gets the rest of the time.
    pub fn metadata(&self, topic: Option<&str>, what: &str) -> Result<Metadata> {
        let deadline = Instant::now() + REQUEST_TIMEOUT;
        let mut bound = METADATA_FIRST_TRY;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let result = self.admin().inner().fetch_metadata(topic, left.min(bound));
            bound = REQUEST_TIMEOUT;
            let retry = matches!(
                result.as_ref().err().and_then(KafkaError::rdkafka_error_code),
                Some(RDKafkaErrorCode::BrokerTransportFailure | RDKafkaErrorCode::OperationTimedOut)
            );
            if retry && deadline.saturating_duration_since(Instant::now()) > METADATA_RETRY_PAUSE * 5 {
                // Time for librdkafka to mark the failed broker down.
                std::thread::sleep(METADATA_RETRY_PAUSE);
                continue;
            }
            return result.map_err(|e| explain_kafka_error(e, what));
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
                result = &mut task => {
                    let result = result?;
                    if result.is_ok() {
                        self.admin().inner().context().answered.store(true, Ordering::Relaxed);
                    }
                    return result.map_err(|e| self.explain(e));
                }
                _ = tick.tick() => {
                    if self.admin().inner().context().gave_up_since(started) {
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
        // Asking about a topic (or producing to it) never creates it: a typo is an error.
        .set("allow.auto.create.topics", "false")
        .set_log_level(RDKafkaLogLevel::Warning);
    for (key, value) in &conn.properties {
        config.set(key, value);
    }
    config
}

/// Settings librdkafka refused when building the client (a TLS file it cannot read, say).
/// The message names the property, never its value: it may be a secret.
fn explain_config_error(error: &KafkaError) -> Error {
    match error {
        KafkaError::ClientCreation(reason) => {
            let lower = reason.to_ascii_lowercase();
            let (field, what) = if lower.contains("ssl.ca") || lower.contains("ca cert") {
                ("tlsCaFile", "the CA certificate")
            } else if lower.contains("ssl.key") || lower.contains("private key") {
                ("tlsClientKeyFile", "the client key (or its passphrase)")
            } else if lower.contains("ssl.certificate") || lower.contains("certificate") {
                ("tlsClientCertFile", "the client certificate")
            } else {
                ("bootstrapServers", "the connection settings")
            };
            Error::new(ErrorKind::InvalidInput, format!("KafkaDesk could not use {what}: {reason}")).with_detail(field)
        }
        KafkaError::ClientConfig(_, _, key, _) => Error::invalid_input(
            "extraProperties",
            format!("The setting {key} was refused by librdkafka."),
        ),
        other => Error::invalid_input("bootstrapServers", format!("The connection settings were refused: {other}.")),
    }
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
        // librdkafka reports a handshake the broker cut off (no client certificate on an mTLS
        // listener) as a transport failure; its text still says SSL.
        C::BrokerTransportFailure if is_tls_text(reason) => ErrorKind::Tls,
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
        ErrorKind::Auth => auth_cause(reason),
        ErrorKind::Tls => tls_cause(reason),
        ErrorKind::Timeout => format!("The cluster did not answer {what} in time."),
        _ => format!("Kafka refused {what}: {}", if reason.is_empty() { name.as_str() } else { reason }),
    };
    Error::new(kind, message).with_detail(detail)
}

fn is_tls_text(reason: &str) -> bool {
    let r = reason.to_ascii_lowercase();
    r.contains("ssl") || r.contains("tls") || r.contains("certificate")
}

/// librdkafka's text for a certificate that failed verification. With OpenSSL 3 it does
/// not say why (unknown CA or hostname mismatch); `cluster::test_connection` finds out.
pub(crate) fn is_verify_failure(reason: &str) -> bool {
    let r = reason.to_ascii_lowercase();
    r.contains("certificate verify failed") || r.contains("could not be verified")
}

pub(crate) const TLS_UNKNOWN_CA: &str = "TLS: the broker's certificate is not signed by a trusted CA (unknown CA). Choose the CA certificate that signed it.";
pub(crate) const TLS_HOSTNAME_MISMATCH: &str = "TLS: the broker's certificate does not name the host you connect to (hostname mismatch). Fix the bootstrap host, or turn off hostname verification in the connection's TLS settings if you trust this network.";

/// The specific TLS failure in plain words; librdkafka's text stays in `detail`.
pub(crate) fn tls_cause(reason: &str) -> String {
    let r = reason.to_ascii_lowercase();
    if r.contains("hostname mismatch") || r.contains("ip address mismatch") {
        TLS_HOSTNAME_MISMATCH.to_string()
    } else if r.contains("unable to get local issuer") || r.contains("self-signed certificate in certificate chain") {
        TLS_UNKNOWN_CA.to_string()
    } else if is_verify_failure(reason) {
        "TLS: the broker's certificate could not be verified: it is not signed by a trusted CA, or it does not name the host you connect to. Use Test in the connection editor to find out which.".to_string()
    } else if r.contains("certificate required")
        || r.contains("alert bad certificate")
        || r.contains("alert handshake failure")
        || r.contains("client ssl authentication might be required")
    {
        "TLS: the broker requires a client certificate it trusts (mutual TLS) and did not accept ours: none was given, or it is not signed by a CA the broker trusts. Add or fix the client certificate and key.".to_string()
    } else {
        format!("TLS: the handshake with the broker failed: {reason}")
    }
}

/// The specific authentication failure in plain words.
pub(crate) fn auth_cause(reason: &str) -> String {
    let r = reason.to_ascii_lowercase();
    if r.contains("mechanism") && (r.contains("not supported") || r.contains("not enabled") || r.contains("unsupported")) {
        "Authentication: the broker does not enable this SASL mechanism on that listener. Choose another mechanism.".to_string()
    } else if r.contains("invalid credentials") || r.contains("authentication failed") || r.contains("invalid username or password") {
        "Authentication failed: the broker refused the user name or password.".to_string()
    } else {
        format!("Authentication failed: {reason}")
    }
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
