//! Messages: produce (one, N copies, a file), browse sessions whose messages stay on the
//! Rust side in a bounded store, filters and search over them, export and copy.
//!
//! The producer is one per connected cluster, created lazily by `Cluster::producer`.
//! Sessions and cancellable jobs live in [`Registry`], which the app keeps in its state.

pub mod browse;
pub mod bulk;
pub mod budget;
pub mod codec;
pub mod export;
pub mod filter;
pub mod library;
pub mod produce;
pub mod schema;
pub mod store;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::client::{Client, ClientContext};
use rdkafka::error::RDKafkaErrorCode;
use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_code, explain_kafka_error, Cluster, REQUEST_TIMEOUT};
use crate::kafka::connection::Write;
use browse::{Session, View};
use filter::Filter;

/// Progress of a job over stored messages (filter, export).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JobProgress {
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

/// A topic name as Kafka allows it (at most 249 of `[a-zA-Z0-9._-]`), checked before it
/// reaches librdkafka: the rdkafka crate panics on names over 512 bytes, and an error must
/// not quote a huge name back. `field` is the form field the name came from.
pub(crate) fn check_topic(topic: &str, field: &str) -> Result<()> {
    if topic.trim().is_empty() {
        return Err(Error::invalid_input(field, "Choose a topic."));
    }
    crate::kafka::topics::validate_name(topic)
        .map_err(|e| Error::invalid_input(field, e.message.replacen("Name:", "Topic:", 1)))
}

/// The partition count of `topic`; a clear error when it does not exist. A topic created a
/// moment ago may be unknown to the broker asked, so "unknown" is asked again briefly.
pub(crate) fn topic_partitions<C: ClientContext>(client: &Client<C>, topic: &str) -> Result<i32> {
    let mut attempts = 0;
    loop {
        match topic_partitions_once(client, topic) {
            Err(e) if e.kind == ErrorKind::NotFound && attempts < 4 => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
            other => return other,
        }
    }
}

fn topic_partitions_once<C: ClientContext>(client: &Client<C>, topic: &str) -> Result<i32> {
    let what = format!("reading topic \"{topic}\"");
    let metadata = client.fetch_metadata(Some(topic), REQUEST_TIMEOUT).map_err(|e| explain_kafka_error(e, &what))?;
    let found = metadata.topics().iter().find(|t| t.name() == topic);
    match found {
        Some(t) => match t.error() {
            None if !t.partitions().is_empty() => Ok(t.partitions().len() as i32),
            None => Err(Error::not_found(format!("Topic \"{topic}\" does not exist."))),
            Some(code) => {
                let code: RDKafkaErrorCode = code.into();
                if code == RDKafkaErrorCode::UnknownTopicOrPartition || code == RDKafkaErrorCode::UnknownTopic {
                    Err(Error::not_found(format!("Topic \"{topic}\" does not exist.")))
                } else {
                    Err(explain_code(code, "", &what))
                }
            }
        },
        None => Err(Error::not_found(format!("Topic \"{topic}\" does not exist."))),
    }
}

/// The partition a key would go to when the partition is automatic.
pub async fn key_partition(cluster: &Arc<Cluster>, topic: &str, key: &str, format: codec::InputFormat) -> Result<i32> {
    let bytes = codec::encode(key, format, "key", "The key")?;
    let partitions = produce::partition_count(cluster, topic).await?;
    Ok(codec::partition_for_key(&bytes, partitions))
}

/// Browse sessions and cancellable jobs, by id.
#[derive(Default)]
pub struct Registry {
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    jobs: Mutex<HashMap<String, Arc<AtomicBool>>>,
}

impl Registry {
    pub fn add_session(&self, session: Arc<Session>) -> Result<()> {
        self.sessions.lock().map_err(|_| poisoned())?.insert(session.id.clone(), session);
        Ok(())
    }

    pub fn session(&self, id: &str) -> Result<Arc<Session>> {
        self.sessions
            .lock()
            .map_err(|_| poisoned())?
            .get(id)
            .cloned()
            .ok_or_else(|| Error::not_found("That browse session is closed; start a new one."))
    }

    /// Stops and forgets a session, freeing its messages.
    pub fn close_session(&self, id: &str) -> Result<()> {
        if let Some(s) = self.sessions.lock().map_err(|_| poisoned())?.remove(id) {
            s.stop();
        }
        Ok(())
    }

    /// A cancel flag for a new job; the caller calls `end_job` when done.
    pub fn start_job(&self, id: &str) -> Result<Arc<AtomicBool>> {
        let flag = Arc::new(AtomicBool::new(false));
        self.jobs.lock().map_err(|_| poisoned())?.insert(id.to_string(), Arc::clone(&flag));
        Ok(flag)
    }

    pub fn end_job(&self, id: &str) {
        if let Ok(mut jobs) = self.jobs.lock() {
            jobs.remove(id);
        }
    }

