//! Producing: one message (or N copies), a file of them, or messages copied from a session.
//! Everything goes through one idempotent, acks=all producer per connected cluster and one
//! sender ([`Job`]) that keeps many messages in flight and accounts for each: a message
//! carries its job's number and its line as delivery opaque (a plain integer, nothing
//! allocated), and the producer's delivery callback ([`DeliveryRouter`]), on the producer's
//! one poll thread, counts it in that job's [`Tracker`]. No future or channel per message.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Message};
use rdkafka::producer::Producer;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::codec::{self, InputFormat};
use super::{bulk, check_topic, topic_partitions};
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_code, Cluster};
use crate::registry::encoder::{Encoder, SchemaChoice};
use crate::kafka::connection::Write;
use crate::kafka::delivery::{self, DeliveryRouter, DeliverySink};
use crate::kafka::ffi::produce::{Headers, TopicHandle};

/// How long a job waits for its last deliveries: the producer's message.timeout.ms plus margin.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(130);
/// Errors a report lists; the counts cover the rest.
const MAX_REPORTED_ERRORS: usize = 20;
/// How often progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);
/// Messages one job may have handed to librdkafka and not yet seen delivered: what a cancel
/// cannot take back. Well under the producer's queue (1,000,000), so a send never blocks on
/// a full queue (which woke the sender for every delivery report).
const MAX_IN_FLIGHT: u64 = 100_000;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HeaderInput {
    pub name: String,
    /// Absent: a header with a null value.
    #[ts(optional)]
    pub value: Option<String>,
    /// Text or base64 (for binary values).
    #[serde(default)]
    #[ts(optional)]
    pub format: Option<InputFormat>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ProduceRequest {
    pub topic: String,
    /// Absent: chosen by the key's hash (murmur2), or spread when the key is null.
    #[ts(optional)]
    pub partition: Option<i32>,
    /// Absent: a null key.
    #[ts(optional)]
    pub key: Option<String>,
    pub key_format: InputFormat,
    /// Absent: a null value (a tombstone).
    #[ts(optional)]
    pub value: Option<String>,
    pub value_format: InputFormat,
    pub headers: Vec<HeaderInput>,
    /// Copies to send; 0 or absent means 1.
    #[ts(optional)]
    pub count: Option<u32>,
    /// Encode the key (typed as JSON) with this registered schema.
    #[ts(optional)]
    pub key_schema: Option<SchemaChoice>,
    /// Encode the value (typed as JSON) with this registered schema.
    #[ts(optional)]
    pub value_schema: Option<SchemaChoice>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Delivered {
    pub partition: i32,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub timestamp: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LineError {
    /// 1-based line of the input file, or the copy / message number.
    #[ts(type = "number")]
    pub line: u64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SendReport {
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub failed: u64,
    /// `total` is an estimate: a plain-lines file was not read to its end (cancelled).
    pub total_estimated: bool,
    pub cancelled: bool,
    /// The first errors, with their line numbers.
    pub errors: Vec<LineError>,
    /// The first deliveries (at most 100), for showing partition / offset / timestamp.
    pub deliveries: Vec<Delivered>,
    pub elapsed_ms: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SendProgress {
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub sent: u64,
    #[ts(type = "number")]
    pub failed: u64,
    /// `total` is an estimate from the bytes read so far (a plain-lines file being sent as it is read).
    pub total_estimated: bool,
}

/// A message ready to send; `line` is where it came from (for error reports).
#[derive(Debug)]
pub struct Outgoing {
    pub line: u64,
    pub partition: Option<i32>,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(String, Option<Vec<u8>>)>,
}

impl ProduceRequest {
    /// The bytes to send, or the first problem with the form (naming its field).
    pub fn outgoing(&self, partitions: i32) -> Result<Outgoing> {
        self.outgoing_with(partitions, None)
    }

    /// [`outgoing`](Self::outgoing), with key / value encoded by their registered schemas.
    pub fn outgoing_with(&self, partitions: i32, schemas: Option<&Encoder>) -> Result<Outgoing> {
        if let Some(p) = self.partition {
            check_partition(&self.topic, p, partitions, "partition")?;
        }
        let bytes = |text: &str, format: InputFormat, is_key: bool, field: &str, label: &str| {
            schemas
                .and_then(|s| s.encode_text(is_key, text, field, label))
                .unwrap_or_else(|| codec::encode(text, format, field, label))
        };
        let key = self.key.as_deref().map(|k| bytes(k, self.key_format, true, "key", "The key")).transpose()?;
        let value = self.value.as_deref().map(|v| bytes(v, self.value_format, false, "value", "The value")).transpose()?;
        let mut headers = Vec::with_capacity(self.headers.len());
        for (i, h) in self.headers.iter().enumerate() {
            if h.name.is_empty() {
                return Err(Error::invalid_input(&format!("headers.{i}.name"), format!("Header {} needs a name.", i + 1)));
            }
            let value = h
                .value
                .as_deref()
                .map(|v| {
                    let label = format!("Header \"{}\"", h.name);
                    codec::encode(v, h.format.unwrap_or_default(), &format!("headers.{i}.value"), &label)
                })
                .transpose()?;
            headers.push((h.name.clone(), value));
        }
        Ok(Outgoing { line: 1, partition: self.partition, key, value, headers })
    }
}

pub fn check_partition(topic: &str, partition: i32, partitions: i32, field: &str) -> Result<()> {
    if partition < 0 || partition >= partitions {
        return Err(Error::invalid_input(
            field,
            format!("Topic \"{topic}\" has partitions 0 to {}; there is no partition {partition}.", partitions - 1),
        ));
    }
    Ok(())
}

/// The number of partitions of `topic` (no client of ours auto-creates topics). Read-only:
/// asks the admin handle, so it never starts the idempotent producer.
pub async fn partition_count(cluster: &Arc<Cluster>, topic: &str) -> Result<i32> {
    check_topic(topic, "topic")?;
    let topic = topic.to_string();
    cluster.blocking(move |c| topic_partitions(c.admin().inner(), &topic)).await
}

/// Most copies one request may send (the form's own limit): more is a job for a file.
pub const MAX_COPIES: u32 = 1_000_000;

/// The number of copies a request asks for: 0 or absent is 1, more than [`MAX_COPIES`] an error.
pub fn copies(request: &ProduceRequest) -> Result<u64> {
    match request.count.unwrap_or(1) {
        n if n > MAX_COPIES => Err(Error::invalid_input(
            "count",
            format!("Copies: at most {MAX_COPIES} per send ({n} asked); send a file for more."),
        )),
        n => Ok(u64::from(n.max(1))),
    }
}

/// Sends one message, or `count` copies of it, as one uninterrupted job.
pub async fn produce(cluster: &Write, request: ProduceRequest) -> Result<SendReport> {
    produce_job(cluster, request, None, Arc::new(AtomicBool::new(false)), |_| {}).await
}

/// Sends one message, or `count` copies of it, with key / value encoded by `schemas` where
/// they have one; stops taking new copies on `cancel`.
pub async fn produce_job(
    cluster: &Write,
    request: ProduceRequest,
    schemas: Option<&Encoder>,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let count = copies(&request)?;
    let partitions = partition_count(cluster, &request.topic).await?;
    let message = request.outgoing_with(partitions, schemas)?;
    let messages = (1..=count).map(move |n| {
        Ok(Outgoing {
            line: n,
            partition: message.partition,
            key: message.key.clone(),
            value: message.value.clone(),
            headers: message.headers.clone(),
        })
    });
    let report = send_all(cluster, &request.topic, count, messages, cancel, progress).await?;
    match report.errors.first() {
        // A lone message that failed is an error, not a report.
        Some(first) if report.sent == 0 => Err(Error::new(ErrorKind::Kafka, first.message.clone())),
        _ => Ok(report),
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FileFormat {
    /// One JSON object per line: `{key?, value, headers?, partition?, keyFormat?, valueFormat?}`.
    #[default]
    Jsonl,
    /// Each line is a value; keys are null.
    Lines,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FileProduceRequest {
    pub topic: String,
    pub path: String,
    pub format: FileFormat,
}

/// Sends every message of a file. A JSONL file is read once and checked completely first
/// (one pass that records where each message's bytes are): if any line is malformed
/// nothing is sent and the error lists the bad lines. The send then goes from that index,
/// so a file changed in between cannot send what was not checked. A plain-lines file has
/// nothing to check and is sent as it is read.
pub async fn produce_file(
    cluster: &Write,
    request: FileProduceRequest,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    produce_file_with(cluster, request, None, cancel, progress).await
}

/// [`produce_file`] with JSONL keys / values encoded by registered schemas.
pub async fn produce_file_with(
    cluster: &Write,
    request: FileProduceRequest,
    schemas: Option<Arc<Encoder>>,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let partitions = partition_count(cluster, &request.topic).await?;
    let FileProduceRequest { topic, path, format } = request;
    let write = cluster.clone();
    if format == FileFormat::Lines {
        if schemas.is_some() {
            return Err(Error::invalid_input("format", "Encoding with a schema needs a JSONL file (one record per line)."));
        }
        return cluster
            .blocking(move |_| {
                let file = bulk::LinesFile::open(&path)?;
                let mut job = Job::start(&write, &topic, 0, &cancel, progress)?;
                file.send(&mut job);
                Ok(job.finish())
            })
            .await;
    }
    let checked = tokio::task::spawn_blocking({
        let topic = topic.clone();
        let cancel = Arc::clone(&cancel);
        move || bulk::FileIndex::read(&path, partitions, &topic, schemas.as_deref(), &cancel)
    })
    .await??;
    cluster
        .blocking(move |_| {
            let mut job = Job::start(&write, &topic, checked.len(), &cancel, progress)?;
            checked.send(&mut job);
            Ok(job.finish())
        })
        .await
}

/// The message for a delivery error, naming the size limit when that is the cause.
fn delivery_error(error: &KafkaError, size: usize) -> String {
    match error.rdkafka_error_code() {
        Some(RDKafkaErrorCode::MessageSizeTooLarge) => format!(
            "The message ({size} bytes) is larger than the topic accepts (its max.message.bytes); it was not sent."
        ),
        Some(code) => explain_code(code, "", "the message").message,
        None => format!("The message was not sent: {error}."),
    }
}

/// One send job's outcomes, written by the producer's poll thread only (the delivery
/// callback); the job's own thread reads them.
#[derive(Default)]
pub struct Tracker {
    sent: AtomicU64,
    failed: AtomicU64,
    errors: Mutex<Vec<LineError>>,
    deliveries: Mutex<Vec<Delivered>>,
}

impl Tracker {
    /// Called on one thread at a time (the poll thread), so a load and a store suffice.
    fn add_failed(&self, line: u64, message: String) {
        self.failed.store(self.failed.load(Ordering::Relaxed) + 1, Ordering::Release);
        if let Ok(mut errors) = self.errors.lock() {
            if errors.len() < MAX_REPORTED_ERRORS {
                errors.push(LineError { line, message });
            }
        }
    }

    fn done(&self) -> u64 {
        self.sent.load(Ordering::Acquire) + self.failed.load(Ordering::Acquire)
    }
}

impl DeliverySink for Tracker {
    fn delivered(&self, result: &DeliveryResult<'_>, line: u64, size: usize) {
        match result {
            Ok(m) => {
                let sent = self.sent.load(Ordering::Relaxed);
                if sent < 100 {
                    if let Ok(mut deliveries) = self.deliveries.lock() {
                        let timestamp = m.timestamp().to_millis().unwrap_or(-1);
                        deliveries.push(Delivered { partition: m.partition(), offset: m.offset(), timestamp });
                    }
                }
                self.sent.store(sent + 1, Ordering::Release);
            }
            Err((e, _)) => self.add_failed(line, delivery_error(e, size)),
        }
    }
}

/// One send job on the cluster's producer: a topic handle made once, at most
/// `MAX_IN_FLIGHT` messages queued and not yet delivered (so a cancel stops a big send
/// within that many; `RD_KAFKA_MSG_F_BLOCK` still waits for room when several jobs fill the
/// queue together), progress and cancel checked as it goes. Stops taking messages on
/// cancel; those in flight still finish and are counted.
pub struct Job<'a, P: Fn(SendProgress)> {
    router: &'a DeliveryRouter,
    topic: TopicHandle<'a>,
    id: usize,
    tracker: Arc<Tracker>,
    total: u64,
    total_estimated: bool,
    /// Messages handed to librdkafka (this thread's own count).
    queued: u64,
    /// Refused before they were queued (written by this thread only).
    refused: Vec<LineError>,
    refused_count: u64,
    cancel: &'a AtomicBool,
    cancelled: bool,
    progress: P,
    started: Instant,
    last_progress: Instant,
}

impl<'a, P: Fn(SendProgress)> Job<'a, P> {
    pub fn start(cluster: &'a Write, topic: &str, total: u64, cancel: &'a AtomicBool, progress: P) -> Result<Self> {
        let producer = cluster.producer()?;
        let router = producer.context();
        let topic = TopicHandle::new(producer, topic)?;
        let tracker = Arc::new(Tracker::default());
        let id = router.register(Arc::clone(&tracker) as Arc<dyn DeliverySink>)?;
        let now = Instant::now();
        Ok(Job {
            router,
            topic,
            id,
            tracker,
            total,
            total_estimated: false,
            queued: 0,
            refused: Vec::new(),
            refused_count: 0,
            cancel,
            cancelled: false,
            progress,
            started: now,
            last_progress: now,
        })
    }

    /// Queues one message; false once the job is cancelled (send nothing more).
    pub fn send(
        &mut self,
        line: u64,
        partition: Option<i32>,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: Option<Headers>,
    ) -> bool {
        loop {
            if self.cancel.load(Ordering::Relaxed) {
                self.cancelled = true;
                return false;
            }
            if self.queued.saturating_sub(self.tracker.done()) < MAX_IN_FLIGHT {
                break;
            }
            // A millisecond here is a thousand deliveries at full speed: the wait costs nothing.
            std::thread::sleep(Duration::from_millis(1));
            if self.last_progress.elapsed() >= PROGRESS_EVERY {
                self.report();
            }
        }
        let opaque = delivery::opaque(self.id, line);
        match self.topic.send(partition, key, value, headers, opaque) {
            Ok(()) => self.queued += 1,
            Err(code) => {
                let size = key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len);
                self.refuse(line, delivery_error(&KafkaError::MessageProduction(code), size));
            }
        }
        if self.queued & 0x3ff == 0 && self.last_progress.elapsed() >= PROGRESS_EVERY {
            self.report();
        }
        true
    }

    /// Sets the total the progress reports: an estimate while the source is still being read.
    pub fn set_total(&mut self, total: u64, estimated: bool) {
        self.total = total;
        self.total_estimated = estimated;
    }

    /// Counts a message that could not even be queued (a bad item of the source).
    pub fn refuse(&mut self, line: u64, message: String) {
        self.refused_count += 1;
        if self.refused.len() < MAX_REPORTED_ERRORS {
            self.refused.push(LineError { line, message });
        }
    }

    fn progress_now(&self) -> SendProgress {
        SendProgress {
            total: self.total,
            sent: self.tracker.sent.load(Ordering::Acquire),
            failed: self.tracker.failed.load(Ordering::Acquire) + self.refused_count,
            total_estimated: self.total_estimated,
        }
    }

    fn report(&mut self) {
        (self.progress)(self.progress_now());
        self.last_progress = Instant::now();
    }

    /// Waits for every queued message's delivery report (bounded), then reports.
    pub fn finish(mut self) -> SendReport {
        // Every message queued gets a delivery report within message.timeout.ms.
        let deadline = Instant::now() + DRAIN_TIMEOUT;
        while self.tracker.done() < self.queued && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(2));
            if self.last_progress.elapsed() >= PROGRESS_EVERY {
                self.report();
            }
        }
        self.router.unregister(self.id);
        let unconfirmed = self.queued.saturating_sub(self.tracker.done());
        let mut errors: Vec<LineError> = std::mem::take(&mut self.refused);
        errors.extend(self.tracker.errors.lock().map(|v| v.clone()).unwrap_or_default());
        errors.truncate(MAX_REPORTED_ERRORS);
        let mut failed = self.tracker.failed.load(Ordering::Acquire) + self.refused_count;
        if unconfirmed > 0 {
            errors.push(LineError {
                line: 0,
                message: format!("{unconfirmed} messages were not confirmed in time; they may or may not have arrived."),
            });
            failed += unconfirmed;
        }
        let sent = self.tracker.sent.load(Ordering::Acquire);
        (self.progress)(SendProgress { total: self.total, sent, failed, total_estimated: self.total_estimated });
        let mut deliveries: Vec<Delivered> = self.tracker.deliveries.lock().map(|v| v.clone()).unwrap_or_default();
        deliveries.sort_by_key(|d| (d.timestamp, d.partition, d.offset));
        SendReport {
            total: self.total,
            sent,
            failed,
            total_estimated: self.total_estimated,
            cancelled: self.cancelled,
            errors,
            deliveries,
            elapsed_ms: u32::try_from(self.started.elapsed().as_millis()).unwrap_or(u32::MAX),
        }
    }
}

/// A header list for librdkafka; `None` when there are none.
pub(super) fn native_headers<'h>(headers: impl Iterator<Item = (&'h [u8], Option<&'h [u8]>)> + Clone) -> Option<Headers> {
    let count = headers.clone().count();
    if count == 0 {
        return None;
    }
    let mut native = Headers::new(count);
    for (name, value) in headers {
        native.add(name, value);
    }
    Some(native)
}

/// Sends owned messages (copies of one, or a session's rows) through one [`Job`].
pub async fn send_all(
    cluster: &Write,
    topic: &str,
    total: u64,
    messages: impl Iterator<Item = Result<Outgoing>> + Send + 'static,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let topic = topic.to_string();
    let write = cluster.clone();
    cluster
        .blocking(move |_| {
            let mut job = Job::start(&write, &topic, total, &cancel, progress)?;
            for item in messages {
                let m = match item {
                    Ok(m) => m,
                    Err(e) => {
                        job.refuse(0, e.message);
                        continue;
                    }
                };
                let headers = native_headers(m.headers.iter().map(|(n, v)| (n.as_bytes(), v.as_deref())));
                if !job.send(m.line, m.partition, m.key.as_deref(), m.value.as_deref(), headers) {
                    break;
                }
            }
            Ok(job.finish())
        })
        .await
}
