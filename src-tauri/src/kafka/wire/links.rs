//! Opening wire links by role: any broker, a named one, a group's coordinator.

use std::time::{Duration, Instant};

use kafka_protocol::messages::FindCoordinatorRequest;
use kafka_protocol::protocol::StrBytes;

use super::{check_code, BrokerLink};
use crate::error::{Error, ErrorKind, Result};
use crate::kafka::client::{Cluster, REQUEST_TIMEOUT};

/// Bound on opening a link to one broker; all brokers together get `REQUEST_TIMEOUT`.
const LINK_TIMEOUT: Duration = Duration::from_secs(5);
/// FindCoordinator's key type for groups (transactions are 1).
const GROUP_KEY: i8 = 0;

/// Opens a wire link to any broker (each forwards controller requests to the active controller).
pub fn any_broker(c: &Cluster) -> Result<BrokerLink> {
    let metadata = c.metadata(None, "the broker list")?;
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
pub fn link_to(c: &Cluster, host: &str, port: i32) -> Result<BrokerLink> {
    BrokerLink::open(c.connection(), host, u16::try_from(port).unwrap_or(0), LINK_TIMEOUT)
}

/// Opens a wire link to broker `id`, found in the cluster's metadata.
pub fn link_to_id(c: &Cluster, id: i32) -> Result<BrokerLink> {
    let metadata = c.metadata(None, "the broker list")?;
    let Some(broker) = metadata.brokers().iter().find(|b| b.id() == id) else {
        return Err(Error::new(ErrorKind::Unreachable, format!("Broker {id} is not in the cluster's broker list.")));
    };
    link_to(c, broker.host(), broker.port())
}

/// A link to the coordinator of `group_id` (FindCoordinator asked of any broker), and its id.
pub fn group_coordinator(c: &Cluster, group_id: &str) -> Result<(BrokerLink, i32)> {
    let mut link = any_broker(c)?;
    let what = format!("for the coordinator of group \"{group_id}\" (FindCoordinator)");
    let key = StrBytes::from_string(group_id.to_string());
    // Version 4 moved the one key into a list; both forms name the same group.
    let request = if link.version_for::<FindCoordinatorRequest>(&what)? >= 4 {
        FindCoordinatorRequest::default().with_key_type(GROUP_KEY).with_coordinator_keys(vec![key])
    } else {
        FindCoordinatorRequest::default().with_key_type(GROUP_KEY).with_key(key)
    };
    let answer = link.send(&request, &what)?;
    let context = format!("Kafka could not tell the coordinator of group \"{group_id}\"");
    let (node, host, port) = match answer.coordinators.first() {
        Some(found) => {
            check_code(found.error_code, found.error_message.as_ref(), &context)?;
            (found.node_id.0, found.host.to_string(), found.port)
        }
        None => {
            check_code(answer.error_code, answer.error_message.as_ref(), &context)?;
            (answer.node_id.0, answer.host.to_string(), answer.port)
        }
    };
    if link.address() == format!("{host}:{port}") {
        return Ok((link, node));
    }
    Ok((link_to(c, &host, port)?, node))
}
