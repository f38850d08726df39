//! Client quotas through the wire client (librdkafka has no DescribeClientQuotas /
//! AlterClientQuotas): list every quota of the cluster, set and remove them for users,
//! client ids, both together, and IP addresses, default entities included.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::Arc;

use kafka_protocol::messages::alter_client_quotas_request::{EntityData, EntryData, OpData};
use kafka_protocol::messages::describe_client_quotas_request::ComponentData;
use kafka_protocol::messages::{AlterClientQuotasRequest, DescribeClientQuotasRequest};
use kafka_protocol::protocol::StrBytes;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::kafka::wire::links::any_broker;
use crate::error::{Error, Result};
use crate::kafka::client::Cluster;
use crate::kafka::wire::{self, BrokerLink};
use crate::kafka::Write;

/// What a quota applies to; combined as Kafka allows (user, client id, user + client id, IP).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum QuotaEntityType {
    User,
    ClientId,
    Ip,
}

impl QuotaEntityType {
    fn wire_name(self) -> &'static str {
        match self {
            QuotaEntityType::User => "user",
            QuotaEntityType::ClientId => "client-id",
            QuotaEntityType::Ip => "ip",
        }
    }

    fn from_wire(name: &str) -> Option<QuotaEntityType> {
        [QuotaEntityType::User, QuotaEntityType::ClientId, QuotaEntityType::Ip].into_iter().find(|t| t.wire_name() == name)
    }
}

/// One part of an entity; `name: None` is the default entity of that type
/// (`--entity-default` in `kafka-configs.sh`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaEntityPart {
    pub entity_type: QuotaEntityType,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaValue {
    /// Kafka's quota name, e.g. `producer_byte_rate`.
    pub key: String,
    pub value: f64,
}

/// The quotas of one entity.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaEntry {
    /// Parts in the order user, client id, IP.
    pub entity: Vec<QuotaEntityPart>,
    pub values: Vec<QuotaValue>,
}

/// Changes to one entity's quotas: values to set, keys to remove.
#[derive(Debug, Clone, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuotaAlteration {
    pub entity: Vec<QuotaEntityPart>,
    pub set: Vec<QuotaValue>,
    pub remove: Vec<String>,
}

/// The kind of number a quota holds, as the broker checks it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    /// Whole bytes per second (a Java long).
    BytesPerSecond,
    /// A percentage of one request handler / network thread; fractions allowed.
    Percentage,
    /// Partition mutations per second; fractions allowed.
    Rate,
    /// Whole connections per second (a Java int).
    Connections,
}

/// Quotas Kafka knows: name, unit, whether it applies to IP entities (only
/// `connection_creation_rate` does) or to user / client-id entities (all others).
const KEYS: &[(&str, Unit, bool)] = &[
    ("producer_byte_rate", Unit::BytesPerSecond, false),
    ("consumer_byte_rate", Unit::BytesPerSecond, false),
    ("request_percentage", Unit::Percentage, false),
    ("controller_mutation_rate", Unit::Rate, false),
    ("connection_creation_rate", Unit::Connections, true),
];

/// Checks an entity: at least one part, each type once, IP alone and a valid address,
/// names not blank. Returns the parts in Kafka's order.
fn check_entity(entity: &[QuotaEntityPart]) -> Result<Vec<QuotaEntityPart>> {
    if entity.is_empty() {
        return Err(Error::invalid_input("entity", "Choose whom the quota applies to: a user, a client id, both, or an IP address."));
    }
    let types: BTreeSet<QuotaEntityType> = entity.iter().map(|p| p.entity_type).collect();
    if types.len() != entity.len() {
        return Err(Error::invalid_input("entity", "Each entity type (user, client id, IP) may appear only once."));
    }
    if types.contains(&QuotaEntityType::Ip) && types.len() > 1 {
        return Err(Error::invalid_input("entity", "An IP quota applies to the IP address alone; it cannot be combined with a user or client id."));
    }
    for part in entity {
        let field = match part.entity_type {
            QuotaEntityType::User => "user",
            QuotaEntityType::ClientId => "clientId",
            QuotaEntityType::Ip => "ip",
        };
        let Some(name) = &part.name else { continue };
        if name.trim().is_empty() || name.trim() != name {
            return Err(Error::invalid_input(
                field,
                format!("The {} name is empty or has spaces around it; for the default entity choose \"default\" instead.", part.entity_type.wire_name()),
            ));
        }
        if part.entity_type == QuotaEntityType::Ip && name.parse::<IpAddr>().is_err() {
            return Err(Error::invalid_input("ip", format!("\"{name}\" is not an IPv4 or IPv6 address (host names are not allowed for IP quotas).")));
        }
    }
    let mut ordered = entity.to_vec();
    ordered.sort_by_key(|p| p.entity_type);
    Ok(ordered)
}

