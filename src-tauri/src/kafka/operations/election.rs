//! Leader election: which partitions are not led by their preferred replica (the first in
//! the replica list), and electing leaders for chosen partitions, a topic or the cluster.

use std::sync::Arc;

use rdkafka::error::RDKafkaErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::kafka::client::{explain_code, Cluster, REQUEST_TIMEOUT};
use crate::kafka::ffi::{self, ElectionType};
use crate::kafka::Write;

/// What an election (or its preview) covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ElectionScope {
    Cluster,
    Topic { topic: String },
    Partitions { partitions: Vec<PartitionRef> },
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartitionRef {
    pub topic: String,
    pub partition: i32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ElectionKind {
    /// Move leadership back to the first replica, if it is in sync.
    Preferred,
    /// Let an out-of-sync replica lead a leaderless partition: may lose messages.
    Unclean,
}

/// A partition not led by its preferred replica.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LeaderSkew {
    pub topic: String,
    pub partition: i32,
    /// `None`: no leader at all.
    pub leader: Option<i32>,
    pub preferred: i32,
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
    /// A preferred election can only succeed when the preferred replica is in sync.
    pub preferred_in_sync: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ElectionStatus {
    Elected,
    /// Already led by the replica the election would pick.
    NotNeeded,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ElectionResult {
    pub topic: String,
    pub partition: i32,
    pub status: ElectionStatus,
    /// Why it failed, in words; empty otherwise.
    pub message: String,
}

/// Partitions in `scope` whose leader is not their preferred replica, sorted.
pub async fn preview(cluster: &Arc<Cluster>, scope: ElectionScope) -> Result<Vec<LeaderSkew>> {
    cluster
        .blocking(move |c| {
            let metadata = c.metadata(None, "the partition leaders")?;
            check_scope(&scope, |topic| metadata.topics().iter().any(|t| t.name() == topic))?;
            let mut skewed = Vec::new();
            for topic in metadata.topics() {
                for p in topic.partitions() {
                    let Some(&preferred) = p.replicas().first() else { continue };
                    if !in_scope(&scope, topic.name(), p.id()) || p.leader() == preferred {
                        continue;
                    }
                    skewed.push(LeaderSkew {
                        topic: topic.name().to_string(),
                        partition: p.id(),
                        leader: (p.leader() >= 0).then_some(p.leader()),
                        preferred,
                        replicas: p.replicas().to_vec(),
                        isr: p.isr().to_vec(),
                        preferred_in_sync: p.isr().contains(&preferred),
                    });
                }
            }
            skewed.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
            Ok(skewed)
        })
        .await
}

fn in_scope(scope: &ElectionScope, topic: &str, partition: i32) -> bool {
    match scope {
        ElectionScope::Cluster => true,
        ElectionScope::Topic { topic: t } => t == topic,
        ElectionScope::Partitions { partitions } => partitions.iter().any(|p| p.topic == topic && p.partition == partition),
    }
}

fn check_scope(scope: &ElectionScope, exists: impl Fn(&str) -> bool) -> Result<()> {
    let topics: Vec<&str> = match scope {
        ElectionScope::Cluster => Vec::new(),
        ElectionScope::Topic { topic } => vec![topic.as_str()],
        ElectionScope::Partitions { partitions } if partitions.is_empty() => {
            return Err(Error::invalid_input("partitions", "Choose at least one partition."));
        }
        ElectionScope::Partitions { partitions } => partitions.iter().map(|p| p.topic.as_str()).collect(),
    };
    match topics.into_iter().find(|t| !exists(t)) {
        Some(missing) => Err(Error::not_found(format!("There is no topic \"{missing}\" on this cluster."))),
        None => Ok(()),
    }
}

/// Elects leaders for `scope`; one result per partition the broker answered for. For the
/// whole cluster Kafka answers only partitions it elected or failed to elect.
pub async fn elect(cluster: &Write, kind: ElectionKind, scope: ElectionScope) -> Result<Vec<ElectionResult>> {
    cluster
        .blocking(move |c| {
            let partitions: Option<Vec<(String, i32)>> = match &scope {
                ElectionScope::Cluster => None,
                ElectionScope::Topic { .. } | ElectionScope::Partitions { .. } => {
                    let metadata = c.metadata(None, "the partition list")?;
                    check_scope(&scope, |topic| metadata.topics().iter().any(|t| t.name() == topic))?;
                    let mut chosen = Vec::new();
                    for topic in metadata.topics() {
                        for p in topic.partitions() {
                            if in_scope(&scope, topic.name(), p.id()) {
                                chosen.push((topic.name().to_string(), p.id()));
                            }
                        }
                    }
                    if let ElectionScope::Partitions { partitions } = &scope {
                        if let Some(missing) = partitions.iter().find(|p| !chosen.iter().any(|(t, n)| *t == p.topic && *n == p.partition)) {
                            return Err(Error::not_found(format!("Topic \"{}\" has no partition {}.", missing.topic, missing.partition)));
                        }
                    }
                    Some(chosen)
                }
            };
            let election = match kind {
                ElectionKind::Preferred => ElectionType::Preferred,
                ElectionKind::Unclean => ElectionType::Unclean,
            };
            // SAFETY: `c` keeps the client alive for the whole blocking call.
            let outcomes = unsafe { ffi::elect_leaders(c.native(), election, partitions.as_deref(), REQUEST_TIMEOUT)? };
            let mut results: Vec<ElectionResult> = outcomes
                .into_iter()
                .map(|o| {
                    let (status, message) = match o.error {
                        None => (ElectionStatus::Elected, String::new()),
                        Some((RDKafkaErrorCode::ElectionNotNeeded, _)) => (ElectionStatus::NotNeeded, String::new()),
                        Some((code, reason)) => (ElectionStatus::Failed, failure(code, &reason)),
                    };
                    ElectionResult { topic: o.topic, partition: o.partition, status, message }
                })
                .collect();
            results.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
            Ok(results)
        })
        .await
}

fn failure(code: RDKafkaErrorCode, reason: &str) -> String {
    match code {
        RDKafkaErrorCode::PreferredLeaderNotAvailable => {
            "The preferred replica is not in sync or its broker is down, so it cannot lead yet.".to_string()
        }
        RDKafkaErrorCode::EligibleLeadersNotAvailable => "No replica is eligible to lead (all are offline or out of sync).".to_string(),
        _ => explain_code(code, reason, "the election").message,
    }
}
