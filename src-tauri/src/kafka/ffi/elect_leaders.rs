//! ElectLeaders (preferred or unclean), which the rdkafka crate does not wrap.

use std::time::Duration;

use rdkafka::error::RDKafkaErrorCode;
use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, cstr, PartitionList};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionType {
    Preferred,
    Unclean,
}

/// One partition's answer: `None` = elected, else (librdkafka's code, its message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElectionOutcome {
    pub topic: String,
    pub partition: i32,
    pub error: Option<(RDKafkaErrorCode, String)>,
}

/// Elects leaders for `partitions`, or for every partition of the cluster when `None`.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn elect_leaders(
    rk: *mut RDKafka,
    kind: ElectionType,
    partitions: Option<&[(String, i32)]>,
    timeout: Duration,
) -> Result<Vec<ElectionOutcome>> {
    let list = match partitions {
        Some(p) => Some(PartitionList::new(&p.iter().map(|(t, n)| (t.as_str(), *n, 0i64)).collect::<Vec<_>>())?),
        None => None,
    };
    let election = match kind {
        ElectionType::Preferred => rdsys::rd_kafka_ElectionType_t::RD_KAFKA_ELECTION_TYPE_PREFERRED,
        ElectionType::Unclean => rdsys::rd_kafka_ElectionType_t::RD_KAFKA_ELECTION_TYPE_UNCLEAN,
    };
    // librdkafka copies the list; a null list means every partition.
    let request = rdsys::rd_kafka_ElectLeaders_new(election, list.as_ref().map_or(std::ptr::null_mut(), |l| l.0));
    if request.is_null() {
        return Err(Error::internal("librdkafka could not make an ElectLeaders request."));
    }
    let what = "the leader election";
    let event = admin_request(rk, rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_ELECTLEADERS, timeout, what, |rk, options, queue| {
        rdsys::rd_kafka_ElectLeaders(rk, request, options, queue)
    });
    rdsys::rd_kafka_ElectLeaders_destroy(request);
    let event = event?;
    let result = rdsys::rd_kafka_event_ElectLeaders_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered ElectLeaders with another kind of event."));
    }
    let mut count = 0usize;
    let results = rdsys::rd_kafka_ElectLeaders_result_partitions(result, &mut count);
    let mut outcomes = Vec::with_capacity(count);
    if !results.is_null() {
        for r in std::slice::from_raw_parts(results, count) {
            let tp = rdsys::rd_kafka_topic_partition_result_partition(*r);
            if tp.is_null() {
                continue;
            }
            let err = rdsys::rd_kafka_topic_partition_result_error(*r);
            let code = if err.is_null() { rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR } else { rdsys::rd_kafka_error_code(err) };
            let error = (code != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR)
                .then(|| (RDKafkaErrorCode::from(code), cstr(rdsys::rd_kafka_error_string(err)).unwrap_or_default()));
            outcomes.push(ElectionOutcome { topic: cstr((*tp).topic).unwrap_or_default(), partition: (*tp).partition, error });
        }
    }
    // `event` owns the results read above; freed after the copies.
    drop(event);
    drop(list);
    Ok(outcomes)
}
