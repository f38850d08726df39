//! The broker's Kafka version, as far as ApiVersions (API key 18) tells it.
//!
//! librdkafka asks every broker for its ApiVersions but does not share the answer, so we
//! ask once ourselves through the wire client (`kafka/wire/`), which negotiates it on every
//! connection it opens, with the profile's own security.
//!
//! ApiVersions gives API ranges, not a release number; the lower bound comes from the
//! newest API (or removed old version) a release introduced, so the answer reads
//! "Kafka 3.9 or newer". No upper bound is claimed.

use std::time::Duration;

use super::client::Connection;
use super::wire::BrokerLink;
use crate::error::Result;

pub use super::wire::ApiRange;

const API_KEY_API_VERSIONS: i16 = 18;

/// The API ranges of the broker at `host:port`, asked with `conn`'s own security.
pub fn api_versions(conn: &Connection, host: &str, port: u16, timeout: Duration) -> Result<Vec<ApiRange>> {
    Ok(BrokerLink::open(conn, host, port, timeout)?.apis().to_vec())
}

/// "Kafka X or newer" from landmarks: (release, what must hold). Newest first.
pub fn version_range(apis: &[ApiRange]) -> String {
    let has = |key: i16| apis.iter().any(|(k, _, _)| *k == key);
    let min_version = |key: i16| apis.iter().find(|(k, _, _)| *k == key).map(|(_, min, _)| *min);
    let max_version = |key: i16| apis.iter().find(|(k, _, _)| *k == key).map(|(_, _, max)| *max);
    let landmarks: [(&str, bool); 10] = [
        // KIP-896: 4.0 removed Fetch v0-v3 (Kafka 4.1 answers Fetch 4 to 18).
        ("4.0", min_version(1).is_some_and(|m| m >= 4)),
        // KIP-853: AddRaftVoter, and Fetch v17 (the one a ZooKeeper-mode 3.9 broker shows: it
        // lists no KRaft APIs).
        ("3.9", has(80) || max_version(1).is_some_and(|m| m >= 17)),
        // KIP-848 early access: ConsumerGroupHeartbeat (ZooKeeper-mode brokers list it too).
        ("3.7", has(68)),
        // KIP-664: ListTransactions.
        ("3.0", has(66)),
        // KIP-700: DescribeCluster.
        ("2.8", has(60)),
        // KIP-584: UpdateFeatures.
        ("2.7", has(57)),
        // KIP-546: DescribeClientQuotas.
        ("2.6", has(48)),
        // KIP-496: OffsetDelete.
        ("2.4", has(47)),
        // KIP-339: IncrementalAlterConfigs.
        ("2.3", has(44)),
        // KIP-35: ApiVersions itself.
        ("0.10", has(API_KEY_API_VERSIONS)),
    ];
    match landmarks.iter().find(|(_, holds)| *holds) {
        Some((release, _)) => format!("Kafka {release} or newer"),
        None => "an unknown Kafka version".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_release_from_landmarks() {
        assert_eq!(version_range(&[(1, 4, 18), (18, 0, 4)]), "Kafka 4.0 or newer");
        assert_eq!(version_range(&[(1, 0, 12), (18, 0, 3), (60, 0, 1)]), "Kafka 2.8 or newer");
        // A ZooKeeper-mode 3.9.1 broker (as it answered): no KRaft APIs, Fetch up to v17.
        assert_eq!(version_range(&[(1, 0, 17), (18, 0, 4), (60, 0, 1), (66, 0, 1), (68, 0, 0)]), "Kafka 3.9 or newer");
        assert_eq!(version_range(&[(1, 0, 16), (18, 0, 3), (60, 0, 1), (66, 0, 1), (68, 0, 0)]), "Kafka 3.7 or newer");
        assert_eq!(version_range(&[(1, 0, 13), (18, 0, 3), (60, 0, 1), (66, 0, 0)]), "Kafka 3.0 or newer");
        assert_eq!(version_range(&[]), "an unknown Kafka version");
    }
}
