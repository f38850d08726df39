//! Browse sessions: a consumer (no group, nothing committed) assigned to chosen partitions
//! from chosen offsets, filling the session's store on a thread of its own until it reaches
//! "now", a count, or forever (tail). Each change is pushed to the UI (the first rows the
//! moment they exist); the UI asks for the `window` it shows.
//!
//! The reading thread takes messages a batch at a time (`ffi::consume_batch`) and copies
//! them straight from librdkafka's buffers into the store's arena, under one lock per batch.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::budget;
use super::codec::DecodeAs;
use super::schema;
use super::filter::{CompiledFilter, Filter};
use super::store::{self, MessageDetail, MessageRow, Store, StoredMessage, TimestampType};
use super::topic_partitions;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_code, explain_kafka_error, Cluster};
use crate::kafka::ffi::consume_batch::{Batch, BatchConsumer, ClientErrors};
use crate::registry::Decoder;
use crate::kafka::offsets::{self, Leaders, OffsetSpec};

/// Default cap of a session's store.
pub const DEFAULT_MAX_MESSAGES: u32 = 2_000_000;
pub const DEFAULT_MAX_MIB: u32 = 1024;
/// Most messages taken from librdkafka per call (and moved into the store per lock).
const BATCH: usize = 8192;
/// How often a running session pushes its status (the first rows go at once).
const UPDATE_EVERY: Duration = Duration::from_millis(100);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum StartAt {
    Earliest,
    Latest,
    /// The last `count` messages of each partition.
    LastPerPartition { count: u32 },
    /// The same offset in every chosen partition (clamped to what exists).
    Offset {
        #[ts(type = "number")]
        offset: i64,
    },
    /// The first message at or after this time (milliseconds since the epoch).
    Timestamp {
        #[ts(type = "number")]
        timestamp: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum StopAt {
    /// The end of each partition as it was when the session started.
    Now,
    /// After this many messages are stored, or at "now" if that comes first.
    Count { count: u32 },
    /// Never: keep reading new messages (tail). The oldest are dropped at the cap.
    Follow,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BrowseRequest {
    pub topic: String,
    pub start: StartAt,
    pub stop: StopAt,
    /// Partitions to read; empty or absent: all.
    #[serde(default)]
    #[ts(optional)]
    pub partitions: Option<Vec<i32>>,
    /// Keep only messages matching this ("search whole topic").
    #[serde(default)]
    #[ts(optional)]
    pub filter: Option<Filter>,
    #[serde(default)]
    #[ts(optional)]
    pub max_messages: Option<u32>,
    #[serde(default)]
    #[ts(optional)]
    pub max_mib: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum SessionState {
    Running,
    /// Reached its stop condition.
    Done,
    /// Stopped by the user, or full (see the notice).
    Stopped,
    Failed,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SessionStatus {
    pub id: String,
    pub topic: String,
    pub state: SessionState,
    /// Messages read from Kafka (including those a search filter did not keep).
    #[ts(type = "number")]
    pub scanned: u64,
    /// Messages the session will read when that is known in advance (for a progress bar).
    #[ts(type = "number | null")]
    pub expected: Option<u64>,
    /// Messages in the store.
    pub stored: u32,
    /// Rows in the current view (the store, or the filter's matches).
    pub rows: u32,
    pub filtered: bool,
    /// Oldest messages dropped at the cap (tail mode).
    #[ts(type = "number")]
    pub dropped: u64,
    #[ts(type = "number")]
    pub stored_bytes: u64,
    /// Something the user should know: dropped messages, a full store, a retried error.
    pub notice: Option<String>,
    pub error: Option<Error>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Window {
    /// Rows in the whole view.
    pub total: u32,
    pub start: u32,
    pub rows: Vec<MessageRow>,
}

/// The store and an optional filtered view of it (sequence numbers of the matches).
pub struct Data {
    pub store: Store,
    pub view: Option<View>,
}

pub struct View {
    pub filter: CompiledFilter,
    pub seqs: Vec<u64>,
}

impl Data {
    /// Sequence numbers of the rows in view, oldest first, skipping dropped ones.
    pub fn view_seqs(&self) -> Vec<u64> {
        match &self.view {
            Some(v) => v.seqs.iter().copied().filter(|s| *s >= self.store.first_seq()).collect(),
            None => self.store.iter().map(|(s, _)| s).collect(),
        }
    }

    fn rows(&self) -> usize {
        match &self.view {
            Some(v) => v.seqs.len() - v.seqs.partition_point(|s| *s < self.store.first_seq()),
            None => self.store.len(),
        }
    }

    /// The n-th row of the view.
    fn nth(&self, n: usize) -> Option<u64> {
        match &self.view {
            Some(v) => v.seqs.get(v.seqs.partition_point(|s| *s < self.store.first_seq()) + n).copied(),
            None => Some(self.store.first_seq() + n as u64).filter(|_| n < self.store.len()),
        }
    }
}

/// Receives a session's status as it changes (the UI's channel).
pub type OnUpdate = Box<dyn Fn(SessionStatus) + Send + Sync>;

pub struct Session {
    pub id: String,
    /// This session's share of the app-wide budget, given back when the session goes.
    reservation: budget::Reservation,
    pub topic: String,
    pub data: RwLock<Data>,
    stop: AtomicBool,
    scanned: AtomicU64,
    expected: Option<u64>,
    outcome: Mutex<Outcome>,
    /// Schema decoding for this session's topic (registry or local Protobuf), if any.
    pub decoder: Option<Decoder>,
    on_update: OnUpdate,
}

struct Outcome {
    state: SessionState,
    notice: Option<String>,
    error: Option<Error>,
}

impl Session {
    pub fn read(&self) -> Result<std::sync::RwLockReadGuard<'_, Data>> {
        self.data.read().map_err(|_| Error::internal("The message store is unusable after an earlier fault."))
    }

    pub fn write(&self) -> Result<std::sync::RwLockWriteGuard<'_, Data>> {
        self.data.write().map_err(|_| Error::internal("The message store is unusable after an earlier fault."))
    }

    fn set_outcome(&self, state: SessionState, notice: Option<String>, error: Option<Error>) {
        if let Ok(mut o) = self.outcome.lock() {
            o.state = state;
            if notice.is_some() {
                o.notice = notice;
            }
            o.error = error;
        }
    }

    fn set_notice(&self, notice: String) {
        if let Ok(mut o) = self.outcome.lock() {
            o.notice = Some(notice);
        }
    }

    fn push_update(&self) {
        if let Ok(status) = self.status() {
            (self.on_update)(status);
        }
    }

    /// Asks the reading thread to stop; it does within a poll interval.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn status(&self) -> Result<SessionStatus> {
        let data = self.read()?;
        let (state, notice, error) = match self.outcome.lock() {
            Ok(o) => (o.state, o.notice.clone(), o.error.clone()),
            Err(_) => (SessionState::Failed, None, Some(Error::internal("The session's status is unusable."))),
        };
        Ok(SessionStatus {
            id: self.id.clone(),
            topic: self.topic.clone(),
            state,
            scanned: self.scanned.load(Ordering::Relaxed),
            expected: self.expected,
            stored: u32::try_from(data.store.len()).unwrap_or(u32::MAX),
            rows: u32::try_from(data.rows()).unwrap_or(u32::MAX),
            filtered: data.view.is_some(),
            dropped: data.store.dropped(),
            stored_bytes: data.store.bytes() as u64,
            notice,
            error,
        })
    }

    pub fn window(&self, start: u32, count: u32, key_as: DecodeAs, value_as: DecodeAs) -> Result<Window> {
        let data = self.read()?;
        let total = data.rows();
        let count = count.min(1000) as usize;
        let rows = (start as usize..total.min(start as usize + count))
            .filter_map(|n| data.nth(n))
            .filter_map(|seq| {
                data.store.get(seq).map(|m| {
                    let mut row = store::row(seq, &m, key_as, value_as);
                    if let Some(d) = &self.decoder {
                        schema::overlay(d, &mut row.key, m.key(), true, key_as, Some(store::KEY_PREVIEW), false);
                        schema::overlay(d, &mut row.value, m.value(), false, value_as, Some(store::VALUE_PREVIEW), false);
                    }
                    row
                })
            })
            .collect();
        Ok(Window { total: u32::try_from(total).unwrap_or(u32::MAX), start, rows })
    }

    pub fn detail(&self, seq: u64, key_as: DecodeAs, value_as: DecodeAs, full: bool) -> Result<MessageDetail> {
        let data = self.read()?;
        let m = data
            .store
            .get(seq)
            .ok_or_else(|| Error::not_found("That message is no longer loaded (tail mode dropped it at the cap)."))?;
        let mut detail = store::detail(seq, &m, key_as, value_as, full);
        if let Some(d) = &self.decoder {
            let limit = if full { None } else { Some(store::DETAIL_PREVIEW) };
            schema::overlay(d, &mut detail.key, m.key(), true, key_as, limit, true);
            schema::overlay(d, &mut detail.value, m.value(), false, value_as, limit, true);
        }
        Ok(detail)
    }

    /// A piece of a message's value, so a large one streams to the UI.
    pub fn value_chunk(&self, seq: u64, offset: u32, max: u32, how: DecodeAs) -> Result<store::ValueChunk> {
        let data = self.read()?;
        let m = data
            .store
            .get(seq)
            .ok_or_else(|| Error::not_found("That message is no longer loaded (tail mode dropped it at the cap)."))?;
        store::value_chunk(&m, offset, max, how).ok_or_else(|| Error::not_found("That message has no value (a tombstone)."))
    }
}

/// Starts a session: checks the topic and partitions, works out the start offsets, and
/// starts the reading thread. Errors in the request come back here; later ones in the status.
pub async fn start(cluster: &Arc<Cluster>, id: String, request: BrowseRequest) -> Result<Arc<Session>> {
    start_with(cluster, id, request, None, Box::new(|_| {})).await
}

/// [`start`] with schema decoding for what is shown, searched and exported, pushing the
/// session's status to `on_update` whenever rows arrive (the first batch at once, then at
/// most every [`UPDATE_EVERY`]) and when it ends.
pub async fn start_with(
    cluster: &Arc<Cluster>,
    id: String,
    request: BrowseRequest,
    decoder: Option<Decoder>,
    on_update: OnUpdate,
) -> Result<Arc<Session>> {
    super::check_topic(&request.topic, "topic")?;
    let filter = request.filter.as_ref().map(Filter::compile).transpose()?.filter(|f| !f.is_empty());
    let filter = filter.map(|f| f.with_decoder(decoder.clone()));
    let max_messages = request.max_messages.unwrap_or(DEFAULT_MAX_MESSAGES).max(1) as usize;
    let max_bytes = (request.max_mib.unwrap_or(DEFAULT_MAX_MIB).max(1) as usize) << 20;
    if let StopAt::Count { count: 0 } = request.stop {
        return Err(Error::invalid_input("stopCount", "Stop after how many messages? Enter 1 or more."));
    }
    let reservation = budget::reserve()?;
    cluster
        .blocking(move |c| {
            let consumer: BaseConsumer<ClientErrors> = browse_config(c.client_config())
                .create_with_context(ClientErrors::default())
                .map_err(|e| explain_kafka_error(e, "creating a consumer"))?;
            let all = topic_partitions(consumer.client(), &request.topic)?;
            let partitions = chosen_partitions(&request, all)?;
            let (assignment, ends, expected, skipped) = start_offsets(c, &request, &partitions)?;
            consumer.assign(&assignment).map_err(|e| explain_kafka_error(e, "assigning partitions"))?;
            let session = Arc::new(Session {
                reservation,
                id,
                topic: request.topic.clone(),
                data: RwLock::new(Data { store: Store::new(max_messages, max_bytes), view: None }),
                stop: AtomicBool::new(false),
                scanned: AtomicU64::new(0),
                expected: match request.stop {
                    StopAt::Now => Some(expected),
                    StopAt::Count { count } if filter.is_none() => Some(expected.min(u64::from(count))),
                    _ => None,
                },
                outcome: Mutex::new(Outcome { state: SessionState::Running, notice: skipped, error: None }),
                decoder,
                on_update,
            });
            let reader = BatchConsumer::new(consumer, BATCH)?;
            let running = Arc::clone(&session);
            let stop = request.stop.clone();
            std::thread::Builder::new()
                .name("kafkadesk-browse".into())
                .spawn(move || {
                    fill(&running, reader, stop, ends, filter);
                    running.push_update();
                    give_back_freed_memory();
                })
                .map_err(|e| Error::internal("Could not start the browse thread.").with_detail(e.to_string()))?;
            Ok(session)
        })
        .await
}

/// Returns to the system the memory the finished read freed: the consumer's fetch buffers
/// (up to `queued.max.messages.kbytes`) were allocated on librdkafka's threads, and glibc
/// keeps such freed arenas mapped, so a window that read a topic once would hold them on.
fn give_back_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks glibc's own arenas; it takes no pointers of ours.
    unsafe {
        libc::malloc_trim(0);
    }
}

pub(crate) fn chosen_partitions(request: &BrowseRequest, all: i32) -> Result<Vec<i32>> {
    match request.partitions.as_deref() {
        None | Some([]) => Ok((0..all).collect()),
        Some(chosen) => {
            if let Some(bad) = chosen.iter().find(|p| **p < 0 || **p >= all) {
                return Err(Error::invalid_input(
                    "partitions",
                    format!("Topic \"{}\" has partitions 0 to {}; there is no partition {bad}.", request.topic, all - 1),
                ));
            }
            let mut unique: Vec<i32> = chosen.to_vec();
            unique.sort_unstable();
            unique.dedup();
            Ok(unique)
        }
    }
}

/// Start offsets per partition, the end (exclusive) each partition with something to read
/// has now, how many messages lie between, and a notice naming partitions left out because
/// their offsets are unknown (leader offline or not answering). All unknown is an error.
fn start_offsets(
    c: &Cluster,
    request: &BrowseRequest,
    partitions: &[i32],
) -> Result<(TopicPartitionList, Vec<(i32, i64)>, u64, Option<String>)> {
    let topic = request.topic.as_str();
    let asked: Vec<(String, i32)> = partitions.iter().map(|p| (topic.to_string(), *p)).collect();
    let leaders = Leaders::fetch(c)?;
    let watermarks = offsets::watermarks(c, &leaders, &asked);
    let times = match request.start {
        StartAt::Timestamp { timestamp } => Some(offsets::list(c, &leaders, &asked, OffsetSpec::Timestamp(timestamp))),
        _ => None,
    };
    let mut assignment = TopicPartitionList::new();
    let mut ends = Vec::new();
    let mut expected = 0u64;
    let mut unknown = Vec::new();
    for p in partitions {
        let (Some(low), Some(high)) = watermarks.ends(topic, *p) else {
            unknown.push(p.to_string());
            continue;
        };
        let start = match &request.start {
            StartAt::Earliest => low,
            StartAt::Latest => high,
            StartAt::LastPerPartition { count } => (high - i64::from(*count)).max(low),
            StartAt::Offset { offset } => (*offset).clamp(low, high),
            // No message at or after the time (-1), or not answered: start at the end.
            StartAt::Timestamp { .. } => match times.as_ref().and_then(|t| t.get(topic, *p)) {
                Some(o) if o >= 0 => o.clamp(low, high),
                _ => high,
            },
        };
        assignment
            .add_partition_offset(topic, *p, Offset::Offset(start))
            .map_err(|e| explain_kafka_error(e, "assigning partitions"))?;
        // A partition with nothing to read is done before it starts.
        if start < high {
            ends.push((*p, high));
        }
        expected += (high - start).max(0) as u64;
    }
    // Every partition unknown is an error; known partitions with nothing to read are not.
    if unknown.len() == partitions.len() {
        let cause = watermarks.why_unknown().unwrap_or_default();
        return Err(Error::new(ErrorKind::Unreachable, format!("Cannot read \"{topic}\": {cause}")));
    }
    let skipped = (!unknown.is_empty()).then(|| {
        format!("Partition(s) {} are not read: their leader is offline or did not answer.", unknown.join(", "))
    });
    Ok((assignment, ends, expected, skipped))
}

/// The browse consumer's settings, on top of the connection's.
///
/// librdkafka stops fetching a partition while the consumer's queue holds
/// `queued.min.messages` (all partitions of a browse share one queue) and then waits
/// `fetch.queue.backoff.ms` (1 s by default) before asking again. With the defaults a
/// reader that empties the queue quickly spends most of each second idle (`debug=fetch`
/// shows "Fetch backoff ... Queue full"); the byte bound is the one that matters for
/// memory, so the message bound is lifted and the backoff made short.
fn browse_config(mut config: rdkafka::ClientConfig) -> rdkafka::ClientConfig {
    config
        .set("group.id", "kafkadesk-browse")
        .set("enable.auto.commit", "false")
        .set("enable.auto.offset.store", "false")
        .set("enable.partition.eof", "true")
        // A tail shows a new message within this (the broker answers a fetch at once when
        // it has data).
        .set("fetch.wait.max.ms", "100")
        .set("queued.min.messages", "10000000")
        .set("queued.max.messages.kbytes", "65536")
        .set("fetch.queue.backoff.ms", "10");
    config
}

/// Where a session stands per partition: the end offset "now" (exclusive) and whether the
/// partition is still short of it. Indexed by partition number, no hashing per message.
struct Ends {
    end: Vec<Option<i64>>,
    open: Vec<bool>,
    open_count: usize,
}

impl Ends {
    fn new(ends: &[(i32, i64)]) -> Ends {
        let size = ends.iter().map(|(p, _)| *p as usize + 1).max().unwrap_or(0);
        let (mut end, mut open) = (vec![None; size], vec![false; size]);
        for (p, e) in ends {
            end[*p as usize] = Some(*e);
            open[*p as usize] = true;
        }
        Ends { end, open, open_count: ends.len() }
    }

    fn end(&self, partition: i32) -> Option<i64> {
        self.end.get(usize::try_from(partition).ok()?).copied().flatten()
    }

    fn close(&mut self, partition: i32) {
        if let Some(open) = usize::try_from(partition).ok().and_then(|p| self.open.get_mut(p)) {
            if std::mem::take(open) {
                self.open_count -= 1;
            }
        }
    }
}

/// Batches this large are filtered on every core when the filter decodes schema data.
const PARALLEL_FROM: usize = 64;

/// Whether each message of `batch` passes `filter`, worked out on all cores: decoding Avro or
/// Protobuf is most of a search's time, and messages are filtered independently. `None` if
/// a worker could not run (the caller filters one by one instead).
fn matches_in_parallel(batch: &Batch<'_>, filter: &CompiledFilter) -> Option<Vec<bool>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    if threads < 2 {
        return None;
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = batch
            .split(threads)
            .into_iter()
            .map(|run| {
                scope.spawn(move || {
                    let mut headers = Vec::new();
                    run.iter()
                        .map(|m| {
                            if m.error().is_some() {
                                return false;
                            }
                            headers.clear();
                            m.for_each_header(|name, value| store::push_header(&mut headers, name, value));
                            let (timestamp, kind) = m.timestamp();
                            let time = (timestamp, TimestampType::from_native(kind));
                            filter.matches(&StoredMessage::new(m.partition(), m.offset(), time, m.key(), m.payload(), &headers))
                        })
                        .collect::<Vec<bool>>()
                })
            })
            .collect();
        let mut flags = Vec::with_capacity(batch.len());
        for worker in workers {
            flags.extend(worker.join().ok()?);
        }
        Some(flags)
    })
}

