//! Consumer groups: the list with lag, one group's members and per-partition lag, offset
//! resets planned as a preview and then applied, and deletes — for classic groups, KIP-848
//! consumer-protocol groups (with their epochs and target assignment, [`consumer_protocol`])
//! and KIP-932 share groups (start offsets instead of committed ones, [`share`]).
//!
//! Lag is the log-end offset (high watermark, read-uncommitted, as Kafka's own
//! consumer-groups tool uses) minus the committed offset. Resets follow that tool's rules:
//! only inactive groups; a timestamp after the last message means the log end; a target
//! outside [log start, log end] is clamped to the nearest end, and the plan says so.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use kafka_protocol::messages::TopicName;
use rdkafka::admin::AdminOptions;
use rdkafka::error::RDKafkaErrorCode;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod consumer_protocol;
mod share;

use super::client::{explain_code, explain_kafka_error, Cluster, REQUEST_TIMEOUT};
use super::connection::Write;
use super::ffi::{self, GroupDescription, PartitionOffset};
use super::offsets::{self, Leaders, OffsetSpec, Offsets};
use crate::error::{Error, ErrorKind, Result};

/// Groups described per DescribeConsumerGroups request.
const DESCRIBE_BATCH: usize = 50;
/// The group types KafkaDesk tells apart beyond librdkafka's Classic and Consumer.
const SHARE: &str = "Share";
const STREAMS: &str = "Streams";

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupSummary {
    pub group_id: String,
    /// Stable, Empty, PreparingRebalance, CompletingRebalance, Dead or Unknown.
    pub state: String,
    /// Classic, Consumer (the KIP-848 protocol), Share (KIP-932) or Streams; Unknown on
    /// older brokers.
    pub group_type: String,
    /// The partition assignor (e.g. "range", "uniform"); empty when the group has none.
    pub protocol: String,
    pub member_count: u32,
    pub coordinator_id: Option<i32>,
    pub topic_count: u32,
    /// Sum of the lag over the partitions with a committed offset; `None` when the log end
    /// of one of them is unknown (its leader is offline or did not answer).
    #[ts(type = "number | null")]
    pub total_lag: Option<i64>,
    /// Why this group could not be described, when it could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicPartitionRef {
    pub topic: String,
    pub partition: i32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Member {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub group_instance_id: Option<String>,
    pub assignment: Vec<TopicPartitionRef>,
    /// KIP-848 and share groups: the member's epoch (classic groups have none).
    pub member_epoch: Option<i32>,
    /// KIP-848 groups: where the coordinator is moving this member's assignment.
    pub target_assignment: Option<Vec<TopicPartitionRef>>,
    /// KIP-848 and share groups: the topics the member subscribed to.
    pub subscribed_topics: Vec<String>,
    pub subscribed_regex: Option<String>,
    pub rack: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartitionLag {
    pub topic: String,
    pub partition: i32,
    /// `None`: the group has not committed on this (assigned) partition.
    #[ts(type = "number | null")]
    pub committed: Option<i64>,
    #[ts(type = "number | null")]
    pub log_end: Option<i64>,
    #[ts(type = "number | null")]
    pub lag: Option<i64>,
    /// The member this partition is assigned to, if any.
    pub member_id: Option<String>,
    pub client_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicLag {
    pub topic: String,
    pub partitions: u32,
    /// `None` when a committed partition's log end is unknown.
    #[ts(type = "number | null")]
    pub lag: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct GroupDetail {
    pub group_id: String,
    pub state: String,
    pub group_type: String,
    pub protocol: String,
    pub coordinator_id: Option<i32>,
    /// KIP-848 and share groups: the group's epoch and the epoch of its target assignment.
    pub group_epoch: Option<i32>,
    pub assignment_epoch: Option<i32>,
    pub members: Vec<Member>,
    /// Sorted by topic, then partition. For a share group `committed` is the start offset.
    pub partitions: Vec<PartitionLag>,
    pub topics: Vec<TopicLag>,
    /// `None` when a committed partition's log end is unknown.
    #[ts(type = "number | null")]
    pub total_lag: Option<i64>,
}

/// Where to move the committed offsets.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ResetTarget {
    Earliest,
    Latest,
    /// The first message at or after this time (ms since the epoch).
    Timestamp {
        #[ts(type = "number")]
        timestamp: i64,
    },
    Offset {
        #[ts(type = "number")]
        offset: i64,
    },
    /// Move the committed offset by this many messages (negative: back).
    Shift {
        #[ts(type = "number")]
        by: i64,
    },
}

/// Which partitions to reset.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum ResetScope {
    /// Every topic the group has committed offsets on.
    AllTopics,
    /// Every partition of one topic.
    Topic { topic: String },
    Partitions { topic: String, partitions: Vec<i32> },
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResetRequest {
    pub target: ResetTarget,
    pub scope: ResetScope,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResetRow {
    pub topic: String,
    pub partition: i32,
    #[ts(type = "number | null")]
    pub current: Option<i64>,
    #[ts(type = "number")]
    pub new: i64,
    #[ts(type = "number")]
    pub log_start: i64,
    #[ts(type = "number")]
    pub log_end: i64,
    #[ts(type = "number | null")]
    pub lag_before: Option<i64>,
    #[ts(type = "number")]
    pub lag_after: i64,
    /// Set when the target was clamped, in words.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ResetPlan {
    pub group_id: String,
    pub rows: Vec<ResetRow>,
    #[ts(type = "number")]
    pub lag_before: i64,
    #[ts(type = "number")]
    pub lag_after: i64,
    /// True once the offsets were committed (the answer of apply), false for a preview.
    pub applied: bool,
}

/// Every group with its state, members and total lag.
pub async fn list(cluster: &Arc<Cluster>) -> Result<Vec<GroupSummary>> {
    cluster
        .blocking(|c| {
            // SAFETY (all ffi calls below): `c` keeps the client alive for the whole call.
            let mut listings = unsafe { ffi::list_groups(c.native(), REQUEST_TIMEOUT)? };
            let mut shares = HashMap::new();
            match share::non_consumer_groups(c) {
                Ok(found) => {
                    shares = found.shares;
                    for group in found.listings {
                        match listings.iter_mut().find(|l| l.group_id == group.group_id) {
                            Some(listed) => listed.group_type = group.group_type,
                            None => listings.push(group),
                        }
                    }
                }
                Err(e) => log::warn!("groups list: share and streams groups left out: {}", e.message),
            }
            let (others, listings): (Vec<_>, Vec<_>) =
                listings.into_iter().partition(|l| matches!(l.group_type.as_str(), SHARE | STREAMS));
            let ids: Vec<String> = listings.iter().map(|l| l.group_id.clone()).collect();
            let mut described: HashMap<String, GroupDescription> = HashMap::new();
            for batch in ids.chunks(DESCRIBE_BATCH) {
                for d in unsafe { ffi::describe_groups(c.native(), batch, REQUEST_TIMEOUT)? } {
                    described.insert(d.group_id.clone(), d);
                }
            }
            let mut committed = HashMap::new();
            for id in &ids {
                committed.insert(id.clone(), committed_offsets(c, id)?);
            }
            let all: BTreeSet<(String, i32)> = committed.values().flat_map(|o| o.keys()).cloned().collect();
            let log_ends = log_offsets(c, all.into_iter().collect(), OffsetSpec::Latest)?;
            if let Some(why) = log_ends.why_unknown() {
                log::info!("groups list: {why}");
            }
            let topic_count = |offsets: &HashMap<(String, i32), i64>| count(offsets.keys().map(|(t, _)| t).collect::<BTreeSet<_>>().len());
            let mut summaries: Vec<GroupSummary> = listings
                .into_iter()
                .map(|listing| {
                    let offsets = committed.remove(&listing.group_id).unwrap_or_default();
                    let description = described.remove(&listing.group_id);
                    GroupSummary {
                        topic_count: topic_count(&offsets),
                        total_lag: offsets.iter().map(|(tp, &o)| lag(log_ends.get_tp(tp), Some(o))).sum(),
                        member_count: description.as_ref().map_or(0, |d| count(d.members.len())),
                        coordinator_id: description.as_ref().and_then(|d| d.coordinator),
                        protocol: description.as_ref().map(|d| d.assignor.clone()).unwrap_or_default(),
                        error: description.as_ref().and_then(|d| d.error.as_ref().map(|e| e.message.clone())),
                        state: description.as_ref().filter(|d| d.error.is_none()).map_or(listing.state, |d| d.state.clone()),
                        group_type: listing.group_type,
                        group_id: listing.group_id,
                    }
                })
                .collect();
            // Share and streams groups: lag unknown, as in a share group's detail.
            for listing in others {
                let described = shares.remove(&listing.group_id);
                let group = described.as_ref().and_then(|d| d.as_ref().ok());
                summaries.push(GroupSummary {
                    topic_count: group.map_or(0, |g| topic_count(&g.start_offsets)),
                    total_lag: None,
                    member_count: group.map_or(0, |g| count(g.members.len())),
                    coordinator_id: group.map(|g| g.coordinator),
                    protocol: group.map(|g| g.assignor.clone()).unwrap_or_default(),
                    error: match &described {
                        Some(Err(e)) => Some(e.message.clone()),
                        _ if listing.group_type == STREAMS => Some(STREAMS_NOT_DESCRIBED.into()),
                        _ => None,
                    },
                    state: group.map_or(listing.state, |g| g.state.clone()),
                    group_type: listing.group_type,
                    group_id: listing.group_id,
                });
            }
            summaries.sort_by(|a, b| a.group_id.cmp(&b.group_id));
            Ok(summaries)
        })
        .await
}

/// Why a streams group (KIP-1071) shows only its listing.
const STREAMS_NOT_DESCRIBED: &str = "A Kafka Streams group (KIP-1071): KafkaDesk lists it but does not describe its members yet.";

/// One group: members and their assignments, and lag per partition, per topic and in total.
pub async fn detail(cluster: &Arc<Cluster>, group_id: &str) -> Result<GroupDetail> {
    let group_id = checked_group(group_id)?;
    cluster.blocking(move |c| describe(c, &group_id)).await
}

/// A group as describe, reset and delete need it, whichever protocol it speaks.
struct Loaded {
    state: String,
    group_type: String,
    assignor: String,
    coordinator: Option<i32>,
    group_epoch: Option<i32>,
    assignment_epoch: Option<i32>,
    members: Vec<Member>,
    /// Committed offsets, or a share group's start offsets.
    offsets: HashMap<(String, i32), i64>,
}

impl Loaded {
    fn is_share(&self) -> bool {
        self.group_type == SHARE
    }
}

fn load(c: &Cluster, group_id: &str) -> Result<Loaded> {
    let found = match describe_one(c, group_id) {
        Ok(d) => Some(d),
        Err(e) if e.kind == ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    let committed = match &found {
        Some(_) => committed_offsets(c, group_id)?,
        None => HashMap::new(),
    };
    let exists = found.as_ref().is_some_and(|d| !d.members.is_empty() || !matches!(d.state.as_str(), "Dead" | "Unknown"));
    let Some(description) = found.filter(|_| exists || !committed.is_empty()) else {
        // Not a classic or consumer-protocol group: perhaps a share group.
        let g = match share::describe(c, group_id) {
            Ok(Some(g)) => g,
            Ok(None) => return Err(Error::not_found(format!("There is no consumer group named \"{group_id}\"."))),
            // E.g. a SASL mechanism the wire client does not speak: say what was not checked.
            Err(e) => {
                return Err(Error::not_found(format!(
                    "There is no consumer group named \"{group_id}\" (share groups could not be checked: {})",
                    e.message
                )))
            }
        };
        return Ok(Loaded {
            state: g.state,
            group_type: SHARE.into(),
            assignor: g.assignor,
            coordinator: Some(g.coordinator),
            group_epoch: Some(g.group_epoch),
            assignment_epoch: Some(g.assignment_epoch),
            members: g.members,
            offsets: g.start_offsets,
        });
    };
    let mut epochs = None;
    if description.group_type == "Consumer" {
        match consumer_protocol::describe(c, group_id, description.coordinator) {
            Ok(e) => epochs = Some(e),
            Err(e) => log::warn!("group {group_id}: no member epochs: {}", e.message),
        }
    }
    let members = description
        .members
        .into_iter()
        .map(|m| {
            let extra = epochs.as_mut().and_then(|e| e.members.remove(&m.member_id));
            Member {
                assignment: m.assignment.into_iter().map(|(topic, partition)| TopicPartitionRef { topic, partition }).collect(),
                member_epoch: extra.as_ref().map(|x| x.member_epoch),
                subscribed_topics: extra.as_ref().map(|x| x.subscribed_topics.clone()).unwrap_or_default(),
                subscribed_regex: extra.as_ref().and_then(|x| x.subscribed_regex.clone()),
                rack: extra.as_ref().and_then(|x| x.rack.clone()),
                target_assignment: extra.map(|x| x.target_assignment),
                member_id: m.member_id,
                client_id: m.client_id,
                host: m.host,
                group_instance_id: m.group_instance_id,
            }
        })
        .collect();
    Ok(Loaded {
        state: description.state,
        group_type: description.group_type,
        assignor: description.assignor,
        coordinator: description.coordinator,
        group_epoch: epochs.as_ref().map(|e| e.group_epoch),
        assignment_epoch: epochs.as_ref().map(|e| e.assignment_epoch),
        members,
        offsets: committed,
    })
}

fn describe(c: &Cluster, group_id: &str) -> Result<GroupDetail> {
    let group = load(c, group_id)?;
    let mut owners: HashMap<(String, i32), (String, String)> = HashMap::new();
    for member in &group.members {
        for tp in &member.assignment {
            owners.insert((tp.topic.clone(), tp.partition), (member.member_id.clone(), member.client_id.clone()));
        }
    }
    let partitions: BTreeSet<(String, i32)> = group.offsets.keys().chain(owners.keys()).cloned().collect();
    let log_ends = log_offsets(c, partitions.iter().cloned().collect(), OffsetSpec::Latest)?;
    let rows: Vec<PartitionLag> = partitions
        .into_iter()
        .map(|tp| {
            let committed = group.offsets.get(&tp).copied();
            let log_end = log_ends.get_tp(&tp);
            let owner = owners.get(&tp);
            PartitionLag {
                // A share group's lag also counts records delivered past its start offset, which
                // only DescribeShareGroupOffsets v1 reports: unknown rather than guessed.
                lag: if group.is_share() { None } else { lag(log_end, committed) },
                committed,
                log_end,
                member_id: owner.map(|o| o.0.clone()),
                client_id: owner.map(|o| o.1.clone()),
                topic: tp.0,
                partition: tp.1,
            }
        })
        .collect();
    let mut topics: BTreeMap<&str, TopicLag> = BTreeMap::new();
    for row in &rows {
        let entry =
            topics.entry(&row.topic).or_insert_with(|| TopicLag { topic: row.topic.clone(), partitions: 0, lag: Some(0) });
        entry.partitions += 1;
        // Only a committed partition has a lag; its unknown log end makes the total unknown.
        if row.committed.is_some() {
            entry.lag = entry.lag.zip(row.lag).map(|(sum, l)| sum + l);
        }
    }
    let topics: Vec<TopicLag> = topics.into_values().collect();
    Ok(GroupDetail {
        group_id: group_id.to_string(),
        total_lag: topics.iter().map(|t| t.lag).sum(),
        topics,
        partitions: rows,
        state: group.state,
        group_type: group.group_type,
        protocol: group.assignor,
        coordinator_id: group.coordinator,
        group_epoch: group.group_epoch,
        assignment_epoch: group.assignment_epoch,
        members: group.members,
    })
}

/// Works out a reset without changing anything: current → new offset and lag per partition.
pub async fn plan_reset(cluster: &Arc<Cluster>, group_id: &str, request: ResetRequest) -> Result<ResetPlan> {
    let group_id = checked_group(group_id)?;
    cluster.blocking(move |c| plan(c, &load(c, &group_id)?, &group_id, &request)).await
}

/// Plans the reset afresh (the group may have changed since the preview) and commits it.
pub async fn apply_reset(cluster: &Write, group_id: &str, request: ResetRequest) -> Result<ResetPlan> {
    let group_id = checked_group(group_id)?;
    cluster
        .blocking(move |c| {
            let group = load(c, &group_id)?;
            let mut plan = plan(c, &group, &group_id, &request)?;
            let offsets: Vec<(String, i32, i64)> = plan.rows.iter().map(|r| (r.topic.clone(), r.partition, r.new)).collect();
            if group.is_share() {
                share::alter_start_offsets(c, &group_id, &offsets)?;
            } else {
                // SAFETY: `c` keeps the client alive for the whole call.
                let results = unsafe { ffi::alter_group_offsets(c.native(), &group_id, &offsets, REQUEST_TIMEOUT)? };
                first_partition_error(&results, "the new committed offsets")?;
            }
            plan.applied = true;
            Ok(plan)
        })
        .await
}

/// Deletes a group with no active members (Kafka refuses the others).
pub async fn delete_group(cluster: &Write, group_id: &str) -> Result<()> {
    let group_id = checked_group(group_id)?;
    let options = AdminOptions::new().request_timeout(Some(REQUEST_TIMEOUT));
    let what = format!("deleting the group \"{group_id}\"");
    let results = cluster
        .admin()
        .delete_groups(&[group_id.as_str()], &options)
        .await
        .map_err(|e| cluster.explain(explain_kafka_error(e, &what)))?;
    for result in results {
        if let Err((_, code)) = result {
            return Err(match code {
                RDKafkaErrorCode::NonEmptyGroup => active_group(&group_id),
                RDKafkaErrorCode::GroupIdNotFound => Error::not_found(format!("There is no consumer group named \"{group_id}\".")),
                code => explain_code(code, "", &what),
            });
        }
    }
    Ok(())
}

/// Deletes the group's committed offsets on every partition of one topic.
pub async fn delete_topic_offsets(cluster: &Write, group_id: &str, topic: &str) -> Result<u32> {
    let group_id = checked_group(group_id)?;
    let topic = topic.trim().to_string();
    cluster
        .blocking(move |c| {
            let group = load(c, &group_id)?;
            let partitions: Vec<(String, i32)> = group.offsets.keys().filter(|(t, _)| *t == topic).cloned().collect();
            if partitions.is_empty() {
                return Err(Error::invalid_input(
                    "topic",
                    format!("The group \"{group_id}\" has no committed offsets on topic \"{topic}\"."),
                ));
            }
            if group.is_share() {
                share::delete_start_offsets(c, &group_id, &topic)?;
                return Ok(count(partitions.len()));
            }
            // SAFETY: `c` keeps the client alive for the whole call.
            let results = unsafe { ffi::delete_group_offsets(c.native(), &group_id, &partitions, REQUEST_TIMEOUT) }
                .map_err(|e| subscribed_or(e, &group_id, &topic))?;
            first_partition_error(&results, "deleting the group's committed offsets")
                .map_err(|e| subscribed_or(e, &group_id, &topic))?;
            Ok(count(partitions.len()))
        })
        .await
}

fn plan(c: &Cluster, group: &Loaded, group_id: &str, request: &ResetRequest) -> Result<ResetPlan> {
    if !group.members.is_empty() || !matches!(group.state.as_str(), "Empty" | "Dead" | "Unknown") {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "The group \"{group_id}\" is {} with {} active member(s): offsets can only be reset while no consumer is running. Stop its consumers and try again.",
                group.state,
                group.members.len()
            ),
        )
        .with_detail("group"));
    }
    let committed = &group.offsets;
    let partitions = scope_partitions(c, group_id, &request.scope, committed)?;
    if let ResetTarget::Offset { offset } = request.target {
        if offset < 0 {
            return Err(Error::invalid_input("offset", "The offset must be 0 or more."));
        }
    }
    if let ResetTarget::Timestamp { timestamp } = request.target {
        if timestamp < 0 {
            return Err(Error::invalid_input("timestamp", "The time must be after 1970-01-01."));
        }
    }
    if let ResetTarget::Shift { .. } = request.target {
        if let Some((t, p)) = partitions.iter().find(|tp| !committed.contains_key(*tp)) {
            return Err(Error::invalid_input(
                "by",
                format!("Cannot shift partition {t}-{p}: the group has no committed offset there. Choose another target."),
            ));
        }
    }
    // A plan needs every offset: one that is unknown would become a wrong target.
    let starts = log_offsets(c, partitions.clone(), OffsetSpec::Earliest)?.all_known()?;
    let ends = log_offsets(c, partitions.clone(), OffsetSpec::Latest)?.all_known()?;
    let by_time = match request.target {
        ResetTarget::Timestamp { timestamp } => {
            Some(log_offsets(c, partitions.clone(), OffsetSpec::Timestamp(timestamp))?.all_known()?)
        }
        _ => None,
    };
    let mut rows = Vec::with_capacity(partitions.len());
    for tp in partitions {
        let (Some(log_start), Some(log_end)) = (starts.get_tp(&tp), ends.get_tp(&tp)) else {
            return Err(Error::new(ErrorKind::Kafka, format!("Kafka did not tell the offsets of partition {}-{}.", tp.0, tp.1)));
        };
        let current = committed.get(&tp).copied();
        let (new, note) = target_offset(&request.target, current, log_start, log_end, by_time.as_ref().and_then(|t| t.get_tp(&tp)));
        rows.push(ResetRow {
            lag_before: if group.is_share() { None } else { lag(Some(log_end), current) },
            lag_after: log_end - new,
            topic: tp.0,
            partition: tp.1,
            current,
            new,
            log_start,
            log_end,
            note,
        });
    }
    Ok(ResetPlan {
        group_id: group_id.to_string(),
        lag_before: rows.iter().filter_map(|r| r.lag_before).sum(),
        lag_after: rows.iter().map(|r| r.lag_after).sum(),
        rows,
        applied: false,
    })
}

/// The new offset for one partition, clamped into [log_start, log_end] like Kafka's tool,
/// with a note when it was clamped. `at_time` is ListOffsets' answer for a timestamp.
fn target_offset(
    target: &ResetTarget,
    current: Option<i64>,
    log_start: i64,
    log_end: i64,
    at_time: Option<i64>,
) -> (i64, Option<String>) {
    let wanted = match *target {
        ResetTarget::Earliest => return (log_start, None),
        ResetTarget::Latest => return (log_end, None),
        ResetTarget::Timestamp { .. } => match at_time {
            Some(offset) if offset >= 0 => return (offset.clamp(log_start, log_end), None),
            _ => return (log_end, Some("No message at or after that time: set to the log end (latest).".into())),
        },
        ResetTarget::Offset { offset } => offset,
        ResetTarget::Shift { by } => current.unwrap_or(log_start).saturating_add(by),
    };
    if wanted > log_end {
        (log_end, Some(format!("Offset {wanted} is beyond the log end: clamped to {log_end}.")))
    } else if wanted < log_start {
        (log_start, Some(format!("Offset {wanted} is before the log start: clamped to {log_start}.")))
    } else {
        (wanted, None)
    }
}

/// The partitions a scope names, checked against the cluster's metadata.
fn scope_partitions(
    c: &Cluster,
    group_id: &str,
    scope: &ResetScope,
    committed: &HashMap<(String, i32), i64>,
) -> Result<Vec<(String, i32)>> {
    let (topic, chosen) = match scope {
        ResetScope::AllTopics => {
            if committed.is_empty() {
                return Err(Error::invalid_input(
                    "scope",
                    format!("The group \"{group_id}\" has no committed offsets yet: choose a topic to reset."),
                ));
            }
            let mut all: Vec<(String, i32)> = committed.keys().cloned().collect();
            all.sort();
            return Ok(all);
        }
        ResetScope::Topic { topic } => (topic.trim(), None),
        ResetScope::Partitions { topic, partitions } => (topic.trim(), Some(partitions)),
    };
    if topic.is_empty() {
        return Err(Error::invalid_input("topic", "Choose a topic."));
    }
    let metadata = c.metadata(None, "the topic list")?;
    let Some(found) = metadata.topics().iter().find(|t| t.name() == topic) else {
        return Err(Error::invalid_input("topic", format!("There is no topic named \"{topic}\".")));
    };
    let existing: BTreeSet<i32> = found.partitions().iter().map(|p| p.id()).collect();
    let partitions: Vec<i32> = match chosen {
        None => existing.iter().copied().collect(),
        Some(chosen) => {
            if chosen.is_empty() {
                return Err(Error::invalid_input("partitions", "Choose at least one partition."));
            }
            if let Some(missing) = chosen.iter().find(|p| !existing.contains(p)) {
                return Err(Error::invalid_input(
                    "partitions",
                    format!("Topic \"{topic}\" has no partition {missing} (it has {}).", existing.len()),
                ));
            }
            chosen.iter().copied().collect::<BTreeSet<_>>().into_iter().collect()
        }
    };
    Ok(partitions.into_iter().map(|p| (topic.to_string(), p)).collect())
}

fn describe_one(c: &Cluster, group_id: &str) -> Result<GroupDescription> {
    // SAFETY: `c` keeps the client alive for the whole call.
    let described = unsafe { ffi::describe_groups(c.native(), &[group_id.to_string()], REQUEST_TIMEOUT)? };
    let Some(description) = described.into_iter().next() else {
        return Err(Error::internal("Kafka answered the group description without the group."));
    };
    match description.error {
        Some(e) if e.detail.as_deref().is_some_and(|d| d.starts_with("GroupIdNotFound")) => {
            Err(Error::not_found(format!("There is no consumer group named \"{group_id}\".")))
        }
        Some(e) => Err(e),
        None => Ok(description),
    }
}

/// The group's committed offsets by (topic, partition).
fn committed_offsets(c: &Cluster, group_id: &str) -> Result<HashMap<(String, i32), i64>> {
    // SAFETY: `c` keeps the client alive for the whole call.
    let offsets = unsafe { ffi::list_group_offsets(c.native(), group_id, REQUEST_TIMEOUT)? };
    Ok(offsets.into_iter().filter_map(|p| p.offset.map(|o| ((p.topic, p.partition), o))).collect())
}

/// ListOffsets for many partitions at once; partitions nobody answered for are unknown.
fn log_offsets(c: &Cluster, partitions: Vec<(String, i32)>, spec: OffsetSpec) -> Result<Offsets> {
    if partitions.is_empty() {
        return Ok(Offsets::default());
    }
    Ok(offsets::list(c, &Leaders::fetch(c)?, &partitions, spec))
}

fn first_partition_error(results: &[PartitionOffset], what: &str) -> Result<()> {
    match results.iter().find_map(|r| r.error.as_ref().map(|e| (r, e))) {
        Some((r, (code, reason))) => {
            Err(explain_code(*code, &format!("partition {}-{}: {reason}", r.topic, r.partition), what))
        }
        None => Ok(()),
    }
}

fn subscribed_or(error: Error, group_id: &str, topic: &str) -> Error {
    if error.detail.as_deref().is_some_and(|d| d.starts_with("GroupSubscribedToTopic")) {
        Error::new(
            ErrorKind::InvalidInput,
            format!("Consumers of \"{group_id}\" are subscribed to \"{topic}\": stop them before deleting its offsets."),
        )
        .with_detail("group")
    } else {
        error
    }
}

fn active_group(group_id: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("The group \"{group_id}\" has active members: stop its consumers before deleting it."),
    )
    .with_detail("group")
}

fn checked_group(group_id: &str) -> Result<String> {
    let group_id = group_id.trim();
    if group_id.is_empty() {
        return Err(Error::invalid_input("group", "Choose a consumer group."));
    }
    Ok(group_id.to_string())
}

/// Topic partitions as ConsumerGroupDescribe and ShareGroupDescribe list them, sorted.
fn partition_refs<'a>(topics: impl Iterator<Item = (&'a TopicName, &'a Vec<i32>)>) -> Vec<TopicPartitionRef> {
    let mut all: Vec<TopicPartitionRef> =
        topics.flat_map(|(name, ps)| ps.iter().map(|p| TopicPartitionRef { topic: name.0.to_string(), partition: *p })).collect();
    all.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    all
}