/// Checks a quota name against the entity and its value against the unit.
fn check_value(key: &str, value: Option<f64>, is_ip: bool) -> Result<()> {
    let Some(&(_, unit, for_ip)) = KEYS.iter().find(|(k, _, _)| *k == key) else {
        let known: Vec<&str> = KEYS.iter().map(|(k, _, _)| *k).collect();
        return Err(Error::invalid_input("key", format!("\"{key}\" is not a client quota Kafka knows ({}).", known.join(", "))));
    };
    if for_ip != is_ip {
        return Err(Error::invalid_input(
            key,
            if is_ip {
                format!("{key} applies to users and client ids, not to IP addresses (an IP takes connection_creation_rate only).")
            } else {
                format!("{key} applies to IP addresses only, not to users or client ids.")
            },
        ));
    }
    let Some(value) = value else { return Ok(()) };
    if !value.is_finite() || value <= 0.0 {
        return Err(Error::invalid_input(key, format!("{key} must be a number above 0 (got {value}); to lift the quota, remove it.")));
    }
    match unit {
        Unit::BytesPerSecond if value.fract() != 0.0 || value > 9.0e15 => {
            Err(Error::invalid_input(key, format!("{key} is whole bytes per second (got {value}).")))
        }
        Unit::Connections if value.fract() != 0.0 || value > f64::from(i32::MAX) => {
            Err(Error::invalid_input(key, format!("{key} is a whole number of connections per second up to {} (got {value}).", i32::MAX)))
        }
        _ => Ok(()),
    }
}

fn check_alteration(alteration: &QuotaAlteration) -> Result<Vec<QuotaEntityPart>> {
    let entity = check_entity(&alteration.entity)?;
    let is_ip = entity.iter().any(|p| p.entity_type == QuotaEntityType::Ip);
    if alteration.set.is_empty() && alteration.remove.is_empty() {
        return Err(Error::invalid_input("set", "Give at least one quota to set or remove."));
    }
    let mut seen = BTreeSet::new();
    for (key, value) in alteration.set.iter().map(|v| (&v.key, Some(v.value))).chain(alteration.remove.iter().map(|k| (k, None))) {
        check_value(key, value, is_ip)?;
        if !seen.insert(key.as_str()) {
            return Err(Error::invalid_input(key, format!("{key} is given twice; set it or remove it, once.")));
        }
    }
    Ok(entity)
}

fn describe(link: &mut BrokerLink, components: Vec<ComponentData>, strict: bool) -> Result<Vec<QuotaEntry>> {
    let request = DescribeClientQuotasRequest::default().with_components(components).with_strict(strict);
    let response = link.send(&request, "for the client quotas (DescribeClientQuotas)")?;
    wire::check_code(response.error_code, response.error_message.as_ref(), "The cluster refused to list client quotas")?;
    let mut entries = Vec::new();
    for e in response.entries.unwrap_or_default() {
        let mut entity = Vec::new();
        for part in &e.entity {
            // An entity type newer than KafkaDesk: not one we can show or edit.
            let Some(entity_type) = QuotaEntityType::from_wire(part.entity_type.as_str()) else { continue };
            entity.push(QuotaEntityPart { entity_type, name: part.entity_name.as_ref().map(|n| n.to_string()) });
        }
        if entity.len() != e.entity.len() || entity.is_empty() {
            continue;
        }
        entity.sort_by_key(|p| p.entity_type);
        let mut values: Vec<QuotaValue> = e.values.iter().map(|v| QuotaValue { key: v.key.to_string(), value: v.value }).collect();
        values.sort_by(|a, b| a.key.cmp(&b.key));
        entries.push(QuotaEntry { entity, values });
    }
    entries.sort_by(|a, b| a.entity.cmp(&b.entity));
    Ok(entries)
}

