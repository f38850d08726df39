//! Partition reassignment through the wire client (librdkafka has no
//! AlterPartitionReassignments / ListPartitionReassignments): a planner for the common
//! goals, execution with an inter-broker throttle, progress, cancel, and the JSON file of
//! `kafka-reassign-partitions.sh`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use kafka_protocol::messages::alter_partition_reassignments_request::{ReassignablePartition, ReassignableTopic};
use kafka_protocol::messages::describe_log_dirs_request::DescribableLogDirTopic;
use kafka_protocol::messages::list_partition_reassignments_request::ListPartitionReassignmentsTopics;
use kafka_protocol::messages::{AlterPartitionReassignmentsRequest, BrokerId, DescribeLogDirsRequest, ListPartitionReassignmentsRequest, TopicName};
use kafka_protocol::protocol::StrBytes;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::kafka::client::{Cluster, REQUEST_TIMEOUT};
use crate::kafka::ffi::{self, ConfigChange, ResourceKind};
use crate::kafka::wire::links::{any_broker, link_to};
use crate::kafka::wire::{self, BrokerLink};
use crate::kafka::Write;

/// What the planner should achieve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum PlanGoal {
    /// Move every replica off `broker` (before decommissioning it), or only `topic`'s.
    Decommission {
        broker: i32,
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
    },
    /// Even out replicas, then preferred leaders, across the brokers (rack-aware), over the
    /// whole cluster or only `topic`'s partitions.
    Balance {
        #[ts(optional)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        topic: Option<String>,
    },
    /// Give every partition of `topic` this many replicas.
    ReplicationFactor {
        topic: String,
        // `rename_all` above names the variants only.
        #[serde(rename = "replicationFactor")]
        replication_factor: i32,
    },
}

/// One partition's replicas before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartitionMove {
    pub topic: String,
    pub partition: i32,
    pub before: Vec<i32>,
    pub after: Vec<i32>,
    /// The partition's size on disk (its largest replica, DescribeLogDirs); `None` when no
    /// broker holding it answered. Each new replica copies this much.
    #[serde(default)]
    pub size_bytes: Option<f64>,
}

impl PartitionMove {
    /// Replicas that must copy the partition: in `after`, not in `before`.
    pub fn added(&self) -> Vec<i32> {
        self.after.iter().copied().filter(|b| !self.before.contains(b)).collect()
    }
}

/// Brokers (with racks) and every partition's replicas: what the planner works from.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub brokers: BTreeMap<i32, Option<String>>,
    pub partitions: Vec<PartitionMove>,
    /// Each broker's host and port, as metadata listed them.
    pub addresses: HashMap<i32, (String, i32)>,
}

impl Layout {
    fn read(c: &Cluster) -> Result<Layout> {
        let metadata = c.metadata(None, "the partition layout")?;
        // SAFETY: `c` keeps the client alive for the whole blocking call.
        let description = unsafe { ffi::describe_cluster(c.native(), REQUEST_TIMEOUT)? };
        let brokers = description.nodes.into_iter().map(|n| (n.id, n.rack)).collect();
        let mut partitions = Vec::new();
        for topic in metadata.topics() {
            for p in topic.partitions() {
                let replicas = p.replicas().to_vec();
                partitions.push(PartitionMove { topic: topic.name().to_string(), partition: p.id(), before: replicas.clone(), after: replicas, size_bytes: None });
            }
        }
        partitions.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
        let addresses = metadata.brokers().iter().map(|b| (b.id(), (b.host().to_string(), b.port()))).collect();
        Ok(Layout { brokers, partitions, addresses })
    }
}

