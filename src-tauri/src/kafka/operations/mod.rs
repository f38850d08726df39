//! Cluster operations: preferred / unclean leader election (librdkafka ElectLeaders) and,
//! through the wire client, what librdkafka lacks (partition reassignment).

pub mod election;
pub mod reassignment;
