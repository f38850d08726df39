//! Producing: one message (or N copies), a file of them, or messages copied from a session.
//! Everything goes through one idempotent, acks=all producer per connected cluster and one
//! pipeline (`send_all`) that keeps many messages in flight and accounts for each: every
//! message carries its job's [`Tracker`] as delivery opaque, and the producer's delivery
//! callback ([`DeliveryRouter`]) counts it there. No future or channel per message.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, Message, OwnedHeaders};
use rdkafka::producer::BaseRecord;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::codec::{self, InputFormat};
use super::topic_partitions;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_code, Cluster};
use crate::registry::encoder::{Encoder, SchemaChoice};
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
    if topic.trim().is_empty() {
        return Err(Error::invalid_input("topic", "Choose a topic."));
    }
    let topic = topic.to_string();
    cluster.blocking(move |c| topic_partitions(c.admin().inner(), &topic)).await
}

/// Sends one message, or `count` copies of it.
pub async fn produce(cluster: &Write, request: ProduceRequest) -> Result<SendReport> {
    produce_with(cluster, request, None).await
}

/// [`produce`] with key / value encoded by registered schemas.
pub async fn produce_with(cluster: &Write, request: ProduceRequest, schemas: Option<&Encoder>) -> Result<SendReport> {
    let partitions = partition_count(cluster, &request.topic).await?;
    let message = request.outgoing_with(partitions, schemas)?;
    let count = u64::from(request.count.unwrap_or(1).max(1));
    let copies = (1..=count).map(move |n| {
        Ok(Outgoing {
            line: n,
            partition: message.partition,
            key: message.key.clone(),
            value: message.value.clone(),
            headers: message.headers.clone(),
        })
    });
    let never = Arc::new(AtomicBool::new(false));
    let report = send_all(cluster, &request.topic, count, copies, never, |_| {}).await?;
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
    // Written by export for decoded schema data; the request's schema choice governs.
    #[serde(default, rename = "keySchema")]
    _key_schema: Option<serde_json::Value>,
    #[serde(default, rename = "valueSchema")]
    _value_schema: Option<serde_json::Value>,
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

/// A JSONL key or value as a record for its schema (a string holding JSON is parsed).
fn schema_field(schemas: &Encoder, is_key: bool, v: Option<serde_json::Value>, label: &str) -> Option<Result<Option<Vec<u8>>, String>> {
    if !schemas.has(is_key) {
        return None;
    }
    let field = if is_key { "key" } else { "value" };
    Some(match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) if serde_json::from_str::<serde_json::Value>(&s).is_ok() => {
            schemas.encode_text(is_key, &s, field, label).map(|r| r.map(Some).map_err(|e| e.message)).unwrap_or(Ok(None))
        }
        Some(v) => schemas.encode(is_key, &v, field, label).map(|r| r.map(Some).map_err(|e| e.message)).unwrap_or(Ok(None)),
    })
}

