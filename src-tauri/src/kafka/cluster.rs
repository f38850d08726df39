//! The cluster overview: cluster id, controller, brokers, and topic / partition counts.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use super::client::{
    is_verify_failure, Cluster, Connection, REQUEST_TIMEOUT, TLS_HOSTNAME_MISMATCH, TLS_UNKNOWN_CA,
};
use super::ffi::{self, NodeDescription};
use super::{api_versions, quorum, tls_probe};
use crate::error::{Error, ErrorKind, Result};

/// Bound on each broker asked about the controller quorum.
const QUORUM_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Broker {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub rack: Option<String>,
    pub is_controller: bool,
    /// Partitions this broker leads.
    pub leader_count: u32,
    /// Partition replicas this broker holds (leader or follower).
    pub replica_count: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClusterOverview {
    pub profile_id: String,
    pub cluster_id: Option<String>,
    /// The active controller: the KRaft quorum leader (or, on a ZooKeeper-era cluster, the
    /// controller broker). `None` when it could not be found out.
    pub controller_id: Option<i32>,
    pub brokers: Vec<Broker>,
    pub topic_count: u32,
    pub internal_topic_count: u32,
    pub partition_count: u32,
    /// How long the cluster took to describe itself (one round trip plus any connect).
    pub latency_ms: u32,
}

/// Describes the cluster: DescribeCluster for ids and racks, metadata for the counts.
pub async fn overview(cluster: &Arc<Cluster>) -> Result<ClusterOverview> {
    cluster
        .blocking(|c| {
            let started = Instant::now();
            // SAFETY: `c` keeps the client alive for the whole blocking call.
            let description = unsafe { ffi::describe_cluster(c.native(), REQUEST_TIMEOUT)? };
            let latency_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
            let controller_id = active_controller(c.connection(), &description.nodes, description.controller_id);
            let metadata = c.metadata(None, "the topic list")?;

            let mut leaders: HashMap<i32, u32> = HashMap::new();
            let mut replicas: HashMap<i32, u32> = HashMap::new();
            let (mut partition_count, mut internal_topic_count) = (0u32, 0u32);
            for topic in metadata.topics() {
                if topic.name().starts_with("__") {
                    internal_topic_count += 1;
                }
                for partition in topic.partitions() {
                    partition_count += 1;
                    *leaders.entry(partition.leader()).or_default() += 1;
                    for replica in partition.replicas() {
                        *replicas.entry(*replica).or_default() += 1;
                    }
                }
            }
            let brokers = description
                .nodes
                .into_iter()
                .map(|n| Broker {
                    is_controller: Some(n.id) == controller_id,
                    leader_count: leaders.get(&n.id).copied().unwrap_or(0),
                    replica_count: replicas.get(&n.id).copied().unwrap_or(0),
                    id: n.id,
                    host: n.host,
                    port: n.port,
                    rack: n.rack,
                })
                .collect();
            Ok(ClusterOverview {
                profile_id: c.id.clone(),
                cluster_id: description.cluster_id,
                controller_id,
                brokers,
                topic_count: u32::try_from(metadata.topics().len()).unwrap_or(u32::MAX),
                internal_topic_count,
                partition_count,
                latency_ms,
            })
        })
        .await
}

/// The promise of the Test button: an answer, good or bad, within this bound.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(10);

/// What "Test connection" found.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionTest {
    pub cluster_id: Option<String>,
    /// The active controller; `None` when unknown (only asked over PLAINTEXT listeners).
    pub controller_id: Option<i32>,
    /// Brokers the cluster lists (each reached through the bootstrap's metadata).
    pub brokers: Vec<Broker>,
    /// Connect, authenticate and describe the cluster.
    pub connect_ms: u32,
    /// One more DescribeCluster on the open connection: the round trip.
    pub round_trip_ms: u32,
    /// "Kafka 4.0 or newer", from the first broker's ApiVersions; `None` when not asked
    /// (TLS listeners) or not answered.
    pub broker_versions: Option<String>,
}

