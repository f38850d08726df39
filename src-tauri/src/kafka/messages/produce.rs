//! Producing: one message (or N copies), a file of them, or messages copied from a session.
//! Everything goes through one idempotent, acks=all producer per connected cluster and one
//! pipeline (`send_all`) that keeps many messages in flight and accounts for each: every
//! message carries its job's [`Tracker`] as delivery opaque, and the producer's delivery
//! callback ([`DeliveryRouter`]) counts it there. No future or channel per message.

use std::io::{BufRead, Read};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, Message, OwnedHeaders};
use rdkafka::producer::BaseRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::codec::{self, InputFormat};
use super::{check_topic, topic_partitions};
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_code, Cluster};
use crate::kafka::connection::Write;
use crate::kafka::delivery::{DeliverySink, Tracked};

/// Messages in flight at once per job; enough to keep every partition's batches full.
const MAX_IN_FLIGHT: u64 = 200_000;
/// How long a job waits for its last deliveries: the producer's message.timeout.ms plus margin.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(130);
/// Errors a report lists; the counts cover the rest.
const MAX_REPORTED_ERRORS: usize = 20;
/// How often progress is reported.
const PROGRESS_EVERY: Duration = Duration::from_millis(100);

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
        if let Some(p) = self.partition {
            check_partition(&self.topic, p, partitions, "partition")?;
        }
        let key = self.key.as_deref().map(|k| codec::encode(k, self.key_format, "key", "The key")).transpose()?;
        let value =
            self.value.as_deref().map(|v| codec::encode(v, self.value_format, "value", "The value")).transpose()?;
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
    produce_job(cluster, request, Arc::new(AtomicBool::new(false)), |_| {}).await
}

/// Sends one message, or `count` copies of it; stops taking new copies on `cancel`.
pub async fn produce_job(
    cluster: &Write,
    request: ProduceRequest,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let count = copies(&request)?;
    let partitions = partition_count(cluster, &request.topic).await?;
    let message = request.outgoing(partitions)?;
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

/// One JSONL line as written by hand or by our export.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct JsonLine {
    #[serde(default)]
    key: Option<serde_json::Value>,
    /// `Some(Null)` for `"value": null` (a tombstone), `None` when the field is missing.
    #[serde(default, deserialize_with = "present")]
    value: Option<serde_json::Value>,
    #[serde(default)]
    headers: Option<JsonHeaders>,
    #[serde(default)]
    partition: Option<i32>,
    #[serde(default)]
    key_format: Option<InputFormat>,
    #[serde(default)]
    value_format: Option<InputFormat>,
    // Written by export; accepted and ignored so an export can be sent again.
    #[serde(default, rename = "offset")]
    _offset: Option<serde_json::Value>,
    #[serde(default, rename = "timestamp")]
    _timestamp: Option<serde_json::Value>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonHeaders {
    /// `{"name": "value", ...}`
    Map(serde_json::Map<String, serde_json::Value>),
    /// `[{"name": ..., "value": ..., "format"?: "base64"}]`
    List(Vec<HeaderInput>),
}

/// `value` of a JSONL field: strings as they are (decoded per format), other JSON as its text.
fn json_field(v: Option<serde_json::Value>, format: Option<InputFormat>, field: &str) -> Result<Option<Vec<u8>>, String> {
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        // Text is the common case: the parsed string's buffer becomes the bytes, no copy.
        Some(serde_json::Value::String(s)) => match format.unwrap_or_default() {
            InputFormat::Text => Ok(Some(s.into_bytes())),
            f => codec::encode(&s, f, field, field).map(Some).map_err(|e| e.message),
        },
        Some(other) => Ok(Some(other.to_string().into_bytes())),
    }
}

