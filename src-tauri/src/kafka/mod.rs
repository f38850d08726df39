//! Kafka logic on rdkafka + tokio. Tauri-free: commands call in here and get plain data.

pub mod acls;
pub mod api_versions;
pub mod client;
pub mod cluster;
pub mod connection;
pub mod delivery;
pub mod ffi;
pub mod groups;
pub mod messages;
pub mod offsets;
pub mod operations;
pub mod quorum;
pub mod tls_probe;
pub mod topics;
pub mod wire;

pub use client::{Cluster, Connection};
pub use connection::{ConnectedCluster, Lease, Write};