/// The moves a goal needs (partitions that change only), rack-aware and load-balancing:
/// a new replica goes to the broker holding fewest replicas, preferring racks the
/// partition does not use yet. Pure: unit-tested without a cluster.
pub fn plan_moves(layout: &Layout, goal: &PlanGoal) -> Result<Vec<PartitionMove>> {
    let mut load: HashMap<i32, usize> = layout.brokers.keys().map(|b| (*b, 0)).collect();
    for p in &layout.partitions {
        for r in &p.before {
            *load.entry(*r).or_default() += 1;
        }
    }
    let rack = |b: i32| layout.brokers.get(&b).cloned().flatten();
    // The best broker to add to `replicas`, from `candidates`.
    let pick = |replicas: &[i32], load: &HashMap<i32, usize>, exclude: Option<i32>| -> Option<i32> {
        let used_racks: BTreeSet<Option<String>> = replicas.iter().map(|r| rack(*r)).collect();
        layout
            .brokers
            .keys()
            .copied()
            .filter(|b| !replicas.contains(b) && Some(*b) != exclude)
            .min_by_key(|b| (rack(*b).is_some() && used_racks.contains(&rack(*b)), load.get(b).copied().unwrap_or(0), *b))
    };
    let mut moves = Vec::new();
    match goal {
        PlanGoal::Decommission { broker, topic } => {
            if !layout.brokers.contains_key(broker) {
                return Err(Error::not_found(format!("There is no broker {broker} in this cluster.")));
            }
            if let Some(t) = topic.as_ref().filter(|t| !layout.partitions.iter().any(|p| &p.topic == *t)) {
                return Err(Error::not_found(format!("There is no topic \"{t}\" on this cluster.")));
            }
            let chosen = |p: &&PartitionMove| p.before.contains(broker) && topic.as_ref().is_none_or(|t| &p.topic == t);
            for p in layout.partitions.iter().filter(chosen) {
                let mut after = p.before.clone();
                let Some(slot) = after.iter().position(|r| r == broker) else { continue };
                let Some(target) = pick(&after, &load, Some(*broker)) else {
                    return Err(Error::invalid_input(
                        "broker",
                        format!("Partition {}-{} has {} replicas and no other broker is free to take one off broker {broker}.", p.topic, p.partition, p.before.len()),
                    ));
                };
                after[slot] = target;
                *load.entry(target).or_default() += 1;
                moves.push(PartitionMove { after, ..p.clone() });
            }
        }
        PlanGoal::Balance { topic } => {
            if let Some(t) = topic.as_ref().filter(|t| !layout.partitions.iter().any(|p| &p.topic == *t)) {
                return Err(Error::not_found(format!("There is no topic \"{t}\" on this cluster.")));
            }
            let chosen: Vec<&PartitionMove> = layout.partitions.iter().filter(|p| topic.as_ref().is_none_or(|t| &p.topic == t)).collect();
            moves = balance(layout, &chosen);
        }
        PlanGoal::ReplicationFactor { topic, replication_factor } => {
            let wanted = usize::try_from(*replication_factor).ok().filter(|n| *n >= 1).ok_or_else(|| {
                Error::invalid_input("replicationFactor", "The replication factor must be at least 1.")
            })?;
            if wanted > layout.brokers.len() {
                return Err(Error::invalid_input(
                    "replicationFactor",
                    format!("The replication factor cannot exceed the {} brokers of this cluster.", layout.brokers.len()),
                ));
            }
            let partitions: Vec<&PartitionMove> = layout.partitions.iter().filter(|p| &p.topic == topic).collect();
            if partitions.is_empty() {
                return Err(Error::not_found(format!("There is no topic \"{topic}\" on this cluster.")));
            }
            for p in partitions {
                let mut after = p.before.clone();
                while after.len() > wanted {
                    // Drop from the end: the preferred leader (first) stays.
                    if let Some(dropped) = after.pop() {
                        if let Some(l) = load.get_mut(&dropped) {
                            *l = l.saturating_sub(1);
                        }
                    }
                }
                while after.len() < wanted {
                    let Some(target) = pick(&after, &load, None) else { break };
                    after.push(target);
                    *load.entry(target).or_default() += 1;
                }
                if after != p.before {
                    moves.push(PartitionMove { after, ..p.clone() });
                }
            }
        }
    }
    Ok(moves)
}