pub(crate) fn parse_json_line(text: &str, line: u64, partitions: i32, topic: &str) -> Result<Outgoing, String> {
    let parsed: JsonLine = serde_json::from_str(text).map_err(|e| {
        let reason = e.to_string();
        let reason = reason.rfind(" at line ").map_or(reason.as_str(), |i| &reason[..i]).to_string();
        format!("not a valid message object: {reason} at column {}", e.column())
    })?;
    if parsed.value.is_none() {
        return Err("has no \"value\" (use \"value\": null for a tombstone)".into());
    }
    if let Some(p) = parsed.partition {
        check_partition(topic, p, partitions, "partition").map_err(|e| e.message)?;
    }
    let key = json_field(parsed.key, parsed.key_format, "The key")?;
    let value = json_field(parsed.value, parsed.value_format, "The value")?;
    let headers = match parsed.headers {
        None => Vec::new(),
        Some(JsonHeaders::Map(map)) => map
            .into_iter()
            .map(|(name, v)| match v {
                serde_json::Value::Null => Ok((name, None)),
                serde_json::Value::String(s) => Ok((name, Some(s.into_bytes()))),
                other => Ok((name, Some(other.to_string().into_bytes()))),
            })
            .collect::<Result<_, String>>()?,
        Some(JsonHeaders::List(list)) => list
            .into_iter()
            .map(|h| {
                let value = h
                    .value
                    .as_deref()
                    .map(|v| codec::encode(v, h.format.unwrap_or_default(), "headers", &format!("Header \"{}\"", h.name)))
                    .transpose()
                    .map_err(|e| e.message)?;
                Ok((h.name, value))
            })
            .collect::<Result<_, String>>()?,
    };
    Ok(Outgoing { line, partition: parsed.partition, key, value, headers })
}

/// Longest line a message file may have: the producer's own limit (message.max.bytes) plus
/// room for JSON quoting. A longer line (or a device with no line ends) stops the read.
const MAX_LINE: u64 = 128 << 20;

/// Opens a message file: a regular file only. A folder would answer every read with
/// EISDIR forever, and a device or pipe may never end.
fn open_message_file(path: &str) -> Result<std::fs::File> {
    if path.trim().is_empty() {
        return Err(Error::invalid_input("path", "Choose a file to send."));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Error::invalid_input("path", format!("Could not open \"{path}\": {e}.")))?;
    let meta = file.metadata().map_err(|e| Error::invalid_input("path", format!("Could not read \"{path}\": {e}.")))?;
    if meta.is_dir() {
        return Err(Error::invalid_input("path", format!("\"{path}\" is a folder; choose a file of messages.")));
    }
    if !meta.is_file() {
        return Err(Error::invalid_input("path", format!("\"{path}\" is not a regular file; choose a file of messages.")));
    }
    Ok(file)
}

/// The lines of a reader, each at most [`MAX_LINE`] bytes; the first read error or
/// over-long line is the last item (reading on after one would only repeat it).
pub(crate) struct Lines<R> {
    reader: R,
    line: u64,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R) -> Self {
        Lines { reader, line: 0, done: false }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = (u64, Result<String, LineError>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.line += 1;
        let n = self.line;
        let mut buf = Vec::new();
        let fail = |this: &mut Self, message: String| {
            this.done = true;
            Some((n, Err(LineError { line: n, message })))
        };
        let read = (&mut self.reader).take(MAX_LINE + 1).read_until(b'\n', &mut buf);
        match read {
            Ok(0) => {
                self.done = true;
                None
            }
            Ok(_) if buf.len() as u64 > MAX_LINE && buf.last() != Some(&b'\n') => {
                fail(self, format!("Line {n} is longer than {} MiB; nothing after it was read.", MAX_LINE >> 20))
            }
            Ok(_) => {
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                    if buf.last() == Some(&b'\r') {
                        buf.pop();
                    }
                }
                match String::from_utf8(buf) {
                    Ok(text) => Some((n, Ok(text))),
                    Err(_) => Some((n, Err(LineError { line: n, message: format!("Line {n} is not UTF-8 text.") }))),
                }
            }
            Err(e) => fail(self, format!("Line {n} could not be read: {e}.")),
        }
    }
}

