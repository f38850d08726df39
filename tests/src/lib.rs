//! Test support for KafkaDesk: a real Apache Kafka cluster on loopback ([`kafka`]) and a
//! driver for the real app window ([`e2e`]). Nothing here imports the app crate.

pub mod e2e;
pub mod kafka;
pub mod registry;
