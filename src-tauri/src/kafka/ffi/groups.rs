//! Consumer-group admin calls: ListConsumerGroups, DescribeConsumerGroups,
//! ListConsumerGroupOffsets, AlterConsumerGroupOffsets, DeleteConsumerGroupOffsets, and
//! ListOffsets (earliest, latest, by timestamp). The rdkafka crate has none of them.
//!
//! Each returns owned Rust values; the request objects and partition lists we create are
//! freed by guards, and everything librdkafka hands back is owned by the result event,
//! which `admin_request`'s guard frees after we copied what we need.

use std::ffi::c_char;
use std::time::Duration;

use rdkafka::error::RDKafkaErrorCode;
use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, c_string, cstr, Event, PartitionList};
use crate::kafka::client::explain_code;
use crate::error::{Error, Result};

/// A group as ListConsumerGroups names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupListing {
    pub group_id: String,
    pub state: String,
    /// "Classic", "Consumer" or "Unknown" (brokers before KIP-848 do not say).
    pub group_type: String,
    pub is_simple: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberDescription {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub group_instance_id: Option<String>,
    pub assignment: Vec<(String, i32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDescription {
    pub group_id: String,
    /// Why this one group could not be described (the others still are).
    pub error: Option<Error>,
    pub state: String,
    pub group_type: String,
    pub is_simple: bool,
    pub assignor: String,
    pub coordinator: Option<i32>,
    pub members: Vec<MemberDescription>,
}

/// One partition of a per-partition answer: its offset, or why it has none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionOffset {
    pub topic: String,
    pub partition: i32,
    /// `None` when the group has no committed offset there (or on error).
    pub offset: Option<i64>,
    pub error: Option<(RDKafkaErrorCode, String)>,
}

/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn list_groups(rk: *mut RDKafka, timeout: Duration) -> Result<Vec<GroupListing>> {
    let what = "the consumer group list";
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_ListConsumerGroups(rk, options, queue),
    )?;
    let result = rdsys::rd_kafka_event_ListConsumerGroups_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered ListConsumerGroups with another kind of event."));
    }
    let mut count = 0usize;
    let valid = rdsys::rd_kafka_ListConsumerGroups_result_valid(result, &mut count);
    let mut groups = Vec::with_capacity(count);
    for &listing in slice(&event, valid, count) {
        groups.push(GroupListing {
            group_id: cstr(rdsys::rd_kafka_ConsumerGroupListing_group_id(listing)).unwrap_or_default(),
            state: state_name(rdsys::rd_kafka_ConsumerGroupListing_state(listing)),
            group_type: type_name(rdsys::rd_kafka_ConsumerGroupListing_type(listing)),
            is_simple: rdsys::rd_kafka_ConsumerGroupListing_is_simple_consumer_group(listing) != 0,
        });
    }
    // A broker that could not answer fails the list: a partial list would hide groups.
    let mut error_count = 0usize;
    let errors = rdsys::rd_kafka_ListConsumerGroups_result_errors(result, &mut error_count);
    if let Some(&first) = slice(&event, errors, error_count).first() {
        return Err(error_of(first, what));
    }
    drop(event);
    groups.sort_by(|a, b| a.group_id.cmp(&b.group_id));
    Ok(groups)
}

/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn describe_groups(rk: *mut RDKafka, group_ids: &[String], timeout: Duration) -> Result<Vec<GroupDescription>> {
    if group_ids.is_empty() {
        return Ok(Vec::new());
    }
    let what = "the consumer group description";
    let names = group_ids.iter().map(|g| c_string(g, "group")).collect::<Result<Vec<_>>>()?;
    let mut pointers: Vec<*const c_char> = names.iter().map(|n| n.as_ptr()).collect();
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS,
        timeout,
        what,
        // librdkafka copies the names; `names` outlives the call anyway.
        |rk, options, queue| rdsys::rd_kafka_DescribeConsumerGroups(rk, pointers.as_mut_ptr(), pointers.len(), options, queue),
    )?;
    let result = rdsys::rd_kafka_event_DescribeConsumerGroups_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DescribeConsumerGroups with another kind of event."));
    }
    let mut count = 0usize;
    let described = rdsys::rd_kafka_DescribeConsumerGroups_result_groups(result, &mut count);
    let mut groups = Vec::with_capacity(count);
    for &group in slice(&event, described, count) {
        let error = rdsys::rd_kafka_ConsumerGroupDescription_error(group);
        let coordinator = rdsys::rd_kafka_ConsumerGroupDescription_coordinator(group);
        let mut members = Vec::new();
        for index in 0..rdsys::rd_kafka_ConsumerGroupDescription_member_count(group) {
            let member = rdsys::rd_kafka_ConsumerGroupDescription_member(group, index);
            if member.is_null() {
                continue;
            }
            let assignment = rdsys::rd_kafka_MemberDescription_assignment(member);
            let partitions = if assignment.is_null() {
                std::ptr::null()
            } else {
                rdsys::rd_kafka_MemberAssignment_partitions(assignment)
            };
            members.push(MemberDescription {
                member_id: cstr(rdsys::rd_kafka_MemberDescription_consumer_id(member)).unwrap_or_default(),
                client_id: cstr(rdsys::rd_kafka_MemberDescription_client_id(member)).unwrap_or_default(),
                host: cstr(rdsys::rd_kafka_MemberDescription_host(member)).unwrap_or_default(),
                group_instance_id: cstr(rdsys::rd_kafka_MemberDescription_group_instance_id(member)),
                assignment: read_partitions(&event, partitions).into_iter().map(|p| (p.topic, p.partition)).collect(),
            });
        }
        groups.push(GroupDescription {
            group_id: cstr(rdsys::rd_kafka_ConsumerGroupDescription_group_id(group)).unwrap_or_default(),
            error: (!error.is_null()).then(|| error_of(error, what)),
            state: state_name(rdsys::rd_kafka_ConsumerGroupDescription_state(group)),
            group_type: type_name(rdsys::rd_kafka_ConsumerGroupDescription_type(group)),
            is_simple: rdsys::rd_kafka_ConsumerGroupDescription_is_simple_consumer_group(group) != 0,
            assignor: cstr(rdsys::rd_kafka_ConsumerGroupDescription_partition_assignor(group)).unwrap_or_default(),
            coordinator: (!coordinator.is_null()).then(|| rdsys::rd_kafka_Node_id(coordinator)),
            members,
        });
    }
    drop(event);
    Ok(groups)
}

