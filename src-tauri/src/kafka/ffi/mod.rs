//! The few librdkafka admin calls the rdkafka crate lacks, wrapped safely once.
//!
//! Every call follows librdkafka's admin pattern: make a private result queue and the
//! admin options (with the request timeout), start the request, poll the queue for the
//! one result event, read what we need out of it into owned Rust values, and free all of
//! it. The RAII guards below free each C resource on every path, including early returns.
//! All of it blocks, so callers run it inside `spawn_blocking`.

mod acls;
mod describe_cluster;
mod describe_configs;
mod elect_leaders;
mod groups;
mod incremental_alter_configs;
mod list_offsets;
mod main_queue;
mod reaper;
mod scram;

pub use acls::{create_acls, delete_acls, describe_acls, Described, RawAcl, RawOperation, RawPatternType, RawPermission, RawResourceType};
pub use describe_cluster::{describe_cluster, ClusterDescription, NodeDescription};
pub use elect_leaders::{elect_leaders, ElectionOutcome, ElectionType};
pub use groups::{
    alter_group_offsets, delete_group_offsets, describe_groups, list_group_offsets, list_groups, GroupDescription,
    GroupListing, MemberDescription, PartitionOffset,
};
pub use describe_configs::{describe_configs, RawConfigEntry, RawConfigSource};
pub use incremental_alter_configs::{incremental_alter_configs, ConfigChange};
pub use list_offsets::{list_offsets, OffsetSpec};
pub use main_queue::{ClientEvent, MainQueue};
pub use reaper::{Reaper, ReaperRegistration};
pub use scram::{alter_scram, describe_scram, Alteration, RawMechanism, UserCredentials};
// The messages' fast paths: batch consume, produce through a topic handle.
pub mod consume_batch;
pub mod produce;

use std::ffi::{c_char, CStr, CString};
use std::time::Duration;

use rdkafka::error::RDKafkaErrorCode;
use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::client::explain_code;
use crate::error::{Error, Result};

/// The result event of one admin request; destroyed on drop.
struct Event(*mut rdsys::rd_kafka_event_t);

impl Drop for Event {
    fn drop(&mut self) {
        // SAFETY: the pointer came from rd_kafka_queue_poll, is non-null and destroyed once.
        unsafe { rdsys::rd_kafka_event_destroy(self.0) }
    }
}

struct Queue(*mut rdsys::rd_kafka_queue_t);

// SAFETY: librdkafka queues are thread-safe; a `Queue` is only polled and destroyed.
unsafe impl Send for Queue {}

impl Drop for Queue {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_queue_new, destroyed once.
        unsafe { rdsys::rd_kafka_queue_destroy(self.0) }
    }
}

struct AdminOptions(*mut rdsys::rd_kafka_AdminOptions_t);

impl Drop for AdminOptions {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_AdminOptions_new, destroyed once.
        unsafe { rdsys::rd_kafka_AdminOptions_destroy(self.0) }
    }
}

/// What a config call is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    Topic,
    Broker,
}

impl ResourceKind {
    fn describe(self, name: &str) -> String {
        match self {
            ResourceKind::Topic => format!("topic \"{name}\""),
            ResourceKind::Broker => format!("broker {name}"),
        }
    }
}

/// A config resource we created; destroyed on drop (librdkafka copies what it sends).
struct ConfigResource(*mut rdsys::rd_kafka_ConfigResource_t);

impl Drop for ConfigResource {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_ConfigResource_new, destroyed once.
        unsafe { rdsys::rd_kafka_ConfigResource_destroy(self.0) }
    }
}

fn config_resource(kind: ResourceKind, name: &str) -> Result<ConfigResource> {
    let restype = match kind {
        ResourceKind::Topic => rdsys::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC,
        ResourceKind::Broker => rdsys::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_BROKER,
    };
    let c_name = CString::new(name).map_err(|_| Error::invalid_input("name", "A name cannot contain a NUL character."))?;
    // SAFETY: both arguments are valid; the result is checked for null below.
    let resource = ConfigResource(unsafe { rdsys::rd_kafka_ConfigResource_new(restype, c_name.as_ptr()) });
    if resource.0.is_null() {
        return Err(Error::internal("librdkafka could not make a config resource."));
    }
    Ok(resource)
}

/// The per-resource error of a config result, in our terms.
///
/// # Safety
/// `resource` points into a result event that is alive for this call.
unsafe fn resource_error(
    resource: *const rdsys::rd_kafka_ConfigResource_t,
    kind: ResourceKind,
    name: &str,
    what: &str,
) -> Result<()> {
    let code = rdsys::rd_kafka_ConfigResource_error(resource);
    if code == rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        return Ok(());
    }
    let reason = cstr(rdsys::rd_kafka_ConfigResource_error_string(resource)).unwrap_or_default();
    let code = RDKafkaErrorCode::from(code);
    let detail = format!("{code:?}: {reason}");
    Err(match code {
        RDKafkaErrorCode::UnknownTopicOrPartition => {
            Error::not_found(format!("There is no {} on this cluster.", kind.describe(name))).with_detail(detail)
        }
        RDKafkaErrorCode::InvalidConfig | RDKafkaErrorCode::InvalidRequest | RDKafkaErrorCode::PolicyViolation => {
            let end = if reason.ends_with('.') { "" } else { "." };
            Error::invalid_input("configs", format!("Kafka refused the configs of {}: {reason}{end}", kind.describe(name)))
        }
        _ => explain_code(code, &reason, what),
    })
}