fn list_blocking(c: &Cluster) -> Result<Vec<QuotaEntry>> {
    describe(&mut any_broker(c)?, Vec::new(), false)
}

/// Every client quota of the cluster, default entities included, sorted by entity.
pub async fn list(cluster: &Arc<Cluster>) -> Result<Vec<QuotaEntry>> {
    cluster.blocking(list_blocking).await
}

fn alter_on(link: &mut BrokerLink, entity: &[QuotaEntityPart], ops: Vec<OpData>) -> Result<()> {
    let wire_entity: Vec<EntityData> = entity
        .iter()
        .map(|p| {
            EntityData::default()
                .with_entity_type(StrBytes::from_static_str(p.entity_type.wire_name()))
                .with_entity_name(p.name.clone().map(StrBytes::from_string))
        })
        .collect();
    let request = AlterClientQuotasRequest::default().with_entries(vec![EntryData::default().with_entity(wire_entity).with_ops(ops)]);
    let response = link.send(&request, "to change client quotas (AlterClientQuotas)")?;
    for e in &response.entries {
        wire::check_code(e.error_code, e.error_message.as_ref(), "The cluster refused the quota change")?;
    }
    Ok(())
}

/// Sets and removes quotas of one entity in one request.
pub async fn alter(cluster: &Write, alteration: QuotaAlteration) -> Result<()> {
    let entity = check_alteration(&alteration)?;
    let mut ops: Vec<OpData> = alteration
        .set
        .iter()
        .map(|v| OpData::default().with_key(StrBytes::from_string(v.key.clone())).with_value(v.value))
        .collect();
    ops.extend(alteration.remove.iter().map(|k| OpData::default().with_key(StrBytes::from_string(k.clone())).with_remove(true)));
    cluster.blocking(move |c| alter_on(&mut any_broker(c)?, &entity, ops)).await
}

/// Removes every quota of exactly this entity (what the broker lists for it now).
pub async fn remove(cluster: &Write, entity: Vec<QuotaEntityPart>) -> Result<()> {
    let entity = check_entity(&entity)?;
    cluster
        .blocking(move |c| {
            let components = entity
                .iter()
                .map(|p| {
                    ComponentData::default()
                        .with_entity_type(StrBytes::from_static_str(p.entity_type.wire_name()))
                        // 0: this name exactly, 1: the default entity.
                        .with_match_type(if p.name.is_some() { 0 } else { 1 })
                        .with_match(p.name.clone().map(StrBytes::from_string))
                })
                .collect();
            // One link for both requests: what the entity has now, then its removal.
            let mut link = any_broker(c)?;
            let current = describe(&mut link, components, true)?;
            let Some(found) = current.into_iter().find(|e| e.entity == entity) else {
                return Err(Error::not_found(format!("There are no quotas for {}.", describe_entity(&entity))));
            };
            let ops = found.values.iter().map(|v| OpData::default().with_key(StrBytes::from_string(v.key.clone())).with_remove(true)).collect();
            alter_on(&mut link, &entity, ops)
        })
        .await
}

