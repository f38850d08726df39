//! KIP-848 ("consumer" protocol) groups: the member epochs, subscriptions and the target
//! assignment the coordinator is moving members towards, from ConsumerGroupDescribe over the
//! wire client (librdkafka reads that answer but hands out only part of it).

use std::collections::HashMap;

use kafka_protocol::messages::{ConsumerGroupDescribeRequest, GroupId};
use kafka_protocol::protocol::StrBytes;

use super::{partition_refs, TopicPartitionRef};
use crate::error::{Error, Result};
use crate::kafka::client::Cluster;
use crate::kafka::wire::check_code;
use crate::kafka::wire::links::{group_coordinator, link_to_id};

/// What ConsumerGroupDescribe adds to librdkafka's description.
pub(super) struct Epochs {
    pub group_epoch: i32,
    pub assignment_epoch: i32,
    pub members: HashMap<String, MemberEpoch>,
}

pub(super) struct MemberEpoch {
    pub member_epoch: i32,
    pub target_assignment: Vec<TopicPartitionRef>,
    pub subscribed_topics: Vec<String>,
    pub subscribed_regex: Option<String>,
    pub rack: Option<String>,
}

/// ConsumerGroupDescribe of one consumer-protocol group, asked of `coordinator` when librdkafka
/// already named it (else FindCoordinator finds it).
pub(super) fn describe(c: &Cluster, group_id: &str, coordinator: Option<i32>) -> Result<Epochs> {
    let mut link = match coordinator {
        Some(id) => link_to_id(c, id)?,
        None => group_coordinator(c, group_id)?.0,
    };
    let request = ConsumerGroupDescribeRequest::default().with_group_ids(vec![GroupId(StrBytes::from_string(group_id.to_string()))]);
    let answer = link.send(&request, &format!("to describe consumer group \"{group_id}\" (ConsumerGroupDescribe)"))?;
    let Some(group) = answer.groups.into_iter().next() else {
        return Err(Error::internal("Kafka answered the consumer group description without the group."));
    };
    check_code(group.error_code, group.error_message.as_ref(), &format!("Kafka could not describe consumer group \"{group_id}\""))?;
    Ok(Epochs {
        group_epoch: group.group_epoch,
        assignment_epoch: group.assignment_epoch,
        members: group
            .members
            .into_iter()
            .map(|m| {
                let epoch = MemberEpoch {
                    member_epoch: m.member_epoch,
                    target_assignment: partition_refs(m.target_assignment.topic_partitions.iter().map(|t| (&t.topic_name, &t.partitions))),
                    subscribed_topics: m.subscribed_topic_names.iter().map(|t| t.0.to_string()).collect(),
                    subscribed_regex: m.subscribed_topic_regex.map(|r| r.to_string()),
                    rack: m.rack_id.map(|r| r.to_string()),
                };
                (m.member_id.to_string(), epoch)
            })
            .collect(),
    })
}