/// Starts one admin request with `start` and waits (bounded by `timeout`) for its result.
///
/// `start` receives the client handle, the options and the queue the result goes to.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole call.
unsafe fn admin_request(
    rk: *mut RDKafka,
    op: rdsys::rd_kafka_admin_op_t,
    timeout: Duration,
    what: &str,
    start: impl FnOnce(*mut RDKafka, *const rdsys::rd_kafka_AdminOptions_t, *mut rdsys::rd_kafka_queue_t),
) -> Result<Event> {
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let options = AdminOptions(rdsys::rd_kafka_AdminOptions_new(rk, op));
    if options.0.is_null() {
        return Err(Error::internal(format!("librdkafka does not support {what} on this client.")));
    }
    let mut errstr = [0 as c_char; 256];
    let code =
        rdsys::rd_kafka_AdminOptions_set_request_timeout(options.0, timeout_ms, errstr.as_mut_ptr(), errstr.len());
    if code != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        let reason = CStr::from_ptr(errstr.as_ptr()).to_string_lossy().into_owned();
        return Err(Error::internal(format!("Could not set the timeout for {what}.")).with_detail(reason));
    }
    let queue = Queue(rdsys::rd_kafka_queue_new(rk));
    start(rk, options.0, queue.0);
    // librdkafka may take about twice the request timeout (a leader lookup, then requests
    // to each leader with a fresh timeout each); its own timeout event always comes then.
    let event = rdsys::rd_kafka_queue_poll(queue.0, poll_bound(timeout_ms));
    if event.is_null() {
        // The request is still live inside librdkafka: its queue must not be destroyed
        // under it, and the client must not be destroyed before the answer arrives. The
        // reaper keeps polling it; the client's owner waits for the reaper before closing.
        reaper::abandon(rk, queue);
        return Err(Error::timeout(format!("The cluster did not answer {what} within {} s.", timeout.as_secs())));
    }
    let event = Event(event);
    let code = rdsys::rd_kafka_event_error(event.0);
    if code != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
        let reason = cstr(rdsys::rd_kafka_event_error_string(event.0)).unwrap_or_default();
        return Err(explain_code(RDKafkaErrorCode::from(code), &reason, what));
    }
    Ok(event)
}

/// How long to wait for an admin request's result event: librdkafka's worst case for a
/// request with timeout `timeout_ms` (two consecutive timeouts) plus a second.
fn poll_bound(timeout_ms: i32) -> i32 {
    timeout_ms.saturating_mul(2).saturating_add(1000)
}

/// Copies a C string owned by librdkafka; `None` for a null pointer.
///
/// # Safety
/// `ptr` is null or points to a NUL-terminated string valid for this call.
unsafe fn cstr(ptr: *const c_char) -> Option<String> {
    if ptr.is_null() {
        None
    } else {
        Some(CStr::from_ptr(ptr).to_string_lossy().into_owned())
    }
}

/// A partition list we built; destroyed on drop.
struct PartitionList(*mut rdsys::rd_kafka_topic_partition_list_t);

impl PartitionList {
    /// A list of `(topic, partition, offset)`; for ListOffsets the offset is the query
    /// (a timestamp, or librdkafka's earliest / latest marker).
    fn new<S: AsRef<str>>(partitions: &[(S, i32, i64)]) -> Result<PartitionList> {
        let size = i32::try_from(partitions.len()).map_err(|_| Error::internal("Too many partitions for one request."))?;
        // SAFETY: plain constructor; the guard owns the result from here on.
        let list = PartitionList(unsafe { rdsys::rd_kafka_topic_partition_list_new(size) });
        for (topic, partition, offset) in partitions {
            let topic = c_string(topic.as_ref(), "topic")?;
            // SAFETY: `list.0` is live; librdkafka copies the topic name; the returned
            // element lives in the list, which we only touch before it is destroyed.
            unsafe {
                let element = rdsys::rd_kafka_topic_partition_list_add(list.0, topic.as_ptr(), *partition);
                (*element).offset = *offset;
            }
        }
        Ok(list)
    }
}

impl Drop for PartitionList {
    fn drop(&mut self) {
        // SAFETY: created by rd_kafka_topic_partition_list_new, destroyed once.
        unsafe { rdsys::rd_kafka_topic_partition_list_destroy(self.0) }
    }
}

fn c_string(value: &str, field: &str) -> Result<CString> {
    CString::new(value).map_err(|_| Error::invalid_input(field, format!("The {field} name must not contain a NUL character.")))
}
