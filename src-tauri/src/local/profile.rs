//! The saved connection a local cluster gets, so it shows up with the others and connects
//! like any cluster.

use crate::profiles::{Environment, ProfileInput};

use super::clusters::LocalCluster;

/// A PLAINTEXT dev connection to the cluster's brokers, named after it.
pub fn profile_input(cluster: &LocalCluster, name: &str) -> ProfileInput {
    ProfileInput {
        name: name.to_string(),
        bootstrap_servers: cluster.bootstrap.clone(),
        environment: Environment::Dev,
        read_only: Some(false),
        notes: format!("Local cluster started by KafkaDesk; data and logs in {}", cluster.data_dir),
        ..ProfileInput::default()
    }
}
