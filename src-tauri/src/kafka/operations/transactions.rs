//! Transactions through the wire client (librdkafka has no ListTransactions,
//! DescribeTransactions, DescribeProducers or WriteTxnMarkers): every transactional id with
//! its state, producer, partitions and age; the producers of a topic's partitions with the
//! open transactions that hold back the last stable offset; and aborting a hanging one the
//! way `kafka-transactions.sh abort` does (an abort marker written by the partition leader).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use kafka_protocol::messages::describe_producers_request::TopicRequest;
use kafka_protocol::messages::write_txn_markers_request::{WritableTxnMarker, WritableTxnMarkerTopic};
use kafka_protocol::messages::{
    DescribeProducersRequest, DescribeTransactionsRequest, ListTransactionsRequest, ProducerId, TopicName, TransactionalId, WriteTxnMarkersRequest,
};
use kafka_protocol::protocol::StrBytes;
use rdkafka::metadata::Metadata;
use serde::Serialize;
use ts_rs::TS;

use super::election::PartitionRef;
use crate::kafka::wire::links::link_to;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::Cluster;
use crate::kafka::wire::{self, BrokerLink};
use crate::kafka::Write;

/// Transaction states in which the transaction is still open.
const OPEN_STATES: [&str; 4] = ["Ongoing", "PrepareCommit", "PrepareAbort", "PrepareEpochFence"];

/// One transactional id as its coordinator describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionInfo {
    pub transactional_id: String,
    /// Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, Dead, PrepareEpochFence.
    pub state: String,
    #[ts(type = "number")]
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub timeout_ms: i32,
    /// When the open transaction began; `None` when none is open.
    #[ts(type = "number | null")]
    pub start_time_ms: Option<i64>,
    /// How long the open transaction has been open, by this machine's clock.
    #[ts(type = "number | null")]
    pub age_ms: Option<i64>,
    /// The broker coordinating this transactional id.
    pub coordinator: i32,
    pub partitions: Vec<PartitionRef>,
    /// Open for longer than the threshold asked for.
    pub hanging: bool,
    /// The coordinator could not describe it (the rest is then empty).
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransactionList {
    pub transactions: Vec<TransactionInfo>,
    /// Brokers that could not be asked (their transactions are missing from the list).
    pub warnings: Vec<String>,
}

/// A producer's state on one partition (DescribeProducers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProducerInfo {
    pub partition: i32,
    #[ts(type = "number")]
    pub producer_id: i64,
    pub producer_epoch: i32,
    pub last_sequence: i32,
    /// When it last wrote to the partition; `None` if unknown.
    #[ts(type = "number | null")]
    pub last_timestamp_ms: Option<i64>,
    pub coordinator_epoch: i32,
    /// First offset of its open transaction on this partition: the last stable offset
    /// cannot pass it until the transaction ends. `None`: no open transaction.
    #[ts(type = "number | null")]
    pub current_txn_start_offset: Option<i64>,
    /// An open transaction idle for longer than the threshold, or one no coordinator
    /// lists as open (the hanging transactions of KIP-664).
    pub hanging: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicProducers {
    pub topic: String,
    pub producers: Vec<ProducerInfo>,
    /// Partitions whose leader could not describe its producers, with why.
    pub errors: Vec<String>,
}

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)).unwrap_or(0)
}

fn check_threshold(hanging_after_ms: u64) -> Result<i64> {
    if hanging_after_ms == 0 {
        return Err(Error::invalid_input("hangingAfterMs", "The hanging threshold must be more than 0 (e.g. 5 minutes)."));
    }
    Ok(i64::try_from(hanging_after_ms).unwrap_or(i64::MAX))
}

fn metadata(c: &Cluster, topic: Option<&str>) -> Result<Metadata> {
    c.metadata(topic, "the cluster metadata")
}