/// Balance `partitions` (their replicas, then their preferred leaders) across the brokers:
/// each step moves one replica from the most to the least loaded broker that may take it (not
/// already a replica, not a rack the partition's other replicas use when racks are set), until
/// the counts differ by at most one; then first replicas are swapped within a partition's own
/// replicas (no data moves) until preferred leaders are as even. Returns the changed partitions.
fn balance(layout: &Layout, partitions: &[&PartitionMove]) -> Vec<PartitionMove> {
    let mut after: Vec<Vec<i32>> = partitions.iter().map(|p| p.before.clone()).collect();
    let brokers: Vec<i32> = layout.brokers.keys().copied().collect();
    let rack = |b: i32| layout.brokers.get(&b).cloned().flatten();
    let count = |after: &[Vec<i32>], leaders_only: bool| -> BTreeMap<i32, usize> {
        let mut n: BTreeMap<i32, usize> = brokers.iter().map(|b| (*b, 0)).collect();
        for replicas in after {
            for r in replicas.iter().take(if leaders_only { 1 } else { replicas.len() }) {
                *n.entry(*r).or_default() += 1;
            }
        }
        n
    };
    // Replicas: a bounded number of single moves, each lowering the spread or stopping.
    let total: usize = after.iter().map(Vec::len).sum();
    for _ in 0..=total {
        let load = count(&after, false);
        let (Some((&most, &high)), Some((_, &low))) = (load.iter().max_by_key(|(b, n)| (**n, -**b)), load.iter().min_by_key(|(b, n)| (**n, **b))) else {
            break;
        };
        if high <= low + 1 {
            break;
        }
        // Receivers from the least loaded up; the first partition that can take one moves.
        let mut receivers: Vec<(usize, i32)> = load.iter().filter(|(_, n)| **n + 1 < high).map(|(b, n)| (*n, *b)).collect();
        receivers.sort_unstable();
        let step = receivers.iter().find_map(|&(_, to)| {
            after.iter().position(|replicas| {
                let Some(slot) = replicas.iter().position(|r| *r == most) else { return false };
                let others: BTreeSet<Option<String>> =
                    replicas.iter().enumerate().filter(|(i, _)| *i != slot).map(|(_, r)| rack(*r)).collect();
                !replicas.contains(&to) && (rack(to).is_none() || !others.contains(&rack(to)) || others.contains(&rack(most)))
            })
            .map(|i| (i, to))
        });
        let Some((i, to)) = step else { break };
        if let Some(slot) = after[i].iter().position(|r| *r == most) {
            after[i][slot] = to;
        }
    }
    // Preferred leaders: swap a replica to the front within its partition.
    for _ in 0..=after.len() {
        let leaders = count(&after, true);
        let (Some((&most, &high)), Some((_, &low))) = (leaders.iter().max_by_key(|(b, n)| (**n, -**b)), leaders.iter().min_by_key(|(b, n)| (**n, **b))) else {
            break;
        };
        if high <= low + 1 {
            break;
        }
        let step = after.iter().enumerate().find_map(|(i, replicas)| {
            if replicas.first() != Some(&most) {
                return None;
            }
            replicas.iter().position(|r| leaders.get(r).is_some_and(|n| *n + 1 < high)).map(|slot| (i, slot))
        });
        let Some((i, slot)) = step else { break };
        after[i].swap(0, slot);
    }
    partitions
        .iter()
        .zip(after)
        .filter(|(p, a)| p.before != *a)
        .map(|(p, a)| PartitionMove { after: a, ..(*p).clone() })
        .collect()
}

/// A plan as the preview shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReassignmentPlan {
    pub moves: Vec<PartitionMove>,
    /// What the new replicas copy in all: each move's size times its new replicas; `None`
    /// when a moving partition's size is unknown.
    pub bytes_to_move: Option<f64>,
    /// The `kafka-reassign-partitions.sh` JSON of the moves (`--execute` input).
    pub json: String,
}

pub async fn plan(cluster: &Arc<Cluster>, goal: PlanGoal) -> Result<ReassignmentPlan> {
    cluster
        .blocking(move |c| {
            let layout = Layout::read(c)?;
            let moves = with_sizes(c, &layout, plan_moves(&layout, &goal)?);
            Ok(ReassignmentPlan { json: to_json(&moves)?, bytes_to_move: bytes_to_move(&moves), moves })
        })
        .await
}

/// Each move's size on disk, asked of every broker holding one of them (DescribeLogDirs goes
/// to each broker itself). A broker that does not answer leaves its partitions' sizes to the
/// other replicas, or unknown.
fn with_sizes(c: &Cluster, layout: &Layout, mut moves: Vec<PartitionMove>) -> Vec<PartitionMove> {
    let brokers: BTreeSet<i32> = moves.iter().flat_map(|m| m.before.iter().copied()).collect();
    let mut wanted: BTreeMap<&str, BTreeSet<i32>> = BTreeMap::new();
    for m in &moves {
        wanted.entry(m.topic.as_str()).or_default().insert(m.partition);
    }
    let request = DescribeLogDirsRequest::default().with_topics(Some(
        wanted
            .into_iter()
            .map(|(t, ps)| DescribableLogDirTopic::default().with_topic(TopicName(StrBytes::from_string(t.to_string()))).with_partitions(ps.into_iter().collect()))
            .collect(),
    ));
    let mut sizes: HashMap<(String, i32), i64> = HashMap::new();
    for broker in brokers {
        let Some((host, port)) = layout.addresses.get(&broker) else { continue };
        let answer = link_to(c, host, *port).and_then(|mut link| link.send(&request, "to read partition sizes (DescribeLogDirs)"));
        let Ok(answer) = answer else { continue };
        for dir in answer.results.iter().filter(|d| d.error_code == 0) {
            for t in &dir.topics {
                for p in t.partitions.iter().filter(|p| !p.is_future_key) {
                    let size = sizes.entry((t.name.0.to_string(), p.partition_index)).or_default();
                    *size = (*size).max(p.partition_size);
                }
            }
        }
    }
    for m in &mut moves {
        m.size_bytes = sizes.get(&(m.topic.clone(), m.partition)).map(|s| *s as f64);
    }
    moves
}

