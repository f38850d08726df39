//! Share groups (KIP-932, Kafka 4.1+) over the wire client, since librdkafka speaks none of it:
//! which groups are share (and streams) groups, one group's members and assignment, and its
//! start offsets read, moved and deleted.
//!
//! A share group has no committed offsets: each partition has a *start offset*, the first
//! record the group may still deliver. Its lag is the log end minus that start offset.

use std::collections::{BTreeMap, HashMap};

use kafka_protocol::messages::alter_share_group_offsets_request::{
    AlterShareGroupOffsetsRequestPartition, AlterShareGroupOffsetsRequestTopic,
};
use kafka_protocol::messages::delete_share_group_offsets_request::DeleteShareGroupOffsetsRequestTopic;
use kafka_protocol::messages::describe_share_group_offsets_request::DescribeShareGroupOffsetsRequestGroup;
use kafka_protocol::messages::{
    AlterShareGroupOffsetsRequest, DeleteShareGroupOffsetsRequest, DescribeShareGroupOffsetsRequest, GroupId,
    ListGroupsRequest, ShareGroupDescribeRequest, TopicName,
};
use kafka_protocol::protocol::StrBytes;

use super::{partition_refs, Member, SHARE};
use crate::kafka::ffi::GroupListing;
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::Cluster;
use crate::kafka::wire::links::{group_coordinator, link_to};
use crate::kafka::wire::{check_code, BrokerLink, UNSUPPORTED_VERSION};

/// GROUP_ID_NOT_FOUND: also the answer for a group of another type.
const GROUP_ID_NOT_FOUND: i16 = 69;
const NON_EMPTY_GROUP: i16 = 68;
/// ListGroups learnt the group type filter in version 5 (Kafka 3.8+).
const LIST_GROUPS_WITH_TYPES: i16 = 5;

/// A described share group.
pub(super) struct ShareGroup {
    pub state: String,
    pub group_epoch: i32,
    pub assignment_epoch: i32,
    pub assignor: String,
    pub coordinator: i32,
    pub members: Vec<Member>,
    /// Start offset per (topic, partition); partitions the group has not started on are absent.
    pub start_offsets: HashMap<(String, i32), i64>,
}

/// Share and streams groups as listed, with every share group described.
pub(super) struct NonConsumerGroups {
    pub listings: Vec<GroupListing>,
    /// By group id: the share groups that exist (an error when one could not be described).
    pub shares: HashMap<String, Result<ShareGroup>>,
}

/// Every share and streams group (librdkafka lists neither), asked of every broker with
/// ListGroups' type filter. A broker lists the groups it coordinates, so its share groups are
/// described on the same link, in one request each for members and start offsets. Empty on
/// clusters whose ListGroups cannot filter by type, which have neither kind.
pub(super) fn non_consumer_groups(c: &Cluster) -> Result<NonConsumerGroups> {
    let metadata = c.metadata(None, "the broker list")?;
    let request = ListGroupsRequest::default()
        .with_types_filter(vec![StrBytes::from_static_str("share"), StrBytes::from_static_str("streams")]);
    let mut found = NonConsumerGroups { listings: Vec::new(), shares: HashMap::new() };
    for b in metadata.brokers() {
        let mut link = link_to(c, b.host(), b.port())?;
        let what = "for its share and streams groups (ListGroups)";
        if link.version_for::<ListGroupsRequest>(what).map_or(true, |v| v < LIST_GROUPS_WITH_TYPES) {
            return Ok(found);
        }
        let answer = link.send(&request, what)?;
        check_code(answer.error_code, None, &format!("Broker {} refused to list its groups", b.id()))?;
        let listed: Vec<GroupListing> = answer
            .groups
            .into_iter()
            .map(|g| GroupListing {
                group_id: g.group_id.0.to_string(),
                state: g.group_state.to_string(),
                group_type: capitalized(&g.group_type),
                is_simple: false,
            })
            .collect();
        let share_ids: Vec<&str> = listed.iter().filter(|l| l.group_type == SHARE).map(|l| l.group_id.as_str()).collect();
        found.shares.extend(describe_on(&mut link, b.id(), &share_ids)?);
        found.listings.extend(listed);
    }
    Ok(found)
}

