//! Kafka logic on rdkafka + tokio. Tauri-free: commands call in here and get plain data.

pub mod api_versions;
pub mod client;
pub mod cluster;
pub mod ffi;
pub mod quorum;

pub use client::{Cluster, Connection};
