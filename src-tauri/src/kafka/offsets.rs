//! Watermarks and ListOffsets for topics, groups and browse: one place that knows how to
//! ask for the offsets of many partitions without being fooled or held up.
//!
//! - Partitions without a live leader are not asked (librdkafka would hold the whole
//!   request until its timeout for them); they are unknown.
//! - The rest are asked per leader, in chunks of [`CHUNK`], a few requests at a time, so a
//!   leader that does not answer costs only its own partitions, and only [`OFFSETS_TIMEOUT`].
//! - A partition nobody answered for is unknown — never librdkafka's -1001 placeholder,
//!   never 0. Callers show "unknown"; a lag or a count over unknown offsets is unknown too.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use rdkafka::metadata::Metadata;

use super::client::Cluster;
use super::ffi;
pub use super::ffi::OffsetSpec;
use crate::error::{Error, Result};

/// Bound on one ListOffsets request. Short, so a refresh with a dead or stopped leader
/// still answers promptly (its partitions unknown); a live leader answers in milliseconds.
pub const OFFSETS_TIMEOUT: Duration = Duration::from_millis(1500);
/// Partitions per ListOffsets request. librdkafka merges each broker's answer into the
/// request's partition list by linear search, so one request's cost grows with the square
/// of its size: 20,000 partitions in one request take seconds, in chunks of 1,000 a blink.
pub const CHUNK: usize = 1000;
/// ListOffsets requests in flight at once.
const PARALLEL: usize = 4;

/// The live leader of each partition, from one metadata answer.
#[derive(Debug, Clone, Default)]
pub struct Leaders(HashMap<(String, i32), i32>);

impl Leaders {
    /// Leaders from metadata; a partition whose leader is not among the live brokers is left out.
    pub fn from_metadata(metadata: &Metadata) -> Leaders {
        let live: std::collections::HashSet<i32> = metadata.brokers().iter().map(|b| b.id()).collect();
        let mut leaders = HashMap::new();
        for topic in metadata.topics() {
            for p in topic.partitions() {
                if p.leader() >= 0 && live.contains(&p.leader()) {
                    leaders.insert((topic.name().to_string(), p.id()), p.leader());
                }
            }
        }
        Leaders(leaders)
    }

    /// Asks the cluster for its metadata (blocking, bounded).
    pub fn fetch(c: &Cluster) -> Result<Leaders> {
        let metadata = c.metadata(None, "the partition leaders").map_err(|e| c.explain(e))?;
        Ok(Leaders::from_metadata(&metadata))
    }

    pub fn leader(&self, topic: &str, partition: i32) -> Option<i32> {
        self.0.get(&(topic.to_string(), partition)).copied()
    }
}

/// The offsets of many partitions at one spec. A partition that is absent is unknown.
#[derive(Debug, Clone, Default)]
pub struct Offsets {
    known: HashMap<(String, i32), i64>,
    /// Partitions asked for that have no offset here.
    pub unknown: usize,
    /// The first failure of a request, when one failed (its partitions are unknown).
    pub error: Option<Error>,
}

impl Offsets {
    pub fn get(&self, topic: &str, partition: i32) -> Option<i64> {
        self.known.get(&(topic.to_string(), partition)).copied()
    }

    pub fn get_tp(&self, tp: &(String, i32)) -> Option<i64> {
        self.known.get(tp).copied()
    }

    /// Every partition answered.
    pub fn complete(&self) -> bool {
        self.unknown == 0
    }

    /// Why some offsets are unknown, in words for the user; `None` when all are known.
    pub fn why_unknown(&self) -> Option<String> {
        if self.complete() {
            return None;
        }
        let cause = match &self.error {
            Some(e) => e.message.clone(),
            None => "their leader is offline or did not answer in time".to_string(),
        };
        Some(format!("Offsets of {} partition(s) are unknown: {cause}", self.unknown))
    }

    /// A known-everywhere answer or the reason it is not (for callers that need all).
    pub fn all_known(self) -> Result<Offsets> {
        match (&self.error, self.complete()) {
            (_, true) => Ok(self),
            (Some(e), false) => Err(e.clone()),
            (None, false) => Err(Error::new(
                crate::error::ErrorKind::Unreachable,
                format!("The leaders of {} partition(s) did not answer; their offsets are unknown. Try again.", self.unknown),
            )),
        }
    }
}

/// Both ends of many partitions.
#[derive(Debug, Clone, Default)]
pub struct Watermarks {
    pub low: Offsets,
    pub high: Offsets,
}

impl Watermarks {
    /// Low and high; each `None` when unknown.
    pub fn ends(&self, topic: &str, partition: i32) -> (Option<i64>, Option<i64>) {
        (self.low.get(topic, partition), self.high.get(topic, partition))
    }

