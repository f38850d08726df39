//! DescribeCluster: cluster id, controller and every broker with its rack, in one request.
//! (The crate's metadata call has no cluster id, controller or racks.)

use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, cstr};
use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeDescription {
    pub id: i32,
    pub host: String,
    pub port: u16,
    pub rack: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterDescription {
    pub cluster_id: Option<String>,
    pub controller_id: Option<i32>,
    pub nodes: Vec<NodeDescription>,
}

/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn describe_cluster(rk: *mut RDKafka, timeout: Duration) -> Result<ClusterDescription> {
    let what = "the cluster description";
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECLUSTER,
        timeout,
        what,
        |rk, options, queue| rdsys::rd_kafka_DescribeCluster(rk, options, queue),
    )?;
    let result = rdsys::rd_kafka_event_DescribeCluster_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DescribeCluster with another kind of event."));
    }
    let mut count = 0usize;
    let nodes_ptr = rdsys::rd_kafka_DescribeCluster_result_nodes(result, &mut count);
    let mut nodes = Vec::with_capacity(count);
    if !nodes_ptr.is_null() {
        for node in std::slice::from_raw_parts(nodes_ptr, count) {
            nodes.push(read_node(*node));
        }
    }
    let controller = rdsys::rd_kafka_DescribeCluster_result_controller(result);
    let controller_id = (!controller.is_null()).then(|| rdsys::rd_kafka_Node_id(controller));
    let cluster_id = cstr(rdsys::rd_kafka_DescribeCluster_result_cluster_id(result));
    // `event` still owns everything read above; it is freed here, after the copies.
    drop(event);
    nodes.sort_by_key(|n| n.id);
    Ok(ClusterDescription { cluster_id, controller_id, nodes })
}

unsafe fn read_node(node: *const rdsys::rd_kafka_Node_t) -> NodeDescription {
    NodeDescription {
        id: rdsys::rd_kafka_Node_id(node),
        host: cstr(rdsys::rd_kafka_Node_host(node)).unwrap_or_default(),
        port: rdsys::rd_kafka_Node_port(node),
        rack: cstr(rdsys::rd_kafka_Node_rack(node)).filter(|r| !r.is_empty()),
    }
}
