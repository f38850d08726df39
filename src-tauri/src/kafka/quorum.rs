//! The KRaft controller quorum, through the DescribeQuorum request (API key 55).
//!
//! Why: in KRaft mode a broker answers DescribeCluster and Metadata with a *random live
//! broker* as "controller", so the only true answer to "who is the active controller" is
//! the quorum leader, and librdkafka has no DescribeQuorum call. A broker forwards this
//! request to the active controller, like `kafka-metadata-quorum.sh` relies on. It goes
//! through the wire client, with the connection's own security.

use std::time::Duration;

use kafka_protocol::messages::describe_quorum_request::{PartitionData, TopicData};
use kafka_protocol::messages::{DescribeQuorumRequest, DescribeQuorumResponse, TopicName};
use kafka_protocol::protocol::StrBytes;

use super::client::Connection;
use super::wire::{self, BrokerLink, UNSUPPORTED_VERSION};
use crate::error::{Error, ErrorKind, Result};

const METADATA_TOPIC: &str = "__cluster_metadata";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuorumReplica {
    pub id: i32,
    pub log_end_offset: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quorum {
    pub leader_id: i32,
    pub leader_epoch: i32,
    pub high_watermark: i64,
    pub voters: Vec<QuorumReplica>,
    pub observers: Vec<QuorumReplica>,
}

/// Asks the broker at `host:port` (reached with `conn`'s security) to describe the metadata
/// quorum. An `Error` whose detail starts with `UNSUPPORTED_VERSION` means "not a KRaft cluster".
pub fn describe_quorum(conn: &Connection, host: &str, port: u16, timeout: Duration) -> Result<Quorum> {
    let mut link = BrokerLink::open(conn, host, port, timeout)?;
    let request = DescribeQuorumRequest::default().with_topics(vec![TopicData::default()
        .with_topic_name(TopicName(StrBytes::from_static_str(METADATA_TOPIC)))
        .with_partitions(vec![PartitionData::default().with_partition_index(0)])]);
    let response = link.send(&request, "about the controller quorum (DescribeQuorum)")?;
    quorum_of(&response)
}

/// The metadata partition's quorum in a DescribeQuorum answer.
pub(crate) fn quorum_of(response: &DescribeQuorumResponse) -> Result<Quorum> {
    check_code(response.error_code)?;
    let partition = response
        .topics
        .iter()
        .filter(|t| t.topic_name.0.as_str() == METADATA_TOPIC)
        .flat_map(|t| t.partitions.iter())
        .find(|p| p.partition_index == 0)
        .ok_or_else(|| {
            Error::new(ErrorKind::Kafka, "The broker's answer about the controller quorum could not be read.")
                .with_detail("DescribeQuorum: answer without the metadata partition")
        })?;
    check_code(partition.error_code)?;
    let replicas = |list: &[kafka_protocol::messages::describe_quorum_response::ReplicaState]| {
        list.iter().map(|r| QuorumReplica { id: r.replica_id.0, log_end_offset: r.log_end_offset }).collect()
    };
    Ok(Quorum {
        leader_id: partition.leader_id.0,
        leader_epoch: partition.leader_epoch,
        high_watermark: partition.high_watermark,
        voters: replicas(&partition.current_voters),
        observers: replicas(&partition.observers),
    })
}

fn check_code(code: i16) -> Result<()> {
    match code {
        0 => Ok(()),
        UNSUPPORTED_VERSION => Err(Error::new(ErrorKind::Kafka, "This cluster does not describe a KRaft quorum.")
            .with_detail("UNSUPPORTED_VERSION")),
        code => Err(wire::kafka_error(code, "The broker refused to describe the controller quorum")),
    }
}

/// Whether `e` says the cluster has no KRaft quorum to describe (ZooKeeper era).
pub fn is_unsupported(e: &Error) -> bool {
    e.detail.as_deref().is_some_and(|d| d.starts_with("UNSUPPORTED_VERSION"))
}

#[cfg(test)]
mod tests {
    use kafka_protocol::messages::describe_quorum_response::{PartitionData, ReplicaState, TopicData};
    use kafka_protocol::messages::BrokerId;
    use kafka_protocol::protocol::{Decodable, Encodable};

    use super::*;

    fn response(code: i16, leader: i32) -> DescribeQuorumResponse {
        let voter = |id: i32| ReplicaState::default().with_replica_id(BrokerId(id)).with_log_end_offset(90 + i64::from(id));
        DescribeQuorumResponse::default().with_topics(vec![TopicData::default()
            .with_topic_name(TopicName(StrBytes::from_static_str(METADATA_TOPIC)))
            .with_partitions(vec![PartitionData::default()
                .with_error_code(code)
                .with_leader_id(BrokerId(leader))
                .with_leader_epoch(5)
                .with_high_watermark(99)
                .with_current_voters(vec![voter(1), voter(2)])])])
    }

    #[test]
    fn reads_leader_voters_and_observers_through_the_wire_format() {
        let mut bytes = bytes::BytesMut::new();
        response(0, 2).encode(&mut bytes, 0).unwrap();
        let decoded = DescribeQuorumResponse::decode(&mut bytes.freeze(), 0).unwrap();
        let q = quorum_of(&decoded).unwrap();
        assert_eq!((q.leader_id, q.leader_epoch, q.high_watermark), (2, 5, 99));
        assert_eq!(q.voters, vec![QuorumReplica { id: 1, log_end_offset: 91 }, QuorumReplica { id: 2, log_end_offset: 92 }]);
        assert!(q.observers.is_empty());
    }

    #[test]
    fn failed_or_incomplete_answers_are_errors() {
        assert!(is_unsupported(&quorum_of(&response(UNSUPPORTED_VERSION, 2)).unwrap_err()));
        assert_eq!(quorum_of(&response(57, 2)).unwrap_err().kind, ErrorKind::Kafka);
        assert!(quorum_of(&DescribeQuorumResponse::default()).is_err());
    }
}