/// Σ size × new replicas; unknown if any moving partition's size is.
pub fn bytes_to_move(moves: &[PartitionMove]) -> Option<f64> {
    moves.iter().map(|m| m.size_bytes.map(|s| s * m.added().len() as f64)).sum()
}

/// `{"version":1,"partitions":[{"topic","partition","replicas","log_dirs"}]}`.
#[derive(Debug, Serialize, Deserialize)]
struct ReassignmentFile {
    version: i32,
    partitions: Vec<FilePartition>,
}

#[derive(Debug, Serialize, Deserialize)]
struct FilePartition {
    topic: String,
    partition: i32,
    replicas: Vec<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    log_dirs: Option<Vec<String>>,
}

pub fn to_json(moves: &[PartitionMove]) -> Result<String> {
    let file = ReassignmentFile {
        version: 1,
        partitions: moves
            .iter()
            .map(|m| FilePartition {
                topic: m.topic.clone(),
                partition: m.partition,
                log_dirs: Some(vec!["any".to_string(); m.after.len()]),
                replicas: m.after.clone(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file).map_err(|e| Error::internal("Could not write the reassignment JSON.").with_detail(e.to_string()))
}

/// Reads a `kafka-reassign-partitions.sh` JSON file into moves against the current layout.
pub async fn import(cluster: &Arc<Cluster>, json: String) -> Result<ReassignmentPlan> {
    let file: ReassignmentFile = serde_json::from_str(&json)
        .map_err(|e| Error::invalid_input("json", format!("This is not a reassignment JSON file: {e}.")))?;
    if file.version != 1 {
        return Err(Error::invalid_input("json", format!("Reassignment JSON version {} is not supported (only 1).", file.version)));
    }
    if let Some(dirs) = file.partitions.iter().filter_map(|p| p.log_dirs.as_ref()).flatten().find(|d| *d != "any") {
        return Err(Error::invalid_input("json", format!("Moves between log directories (\"{dirs}\") are not supported; use \"any\".")));
    }
    cluster
        .blocking(move |c| {
            let layout = Layout::read(c)?;
            let mut moves = Vec::new();
            for p in file.partitions {
                let Some(current) = layout.partitions.iter().find(|m| m.topic == p.topic && m.partition == p.partition) else {
                    return Err(Error::not_found(format!("Topic \"{}\" has no partition {}.", p.topic, p.partition)));
                };
                check_replicas(&layout, &p.topic, p.partition, &p.replicas)?;
                moves.push(PartitionMove { after: p.replicas, ..current.clone() });
            }
            let moves = with_sizes(c, &layout, moves);
            Ok(ReassignmentPlan { json: to_json(&moves)?, bytes_to_move: bytes_to_move(&moves), moves })
        })
        .await
}

fn check_replicas(layout: &Layout, topic: &str, partition: i32, replicas: &[i32]) -> Result<()> {
    let unique: BTreeSet<i32> = replicas.iter().copied().collect();
    if replicas.is_empty() || unique.len() != replicas.len() {
        return Err(Error::invalid_input("replicas", format!("{topic}-{partition}: the replicas must be distinct brokers, at least one.")));
    }
    if let Some(b) = replicas.iter().find(|b| !layout.brokers.contains_key(b)) {
        return Err(Error::invalid_input("replicas", format!("{topic}-{partition}: there is no broker {b} in this cluster.")));
    }
    Ok(())
}

/// One partition's answer to a reassignment or cancel; `error` empty when accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartitionOutcome {
    pub topic: String,
    pub partition: i32,
    pub error: Option<String>,
}

/// Sends AlterPartitionReassignments: `Some(replicas)` moves, `None` cancels.
fn alter(link: &mut BrokerLink, targets: &[(String, i32, Option<Vec<i32>>)]) -> Result<Vec<PartitionOutcome>> {
    let mut topics: BTreeMap<&str, Vec<ReassignablePartition>> = BTreeMap::new();
    for (topic, partition, replicas) in targets {
        topics.entry(topic.as_str()).or_default().push(
            ReassignablePartition::default()
                .with_partition_index(*partition)
                .with_replicas(replicas.as_ref().map(|r| r.iter().map(|b| BrokerId(*b)).collect())),
        );
    }
    let request = AlterPartitionReassignmentsRequest::default()
        .with_timeout_ms(i32::try_from(REQUEST_TIMEOUT.as_millis()).unwrap_or(i32::MAX))
        .with_topics(
            topics
                .into_iter()
                .map(|(name, partitions)| ReassignableTopic::default().with_name(TopicName(StrBytes::from_string(name.to_string()))).with_partitions(partitions))
                .collect(),
        );
    let response = link.send(&request, "to reassign partitions (AlterPartitionReassignments)")?;
    wire::check_code(response.error_code, response.error_message.as_ref(), "The cluster refused the reassignment")?;
    let mut outcomes = Vec::new();
    for t in &response.responses {
        for p in &t.partitions {
            let error = wire::check_code(p.error_code, p.error_message.as_ref(), "Refused").err().map(|e| e.message);
            outcomes.push(PartitionOutcome { topic: t.name.0.to_string(), partition: p.partition_index, error });
        }
    }
    outcomes.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    Ok(outcomes)
}

/// Config names of Kafka's replication throttle (what `kafka-reassign-partitions.sh --throttle` sets).
const LEADER_RATE: &str = "leader.replication.throttled.rate";
const FOLLOWER_RATE: &str = "follower.replication.throttled.rate";
const LEADER_REPLICAS: &str = "leader.replication.throttled.replicas";
const FOLLOWER_REPLICAS: &str = "follower.replication.throttled.replicas";

/// Starts the moves; with `throttle_bytes_per_sec`, the throttle is set on every broker
/// and on the moving replicas first (like `kafka-reassign-partitions.sh --throttle`).
pub async fn execute(cluster: &Write, moves: Vec<PartitionMove>, throttle_bytes_per_sec: Option<u64>) -> Result<Vec<PartitionOutcome>> {
    if moves.is_empty() {
        return Err(Error::invalid_input("moves", "The plan moves nothing."));
    }
    if throttle_bytes_per_sec == Some(0) {
        return Err(Error::invalid_input("throttle", "A throttle must be more than 0 bytes per second."));
    }
    cluster
        .blocking(move |c| {
            let layout = Layout::read(c)?;
            for m in &moves {
                check_replicas(&layout, &m.topic, m.partition, &m.after)?;
            }
            if let Some(rate) = throttle_bytes_per_sec {
                set_throttle(c, &layout, &moves, rate)?;
            }
            let mut link = any_broker(c)?;
            let targets: Vec<(String, i32, Option<Vec<i32>>)> = moves.iter().map(|m| (m.topic.clone(), m.partition, Some(m.after.clone()))).collect();
            alter(&mut link, &targets)
        })
        .await
}

fn set_throttle(c: &Cluster, layout: &Layout, moves: &[PartitionMove], rate: u64) -> Result<()> {
    let mut per_topic: BTreeMap<&str, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for m in moves {
        let (leaders, followers) = per_topic.entry(m.topic.as_str()).or_default();
        // Existing replicas may lead the copy; new replicas follow.
        leaders.extend(m.before.iter().map(|b| format!("{}:{b}", m.partition)));
        followers.extend(m.added().iter().map(|b| format!("{}:{b}", m.partition)));
    }
    for (topic, (leaders, followers)) in per_topic {
        let join = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>().join(",");
        let changes = [
            ConfigChange::Set { name: LEADER_REPLICAS.into(), value: join(leaders) },
            ConfigChange::Set { name: FOLLOWER_REPLICAS.into(), value: join(followers) },
        ];
        // SAFETY: `c` keeps the client alive for the whole blocking call.
        unsafe { ffi::incremental_alter_configs(c.native(), ResourceKind::Topic, topic, &changes, REQUEST_TIMEOUT)? };
    }
    let changes = [
        ConfigChange::Set { name: LEADER_RATE.into(), value: rate.to_string() },
        ConfigChange::Set { name: FOLLOWER_RATE.into(), value: rate.to_string() },
    ];
    for broker in layout.brokers.keys() {
        // SAFETY: as above.
        unsafe { ffi::incremental_alter_configs(c.native(), ResourceKind::Broker, &broker.to_string(), &changes, REQUEST_TIMEOUT)? };
    }
    Ok(())
}

/// Removes the throttle from every broker and from `topics` (after the moves are done).
fn remove_throttle(c: &Cluster, topics: &BTreeSet<String>) -> Result<()> {
    let layout = Layout::read(c)?;
    let rates = [ConfigChange::Delete { name: LEADER_RATE.into() }, ConfigChange::Delete { name: FOLLOWER_RATE.into() }];
    for broker in layout.brokers.keys() {
        // SAFETY: `c` keeps the client alive for the whole blocking call.
        unsafe { ffi::incremental_alter_configs(c.native(), ResourceKind::Broker, &broker.to_string(), &rates, REQUEST_TIMEOUT)? };
    }
    let replicas = [ConfigChange::Delete { name: LEADER_REPLICAS.into() }, ConfigChange::Delete { name: FOLLOWER_REPLICAS.into() }];
    for topic in topics {
        // SAFETY: as above.
        unsafe { ffi::incremental_alter_configs(c.native(), ResourceKind::Topic, topic, &replicas, REQUEST_TIMEOUT)? };
    }
    Ok(())
}

/// A partition still being moved, as ListPartitionReassignments reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct OngoingMove {
    pub topic: String,
    pub partition: i32,
    pub replicas: Vec<i32>,
    pub adding: Vec<i32>,
    pub removing: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ReassignmentProgress {
    /// Moves of the plan still running.
    pub ongoing: Vec<OngoingMove>,
    /// Moves of the plan whose replicas are now the planned ones.
    pub done: u32,
    pub total: u32,
    /// All done, and (when asked) the throttle has been removed.
    pub finished: bool,
    pub throttle_removed: bool,
}

fn list_ongoing(link: &mut BrokerLink, topics: Option<&BTreeMap<String, Vec<i32>>>) -> Result<Vec<OngoingMove>> {
    let request = ListPartitionReassignmentsRequest::default()
        .with_timeout_ms(i32::try_from(REQUEST_TIMEOUT.as_millis()).unwrap_or(i32::MAX))
        .with_topics(topics.map(|t| {
            t.iter()
                .map(|(name, partitions)| {
                    ListPartitionReassignmentsTopics::default()
                        .with_name(TopicName(StrBytes::from_string(name.clone())))
                        .with_partition_indexes(partitions.clone())
                })
                .collect()
        }));
    let response = link.send(&request, "for the running reassignments (ListPartitionReassignments)")?;
    wire::check_code(response.error_code, response.error_message.as_ref(), "The cluster refused to list reassignments")?;
    let ids = |v: &[BrokerId]| v.iter().map(|b| b.0).collect::<Vec<i32>>();
    let mut ongoing: Vec<OngoingMove> = response
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions.iter().map(move |p| OngoingMove {
                topic: t.name.0.to_string(),
                partition: p.partition_index,
                replicas: ids(&p.replicas),
                adding: ids(&p.adding_replicas),
                removing: ids(&p.removing_replicas),
            })
        })
        .collect();
    ongoing.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    Ok(ongoing)
}