/// The C functions of one single-group offsets call (List, Alter or DeleteConsumerGroupOffsets).
struct OffsetsCall<R> {
    name: &'static str,
    op: rdsys::rd_kafka_admin_op_t,
    new: unsafe extern "C" fn(*const c_char, *const rdsys::rd_kafka_topic_partition_list_t) -> *mut R,
    destroy: unsafe extern "C" fn(*mut R),
    start: unsafe extern "C" fn(
        *mut RDKafka,
        *mut *mut R,
        usize,
        *const rdsys::rd_kafka_AdminOptions_t,
        *mut rdsys::rd_kafka_queue_t,
    ),
    result: unsafe extern "C" fn(*mut rdsys::rd_kafka_event_t) -> *const rdsys::rd_kafka_event_t,
    groups: unsafe extern "C" fn(*const rdsys::rd_kafka_event_t, *mut usize) -> *mut *const rdsys::rd_kafka_group_result_t,
}

/// Runs one offsets call for one group on `partitions` (`None`: all of them, for List).
unsafe fn offsets_call<R>(
    rk: *mut RDKafka,
    call: OffsetsCall<R>,
    group_id: &str,
    partitions: Option<&PartitionList>,
    timeout: Duration,
    what: &str,
) -> Result<Vec<PartitionOffset>> {
    let name = c_string(group_id, "group")?;
    // librdkafka copies the name and the partition list into the request object.
    let request = GroupRequest::new((call.new)(name.as_ptr(), partitions.map_or(std::ptr::null(), |p| p.0)), call.destroy)?;
    let mut requests = [request.0];
    let event = admin_request(rk, call.op, timeout, what, |rk, options, queue| {
        (call.start)(rk, requests.as_mut_ptr(), 1, options, queue)
    })?;
    let result = (call.result)(event.0);
    if result.is_null() {
        return Err(Error::internal(format!("librdkafka answered {} with another kind of event.", call.name)));
    }
    let mut count = 0usize;
    let groups = (call.groups)(result, &mut count);
    group_partitions(&event, slice(&event, groups, count), what)
}

/// The group's committed offsets on every partition it has committed to.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn list_group_offsets(rk: *mut RDKafka, group_id: &str, timeout: Duration) -> Result<Vec<PartitionOffset>> {
    let call = OffsetsCall {
        name: "ListConsumerGroupOffsets",
        op: rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS,
        new: rdsys::rd_kafka_ListConsumerGroupOffsets_new,
        destroy: rdsys::rd_kafka_ListConsumerGroupOffsets_destroy,
        start: rdsys::rd_kafka_ListConsumerGroupOffsets,
        result: rdsys::rd_kafka_event_ListConsumerGroupOffsets_result,
        groups: rdsys::rd_kafka_ListConsumerGroupOffsets_result_groups,
    };
    offsets_call(rk, call, group_id, None, timeout, "the group's committed offsets")
}

/// Commits `offsets` (topic, partition, offset) for the group; per-partition outcomes.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn alter_group_offsets(
    rk: *mut RDKafka,
    group_id: &str,
    offsets: &[(String, i32, i64)],
    timeout: Duration,
) -> Result<Vec<PartitionOffset>> {
    let call = OffsetsCall {
        name: "AlterConsumerGroupOffsets",
        op: rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS,
        new: rdsys::rd_kafka_AlterConsumerGroupOffsets_new,
        destroy: rdsys::rd_kafka_AlterConsumerGroupOffsets_destroy,
        start: rdsys::rd_kafka_AlterConsumerGroupOffsets,
        result: rdsys::rd_kafka_event_AlterConsumerGroupOffsets_result,
        groups: rdsys::rd_kafka_AlterConsumerGroupOffsets_result_groups,
    };
    let list = PartitionList::new(offsets)?;
    offsets_call(rk, call, group_id, Some(&list), timeout, "the new committed offsets")
}