/// `user alice, client id default` — for messages.
fn describe_entity(entity: &[QuotaEntityPart]) -> String {
    entity
        .iter()
        .map(|p| {
            let kind = match p.entity_type {
                QuotaEntityType::User => "user",
                QuotaEntityType::ClientId => "client id",
                QuotaEntityType::Ip => "IP",
            };
            format!("{kind} {}", p.name.as_deref().map(|n| format!("\"{n}\"")).unwrap_or_else(|| "default".into()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn part(entity_type: QuotaEntityType, name: Option<&str>) -> QuotaEntityPart {
        QuotaEntityPart { entity_type, name: name.map(str::to_string) }
    }

    fn alteration(entity: Vec<QuotaEntityPart>, set: &[(&str, f64)], remove: &[&str]) -> QuotaAlteration {
        QuotaAlteration {
            entity,
            set: set.iter().map(|(k, v)| QuotaValue { key: k.to_string(), value: *v }).collect(),
            remove: remove.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn field(r: Result<Vec<QuotaEntityPart>>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{e:?}");
        e.detail.unwrap_or_default()
    }

    #[test]
    fn entities_are_checked_and_put_in_kafkas_order() {
        use QuotaEntityType::*;
        let ok = check_entity(&[part(ClientId, None), part(User, Some("alice"))]).unwrap();
        assert_eq!(ok, vec![part(User, Some("alice")), part(ClientId, None)]);
        assert_eq!(field(check_entity(&[])), "entity");
        assert_eq!(field(check_entity(&[part(User, Some("a")), part(User, Some("b"))])), "entity");
        assert_eq!(field(check_entity(&[part(Ip, Some("10.0.0.1")), part(User, None)])), "entity");
        assert_eq!(field(check_entity(&[part(Ip, Some("db.example.com"))])), "ip");
        assert_eq!(field(check_entity(&[part(User, Some(" "))])), "user");
        assert_eq!(field(check_entity(&[part(ClientId, Some(" x"))])), "clientId");
        assert!(check_entity(&[part(Ip, Some("::1"))]).is_ok());
        assert!(check_entity(&[part(Ip, None)]).is_ok());
    }

    #[test]
    fn values_are_checked_per_key_and_entity() {
        use QuotaEntityType::*;
        let user = || vec![part(User, Some("alice"))];
        let ip = || vec![part(Ip, Some("127.0.0.1"))];
        assert!(check_alteration(&alteration(user(), &[("producer_byte_rate", 1_048_576.0), ("request_percentage", 12.5)], &["consumer_byte_rate"])).is_ok());
        assert!(check_alteration(&alteration(ip(), &[("connection_creation_rate", 10.0)], &[])).is_ok());
        assert_eq!(field(check_alteration(&alteration(user(), &[], &[]))), "set");
        assert_eq!(field(check_alteration(&alteration(user(), &[("producer_byte_rat", 1.0)], &[]))), "key");
        assert_eq!(field(check_alteration(&alteration(user(), &[("producer_byte_rate", 0.0)], &[]))), "producer_byte_rate");
        assert_eq!(field(check_alteration(&alteration(user(), &[("producer_byte_rate", -5.0)], &[]))), "producer_byte_rate");
        assert_eq!(field(check_alteration(&alteration(user(), &[("consumer_byte_rate", 1.5)], &[]))), "consumer_byte_rate");
        assert_eq!(field(check_alteration(&alteration(user(), &[("request_percentage", f64::NAN)], &[]))), "request_percentage");
        assert_eq!(field(check_alteration(&alteration(user(), &[("connection_creation_rate", 5.0)], &[]))), "connection_creation_rate");
        assert_eq!(field(check_alteration(&alteration(ip(), &[("producer_byte_rate", 5.0)], &[]))), "producer_byte_rate");
        assert_eq!(field(check_alteration(&alteration(ip(), &[("connection_creation_rate", 2.5)], &[]))), "connection_creation_rate");
        assert_eq!(field(check_alteration(&alteration(user(), &[("producer_byte_rate", 5.0)], &["producer_byte_rate"]))), "producer_byte_rate");
        let e = check_alteration(&alteration(user(), &[("producer_byte_rate", 0.0)], &[])).unwrap_err();
        assert!(e.message.contains("producer_byte_rate") && e.message.contains("above 0"), "{}", e.message);
    }

    #[test]
    fn entity_names_read_as_words() {
        use QuotaEntityType::*;
        assert_eq!(describe_entity(&[part(User, Some("alice")), part(ClientId, None)]), "user \"alice\", client id default");
    }
}