/// Connects with `conn` as a throwaway client, describes the cluster and times a round
/// trip. A failure comes back as one specific cause (refused, name, TLS, auth, ...) within
/// [`TEST_TIMEOUT`]; the client is dropped either way, nothing is registered.
pub async fn test_connection(conn: &Connection) -> Result<ConnectionTest> {
    let cluster = Cluster::connect(conn)?;
    let work = async {
        let found = overview(&cluster).await?;
        let round_trip_ms = cluster
            .blocking(|c| {
                let started = Instant::now();
                // SAFETY: `c` keeps the client alive for the whole blocking call.
                unsafe { ffi::describe_cluster(c.native(), REQUEST_TIMEOUT)? };
                Ok(u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX))
            })
            .await?;
        // ApiVersions through the wire client, with the profile's own security.
        let broker_versions = match found.brokers.first() {
            Some(b) => {
                let (host, port, conn) = (b.host.clone(), b.port, conn.clone());
                tokio::task::spawn_blocking(move || api_versions::api_versions(&conn, &host, port, QUORUM_TIMEOUT))
                    .await?
                    .map_err(|e| log::debug!("broker versions: {}", e.message))
                    .ok()
                    .map(|apis| api_versions::version_range(&apis))
            }
            None => None,
        };
        Ok::<_, Error>(ConnectionTest {
            broker_versions,
            cluster_id: found.cluster_id,
            controller_id: found.controller_id,
            brokers: found.brokers,
            connect_ms: found.latency_ms,
            round_trip_ms,
        })
    };
    match tokio::time::timeout(TEST_TIMEOUT, work).await {
        Ok(Err(e)) if e.kind == ErrorKind::Tls && is_verify_failure(e.detail.as_deref().unwrap_or_default()) => {
            Err(diagnose_verify_failure(conn, e).await)
        }
        Ok(result) => result,
        Err(_) => Err(cluster.explain(Error::timeout(format!(
            "The cluster at {} did not answer within {} s.",
            conn.bootstrap_servers,
            TEST_TIMEOUT.as_secs()
        )))),
    }
}

/// OpenSSL 3 through librdkafka says only "certificate verify failed". Telling an unknown
/// CA from a hostname mismatch: one TLS handshake of our own with the same trust settings
/// (see `tls_probe`), which sends no credentials: a host that fails verification must
/// never receive the login.
async fn diagnose_verify_failure(conn: &Connection, failure: Error) -> Error {
    let detail = failure.detail.clone().unwrap_or_default();
    let verified_hostname =
        conn.properties.get("ssl.endpoint.identification.algorithm").map(String::as_str) == Some("https");
    let cause = |message: &str| Error::new(ErrorKind::Tls, message).with_detail(detail.clone());
    if !verified_hostname {
        return cause(TLS_UNKNOWN_CA);
    }
    let Some((host, port)) = tls_probe::first_broker(&conn.bootstrap_servers) else { return failure };
    let trust = tls_probe::Trust {
        ca_location: conn.properties.get("ssl.ca.location").cloned(),
        ca_pem: conn.properties.get("ssl.ca.pem").cloned(),
    };
    let probed = tokio::task::spawn_blocking(move || tls_probe::probe(&host, port, &trust, DIAGNOSE_TIMEOUT));
    match tokio::time::timeout(DIAGNOSE_TIMEOUT + Duration::from_secs(1), probed).await {
        Ok(Ok(Ok(tls_probe::Finding::HostnameMismatch))) => cause(TLS_HOSTNAME_MISMATCH),
        Ok(Ok(Ok(tls_probe::Finding::UnknownCa))) => cause(TLS_UNKNOWN_CA),
        _ => failure,
    }
}

/// Bound on the diagnosing handshake of a failed test.
const DIAGNOSE_TIMEOUT: Duration = Duration::from_secs(3);

/// Who really leads: DescribeCluster's "controller" is a random broker on KRaft clusters,
/// so ask the quorum; only a cluster without one (ZooKeeper era) keeps DescribeCluster's.
/// All brokers together get `QUORUM_TIMEOUT`, so unreachable advertised hosts cannot add up.
fn active_controller(conn: &Connection, brokers: &[NodeDescription], described: Option<i32>) -> Option<i32> {
    let deadline = Instant::now() + QUORUM_TIMEOUT;
    for broker in brokers {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match quorum::describe_quorum(conn, &broker.host, broker.port, left) {
            Ok(q) => return Some(q.leader_id),
            Err(e) if quorum::is_unsupported(&e) => return described,
            Err(e) => log::debug!("controller quorum via broker {}: {}", broker.id, e.message),
        }
    }
    None
}