/// Reads a file's messages lazily; each item is a message or the error of its line.
fn file_messages(
    path: &str,
    format: FileFormat,
    partitions: i32,
    topic: &str,
) -> Result<impl Iterator<Item = Result<Outgoing, LineError>> + Send + 'static> {
    let file = open_message_file(path)?;
    let topic = topic.to_string();
    let lines = Lines::new(std::io::BufReader::with_capacity(1 << 20, file));
    Ok(lines.filter_map(move |(n, line)| {
        let text = match line {
            Ok(text) => text,
            Err(e) => return Some(Err(e)),
        };
        match format {
            FileFormat::Lines => {
                Some(Ok(Outgoing { line: n, partition: None, key: None, value: Some(text.into_bytes()), headers: vec![] }))
            }
            // Blank lines separate nothing in JSONL; skipping them is not losing a message.
            FileFormat::Jsonl if text.trim().is_empty() => None,
            FileFormat::Jsonl => Some(
                parse_json_line(&text, n, partitions, &topic)
                    .map_err(|m| LineError { line: n, message: format!("Line {n} {m}.") }),
            ),
        }
    }))
}

/// Checks every line of a message file before anything is sent: the number of messages, or
/// why nothing will be sent (the first bad lines, the rest counted). Stops on `cancel`.
fn check_file(path: &str, format: FileFormat, partitions: i32, topic: &str, cancel: &AtomicBool) -> Result<u64> {
    let (mut total, mut bad, mut bad_count) = (0u64, Vec::new(), 0usize);
    for (i, item) in file_messages(path, format, partitions, topic)?.enumerate() {
        if i % 4096 == 0 && cancel.load(Ordering::Relaxed) {
            return Err(Error::new(ErrorKind::Cancelled, "Cancelled; nothing was sent."));
        }
        match item {
            Ok(_) => total += 1,
            Err(e) => {
                bad_count += 1;
                if bad.len() < 5 {
                    bad.push(e.message);
                }
            }
        }
    }
    if bad.is_empty() {
        return Ok(total);
    }
    let more = if bad_count > 5 { format!(" (and {} more bad lines)", bad_count - 5) } else { String::new() };
    Err(Error::invalid_input("path", format!("Nothing was sent. {}{more}", bad.join(" "))))
}

/// Sends every message of a file. The file is checked completely first: if any line is
/// malformed nothing is sent and the error lists the bad lines.
pub async fn produce_file(
    cluster: &Write,
    request: FileProduceRequest,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let partitions = partition_count(cluster, &request.topic).await?;
    let (path, format, topic) = (request.path.clone(), request.format, request.topic.clone());
    let checking = Arc::clone(&cancel);
    let total =
        tokio::task::spawn_blocking(move || check_file(&path, format, partitions, &topic, &checking)).await??;
    let messages = file_messages(&request.path, request.format, partitions, &request.topic)?
        .map(|item| item.map_err(|e| Error::invalid_input("path", e.message)));
    send_all(cluster, &request.topic, total, messages, cancel, progress).await
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

/// One send job's outcomes, filled in by the delivery callback.
#[derive(Default)]
pub struct Tracker {
    in_flight: AtomicU64,
    sent: AtomicU64,
    failed: AtomicU64,
    errors: Mutex<Vec<LineError>>,
    deliveries: Mutex<Vec<Delivered>>,
}

impl Tracker {
    fn fail(&self, line: u64, message: String) {
        self.failed.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut errors) = self.errors.lock() {
            if errors.len() < MAX_REPORTED_ERRORS {
                errors.push(LineError { line, message });
            }
        }
    }

    fn progress(&self, total: u64) -> SendProgress {
        SendProgress { total, sent: self.sent.load(Ordering::Relaxed), failed: self.failed.load(Ordering::Relaxed) }
    }
}