fn parse_json_line(text: &str, line: u64, partitions: i32, topic: &str, schemas: Option<&Encoder>) -> Result<Outgoing, String> {
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
    let key = match schemas.and_then(|s| schema_field(s, true, parsed.key.clone(), "The key")) {
        Some(k) => k?,
        None => json_field(parsed.key, parsed.key_format, "The key")?,
    };
    let value = match schemas.and_then(|s| schema_field(s, false, parsed.value.clone(), "The value")) {
        Some(v) => v?,
        None => json_field(parsed.value, parsed.value_format, "The value")?,
    };
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

/// Reads a file's messages lazily; each item is a message or the error of its line.
fn file_messages(
    path: &str,
    format: FileFormat,
    partitions: i32,
    topic: &str,
    schemas: Option<Arc<Encoder>>,
) -> Result<impl Iterator<Item = Result<Outgoing, LineError>> + Send + 'static> {
    let file = std::fs::File::open(path)
        .map_err(|e| Error::invalid_input("path", format!("Could not open \"{path}\": {e}.")))?;
    let topic = topic.to_string();
    let lines = std::io::BufReader::with_capacity(1 << 20, file).lines();
    Ok(lines.enumerate().filter_map(move |(i, line)| {
        let n = i as u64 + 1;
        let text = match line {
            Ok(text) => text,
            Err(e) => return Some(Err(LineError { line: n, message: format!("Line {n} could not be read: {e}.") })),
        };
        match format {
            FileFormat::Lines => {
                Some(Ok(Outgoing { line: n, partition: None, key: None, value: Some(text.into_bytes()), headers: vec![] }))
            }
            // Blank lines separate nothing in JSONL; skipping them is not losing a message.
            FileFormat::Jsonl if text.trim().is_empty() => None,
            FileFormat::Jsonl => Some(
                parse_json_line(&text, n, partitions, &topic, schemas.as_deref())
                    .map_err(|m| LineError { line: n, message: format!("Line {n} {m}.") }),
            ),
        }
    }))
}

/// Sends every message of a file. The file is checked completely first: if any line is
/// malformed nothing is sent and the error lists the bad lines.
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
    if schemas.is_some() && request.format != FileFormat::Jsonl {
        return Err(Error::invalid_input("format", "Encoding with a schema needs a JSONL file (one record per line)."));
    }
    let check_schemas = schemas.clone();
    let partitions = partition_count(cluster, &request.topic).await?;
    let (path, format, topic) = (request.path.clone(), request.format, request.topic.clone());
    // Only the first few bad lines are shown; the rest are counted, not kept.
    let (total, bad, bad_count) = tokio::task::spawn_blocking(move || -> Result<(u64, Vec<LineError>, usize)> {
        let (mut total, mut bad, mut bad_count) = (0, Vec::new(), 0);
        for item in file_messages(&path, format, partitions, &topic, check_schemas)? {
            match item {
                Ok(_) => total += 1,
                Err(e) => {
                    bad_count += 1;
                    if bad.len() < 5 {
                        bad.push(e);
                    }
                }
            }
        }
        Ok((total, bad, bad_count))
    })
    .await??;
    if !bad.is_empty() {
        let shown: Vec<String> = bad.iter().map(|e| e.message.clone()).collect();
        let more = if bad_count > 5 { format!(" (and {} more bad lines)", bad_count - 5) } else { String::new() };
        return Err(Error::invalid_input("path", format!("Nothing was sent. {}{more}", shown.join(" "))));
    }
    let messages = file_messages(&request.path, request.format, partitions, &request.topic, schemas)?
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
    fn jsonl_lines_become_messages_or_precise_errors() {
        let m = parse_json_line(r#"{"key":"k","value":{"a":1},"headers":{"h":"v"},"partition":1}"#, 1, 3, "t", None).unwrap();
        assert_eq!(m.key.as_deref(), Some(b"k".as_slice()));
        assert_eq!(m.value.as_deref(), Some(br#"{"a":1}"#.as_slice()));
        assert_eq!(m.headers, vec![("h".to_string(), Some(b"v".to_vec()))]);
        let tomb = parse_json_line(r#"{"key":"k","value":null}"#, 1, 3, "t", None).unwrap();
        assert!(tomb.value.is_none());
        let bin = parse_json_line(r#"{"value":"AAE=","valueFormat":"base64"}"#, 1, 3, "t", None).unwrap();
        assert_eq!(bin.value, Some(vec![0, 1]));
        assert!(parse_json_line(r#"{"value":"x","partition":3}"#, 1, 3, "t", None).unwrap_err().contains("no partition 3"));
        assert!(parse_json_line(r#"{"key":"k"}"#, 1, 3, "t", None).unwrap_err().contains("no \"value\""));
        assert!(parse_json_line(r#"{"value": tru}"#, 1, 3, "t", None).unwrap_err().contains("column"));
    }
}
