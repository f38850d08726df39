//! Kafka Connect: the REST client of a profile's Connect clusters, and what the app does
//! with connectors, tasks, plugins and offsets through it.
//!
//! - `settings`: the Connect part of a profile (URLs, basic auth, TLS), validated, with
//!   the password kept in the keychain by the caller; kafka-ui import.
//! - `client`: reqwest with bounded timeouts, several worker URLs, errors that name the
//!   failure (unreachable, TLS, 401, 403, Connect's own message).
//! - `connectors`: list, detail, plugins, validate, create, edit, pause/resume/stop,
//!   restarts, offsets (KIP-875), delete. Changes need a [`ConnectWriter`], which only
//!   the read-only gate hands out.
//!
//! Tauri-free, and independent of the `kafka` and `profiles` rooms.

pub mod client;
pub mod connectors;
pub mod settings;

pub use client::ConnectClient;
pub use connectors::ConnectWriter;
pub use settings::{ConnectCluster, ConnectClusterInput, ConnectSettings};