impl DeliverySink for Tracker {
    fn delivered(&self, result: &DeliveryResult<'_>, line: u64, size: usize) {
        match result {
            Ok(m) => {
                self.sent.fetch_add(1, Ordering::Relaxed);
                if let Ok(mut deliveries) = self.deliveries.lock() {
                    if deliveries.len() < 100 {
                        let timestamp = m.timestamp().to_millis().unwrap_or(-1);
                        deliveries.push(Delivered { partition: m.partition(), offset: m.offset(), timestamp });
                    }
                }
            }
            Err((e, _)) => self.fail(line, delivery_error(e, size)),
        }
        self.in_flight.fetch_sub(1, Ordering::Release);
    }
}

/// The pipeline: sends each message (off the async runtime), keeps up to [`MAX_IN_FLIGHT`]
/// awaiting delivery, and counts every outcome. Stops taking new messages on cancel; those
/// in flight still finish and are counted.
pub async fn send_all(
    cluster: &Write,
    topic: &str,
    total: u64,
    messages: impl Iterator<Item = Result<Outgoing>> + Send + 'static,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(SendProgress) + Send + 'static,
) -> Result<SendReport> {
    let topic = topic.to_string();
    cluster.blocking(move |c| send_blocking(c, &topic, total, messages, &cancel, progress)).await
}