/// ListTransactions on one broker (each coordinates its own share of transactional ids),
/// then DescribeTransactions there for the ids it listed.
fn from_coordinator(link: &mut BrokerLink, coordinator: i32, now: i64, threshold: i64) -> Result<Vec<TransactionInfo>> {
    let listed = link.send(&ListTransactionsRequest::default(), "for its transactions (ListTransactions)")?;
    wire::check_code(listed.error_code, None, "The broker refused to list transactions")?;
    if listed.transaction_states.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<TransactionalId> = listed.transaction_states.iter().map(|t| t.transactional_id.clone()).collect();
    let described = link.send(&DescribeTransactionsRequest::default().with_transactional_ids(ids), "for its transactions (DescribeTransactions)")?;
    Ok(described
        .transaction_states
        .iter()
        .map(|t| {
            let error = wire::check_code(t.error_code, None, "Could not describe it").err().map(|e| e.message);
            let start_time_ms = (t.transaction_start_time_ms >= 0).then_some(t.transaction_start_time_ms);
            let open = OPEN_STATES.contains(&t.transaction_state.as_str());
            let age_ms = start_time_ms.filter(|_| open).map(|start| (now - start).max(0));
            let mut partitions: Vec<PartitionRef> =
                t.topics.iter().flat_map(|topic| topic.partitions.iter().map(|p| PartitionRef { topic: topic.topic.0.to_string(), partition: *p })).collect();
            partitions.sort();
            TransactionInfo {
                transactional_id: t.transactional_id.0.to_string(),
                state: t.transaction_state.to_string(),
                producer_id: t.producer_id.0,
                producer_epoch: t.producer_epoch,
                timeout_ms: t.transaction_timeout_ms,
                start_time_ms,
                age_ms,
                coordinator,
                partitions,
                hanging: age_ms.is_some_and(|age| age > threshold),
                error,
            }
        })
        .collect())
}

fn list_blocking(c: &Cluster, threshold: i64) -> Result<TransactionList> {
    let metadata = metadata(c, None)?;
    let now = now_ms();
    let mut transactions = Vec::new();
    let mut warnings = Vec::new();
    let mut unsupported = None;
    for b in metadata.brokers() {
        match link_to(c, b.host(), b.port()).and_then(|mut link| from_coordinator(&mut link, b.id(), now, threshold)) {
            Ok(found) => transactions.extend(found),
            Err(e) if e.message.starts_with("Not supported by this cluster") => unsupported = Some(e),
            Err(e) if matches!(e.kind, ErrorKind::Auth | ErrorKind::Tls) => return Err(e),
            Err(e) => warnings.push(format!("Broker {} ({}:{}): {}", b.id(), b.host(), b.port(), e.message)),
        }
    }
    // Every broker lacking the API: the cluster does not support it (Kafka before 3.0).
    if let Some(e) = unsupported.filter(|_| transactions.is_empty() && warnings.is_empty()) {
        return Err(e);
    }
    transactions.sort_by(|a, b| a.transactional_id.cmp(&b.transactional_id));
    Ok(TransactionList { transactions, warnings })
}

/// Every transactional id of the cluster with its state; open ones older than
/// `hanging_after_ms` are flagged as hanging.
pub async fn list(cluster: &Arc<Cluster>, hanging_after_ms: u64) -> Result<TransactionList> {
    let threshold = check_threshold(hanging_after_ms)?;
    cluster.blocking(move |c| list_blocking(c, threshold)).await
}

/// Producer ids with an open transaction according to their coordinators; `None` when a
/// coordinator could not be asked (then nothing is called hanging for that reason).
fn open_producer_ids(c: &Cluster, metadata: &Metadata) -> Option<BTreeSet<i64>> {
    let mut ids = BTreeSet::new();
    let request = ListTransactionsRequest::default().with_state_filters(OPEN_STATES.iter().map(|s| StrBytes::from_static_str(*s)).collect());
    for b in metadata.brokers() {
        let listed = link_to(c, b.host(), b.port()).ok()?.send(&request, "for its open transactions (ListTransactions)").ok()?;
        if listed.error_code != 0 {
            return None;
        }
        ids.extend(listed.transaction_states.iter().map(|t| t.producer_id.0));
    }
    Some(ids)
}