/// Every running reassignment of the cluster.
pub async fn list(cluster: &Arc<Cluster>) -> Result<Vec<OngoingMove>> {
    cluster.blocking(|c| list_ongoing(&mut any_broker(c)?, None)).await
}

/// How far `moves` got; once all are done and `remove_throttle_when_done`, the throttle
/// is removed (so polling progress to the end cleans up like `--verify` does).
pub async fn progress(cluster: &Write, moves: Vec<PartitionMove>, remove_throttle_when_done: bool) -> Result<ReassignmentProgress> {
    cluster
        .blocking(move |c| {
            let mut wanted: BTreeMap<String, Vec<i32>> = BTreeMap::new();
            for m in &moves {
                wanted.entry(m.topic.clone()).or_default().push(m.partition);
            }
            let ongoing = list_ongoing(&mut any_broker(c)?, Some(&wanted))?;
            let layout = Layout::read(c)?;
            let done = moves
                .iter()
                .filter(|m| !ongoing.iter().any(|o| o.topic == m.topic && o.partition == m.partition))
                .filter(|m| layout.partitions.iter().any(|p| p.topic == m.topic && p.partition == m.partition && p.before == m.after))
                .count();
            let total = moves.len();
            let all_done = done == total;
            let throttle_removed = all_done && remove_throttle_when_done;
            if throttle_removed {
                remove_throttle(c, &wanted.keys().cloned().collect())?;
            }
            Ok(ReassignmentProgress {
                ongoing,
                done: u32::try_from(done).unwrap_or(u32::MAX),
                total: u32::try_from(total).unwrap_or(u32::MAX),
                finished: all_done,
                throttle_removed,
            })
        })
        .await
}