fn lag(log_end: Option<i64>, committed: Option<i64>) -> Option<i64> {
    Some((log_end? - committed?).max(0))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_like_kafkas_tool() {
        let shift = |by| target_offset(&ResetTarget::Shift { by }, Some(5), 2, 10, None);
        assert_eq!(shift(3), (8, None));
        assert_eq!(shift(-10).0, 2);
        assert!(shift(-10).1.unwrap().contains("before the log start"));
        assert_eq!(shift(100).0, 10);
        let beyond = target_offset(&ResetTarget::Offset { offset: 99 }, None, 0, 10, None);
        assert_eq!(beyond.0, 10);
        assert!(beyond.1.unwrap().contains("beyond the log end"));
        let future = target_offset(&ResetTarget::Timestamp { timestamp: 1 }, Some(3), 0, 10, Some(-1));
        assert_eq!(future.0, 10);
        assert!(future.1.unwrap().contains("log end"));
        assert_eq!(target_offset(&ResetTarget::Timestamp { timestamp: 1 }, None, 0, 10, Some(4)), (4, None));
        assert_eq!(target_offset(&ResetTarget::Earliest, Some(5), 2, 10, None), (2, None));
        assert_eq!(target_offset(&ResetTarget::Latest, Some(5), 2, 10, None), (10, None));
    }

    #[test]
    fn requests_arrive_as_tagged_json() {
        let request: ResetRequest = serde_json::from_value(serde_json::json!({
            "target": {"kind": "shift", "by": -3},
            "scope": {"kind": "partitions", "topic": "t", "partitions": [0, 2]}
        }))
        .unwrap();
        assert_eq!(request.target, ResetTarget::Shift { by: -3 });
        assert_eq!(request.scope, ResetScope::Partitions { topic: "t".into(), partitions: vec![0, 2] });
        let all: ResetScope = serde_json::from_value(serde_json::json!({"kind": "allTopics"})).unwrap();
        assert_eq!(all, ResetScope::AllTopics);
    }
}
