//! DescribeConfigs with synonyms: the crate's version drops them, and the synonyms are
//! what tells a topic override's default (the value it reverts to when deleted).

use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, config_resource, cstr, resource_error, ResourceKind};
use crate::error::{Error, Result};

/// Where a config value comes from, as Kafka reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawConfigSource {
    Unknown,
    DynamicTopic,
    DynamicBroker,
    DynamicDefaultBroker,
    StaticBroker,
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawConfigEntry {
    pub name: String,
    /// `None` for a sensitive value (brokers never send those) or an unset one.
    pub value: Option<String>,
    pub source: RawConfigSource,
    pub read_only: bool,
    pub sensitive: bool,
    /// The entries this one is chosen from, highest precedence first (the entry itself
    /// included): `(source, key, value)`; a broker key may stand for a topic key.
    pub synonyms: Vec<(RawConfigSource, String, Option<String>)>,
}

/// Every config of one topic or broker.
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn describe_configs(
    rk: *mut RDKafka,
    kind: ResourceKind,
    name: &str,
    timeout: Duration,
) -> Result<Vec<RawConfigEntry>> {
    let what = format!("the configs of {}", kind.describe(name));
    let mut resource = config_resource(kind, name)?;
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS,
        timeout,
        &what,
        |rk, options, queue| rdsys::rd_kafka_DescribeConfigs(rk, &mut resource.0, 1, options, queue),
    )?;
    let result = rdsys::rd_kafka_event_DescribeConfigs_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered DescribeConfigs with another kind of event."));
    }
    let mut count = 0usize;
    let resources = rdsys::rd_kafka_DescribeConfigs_result_resources(result, &mut count);
    if resources.is_null() || count == 0 {
        return Err(Error::internal(format!("The cluster sent no configs for {}.", kind.describe(name))));
    }
    let described = *resources;
    resource_error(described, kind, name, &what)?;
    let mut entries_count = 0usize;
    let entries = rdsys::rd_kafka_ConfigResource_configs(described, &mut entries_count);
    let mut out = Vec::with_capacity(entries_count);
    if !entries.is_null() {
        for entry in std::slice::from_raw_parts(entries, entries_count) {
            let mut synonyms_count = 0usize;
            let synonyms_ptr = rdsys::rd_kafka_ConfigEntry_synonyms(*entry, &mut synonyms_count);
            let synonyms = if synonyms_ptr.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(synonyms_ptr, synonyms_count)
                    .iter()
                    .map(|s| {
                        let key = cstr(rdsys::rd_kafka_ConfigEntry_name(*s)).unwrap_or_default();
                        (source(*s), key, cstr(rdsys::rd_kafka_ConfigEntry_value(*s)))
                    })
                    .collect()
            };
            out.push(RawConfigEntry {
                name: cstr(rdsys::rd_kafka_ConfigEntry_name(*entry)).unwrap_or_default(),
                value: cstr(rdsys::rd_kafka_ConfigEntry_value(*entry)),
                source: source(*entry),
                read_only: rdsys::rd_kafka_ConfigEntry_is_read_only(*entry) != 0,
                sensitive: rdsys::rd_kafka_ConfigEntry_is_sensitive(*entry) != 0,
                synonyms,
            });
        }
    }
    // `event` owns every entry read above; freed after the copies.
    drop(event);
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

unsafe fn source(entry: *const rdsys::rd_kafka_ConfigEntry_t) -> RawConfigSource {
    use rdsys::rd_kafka_ConfigSource_t as S;
    match rdsys::rd_kafka_ConfigEntry_source(entry) {
        S::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG => RawConfigSource::DynamicTopic,
        S::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_BROKER_CONFIG => RawConfigSource::DynamicBroker,
        S::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_DEFAULT_BROKER_CONFIG => RawConfigSource::DynamicDefaultBroker,
        S::RD_KAFKA_CONFIG_SOURCE_STATIC_BROKER_CONFIG => RawConfigSource::StaticBroker,
        S::RD_KAFKA_CONFIG_SOURCE_DEFAULT_CONFIG => RawConfigSource::Default,
        _ => RawConfigSource::Unknown,
    }
}