/// The share group `group_id`; `None` when there is no share group of that name (or the
/// cluster has no share groups at all).
pub(super) fn describe(c: &Cluster, group_id: &str) -> Result<Option<ShareGroup>> {
    let (mut link, coordinator) = group_coordinator(c, group_id)?;
    describe_on(&mut link, coordinator, &[group_id])?.remove(group_id).transpose()
}

/// ShareGroupDescribe and DescribeShareGroupOffsets for `group_ids`, all coordinated by the
/// broker behind `link`. Groups that do not exist (or are not share groups) are left out.
fn describe_on(link: &mut BrokerLink, coordinator: i32, group_ids: &[&str]) -> Result<HashMap<String, Result<ShareGroup>>> {
    let what = "to describe share groups (ShareGroupDescribe)";
    if group_ids.is_empty() || link.version_for::<ShareGroupDescribeRequest>(what).is_err() {
        return Ok(HashMap::new());
    }
    let request = ShareGroupDescribeRequest::default().with_group_ids(group_ids.iter().map(|id| group_key(id)).collect());
    let answer = link.send(&request, what)?;
    let mut described = HashMap::new();
    for group in answer.groups {
        let group_id = group.group_id.0.to_string();
        // A 4.1 broker lists the API but, with share groups off, answers UNSUPPORTED_VERSION per group.
        if matches!(group.error_code, GROUP_ID_NOT_FOUND | UNSUPPORTED_VERSION) || group.group_state.as_str() == "Dead" {
            continue;
        }
        let outcome = check_code(group.error_code, group.error_message.as_ref(), &format!("Kafka could not describe share group \"{group_id}\"")).map(|()| {
            ShareGroup {
                state: group.group_state.to_string(),
                group_epoch: group.group_epoch,
                assignment_epoch: group.assignment_epoch,
                assignor: group.assignor_name.to_string(),
                coordinator,
                members: group
                    .members
                    .into_iter()
                    .map(|m| Member {
                        member_id: m.member_id.to_string(),
                        client_id: m.client_id.to_string(),
                        host: m.client_host.to_string(),
                        group_instance_id: None,
                        assignment: partition_refs(m.assignment.topic_partitions.iter().map(|t| (&t.topic_name, &t.partitions))),
                        member_epoch: Some(m.member_epoch),
                        target_assignment: None,
                        subscribed_topics: m.subscribed_topic_names.iter().map(|t| t.0.to_string()).collect(),
                        subscribed_regex: None,
                        rack: m.rack_id.map(|r| r.to_string()),
                    })
                    .collect(),
                start_offsets: HashMap::new(),
            }
        });
        described.insert(group_id, outcome);
    }
    let found: Vec<&str> = described.iter().filter(|(_, g)| g.is_ok()).map(|(id, _)| id.as_str()).collect();
    for (group_id, offsets) in start_offsets(link, &found)? {
        if let Some(Ok(group)) = described.get_mut(&group_id) {
            match offsets {
                Ok(offsets) => group.start_offsets = offsets,
                Err(e) => {
                    described.insert(group_id, Err(e));
                }
            }
        }
    }
    Ok(described)
}

/// DescribeShareGroupOffsets for every topic each group has started on.
fn start_offsets(link: &mut BrokerLink, group_ids: &[&str]) -> Result<Vec<(String, Result<HashMap<(String, i32), i64>>)>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let groups = group_ids
        .iter()
        .map(|id| DescribeShareGroupOffsetsRequestGroup::default().with_group_id(group_key(id)).with_topics(None))
        .collect();
    let answer = link.send(
        &DescribeShareGroupOffsetsRequest::default().with_groups(groups),
        "for the start offsets of share groups (DescribeShareGroupOffsets)",
    )?;
    Ok(answer
        .groups
        .into_iter()
        .map(|group| {
            let group_id = group.group_id.0.to_string();
            let context = format!("Kafka could not read the start offsets of share group \"{group_id}\"");
            let offsets = check_code(group.error_code, group.error_message.as_ref(), &context).map(|()| {
                group
                    .topics
                    .iter()
                    .flat_map(|topic| {
                        // -1: the group has not started on this partition yet.
                        topic
                            .partitions
                            .iter()
                            .filter(|p| p.error_code == 0 && p.start_offset >= 0)
                            .map(|p| ((topic.topic_name.0.to_string(), p.partition_index), p.start_offset))
                    })
                    .collect()
            });
            (group_id, offsets)
        })
        .collect())
}

