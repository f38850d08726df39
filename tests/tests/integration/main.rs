mod cluster;
mod groups;
mod harness;
mod messages;
mod topics;
mod profiles;
mod registry;

use std::sync::Arc;

use kafkadesk::kafka::{Cluster, Connection};

/// A KafkaDesk client of a PLAINTEXT cluster, as the app builds it.
pub fn connect(bootstrap: &str) -> Arc<Cluster> {
    Cluster::connect(&Connection::plain("it", bootstrap)).expect("client")
}
