//! Cluster operations: preferred / unclean leader election (librdkafka ElectLeaders) and,
//! through the wire client, what librdkafka lacks (partition reassignment, client quotas,
//! transactions).

pub mod election;
pub mod quotas;
pub mod reassignment;
pub mod transactions;
