//! Test support for KafkaDesk: a real Apache Kafka cluster on loopback ([`kafka`]), a Kafka
//! Connect worker against it ([`connect`]), and a driver for the real app window ([`e2e`]).
//! Kafka is started by the app crate's own launcher (`kafkadesk::local`), the code behind its
//! "Local clusters".

pub mod authz;
pub mod connect;
pub mod e2e;
pub mod fixtures;
pub mod kafka;
pub mod registry;
pub mod probe;
