//! Cluster operations: preferred / unclean leader election (librdkafka ElectLeaders) and,
//! through the wire client, what librdkafka lacks (partition reassignment, client quotas,
//! transactions).

pub mod election;
pub mod quotas;
pub mod reassignment;
pub mod transactions;

use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{explain_kafka_error, Cluster, REQUEST_TIMEOUT};
use crate::kafka::wire::BrokerLink;

/// Bound on opening a link to one broker; all brokers together get `REQUEST_TIMEOUT`.
const LINK_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens a wire link to any broker (each forwards these requests to the active controller).
fn any_broker(c: &Cluster) -> Result<BrokerLink> {
    let metadata = c.admin().inner().fetch_metadata(None, REQUEST_TIMEOUT).map_err(|e| explain_kafka_error(e, "the broker list"))?;
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    let mut last = None;
    for b in metadata.brokers() {
        let left = deadline.saturating_duration_since(Instant::now()).min(LINK_TIMEOUT);
        if left.is_zero() {
            break;
        }
        match BrokerLink::open(c.connection(), b.host(), u16::try_from(b.port()).unwrap_or(0), left) {
            Ok(link) => return Ok(link),
            // Wrong credentials or an unsupported setting fail the same on every broker.
            Err(e) if matches!(e.kind, ErrorKind::Auth | ErrorKind::Tls | ErrorKind::InvalidInput) => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| Error::new(ErrorKind::Unreachable, "The cluster lists no broker to ask.")))
}

/// Opens a wire link to one broker (a partition's leader, a transaction coordinator).
fn link_to(c: &Cluster, host: &str, port: i32) -> Result<BrokerLink> {
    BrokerLink::open(c.connection(), host, u16::try_from(port).unwrap_or(0), LINK_TIMEOUT)
}