/// Cancels the running moves of `partitions` (replicas go back to what they were) and
/// removes the throttle from their topics and the brokers.
pub async fn cancel(cluster: &Write, partitions: Vec<(String, i32)>) -> Result<Vec<PartitionOutcome>> {
    if partitions.is_empty() {
        return Err(Error::invalid_input("partitions", "Choose at least one partition to cancel."));
    }
    cluster
        .blocking(move |c| {
            let mut link = any_broker(c)?;
            let targets: Vec<(String, i32, Option<Vec<i32>>)> = partitions.iter().map(|(t, p)| (t.clone(), *p, None)).collect();
            let outcomes = alter(&mut link, &targets)?;
            remove_throttle(c, &partitions.iter().map(|(t, _)| t.clone()).collect())?;
            Ok(outcomes)
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn layout(brokers: &[(i32, Option<&str>)], partitions: &[(&str, i32, &[i32])]) -> Layout {
        Layout {
            brokers: brokers.iter().map(|(b, r)| (*b, r.map(str::to_string))).collect(),
            partitions: partitions
                .iter()
                .map(|(t, p, r)| PartitionMove { topic: t.to_string(), partition: *p, before: r.to_vec(), after: r.to_vec(), size_bytes: None })
                .collect(),
            addresses: HashMap::new(),
        }
    }

    fn spread(moves: &[PartitionMove], l: &Layout, leaders_only: bool) -> (usize, usize) {
        let mut n: BTreeMap<i32, usize> = l.brokers.keys().map(|b| (*b, 0)).collect();
        for p in &l.partitions {
            let replicas = moves.iter().find(|m| m.topic == p.topic && m.partition == p.partition).map_or(&p.before, |m| &m.after);
            for r in replicas.iter().take(if leaders_only { 1 } else { replicas.len() }) {
                *n.entry(*r).or_default() += 1;
            }
        }
        (n.values().copied().min().unwrap_or(0), n.values().copied().max().unwrap_or(0))
    }

    #[test]
    fn balance_evens_replicas_then_leaders_and_keeps_racks_apart() {
        // Broker 3 was added empty; broker 1 leads everything.
        let l = layout(
            &[(1, Some("a")), (2, Some("b")), (3, Some("a")), (4, Some("b"))],
            &[("t", 0, &[1, 2]), ("t", 1, &[1, 2]), ("t", 2, &[1, 2]), ("t", 3, &[1, 2]), ("u", 0, &[1, 4]), ("u", 1, &[1, 4])],
        );
        let moves = plan_moves(&l, &PlanGoal::Balance { topic: None }).unwrap();
        let (low, high) = spread(&moves, &l, false);
        assert!(high <= low + 1, "replicas {low}..{high}: {moves:?}");
        let (low, high) = spread(&moves, &l, true);
        assert!(high <= low + 1, "leaders {low}..{high}: {moves:?}");
        for m in &moves {
            assert_eq!(m.after.len(), m.before.len());
            let racks: BTreeSet<_> = m.after.iter().map(|b| l.brokers[b].clone()).collect();
            assert_eq!(racks.len(), m.after.len(), "two replicas on one rack: {m:?}");
        }
        // Balanced already: nothing to do. A topic scope only touches that topic.
        let even = layout(&[(1, None), (2, None)], &[("t", 0, &[1, 2]), ("t", 1, &[2, 1])]);
        assert!(plan_moves(&even, &PlanGoal::Balance { topic: None }).unwrap().is_empty());
        let only_u = plan_moves(&l, &PlanGoal::Balance { topic: Some("u".into()) }).unwrap();
        assert!(only_u.iter().all(|m| m.topic == "u"));
        assert_eq!(plan_moves(&l, &PlanGoal::Balance { topic: Some("x".into()) }).unwrap_err().kind, ErrorKind::NotFound);
    }

    #[test]
    fn decommission_moves_every_replica_off_the_broker_to_the_least_loaded() {
        let l = layout(&[(1, None), (2, None), (3, None), (4, None)], &[("t", 0, &[3, 1]), ("t", 1, &[1, 3]), ("t", 2, &[1, 2]), ("u", 0, &[2, 4])]);
        let moves = plan_moves(&l, &PlanGoal::Decommission { broker: 3, topic: None }).unwrap();
        assert_eq!(moves.len(), 2);
        assert!(moves.iter().all(|m| !m.after.contains(&3) && m.after.len() == m.before.len()));
        // Slot kept (the preferred leader's place), new broker not already a replica.
        assert_eq!(moves[0].after[1], 1);
        assert_eq!(moves[1].after[0], 1);
        // Broker 4 held one replica, broker 2 two: 4 gets the first move, then both are even.
        assert_eq!(moves[0].after[0], 4);
        assert!(plan_moves(&l, &PlanGoal::Decommission { broker: 9, topic: None }).is_err());
        let only_u = plan_moves(&l, &PlanGoal::Decommission { broker: 2, topic: Some("u".into()) }).unwrap();
        assert_eq!(only_u.iter().map(|m| m.topic.as_str()).collect::<Vec<_>>(), vec!["u"]);
        assert_eq!(plan_moves(&l, &PlanGoal::Decommission { broker: 2, topic: Some("x".into()) }).unwrap_err().kind, ErrorKind::NotFound);
        let full = layout(&[(1, None), (2, None)], &[("t", 0, &[1, 2])]);
        assert_eq!(plan_moves(&full, &PlanGoal::Decommission { broker: 2, topic: None }).unwrap_err().kind, ErrorKind::InvalidInput);
    }

    #[test]
    fn replication_factor_grows_rack_aware_and_shrinks_from_the_end() {
        let l = layout(&[(1, Some("a")), (2, Some("a")), (3, Some("b"))], &[("t", 0, &[1]), ("t", 1, &[2, 1])]);
        let up = plan_moves(&l, &PlanGoal::ReplicationFactor { topic: "t".into(), replication_factor: 2 }).unwrap();
        assert_eq!(up.len(), 1, "partition 1 already has 2");
        assert_eq!(up[0].after, vec![1, 3], "rack b before another broker of rack a");
        let down = plan_moves(&l, &PlanGoal::ReplicationFactor { topic: "t".into(), replication_factor: 1 }).unwrap();
        assert_eq!(down.len(), 1);
        assert_eq!(down[0].after, vec![2]);
        for bad in [0, 4] {
            assert_eq!(plan_moves(&l, &PlanGoal::ReplicationFactor { topic: "t".into(), replication_factor: bad }).unwrap_err().kind, ErrorKind::InvalidInput);
        }
        assert_eq!(plan_moves(&l, &PlanGoal::ReplicationFactor { topic: "x".into(), replication_factor: 1 }).unwrap_err().kind, ErrorKind::NotFound);
    }

    #[test]
    fn json_is_what_kafka_reassign_partitions_reads() {
        let moves = vec![PartitionMove { topic: "t".into(), partition: 2, before: vec![1, 2], after: vec![3, 2], size_bytes: Some(1024.0) }];
        let v: serde_json::Value = serde_json::from_str(&to_json(&moves).unwrap()).unwrap();
        assert_eq!(v, serde_json::json!({"version": 1, "partitions": [{"topic": "t", "partition": 2, "replicas": [3, 2], "log_dirs": ["any", "any"]}]}));
    }

    #[test]
    fn bytes_to_move_count_each_new_replica_and_are_unknown_if_a_size_is() {
        let m = |before: Vec<i32>, after: Vec<i32>, size: Option<f64>| PartitionMove { topic: "t".into(), partition: 0, before, after, size_bytes: size };
        // 1 new replica of 100 + 2 new replicas of 10; a leader-order change copies nothing.
        let moves = vec![m(vec![1, 2], vec![3, 2], Some(100.0)), m(vec![1], vec![2, 3, 1], Some(10.0)), m(vec![1, 2], vec![2, 1], Some(5.0))];
        assert_eq!(bytes_to_move(&moves), Some(120.0));
        assert_eq!(bytes_to_move(&[m(vec![1], vec![2], Some(1.0)), m(vec![1], vec![2], None)]), None);
    }
}