/// Deletes the group's committed offsets on `partitions` (topic, partition).
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn delete_group_offsets(
    rk: *mut RDKafka,
    group_id: &str,
    partitions: &[(String, i32)],
    timeout: Duration,
) -> Result<Vec<PartitionOffset>> {
    let call = OffsetsCall {
        name: "DeleteConsumerGroupOffsets",
        op: rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS,
        new: rdsys::rd_kafka_DeleteConsumerGroupOffsets_new,
        destroy: rdsys::rd_kafka_DeleteConsumerGroupOffsets_destroy,
        start: rdsys::rd_kafka_DeleteConsumerGroupOffsets,
        result: rdsys::rd_kafka_event_DeleteConsumerGroupOffsets_result,
        groups: rdsys::rd_kafka_DeleteConsumerGroupOffsets_result_groups,
    };
    let list = PartitionList::new(&partitions.iter().map(|(t, p)| (t.clone(), *p, 0)).collect::<Vec<_>>())?;
    offsets_call(rk, call, group_id, Some(&list), timeout, "deleting the group's committed offsets")
}

/// A request object we created; destroyed on drop with its own destructor.
struct GroupRequest<T>(*mut T, unsafe extern "C" fn(*mut T));

impl<T> GroupRequest<T> {
    fn new(ptr: *mut T, destroy: unsafe extern "C" fn(*mut T)) -> Result<GroupRequest<T>> {
        if ptr.is_null() {
            return Err(Error::internal("librdkafka could not build the group request."));
        }
        Ok(GroupRequest(ptr, destroy))
    }
}

impl<T> Drop for GroupRequest<T> {
    fn drop(&mut self) {
        // SAFETY: `self.0` came from the matching *_new and is destroyed once.
        unsafe { (self.1)(self.0) }
    }
}

/// The partitions of the single group result of a one-group request.
unsafe fn group_partitions(
    event: &Event,
    groups: &[*const rdsys::rd_kafka_group_result_t],
    what: &str,
) -> Result<Vec<PartitionOffset>> {
    let Some(&group) = groups.first() else {
        return Err(Error::internal(format!("librdkafka answered {what} without the group.")));
    };
    let error = rdsys::rd_kafka_group_result_error(group);
    if !error.is_null() {
        return Err(error_of(error, what));
    }
    Ok(read_partitions(event, rdsys::rd_kafka_group_result_partitions(group)))
}

/// # Safety
/// `list` is null or belongs to `event`.
unsafe fn read_partitions(event: &Event, list: *const rdsys::rd_kafka_topic_partition_list_t) -> Vec<PartitionOffset> {
    if list.is_null() {
        return Vec::new();
    }
    let list = &*list;
    let count = usize::try_from(list.cnt).unwrap_or(0);
    slice(event, list.elems, count).iter().map(|tp| read_partition(tp, true)).collect()
}

/// `committed`: a negative offset means "none committed" rather than a special position.
unsafe fn read_partition(tp: &rdsys::rd_kafka_topic_partition_t, committed: bool) -> PartitionOffset {
    let error = (tp.err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR).then(|| {
        let code = RDKafkaErrorCode::from(tp.err);
        (code, cstr(rdsys::rd_kafka_err2str(tp.err)).unwrap_or_default())
    });
    let offset = if error.is_some() || (committed && tp.offset < 0) { None } else { Some(tp.offset) };
    PartitionOffset { topic: cstr(tp.topic).unwrap_or_default(), partition: tp.partition, offset, error }
}

unsafe fn error_of(error: *const rdsys::rd_kafka_error_t, what: &str) -> Error {
    let code = RDKafkaErrorCode::from(rdsys::rd_kafka_error_code(error));
    let reason = cstr(rdsys::rd_kafka_error_string(error)).unwrap_or_default();
    explain_code(code, &reason, what)
}

/// A C array of `count` elements owned by `event`, as a slice that cannot outlive it.
///
/// # Safety
/// `ptr` is null or points to `count` elements that live as long as `event`.
unsafe fn slice<'e, T>(_event: &'e Event, ptr: *const T, count: usize) -> &'e [T] {
    if ptr.is_null() || count == 0 {
        &[]
    } else {
        std::slice::from_raw_parts(ptr, count)
    }
}

unsafe fn state_name(state: rdsys::rd_kafka_consumer_group_state_t) -> String {
    cstr(rdsys::rd_kafka_consumer_group_state_name(state)).unwrap_or_else(|| "Unknown".into())
}

unsafe fn type_name(group_type: rdsys::rd_kafka_consumer_group_type_t) -> String {
    cstr(rdsys::rd_kafka_consumer_group_type_name(group_type)).unwrap_or_else(|| "Unknown".into())
}