/// The reading loop: moves messages into the store a batch at a time until the stop
/// condition.
fn fill(
    session: &Session,
    mut reader: BatchConsumer<ClientErrors>,
    stop: StopAt,
    ends: Vec<(i32, i64)>,
    filter: Option<CompiledFilter>,
) {
    // A count also stops at the end of what exists now.
    let at_now = !matches!(stop, StopAt::Follow);
    let follow = !at_now;
    // Partitions still short of "now"; each closes at its end offset or its EOF event
    // (which also comes for a partition that starts at its end).
    let mut ends = Ends::new(&ends);
    let limit = match stop {
        StopAt::Count { count } => Some(u64::from(count)),
        _ => None,
    };
    let mut stored = 0u64;
    let mut headers = Vec::new();
    let mut last_update: Option<Instant> = None;
    let mut finished: Option<(SessionState, Option<String>)> = None;
    if at_now && ends.open_count == 0 {
        finished = Some((SessionState::Done, None));
    }
    while finished.is_none() {
        if session.stop.load(Ordering::Relaxed) {
            finished = Some((SessionState::Stopped, None));
            break;
        }
        if let Some(error) = reader.consumer().context().take() {
            // Transport errors heal when a broker returns; say so, and keep going.
            session.set_notice(format!("{} Retrying.", sentence(&error)));
        }
        let batch = reader.consume(Duration::from_millis(100));
        if batch.is_empty() {
            continue;
        }
        let matched = filter.as_ref().filter(|f| f.decodes() && batch.len() >= PARALLEL_FROM).and_then(|f| matches_in_parallel(&batch, f));
        let Ok(mut data) = session.data.write() else {
            finished = Some((SessionState::Failed, Some("The message store is unusable after an earlier fault.".into())));
            break;
        };
        let Data { store, view } = &mut *data;
        let mut scanned = 0u64;
        for (index, m) in batch.iter().enumerate() {
            let partition = m.partition();
            if let Some(code) = m.error() {
                if code == RDKafkaErrorCode::PartitionEOF {
                    ends.close(partition);
                    if at_now && ends.open_count == 0 {
                        finished = Some((SessionState::Done, None));
                        break;
                    }
                    continue;
                }
                let error = explain_code(code, &m.error_text(), "reading messages");
                if is_fatal(&error) {
                    finished = Some((SessionState::Failed, Some(error.message.clone())));
                    break;
                }
                session.set_notice(format!("{} Retrying.", error.message));
                continue;
            }
            let offset = m.offset();
            let end = ends.end(partition);
            // Exact stop offsets: what was written after the session started is not "now".
            if at_now && end.is_some_and(|end| offset >= end) {
                ends.close(partition);
                if ends.open_count == 0 {
                    finished = Some((SessionState::Done, None));
                    break;
                }
                continue;
            }
            scanned += 1;
            headers.clear();
            m.for_each_header(|name, value| store::push_header(&mut headers, name, value));
            let (timestamp, kind) = m.timestamp();
            let message =
                StoredMessage::new(partition, offset, (timestamp, TimestampType::from_native(kind)), m.key(), m.payload(), &headers);
            let kept = match &matched {
                Some(flags) => flags.get(index).copied().unwrap_or(false),
                None => filter.as_ref().is_none_or(|f| f.matches(&message)),
            };
            if kept {
                if !follow && store.is_full() {
                    let notice = format!(
                        "Stopped at the store's cap of {} messages / {} MiB; start later or raise the cap to see more.",
                        store.max_messages,
                        store.max_bytes >> 20
                    );
                    finished = Some((SessionState::Stopped, Some(notice)));
                    break;
                }
                let matches = view.as_ref().map(|v| v.filter.matches(&message));
                let seq = store.push_dropping(message);
                if let (Some(v), Some(true)) = (view.as_mut(), matches) {
                    v.seqs.push(seq);
                }
                stored += 1;
            }
            if at_now && end.is_some_and(|end| offset + 1 >= end) {
                ends.close(partition);
            }
            if limit.is_some_and(|l| stored >= l) || (at_now && ends.open_count == 0) {
                finished = Some((SessionState::Done, None));
                break;
            }
        }
        // Follow drops the oldest messages: drop their matches too, so the view's index stays
        // within twice the store's size (removed in bulk, not one by one).
        if let Some(v) = view.as_mut() {
            let dead = v.seqs.partition_point(|s| *s < store.first_seq());
            if dead > 0 && dead * 2 >= v.seqs.len() {
                v.seqs.drain(..dead);
            }
        }
        // The app-wide memory bound: a bounded session stops, a Follow session keeps its
        // newest messages within what is left (the store drops the oldest from now on).
        let mut notice = None;
        if let Some(most) = session.reservation.account(store.bytes() as u64) {
            if !follow {
                if finished.is_none() {
                    finished = Some((SessionState::Stopped, Some(budget::full_notice())));
                }
            } else {
                store.max_bytes = store.max_bytes.min(usize::try_from(most).unwrap_or(usize::MAX).max(1));
                notice = Some(budget::full_notice());
            }
        }
        if notice.is_none() && store.dropped() > 0 {
            notice = Some(format!("The store is at its cap: the oldest {} messages were dropped to make room.", store.dropped()));
        }
        drop(data);
        drop(batch);
        session.scanned.fetch_add(scanned, Ordering::Relaxed);
        if let Some(notice) = notice {
            session.set_notice(notice);
        }
        // The first rows go to the UI at once; later ones at a steady pace.
        if last_update.is_none_or(|t| t.elapsed() >= UPDATE_EVERY) {
            session.push_update();
            last_update = Some(Instant::now());
        }
    }
    let (state, notice) = finished.unwrap_or((SessionState::Done, None));
    if state == SessionState::Failed {
        let error = Error::new(ErrorKind::Kafka, notice.unwrap_or_default());
        session.set_outcome(state, None, Some(error));
    } else {
        session.set_outcome(state, notice, None);
    }
}

/// A log line as a sentence: capitalised, ending with a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => "Kafka reported an error.".into(),
    }
}

/// Errors after which reading cannot go on: the topic or the permission is gone.
fn is_fatal(error: &Error) -> bool {
    let detail = error.detail.as_deref().unwrap_or_default();
    ["UnknownTopicOrPartition", "TopicAuthorizationFailed", "UnknownTopic"].iter().any(|c| detail.starts_with(c))
}