    /// Stops every session and cancels every job: their connection is closing.
    pub fn close_all(&self) {
        if let Ok(mut sessions) = self.sessions.lock() {
            for (_, session) in sessions.drain() {
                session.stop();
            }
        }
        if let Ok(jobs) = self.jobs.lock() {
            for flag in jobs.values() {
                flag.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Whether a session of this id is here.
    pub fn has_session(&self, id: &str) -> bool {
        self.sessions.lock().is_ok_and(|s| s.contains_key(id))
    }

    /// Whether a job of this id is here.
    pub fn has_job(&self, id: &str) -> bool {
        self.jobs.lock().is_ok_and(|j| j.contains_key(id))
    }

    /// Cancels a job; true when it was running.
    pub fn cancel(&self, id: &str) -> Result<bool> {
        let jobs = self.jobs.lock().map_err(|_| poisoned())?;
        Ok(jobs.get(id).map(|f| f.store(true, Ordering::Relaxed)).is_some())
    }
}

fn poisoned() -> Error {
    Error::internal("The message sessions are unusable after an earlier fault.")
}

fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "Cancelled.")
}

/// Messages checked between progress reports and cancel checks.
const CHUNK: usize = 65_536;
/// Messages handled per hold of a session's lock by a long scan (filter, export): the
/// browse thread's writes and the UI's polls wait at most for this many, never a whole scan.
const LOCK_CHUNK: u64 = 4096;

/// Filters the session's store into a view; an empty filter shows everything again.
/// Messages arriving later are filtered as they come. Returns the number of matches.
///
/// The scan takes the store's read lock in chunks; only the last few messages (those that
/// arrived during the scan) are filtered under the write lock that installs the view.
pub fn apply_filter(
    session: &Session,
    filter: &Filter,
    cancel: &AtomicBool,
    progress: impl Fn(JobProgress),
) -> Result<u32> {
    let compiled = filter.compile()?.with_decoder(session.decoder.clone());
    if compiled.is_empty() {
        let mut data = session.write()?;
        data.view = None;
        return Ok(u32::try_from(data.store.len()).unwrap_or(u32::MAX));
    }
    let (first, end) = {
        let data = session.read()?;
        (data.store.first_seq(), data.store.first_seq() + data.store.len() as u64)
    };
    let total = end - first;
    let mut seqs = Vec::new();
    let mut next = first;
    let mut last = Instant::now();
    let mut since_check = 0usize;
    // Catch up in chunks until the rest is small, following messages that keep arriving.
    loop {
        if since_check >= CHUNK || next == first {
            since_check = 0;
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            if last.elapsed() > Duration::from_millis(100) {
                progress(JobProgress { done: (next - first).min(total), total });
                last = Instant::now();
            }
        }
        let data = session.read()?;
        let now_end = data.store.first_seq() + data.store.len() as u64;
        if now_end.saturating_sub(next) <= LOCK_CHUNK {
            break;
        }
        let from = next.max(data.store.first_seq());
        let to = (from + LOCK_CHUNK).min(now_end);
        seqs.extend((from..to).filter(|seq| data.store.get(*seq).is_some_and(|m| compiled.matches(&m))));
        since_check += (to - from) as usize;
        next = to;
    }
    progress(JobProgress { done: total, total });
    let mut data = session.write()?;
    let from = next.max(data.store.first_seq());
    let now_end = data.store.first_seq() + data.store.len() as u64;
    seqs.extend((from..now_end).filter(|seq| data.store.get(*seq).is_some_and(|m| compiled.matches(&m))));
    let first_kept = data.store.first_seq();
    seqs.retain(|s| *s >= first_kept);
    let count = u32::try_from(seqs.len()).unwrap_or(u32::MAX);
    data.view = Some(View { filter: compiled, seqs });
    Ok(count)
}

/// Copies the session's rows in view to another topic, keeping keys, values, headers and,
/// on request, partitions.
pub async fn copy_to_topic(
    cluster: &Write,
    session: Arc<Session>,
    topic: &str,
    keep_partitions: bool,
    cancel: Arc<AtomicBool>,
    progress: impl Fn(produce::SendProgress) + Send + 'static,
) -> Result<produce::SendReport> {
    let partitions = produce::partition_count(cluster, topic).await?;
    let seqs = session.read()?.view_seqs();
    if keep_partitions {
        let data = session.read()?;
        if let Some(m) = seqs.iter().filter_map(|s| data.store.get(*s)).find(|m| m.partition >= partitions) {
            return Err(Error::invalid_input(
                "keepPartitions",
                format!("Topic \"{topic}\" has {partitions} partitions, too few to keep partition {}.", m.partition),
            ));
        }
    }
    let total = seqs.len() as u64;
    let messages = seqs.into_iter().enumerate().filter_map(move |(i, seq)| {
        let data = session.read().ok()?;
        let m = data.store.get(seq)?;
        Some(Ok(produce::Outgoing {
            line: i as u64 + 1,
            partition: keep_partitions.then_some(m.partition),
            key: m.key().map(<[u8]>::to_vec),
            value: m.value().map(<[u8]>::to_vec),
            headers: m.headers().map(|(n, v)| (n.to_string(), v.map(<[u8]>::to_vec))).collect(),
        }))
    });
    produce::send_all(cluster, topic, total, messages, cancel, progress).await
}