/// Per partition leader: the partitions of `topic` it leads.
fn leaders_of(metadata: &Metadata, topic: &str) -> Result<BTreeMap<i32, Vec<i32>>> {
    let Some(t) = metadata.topics().iter().find(|t| t.name() == topic && t.error().is_none()) else {
        return Err(Error::not_found(format!("Topic \"{topic}\" does not exist.")));
    };
    let mut per_leader: BTreeMap<i32, Vec<i32>> = BTreeMap::new();
    for p in t.partitions() {
        per_leader.entry(p.leader()).or_default().push(p.id());
    }
    Ok(per_leader)
}

fn broker_address(metadata: &Metadata, id: i32) -> Option<(String, i32)> {
    metadata.brokers().iter().find(|b| b.id() == id).map(|b| (b.host().to_string(), b.port()))
}

fn describe_producers_on(link: &mut BrokerLink, topic: &str, partitions: Vec<i32>) -> Result<Vec<(i32, Result<Vec<ProducerInfo>>)>> {
    let request = DescribeProducersRequest::default()
        .with_topics(vec![TopicRequest::default().with_name(TopicName(StrBytes::from_string(topic.to_string()))).with_partition_indexes(partitions)]);
    let response = link.send(&request, "for the producers of its partitions (DescribeProducers)")?;
    let mut out = Vec::new();
    for t in response.topics.iter().filter(|t| t.name.0.as_str() == topic) {
        for p in &t.partitions {
            let producers = wire::check_code(p.error_code, p.error_message.as_ref(), &format!("Partition {}", p.partition_index)).map(|()| {
                p.active_producers
                    .iter()
                    .map(|s| ProducerInfo {
                        partition: p.partition_index,
                        producer_id: s.producer_id.0,
                        producer_epoch: s.producer_epoch,
                        last_sequence: s.last_sequence,
                        last_timestamp_ms: (s.last_timestamp >= 0).then_some(s.last_timestamp),
                        coordinator_epoch: s.coordinator_epoch,
                        current_txn_start_offset: (s.current_txn_start_offset >= 0).then_some(s.current_txn_start_offset),
                        hanging: false,
                    })
                    .collect()
            });
            out.push((p.partition_index, producers));
        }
    }
    Ok(out)
}

fn producers_blocking(c: &Cluster, topic: &str, threshold: i64) -> Result<TopicProducers> {
    let metadata = metadata(c, None)?;
    let per_leader = leaders_of(&metadata, topic)?;
    let mut producers = Vec::new();
    let mut errors = Vec::new();
    for (leader, partitions) in per_leader {
        let Some((host, port)) = broker_address(&metadata, leader) else {
            errors.push(format!("Partitions {partitions:?}: no leader (broker {leader} is not available)."));
            continue;
        };
        match link_to(c, &host, port).and_then(|mut link| describe_producers_on(&mut link, topic, partitions.clone())) {
            Ok(answers) => {
                for (partition, answer) in answers {
                    match answer {
                        Ok(found) => producers.extend(found),
                        Err(e) => errors.push(format!("Partition {partition}: {}", e.message)),
                    }
                }
            }
            Err(e) if e.message.starts_with("Not supported by this cluster") || matches!(e.kind, ErrorKind::Auth | ErrorKind::Tls) => return Err(e),
            Err(e) => errors.push(format!("Partitions {partitions:?} on broker {leader}: {}", e.message)),
        }
    }
    if producers.iter().any(|p| p.current_txn_start_offset.is_some()) {
        let now = now_ms();
        let open = open_producer_ids(c, &metadata);
        for p in producers.iter_mut().filter(|p| p.current_txn_start_offset.is_some()) {
            let idle = p.last_timestamp_ms.is_some_and(|t| now - t > threshold);
            let unknown_to_coordinators = open.as_ref().is_some_and(|ids| !ids.contains(&p.producer_id));
            p.hanging = idle || unknown_to_coordinators;
        }
    }
    producers.sort_by_key(|p| (p.partition, p.producer_id));
    Ok(TopicProducers { topic: topic.to_string(), producers, errors })
}