    /// Messages in a partition (high − low); `None` when either end is unknown.
    pub fn messages(&self, topic: &str, partition: i32) -> Option<i64> {
        match self.ends(topic, partition) {
            (Some(low), Some(high)) => Some((high - low).max(0)),
            _ => None,
        }
    }

    /// Why some watermarks are unknown, for the user; `None` when all are known.
    pub fn why_unknown(&self) -> Option<String> {
        self.high.why_unknown().or_else(|| self.low.why_unknown())
    }
}

/// Offsets of `partitions` at `spec` (blocking; bounded by [`OFFSETS_TIMEOUT`] per request).
pub fn list(c: &Cluster, leaders: &Leaders, partitions: &[(String, i32)], spec: OffsetSpec) -> Offsets {
    let mut results = run(c, leaders, partitions, &[spec]);
    results.pop().unwrap_or_default()
}

/// Low and high watermarks of `partitions`, both asked in parallel.
pub fn watermarks(c: &Cluster, leaders: &Leaders, partitions: &[(String, i32)]) -> Watermarks {
    let mut results = run(c, leaders, partitions, &[OffsetSpec::Earliest, OffsetSpec::Latest]);
    let high = results.pop().unwrap_or_default();
    let low = results.pop().unwrap_or_default();
    Watermarks { low, high }
}

/// One `Offsets` per spec, in the order of `specs`.
fn run(c: &Cluster, leaders: &Leaders, partitions: &[(String, i32)], specs: &[OffsetSpec]) -> Vec<Offsets> {
    // Partitions by leader; those without a live leader are unknown without asking.
    let mut by_leader: BTreeMap<i32, Vec<(&str, i32)>> = BTreeMap::new();
    let mut leaderless = 0usize;
    for (topic, partition) in partitions {
        match leaders.leader(topic, *partition) {
            Some(leader) => by_leader.entry(leader).or_default().push((topic.as_str(), *partition)),
            None => leaderless += 1,
        }
    }
    let jobs: Vec<(usize, &[(&str, i32)])> = by_leader
        .values()
        .flat_map(|ps| ps.chunks(CHUNK))
        .flat_map(|chunk| (0..specs.len()).map(move |s| (s, chunk)))
        .collect();
    let results: Vec<Mutex<Offsets>> = specs.iter().map(|_| Mutex::new(Offsets::default())).collect();
    let next = AtomicUsize::new(0);
    let worker = || {
        while let Some(&(s, chunk)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
            let answer = ask(c, chunk, specs[s]);
            let Ok(mut out) = results[s].lock() else { continue };
            match answer {
                Ok(found) => {
                    out.unknown += chunk.len().saturating_sub(found.len());
                    out.known.extend(found);
                }
                Err(e) => {
                    out.unknown += chunk.len();
                    out.error.get_or_insert(c.explain(e));
                }
            }
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL.min(jobs.len()) {
            scope.spawn(worker);
        }
    });
    results
        .into_iter()
        .map(|m| {
            let mut offsets = m.into_inner().unwrap_or_default();
            offsets.unknown += leaderless;
            offsets
        })
        .collect()
}

/// One ListOffsets request: answered partitions only (-1001 placeholders left out by ffi).
fn ask(c: &Cluster, partitions: &[(&str, i32)], spec: OffsetSpec) -> Result<HashMap<(String, i32), i64>> {
    // SAFETY: `c` keeps the client alive for the whole blocking call; a request still in
    // flight when the poll gives up goes to the client's reaper.
    unsafe { ffi::list_offsets(c.native(), partitions, spec, OFFSETS_TIMEOUT) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offsets(known: &[((&str, i32), i64)], unknown: usize) -> Offsets {
        Offsets {
            known: known.iter().map(|((t, p), o)| ((t.to_string(), *p), *o)).collect(),
            unknown,
            error: None,
        }
    }

    #[test]
    fn unknown_ends_make_unknown_counts_never_zero() {
        let w = Watermarks { low: offsets(&[(("t", 0), 5), (("t", 1), 0)], 0), high: offsets(&[(("t", 0), 9)], 1) };
        assert_eq!(w.messages("t", 0), Some(4));
        assert_eq!(w.messages("t", 1), None, "high unknown: the count is unknown");
        assert_eq!(w.ends("t", 1), (Some(0), None));
        assert!(w.why_unknown().expect("said").contains("1 partition"));
        assert!(offsets(&[], 2).all_known().is_err());
        assert!(offsets(&[(("t", 0), 1)], 0).all_known().is_ok());
    }
}
