//! ListOffsets: the earliest or latest offset of many partitions in one request.
//! librdkafka groups the partitions by leader and asks each leader once, so the
//! watermarks of 20,000 partitions cost a few round trips, not 20,000.

use std::collections::HashMap;
use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, cstr, PartitionList};
use crate::error::{Error, Result};

/// The offset librdkafka leaves in a partition nobody answered for (RD_KAFKA_OFFSET_INVALID).
pub const UNANSWERED: i64 = -1001;

/// Which end of each partition's log to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetSpec {
    Earliest,
    Latest,
    /// The first offset whose timestamp is at or after this many ms since the epoch
    /// (-1 when there is none, as Kafka answers).
    Timestamp(i64),
}

/// The offset of each `(topic, partition)` at `spec`; a partition whose leader could not
/// answer is missing from the map (its offsets are unknown, not zero). Callers go through
/// `kafka::offsets`, which chunks, groups by leader and skips leaderless partitions.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn list_offsets(
    rk: *mut RDKafka,
    partitions: &[(&str, i32)],
    spec: OffsetSpec,
    timeout: Duration,
) -> Result<HashMap<(String, i32), i64>> {
    let mut offsets = HashMap::with_capacity(partitions.len());
    if partitions.is_empty() {
        return Ok(offsets);
    }
    let query = match spec {
        OffsetSpec::Earliest => rdsys::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_EARLIEST as i64,
        OffsetSpec::Latest => rdsys::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_LATEST as i64,
        OffsetSpec::Timestamp(ms) => ms,
    };
    let queries: Vec<(&str, i32, i64)> = partitions.iter().map(|(topic, partition)| (*topic, *partition, query)).collect();
    let list = PartitionList::new(&queries)?;
    let what = "the partition offsets";
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTOFFSETS,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_ListOffsets(rk, list.0, options, queue),
    )?;
    let result = rdsys::rd_kafka_event_ListOffsets_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered ListOffsets with another kind of event."));
    }
    let mut count = 0usize;
    let infos = rdsys::rd_kafka_ListOffsets_result_infos(result, &mut count);
    if !infos.is_null() {
        for info in std::slice::from_raw_parts(infos, count) {
            let tp = rdsys::rd_kafka_ListOffsetsResultInfo_topic_partition(*info);
            if tp.is_null() || (*tp).err != rdsys::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                continue;
            }
            // librdkafka pre-fills every partition with "invalid" (-1001) and no error, and
            // leaves it so when its leader did not answer: that is unknown, not an offset.
            if (*tp).offset == UNANSWERED {
                continue;
            }
            if let Some(topic) = cstr((*tp).topic) {
                offsets.insert((topic, (*tp).partition), (*tp).offset);
            }
        }
    }
    // `event` owns the result infos read above; freed after the copies, then the list.
    drop(event);
    drop(list);
    Ok(offsets)
}
