mod acls;
mod cluster;
mod connect;
mod connection;
mod groups;
mod harness;
mod local;
mod hardening;
mod messages;
mod operations;
mod topics;
mod profiles;
mod registry;
mod wire;

use kafkadesk::kafka::{ConnectedCluster, Connection, Write};

/// A KafkaDesk client of a PLAINTEXT cluster, as the app builds it: the connection's owner
/// and a write handle from its read-only gate (it derefs to the cluster for reads).
pub fn connect(bootstrap: &str) -> Write {
    ConnectedCluster::open(&Connection::plain("it", bootstrap)).expect("client").write("it").expect("writable")
}
