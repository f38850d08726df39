//! Topics and partitions: the list with health and message counts, one topic's partitions,
//! create / delete / add partitions / purge, and topic and broker configs.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use rdkafka::admin::{AdminOptions, NewPartitions, NewTopic, TopicReplication};
use rdkafka::error::{KafkaResult, RDKafkaErrorCode};
use rdkafka::metadata::Metadata;
use rdkafka::{Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::{explain_code, explain_kafka_error, Cluster, REQUEST_TIMEOUT};
use super::connection::Write;
use super::ffi::{self, ConfigChange, RawConfigEntry, RawConfigSource, ResourceKind};
use super::offsets::{self, Leaders};
use crate::error::{Error, ErrorKind, Result};

/// Kafka's limit on a topic name's length.
const MAX_NAME_LEN: usize = 249;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicSummary {
    pub name: String,
    pub partitions: u32,
    pub replication_factor: u32,
    pub under_replicated: u32,
    /// Partitions without a leader: nobody can read or write them.
    pub offline: u32,
    /// Sum of high − low watermarks; `None` when the offsets could not be read.
    pub messages: Option<f64>,
    pub internal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicList {
    pub topics: Vec<TopicSummary>,
    /// Brokers that answered in the metadata: the most a replication factor can be.
    pub live_brokers: u32,
    /// Why message counts are missing, when they are.
    pub watermarks_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PartitionDetail {
    pub partition: i32,
    /// `None` when the partition has no leader (offline).
    pub leader: Option<i32>,
    /// Replica brokers in assignment order: the first is the preferred leader.
    pub replicas: Vec<i32>,
    pub isr: Vec<i32>,
    /// Replicas on brokers that are not alive.
    pub offline_replicas: Vec<i32>,
    pub under_replicated: bool,
    /// The leader is not the preferred (first) replica: leadership has drifted.
    pub not_preferred_leader: bool,
    pub low: Option<f64>,
    pub high: Option<f64>,
    pub messages: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TopicDetail {
    pub name: String,
    pub internal: bool,
    pub replication_factor: u32,
    pub partitions: Vec<PartitionDetail>,
    /// Ids of the live brokers, for the broker × partition map.
    pub brokers: Vec<i32>,
    pub messages: Option<f64>,
    pub watermarks_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConfigValue {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewTopicRequest {
    pub name: String,
    pub partitions: i32,
    pub replication_factor: i32,
    pub configs: Vec<ConfigValue>,
    /// Ask the controller to check everything without creating the topic.
    pub validate_only: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateTopicOutcome {
    pub name: String,
    pub validated_only: bool,
}

/// Where a config's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ConfigSource {
    /// Set on this topic.
    Topic,
    /// Set dynamically on this broker.
    DynamicBroker,
    /// Set dynamically as the default of every broker.
    DynamicDefaultBroker,
    /// From the broker's server.properties.
    StaticBroker,
    /// Kafka's built-in default.
    Default,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConfigEntry {
    pub name: String,
    /// `None` when sensitive (masked) or unset.
    pub value: Option<String>,
    pub source: ConfigSource,
    /// What the key falls back to when its own setting is removed, and which key that
    /// comes from (a broker key like `log.retention.hours` may stand behind `retention.ms`).
    pub default_value: Option<String>,
    pub default_from: Option<String>,
    pub sensitive: bool,
    pub read_only: bool,
}

/// Lists every topic with its health and message count: one metadata request plus one
/// ListOffsets request per end (earliest, latest), run in parallel.
pub async fn list(cluster: &Arc<Cluster>) -> Result<TopicList> {
    cluster
        .blocking(|c| {
            let metadata = c.metadata(None, "the topic list")?;
            let live = live_brokers(&metadata);
            let all: Vec<(String, i32)> = metadata
                .topics()
                .iter()
                .flat_map(|t| t.partitions().iter().map(move |p| (t.name().to_string(), p.id())))
                .collect();
            let watermarks = offsets::watermarks(c, &Leaders::from_metadata(&metadata), &all);
            let watermarks_error = watermarks.why_unknown();
            let topics = metadata
                .topics()
                .iter()
                .filter(|t| t.error().is_none())
                .map(|t| {
                    let mut summary = TopicSummary {
                        name: t.name().to_string(),
                        partitions: count(t.partitions().len()),
                        replication_factor: t.partitions().iter().map(|p| count(p.replicas().len())).max().unwrap_or(0),
                        under_replicated: 0,
                        offline: 0,
                        messages: Some(0.0),
                        internal: is_internal(t.name()),
                    };
                    for p in t.partitions() {
                        summary.under_replicated += u32::from(p.isr().len() < p.replicas().len());
                        summary.offline += u32::from(p.leader() < 0 || !live.contains(&p.leader()));
                        let messages = watermarks.messages(t.name(), p.id()).map(|m| m as f64);
                        summary.messages = match (summary.messages, messages) {
                            (Some(sum), Some(m)) => Some(sum + m),
                            _ => None,
                        };
                    }
                    summary
                })
                .collect();
            Ok(TopicList { topics, live_brokers: count(live.len()), watermarks_error })
        })
        .await
}

/// One topic's partitions with leaders, replicas, ISR and watermarks.
pub async fn detail(cluster: &Arc<Cluster>, name: &str) -> Result<TopicDetail> {
    let name = name.to_string();
    cluster
        .blocking(move |c| {
            let metadata = c.metadata(None, "the topic list")?;
            let live = live_brokers(&metadata);
            let topic = metadata
                .topics()
                .iter()
                .find(|t| t.name() == name && t.error().is_none())
                .ok_or_else(|| no_such_topic(&name))?;
            let ids: Vec<(String, i32)> = topic.partitions().iter().map(|p| (name.clone(), p.id())).collect();
            let watermarks = offsets::watermarks(c, &Leaders::from_metadata(&metadata), &ids);
            let watermarks_error = watermarks.why_unknown();
            let mut partitions: Vec<PartitionDetail> = topic
                .partitions()
                .iter()
                .map(|p| {
                    let leader = (p.leader() >= 0).then_some(p.leader()).filter(|l| live.contains(l));
                    let (low, high) = watermarks.ends(&name, p.id());
                    let (low, high) = (low.map(|o| o as f64), high.map(|o| o as f64));
                    PartitionDetail {
                        partition: p.id(),
                        leader,
                        replicas: p.replicas().to_vec(),
                        isr: p.isr().to_vec(),
                        offline_replicas: p.replicas().iter().copied().filter(|r| !live.contains(r)).collect(),
                        under_replicated: p.isr().len() < p.replicas().len(),
                        not_preferred_leader: leader.is_some() && p.replicas().first() != leader.as_ref(),
                        low,
                        high,
                        messages: low.zip(high).map(|(l, h)| (h - l).max(0.0)),
                    }
                })
                .collect();
            partitions.sort_by_key(|p| p.partition);
            let messages = partitions.iter().try_fold(0.0, |sum, p| p.messages.map(|m| sum + m));
            let mut brokers: Vec<i32> = live.into_iter().collect();
            brokers.sort_unstable();
            Ok(TopicDetail {
                internal: is_internal(&name),
                replication_factor: partitions.iter().map(|p| count(p.replicas.len())).max().unwrap_or(0),
                name,
                partitions,
                brokers,
                messages,
                watermarks_error,
            })
        })
        .await
}

/// Creates a topic (or, with `validate_only`, asks the controller whether it could).
/// Every input is checked first, so a bad one names its field and nothing is created.
pub async fn create(cluster: &Write, request: NewTopicRequest) -> Result<CreateTopicOutcome> {
    validate_name(&request.name)?;
    if request.partitions < 1 {
        return Err(Error::invalid_input("partitions", "Partitions: a topic needs at least 1 partition."));
    }
    if request.replication_factor < 1 {
        return Err(Error::invalid_input("replicationFactor", "Replication factor: it must be at least 1."));
    }
    let mut keys = HashSet::new();
    for config in &request.configs {
        if config.name.trim().is_empty() {
            return Err(Error::invalid_input("configs", "Configs: every config needs a name."));
        }
        if !keys.insert(config.name.as_str()) {
            return Err(Error::invalid_input("configs", format!("Configs: {} is set twice.", config.name)));
        }
    }
    let (live, existing) = cluster
        .blocking(|c| {
            let metadata = c.metadata(None, "the topic list")?;
            let names: Vec<String> = metadata.topics().iter().map(|t| t.name().to_string()).collect();
            Ok((live_brokers(&metadata).len(), names))
        })
        .await?;
    if existing.contains(&request.name) {
        return Err(Error::invalid_input("name", format!("Name: a topic named \"{}\" already exists.", request.name)));
    }
    if let Some(other) = colliding_name(&request.name, &existing) {
        return Err(Error::invalid_input(
            "name",
            format!(
                "Name: \"{}\" collides with the existing topic \"{other}\" (Kafka's metrics treat '.' and '_' alike).",
                request.name
            ),
        ));
    }
    if usize::try_from(request.replication_factor).unwrap_or(usize::MAX) > live {
        return Err(Error::invalid_input(
            "replicationFactor",
            format!("Replication factor: {} is more than the {live} live broker(s).", request.replication_factor),
        ));
    }
    match create_call(cluster, &request, &request.configs, request.validate_only).await? {
        Ok(()) => {
            if !request.validate_only {
                wait_until_served(cluster, &request.name, request.partitions).await;
            }
            Ok(CreateTopicOutcome { name: request.name, validated_only: request.validate_only })
        }
        Err(code) if code == RDKafkaErrorCode::InvalidConfig => Err(name_the_bad_config(cluster, &request).await),
        Err(code) if code == RDKafkaErrorCode::PolicyViolation => Err(name_the_policy_cause(cluster, &request).await),
        Err(code) => Err(create_error(code, &request)),
    }
}

/// The controller confirms a new topic before brokers serve it; wait (briefly, bounded)
/// until metadata shows every partition with a leader, so the topic opens right away.
async fn wait_until_served(cluster: &Arc<Cluster>, name: &str, partitions: i32) {
    let deadline = tokio::time::Instant::now() + REQUEST_TIMEOUT;
    while tokio::time::Instant::now() < deadline {
        let ready = detail(cluster, name).await.is_ok_and(|d| {
            d.partitions.len() == usize::try_from(partitions).unwrap_or(0) && d.partitions.iter().all(|p| p.leader.is_some())
        });
        if ready {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn create_call(
    cluster: &Write,
    request: &NewTopicRequest,
    configs: &[ConfigValue],
    validate_only: bool,
) -> Result<Result<(), RDKafkaErrorCode>> {
    let mut topic =
        NewTopic::new(&request.name, request.partitions, TopicReplication::Fixed(request.replication_factor));
    for config in configs {
        topic = topic.set(&config.name, &config.value);
    }
    let options = admin_options().validate_only(validate_only);
    let results = bounded(cluster.admin().create_topics([&topic], &options), "creating the topic").await??;
    Ok(match results.into_iter().next() {
        Some(Err((_, code))) => Err(code),
        _ => Ok(()),
    })
}

/// The broker says only "invalid config"; ask about each config alone to name the culprit.
async fn name_the_bad_config(cluster: &Write, request: &NewTopicRequest) -> Error {
    for config in &request.configs {
        let alone = create_call(cluster, request, std::slice::from_ref(config), true).await;
        if matches!(alone, Ok(Err(RDKafkaErrorCode::InvalidConfig))) {
            return Error::invalid_input(
                "configs",
                format!(
                    "Configs: Kafka refused {} = \"{}\": the key is not a topic config or the value is not valid for it.",
                    config.name, config.value
                ),
            );
        }
    }
    Error::invalid_input("configs", "Configs: Kafka refused this combination of configs.")
}

/// A policy refusal (a create-topic policy, or KRaft's cap on partitions per request) says
/// only "policy violation": ask again, dry, with one setting eased at a time, to name the
/// field the policy objects to rather than blame one that was not even given.
async fn name_the_policy_cause(cluster: &Write, request: &NewTopicRequest) -> Error {
    let passes = async |eased: NewTopicRequest| {
        matches!(create_call(cluster, &eased, &eased.configs, true).await, Ok(Ok(())))
    };
    if !request.configs.is_empty() && passes(NewTopicRequest { configs: Vec::new(), ..request.clone() }).await {
        return Error::invalid_input("configs", "Configs: the cluster's create-topic policy refused these configs.");
    }
    let bare = NewTopicRequest { configs: Vec::new(), ..request.clone() };
    if request.partitions > 1 && passes(NewTopicRequest { partitions: 1, ..bare.clone() }).await {
        return Error::invalid_input(
            "partitions",
            format!("Partitions: the cluster's policy refused {} partitions (too many for one request, or over its limit).", request.partitions),
        );
    }
    if request.replication_factor > 1 && passes(NewTopicRequest { replication_factor: 1, ..bare }).await {
        return Error::invalid_input(
            "replicationFactor",
            format!("Replication factor: the cluster's policy refused {} replicas.", request.replication_factor),
        );
    }
    Error::new(ErrorKind::Kafka, "The cluster's create-topic policy refused this topic.").with_detail("PolicyViolation")
}

fn create_error(code: RDKafkaErrorCode, request: &NewTopicRequest) -> Error {
    use RDKafkaErrorCode as C;
    let name = &request.name;
    match code {
        C::TopicAlreadyExists => Error::invalid_input("name", format!("Name: a topic named \"{name}\" already exists.")),
        C::InvalidTopic => Error::invalid_input(
            "name",
            format!("Name: Kafka refused \"{name}\" (it may collide with a topic whose name differs only by '.' versus '_')."),
        ),
        C::InvalidPartitions => Error::invalid_input("partitions", "Partitions: Kafka refused this partition count."),
        C::InvalidReplicationFactor => Error::invalid_input(
            "replicationFactor",
            "Replication factor: Kafka cannot place that many replicas on the live brokers.",
        ),
        other => explain_code(other, "", &format!("creating topic \"{name}\"")),
    }
}

/// Deletes a topic and all its data.
pub async fn delete(cluster: &Write, name: &str) -> Result<()> {
    let results = bounded(cluster.admin().delete_topics(&[name], &admin_options()), "deleting the topic").await??;
    match results.into_iter().next() {
        Some(Err((_, RDKafkaErrorCode::UnknownTopicOrPartition))) => Err(no_such_topic(name)),
        Some(Err((_, code))) => Err(explain_code(code, "", &format!("deleting topic \"{name}\""))),
        _ => Ok(()),
    }
}

/// Raises a topic's partition count to `total` (Kafka can only add partitions).
pub async fn add_partitions(cluster: &Write, name: &str, total: i32) -> Result<()> {
    let current = detail(cluster, name).await?.partitions.len();
    if usize::try_from(total).unwrap_or(0) <= current {
        return Err(Error::invalid_input(
            "partitions",
            format!("Partitions: \"{name}\" has {current}; the new count must be larger (Kafka cannot remove partitions)."),
        ));
    }
    let total_usize = usize::try_from(total).unwrap_or(current);
    let request = NewPartitions::new(name, total_usize);
    let results =
        bounded(cluster.admin().create_partitions([&request], &admin_options()), "adding partitions").await??;
    match results.into_iter().next() {
        Some(Err((_, RDKafkaErrorCode::InvalidPartitions))) => {
            Err(Error::invalid_input("partitions", "Partitions: Kafka refused this partition count."))
        }
        Some(Err((_, code))) => Err(explain_code(code, "", &format!("adding partitions to \"{name}\""))),
        _ => Ok(()),
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PurgeRequest {
    pub topic: String,
    /// One partition, or every partition when `None`.
    pub partition: Option<i32>,
    /// Delete records below this offset; `None` deletes everything (up to the high watermark).
    pub before_offset: Option<f64>,
}

/// Deletes records from the start of partitions (DeleteRecords); returns how many
/// partitions were purged.
pub async fn purge(cluster: &Write, request: PurgeRequest) -> Result<u32> {
    let topic = detail(cluster, &request.topic).await?;
    let partitions: Vec<&PartitionDetail> = match request.partition {
        None => topic.partitions.iter().collect(),
        Some(id) => vec![topic.partitions.iter().find(|p| p.partition == id).ok_or_else(|| {
            Error::invalid_input("partition", format!("Partition: \"{}\" has no partition {id}.", topic.name))
        })?],
    };
    let offset = match request.before_offset {
        None => Offset::End,
        Some(o) if o >= 0.0 && o.fract() == 0.0 && o <= 9.0e15 => Offset::Offset(o as i64),
        Some(_) => return Err(Error::invalid_input("beforeOffset", "Offset: enter a whole number of 0 or more.")),
    };
    if let (Some(before), [p]) = (request.before_offset, partitions.as_slice()) {
        if p.high.is_some_and(|high| before > high) {
            return Err(Error::invalid_input(
                "beforeOffset",
                format!("Offset: partition {} ends at offset {}; purge up to at most that.", p.partition, p.high.unwrap_or(0.0)),
            ));
        }
    }
    let mut list = TopicPartitionList::new();
    for p in &partitions {
        list.add_partition_offset(&topic.name, p.partition, offset)
            .map_err(|e| explain_kafka_error(e, "purging records"))?;
    }
    let result = bounded(cluster.admin().delete_records(&list, &admin_options()), "purging records").await??;
    for element in result.elements() {
        if let Err(e) = element.error() {
            return Err(match e.rdkafka_error_code() {
                Some(RDKafkaErrorCode::OffsetOutOfRange) => {
                    Error::invalid_input("beforeOffset", "Offset: it is beyond the end of the partition.")
                }
                _ => explain_kafka_error(e, &format!("purging partition {}", element.partition())),
            });
        }
    }
    Ok(count(partitions.len()))
}

/// Every config of a topic, sensitive values masked.
pub async fn topic_configs(cluster: &Arc<Cluster>, name: &str) -> Result<Vec<ConfigEntry>> {
    configs_of(cluster, ResourceKind::Topic, name.to_string()).await
}

/// Every config of one broker, sensitive values masked.
pub async fn broker_configs(cluster: &Arc<Cluster>, broker_id: i32) -> Result<Vec<ConfigEntry>> {
    configs_of(cluster, ResourceKind::Broker, broker_id.to_string()).await
}

async fn configs_of(cluster: &Arc<Cluster>, kind: ResourceKind, name: String) -> Result<Vec<ConfigEntry>> {
    cluster
        .blocking(move |c| {
            // SAFETY: `c` keeps the client alive for the whole blocking call.
            let raw = unsafe { ffi::describe_configs(c.native(), kind, &name, REQUEST_TIMEOUT)? };
            Ok(raw.into_iter().map(config_entry).collect())
        })
        .await
}

fn config_entry(raw: RawConfigEntry) -> ConfigEntry {
    // The first synonym from another source is what applies once this one is removed.
    let fallback = raw.synonyms.iter().find(|(source, _, _)| *source != raw.source);
    let (default_value, default_from) = match fallback {
        _ if raw.source == RawConfigSource::Default => (raw.value.clone(), None),
        Some((_, key, value)) => (value.clone(), (key != &raw.name).then(|| key.clone())),
        None => (None, None),
    };
    let mask = |v: Option<String>| if raw.sensitive { None } else { v };
    ConfigEntry {
        value: mask(raw.value.clone()),
        default_value: mask(default_value),
        default_from,
        source: match raw.source {
            RawConfigSource::DynamicTopic => ConfigSource::Topic,
            RawConfigSource::DynamicBroker => ConfigSource::DynamicBroker,
            RawConfigSource::DynamicDefaultBroker => ConfigSource::DynamicDefaultBroker,
            RawConfigSource::StaticBroker => ConfigSource::StaticBroker,
            RawConfigSource::Default => ConfigSource::Default,
            RawConfigSource::Unknown => ConfigSource::Unknown,
        },
        name: raw.name,
        sensitive: raw.sensitive,
        read_only: raw.read_only,
    }
}

/// Sets `set` and reverts `reset` to their defaults on a topic, in one IncrementalAlterConfigs.
pub async fn alter_topic_configs(cluster: &Write, name: &str, set: Vec<ConfigValue>, reset: Vec<String>) -> Result<()> {
    if set.is_empty() && reset.is_empty() {
        return Err(Error::invalid_input("configs", "Configs: nothing to change."));
    }
    if let Some(empty) = set.iter().find(|c| c.name.trim().is_empty()) {
        return Err(Error::invalid_input("configs", format!("Configs: a config named \"{}\" cannot be set.", empty.name)));
    }
    let mut changes: Vec<ConfigChange> =
        set.into_iter().map(|c| ConfigChange::Set { name: c.name, value: c.value }).collect();
    changes.extend(reset.into_iter().map(|name| ConfigChange::Delete { name }));
    let name = name.to_string();
    cluster
        .blocking(move |c| {
            // SAFETY: `c` keeps the client alive for the whole blocking call.
            unsafe { ffi::incremental_alter_configs(c.native(), ResourceKind::Topic, &name, &changes, REQUEST_TIMEOUT) }
        })
        .await
}

/// Kafka's own topic name rules (`org.apache.kafka.common.internals.Topic.validate`).
pub fn validate_name(name: &str) -> Result<()> {
    let bad = |why: String| Err(Error::invalid_input("name", format!("Name: {why}")));
    if name.is_empty() {
        return bad("enter a topic name.".into());
    }
    if name == "." || name == ".." {
        return bad("\".\" and \"..\" are not allowed.".into());
    }
    if name.len() > MAX_NAME_LEN {
        return bad(format!("at most {MAX_NAME_LEN} characters ({} given).", name.len()));
    }
    // Every bad character, once each, in order: fixing them one submit at a time is tedious.
    let mut invalid: Vec<char> = Vec::new();
    for c in name.chars().filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        if !invalid.contains(&c) {
            invalid.push(c);
        }
    }
    if !invalid.is_empty() {
        let quoted: Vec<String> = invalid.iter().map(|c| format!("'{c}'")).collect();
        let list = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last} are", rest.join(", ")),
            _ => format!("{} is", quoted.join("")),
        };
        return bad(format!("{list} not allowed; use letters, digits, '.', '_' and '-'."));
    }
    Ok(())
}

/// An existing topic whose name differs from `name` only by '.' versus '_'.
pub fn colliding_name<'a>(name: &str, existing: &'a [String]) -> Option<&'a str> {
    let unified = |n: &str| n.replace('.', "_");
    let key = unified(name);
    existing.iter().find(|e| e.as_str() != name && unified(e) == key).map(String::as_str)
}

fn is_internal(name: &str) -> bool {
    name.starts_with("__")
}

fn no_such_topic(name: &str) -> Error {
    Error::not_found(format!("There is no topic \"{name}\" on this cluster."))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn live_brokers(metadata: &Metadata) -> HashSet<i32> {
    metadata.brokers().iter().map(|b| b.id()).collect()
}

fn admin_options() -> AdminOptions {
    AdminOptions::new().request_timeout(Some(REQUEST_TIMEOUT)).operation_timeout(Some(REQUEST_TIMEOUT))
}

/// Awaits one of the crate's admin futures, bounded even if librdkafka never answers.
async fn bounded<T>(future: impl Future<Output = KafkaResult<T>>, what: &str) -> Result<Result<T>> {
    match tokio::time::timeout(REQUEST_TIMEOUT + Duration::from_secs(2), future).await {
        Ok(result) => Ok(result.map_err(|e| explain_kafka_error(e, what))),
        Err(_) => Err(Error::timeout(format!("The cluster did not answer {what} in time."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn accepts_names_kafka_accepts() {
        for ok in ["orders", "a.b_c-D9", &"x".repeat(249)] {
            assert!(validate_name(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn lists_every_bad_character_once() {
        let e = validate_name("a b/c d:ü").unwrap_err();
        assert_eq!(e.message, "Name: ' ', '/', ':' and 'ü' are not allowed; use letters, digits, '.', '_' and '-'.");
        assert!(validate_name("a b").unwrap_err().message.contains("' ' is not allowed"));
    }

    #[test]
    fn refuses_names_kafka_refuses_and_names_the_field() {
        for bad in ["", ".", "..", "with space", "ümlaut", "a/b", &"x".repeat(250)] {
            let e = validate_name(bad).expect_err(bad);
            assert_eq!(e.kind, ErrorKind::InvalidInput);
            assert_eq!(e.detail.as_deref(), Some("name"), "{bad}");
        }
    }

    #[test]
    fn finds_dot_underscore_collisions() {
        let existing = vec!["metrics_raw".to_string(), "other".to_string()];
        assert_eq!(colliding_name("metrics.raw", &existing), Some("metrics_raw"));
        assert_eq!(colliding_name("metrics_raw", &existing), None);
        assert_eq!(colliding_name("metricsXraw", &existing), None);
    }

    #[test]
    fn masks_sensitive_values_and_finds_the_default() {
        let entry = |sensitive| RawConfigEntry {
            name: "retention.ms".into(),
            value: Some("1000".into()),
            source: RawConfigSource::DynamicTopic,
            read_only: false,
            sensitive,
            synonyms: vec![
                (RawConfigSource::DynamicTopic, "retention.ms".into(), Some("1000".into())),
                (RawConfigSource::Default, "log.retention.hours".into(), Some("168".into())),
            ],
        };
        let plain = config_entry(entry(false));
        assert_eq!(plain.source, ConfigSource::Topic);
        assert_eq!(plain.value.as_deref(), Some("1000"));
        assert_eq!(plain.default_value.as_deref(), Some("168"));
        assert_eq!(plain.default_from.as_deref(), Some("log.retention.hours"));
        let secret = config_entry(entry(true));
        assert_eq!((secret.value, secret.default_value), (None, None));
    }
}