fn send_blocking(
    cluster: &Cluster,
    topic: &str,
    total: u64,
    messages: impl Iterator<Item = Result<Outgoing>>,
    cancel: &AtomicBool,
    progress: impl Fn(SendProgress),
) -> Result<SendReport> {
    let producer = cluster.producer()?;
    let started = Instant::now();
    let tracker = Arc::new(Tracker::default());
    let mut cancelled = false;
    let mut last_progress = Instant::now();
    for item in messages {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            break;
        }
        let message = match item {
            Ok(m) => m,
            Err(e) => {
                tracker.fail(0, e.message);
                continue;
            }
        };
        let size = message.value.as_ref().map_or(0, Vec::len) + message.key.as_ref().map_or(0, Vec::len);
        let tracked = Box::new(Tracked { sink: Arc::clone(&tracker) as Arc<dyn DeliverySink>, line: message.line, size });
        let mut record = BaseRecord::<[u8], [u8], Box<Tracked>>::with_opaque_to(topic, tracked);
        if let Some(p) = message.partition {
            record = record.partition(p);
        }
        if let Some(k) = message.key.as_deref() {
            record = record.key(k);
        }
        if let Some(v) = message.value.as_deref() {
            record = record.payload(v);
        }
        if !message.headers.is_empty() {
            let headers = message
                .headers
                .iter()
                .fold(OwnedHeaders::new_with_capacity(message.headers.len()), |hs, (name, value)| {
                    hs.insert(Header { key: name, value: value.as_deref() })
                });
            record = record.headers(headers);
        }
        while tracker.in_flight.load(Ordering::Acquire) >= MAX_IN_FLIGHT {
            std::thread::sleep(Duration::from_millis(1));
        }
        tracker.in_flight.fetch_add(1, Ordering::AcqRel);
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    record = back;
                    std::thread::sleep(Duration::from_millis(1));
                }
                Err((e, _)) => {
                    tracker.in_flight.fetch_sub(1, Ordering::AcqRel);
                    tracker.fail(message.line, delivery_error(&e, size));
                    break;
                }
            }
        }
        if last_progress.elapsed() >= PROGRESS_EVERY {
            progress(tracker.progress(total));
            last_progress = Instant::now();
        }
    }
    // Every message sent gets a delivery report within message.timeout.ms.
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    while tracker.in_flight.load(Ordering::Acquire) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
        if last_progress.elapsed() >= PROGRESS_EVERY {
            progress(tracker.progress(total));
            last_progress = Instant::now();
        }
    }
    let unconfirmed = tracker.in_flight.load(Ordering::Acquire);
    if unconfirmed > 0 {
        tracker.fail(0, format!("{unconfirmed} messages were not confirmed in time; they may or may not have arrived."));
        tracker.failed.fetch_add(unconfirmed - 1, Ordering::Relaxed);
    }
    progress(tracker.progress(total));
    Ok(SendReport {
        total,
        sent: tracker.sent.load(Ordering::Relaxed),
        failed: tracker.failed.load(Ordering::Relaxed),
        cancelled,
        errors: tracker.errors.lock().map(|v| v.clone()).unwrap_or_default(),
        deliveries: {
            let mut d: Vec<Delivered> = tracker.deliveries.lock().map(|v| v.clone()).unwrap_or_default();
            d.sort_by_key(|d| (d.timestamp, d.partition, d.offset));
            d
        },
        elapsed_ms: u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_devices_are_refused_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().display().to_string();
        let e = file_messages(&path, FileFormat::Jsonl, 1, "t").err().expect("a folder is refused");
        assert_eq!(e.detail.as_deref(), Some("path"));
        assert!(e.message.contains("folder"), "{}", e.message);
        if std::path::Path::new("/dev/zero").exists() {
            // Endless bytes with no line end: refused, never read into memory.
            assert!(file_messages("/dev/zero", FileFormat::Lines, 1, "t").err().expect("a device").message.contains("regular file"));
        }
    }

    #[test]
    fn a_read_error_ends_the_lines() {
        struct Failing;
        impl std::io::Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("EISDIR"))
            }
        }
        let items: Vec<_> = Lines::new(std::io::BufReader::new(Failing)).take(10).collect();
        assert_eq!(items.len(), 1, "one error, then the end (it used to repeat forever)");
        assert!(items[0].1.is_err());
    }

    #[test]
    fn the_check_stops_on_cancel() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.txt");
        std::fs::write(&path, "a\n".repeat(100_000)).unwrap();
        let cancel = AtomicBool::new(true);
        let e = check_file(&path.display().to_string(), FileFormat::Lines, 1, "t", &cancel).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Cancelled);
        let go = AtomicBool::new(false);
        assert_eq!(check_file(&path.display().to_string(), FileFormat::Lines, 1, "t", &go).unwrap(), 100_000);
    }

    #[test]
    fn copies_are_bounded() {
        let request = |count| ProduceRequest { count, ..Default::default() };
        assert_eq!(copies(&request(None)).unwrap(), 1);
        assert_eq!(copies(&request(Some(0))).unwrap(), 1);
        assert_eq!(copies(&request(Some(MAX_COPIES))).unwrap(), u64::from(MAX_COPIES));
        assert_eq!(copies(&request(Some(1_000_000_000))).unwrap_err().detail.as_deref(), Some("count"));
    }

    #[test]
    fn jsonl_lines_become_messages_or_precise_errors() {
        let m = parse_json_line(r#"{"key":"k","value":{"a":1},"headers":{"h":"v"},"partition":1}"#, 1, 3, "t").unwrap();
        assert_eq!(m.key.as_deref(), Some(b"k".as_slice()));
        assert_eq!(m.value.as_deref(), Some(br#"{"a":1}"#.as_slice()));
        assert_eq!(m.headers, vec![("h".to_string(), Some(b"v".to_vec()))]);
        let tomb = parse_json_line(r#"{"key":"k","value":null}"#, 1, 3, "t").unwrap();
        assert!(tomb.value.is_none());
        let bin = parse_json_line(r#"{"value":"AAE=","valueFormat":"base64"}"#, 1, 3, "t").unwrap();
        assert_eq!(bin.value, Some(vec![0, 1]));
        assert!(parse_json_line(r#"{"value":"x","partition":3}"#, 1, 3, "t").unwrap_err().contains("no partition 3"));
        assert!(parse_json_line(r#"{"key":"k"}"#, 1, 3, "t").unwrap_err().contains("no \"value\""));
        assert!(parse_json_line(r#"{"value": tru}"#, 1, 3, "t").unwrap_err().contains("column"));
    }
}
