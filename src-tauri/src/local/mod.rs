//! Local KRaft clusters on loopback: find Java and Apache Kafka, create, start, stop, delete,
//! reattach after a restart, show node logs.
//!
//! One launcher ([`launch`]) serves three callers: the app's "Local clusters" view (through
//! [`clusters::LocalClusters`]), the test harness (`tests/src/kafka.rs`) and the `make run`
//! sandbox. This room never imports Tauri; it is blocking code the app runs on `spawn_blocking`.

pub mod clusters;
pub mod install;
pub mod launch;
pub mod probe;
pub mod profile;
pub mod process;

pub use clusters::{LocalCluster, LocalClusterInput, LocalClusterState, LocalClusters, LocalSetup};
pub use launch::{Cluster, KafkaInstall, LaunchError, LaunchSpec};

use crate::error::{Error, ErrorKind};

impl From<LaunchError> for Error {
    /// The first line is the message the UI shows; the rest (node log tails) goes to `detail`.
    /// Invalid input names its field as `field: reason`.
    fn from(e: LaunchError) -> Error {
        let text = e.message();
        let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
        let kind = match &e {
            LaunchError::InvalidSpec(_) | LaunchError::PortInUse(_) => ErrorKind::InvalidInput,
            LaunchError::Missing(_) | LaunchError::NotManaged(_) => ErrorKind::NotFound,
            LaunchError::Timeout(_) => ErrorKind::Timeout,
            LaunchError::Kafka(_) => ErrorKind::Kafka,
            LaunchError::Io(_) | LaunchError::Fetch(_) | LaunchError::Start(_) => ErrorKind::Internal,
        };
        if let LaunchError::InvalidSpec(_) = e {
            if let Some((field, reason)) = first.split_once(": ").filter(|(f, _)| f.chars().all(|c| c.is_ascii_alphabetic())) {
                return Error::invalid_input(field, capitalize(reason));
            }
        }
        let err = Error::new(kind, first.to_string());
        let detail = rest.trim();
        match e {
            LaunchError::PortInUse(m) if m.starts_with("controller") => err.with_detail("controllerPorts"),
            LaunchError::PortInUse(_) => err.with_detail("brokerPorts"),
            _ if !detail.is_empty() => err.with_detail(detail.to_string()),
            _ => err,
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