/// Moves the start offsets (AlterShareGroupOffsets); Kafka only allows it while the group is empty.
pub(super) fn alter_start_offsets(c: &Cluster, group_id: &str, offsets: &[(String, i32, i64)]) -> Result<()> {
    let mut by_topic: BTreeMap<&str, Vec<AlterShareGroupOffsetsRequestPartition>> = BTreeMap::new();
    for (topic, partition, offset) in offsets {
        by_topic
            .entry(topic)
            .or_default()
            .push(AlterShareGroupOffsetsRequestPartition::default().with_partition_index(*partition).with_start_offset(*offset));
    }
    let topics = by_topic
        .into_iter()
        .map(|(t, ps)| AlterShareGroupOffsetsRequestTopic::default().with_topic_name(topic_key(t)).with_partitions(ps))
        .collect();
    let (mut link, _) = group_coordinator(c, group_id)?;
    let request = AlterShareGroupOffsetsRequest::default().with_group_id(group_key(group_id)).with_topics(topics);
    let answer = link.send(&request, &format!("to move the start offsets of share group \"{group_id}\" (AlterShareGroupOffsets)"))?;
    let context = format!("Kafka did not move the start offsets of share group \"{group_id}\"");
    refuse_active(answer.error_code, group_id)?;
    check_code(answer.error_code, answer.error_message.as_ref(), &context)?;
    for topic in answer.responses {
        for p in topic.partitions {
            refuse_active(p.error_code, group_id)?;
            check_code(p.error_code, p.error_message.as_ref(), &format!("{context} on partition {}-{}", topic.topic_name.0, p.partition_index))?;
        }
    }
    Ok(())
}

/// Deletes the group's start offsets on one topic (DeleteShareGroupOffsets).
pub(super) fn delete_start_offsets(c: &Cluster, group_id: &str, topic: &str) -> Result<()> {
    let (mut link, _) = group_coordinator(c, group_id)?;
    let request = DeleteShareGroupOffsetsRequest::default()
        .with_group_id(group_key(group_id))
        .with_topics(vec![DeleteShareGroupOffsetsRequestTopic::default().with_topic_name(topic_key(topic))]);
    let answer = link.send(&request, &format!("to delete the start offsets of share group \"{group_id}\" (DeleteShareGroupOffsets)"))?;
    let context = format!("Kafka did not delete the start offsets of share group \"{group_id}\" on \"{topic}\"");
    refuse_active(answer.error_code, group_id)?;
    check_code(answer.error_code, answer.error_message.as_ref(), &context)?;
    for t in answer.responses {
        refuse_active(t.error_code, group_id)?;
        check_code(t.error_code, t.error_message.as_ref(), &context)?;
    }
    Ok(())
}

fn refuse_active(code: i16, group_id: &str) -> Result<()> {
    if code == NON_EMPTY_GROUP {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("The share group \"{group_id}\" has active members: stop its share consumers and try again."),
        )
        .with_detail("group"));
    }
    Ok(())
}

fn group_key(group_id: &str) -> GroupId {
    GroupId(StrBytes::from_string(group_id.to_string()))
}

fn topic_key(topic: &str) -> TopicName {
    TopicName(StrBytes::from_string(topic.to_string()))
}

/// "share" → "Share", as librdkafka names "Classic" and "Consumer".
fn capitalized(group_type: &str) -> String {
    let mut chars = group_type.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_else(|| "Unknown".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_types_are_named_like_librdkafkas() {
        assert_eq!(capitalized("share"), "Share");
        assert_eq!(capitalized("streams"), "Streams");
        assert_eq!(capitalized(""), "Unknown");
    }

    #[test]
    fn a_non_empty_group_is_refused_with_the_stop_consumers_advice() {
        let e = refuse_active(NON_EMPTY_GROUP, "g").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput);
        assert!(e.message.contains("stop its share consumers"), "{}", e.message);
        assert!(refuse_active(0, "g").is_ok());
    }
}
