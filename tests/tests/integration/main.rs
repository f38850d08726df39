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
mod quotas;
mod transactions;

use std::time::{Duration, Instant};

use kafkadesk::kafka::messages::browse::{Session, SessionState};
use kafkadesk::kafka::{ConnectedCluster, Connection, Write};

/// A KafkaDesk client of a PLAINTEXT cluster, as the app builds it: the connection's owner
/// and a write handle from its read-only gate (it derefs to the cluster for reads).
pub fn connect(bootstrap: &str) -> Write {
    ConnectedCluster::open(&Connection::plain("it", bootstrap)).expect("client").write("it").expect("writable")
}

/// Waits until a browse session has read all it was asked to (a failed or stopped one fails).
pub async fn wait_done(session: &Session) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let status = session.status().expect("status");
        match status.state {
            SessionState::Running if Instant::now() < deadline => tokio::time::sleep(Duration::from_millis(50)).await,
            SessionState::Done => return,
            other => panic!("session ended {other:?}: {status:?}"),
        }
    }
}