/// The producers of every partition of `topic`, with their open transactions.
pub async fn producers(cluster: &Arc<Cluster>, topic: String, hanging_after_ms: u64) -> Result<TopicProducers> {
    let threshold = check_threshold(hanging_after_ms)?;
    if topic.trim().is_empty() {
        return Err(Error::invalid_input("topic", "Choose a topic to show its producers."));
    }
    cluster.blocking(move |c| producers_blocking(c, &topic, threshold)).await
}

/// Aborts the open transaction of `producer_id` on one partition: the partition's leader
/// writes an abort marker (WriteTxnMarkers, as `kafka-transactions.sh abort` does), so the
/// last stable offset moves on. Meant for hanging transactions: a live producer's
/// transaction is normally ended by the producer or, after its timeout, by its coordinator.
pub async fn abort(cluster: &Write, partition: PartitionRef, producer_id: i64) -> Result<()> {
    if partition.topic.trim().is_empty() {
        return Err(Error::invalid_input("topic", "Choose the topic of the transaction to abort."));
    }
    if partition.partition < 0 {
        return Err(Error::invalid_input("partition", "A partition number is 0 or more."));
    }
    if producer_id < 0 {
        return Err(Error::invalid_input("producerId", "A producer id is 0 or more."));
    }
    cluster
        .blocking(move |c| {
            let metadata = metadata(c, None)?;
            let leader = leaders_of(&metadata, &partition.topic)?
                .into_iter()
                .find(|(_, ps)| ps.contains(&partition.partition))
                .map(|(l, _)| l)
                .ok_or_else(|| Error::not_found(format!("Topic \"{}\" has no partition {}.", partition.topic, partition.partition)))?;
            let (host, port) = broker_address(&metadata, leader)
                .ok_or_else(|| Error::new(ErrorKind::Unreachable, format!("Partition {} has no leader to write the abort marker.", partition.partition)))?;
            let mut link = link_to(c, &host, port)?;
            // The producer's current epochs, from the leader itself: markers with stale ones are refused.
            let answers = describe_producers_on(&mut link, &partition.topic, vec![partition.partition])?;
            let state = answers
                .into_iter()
                .filter_map(|(_, r)| r.ok())
                .flatten()
                .find(|p| p.producer_id == producer_id && p.current_txn_start_offset.is_some())
                .ok_or_else(|| {
                    Error::not_found(format!(
                        "Producer {producer_id} has no open transaction on {}-{} (it may have ended already).",
                        partition.topic, partition.partition
                    ))
                })?;
            let marker = WritableTxnMarker::default()
                .with_producer_id(ProducerId(producer_id))
                .with_producer_epoch(i16::try_from(state.producer_epoch).unwrap_or(i16::MAX))
                .with_transaction_result(false)
                .with_coordinator_epoch(state.coordinator_epoch.max(0))
                .with_topics(vec![WritableTxnMarkerTopic::default()
                    .with_name(TopicName(StrBytes::from_string(partition.topic.clone())))
                    .with_partition_indexes(vec![partition.partition])]);
            let response = link.send(&WriteTxnMarkersRequest::default().with_markers(vec![marker]), "to abort the transaction (WriteTxnMarkers)")?;
            let codes: Vec<i16> = response.markers.iter().flat_map(|m| m.topics.iter().flat_map(|t| t.partitions.iter().map(|p| p.error_code))).collect();
            if codes.is_empty() {
                return Err(Error::new(ErrorKind::Kafka, "The partition leader did not answer for the partition to abort."));
            }
            for code in codes {
                wire::check_code(code, None, "The partition leader refused to abort the transaction")?;
            }
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zero_threshold_is_refused_by_name() {
        let e = check_threshold(0).unwrap_err();
        assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("hangingAfterMs")));
        assert_eq!(check_threshold(300_000).unwrap(), 300_000);
    }
}
