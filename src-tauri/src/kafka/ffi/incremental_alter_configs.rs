//! IncrementalAlterConfigs: set some keys and delete others (back to their default) on one
//! topic or broker, leaving every other key as it is. (The crate only has the legacy
//! AlterConfigs, which replaces the whole config set and so silently drops overrides.)

use std::ffi::CString;
use std::time::Duration;

use rdkafka_sys as rdsys;
use rdkafka_sys::types::RDKafka;

use super::{admin_request, config_resource, cstr, resource_error, ResourceKind};
use crate::error::{Error, Result};

/// One change to one config key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    Set { name: String, value: String },
    /// Removes the override: the key falls back to its default.
    Delete { name: String },
}

impl ConfigChange {
    fn name(&self) -> &str {
        match self {
            ConfigChange::Set { name, .. } | ConfigChange::Delete { name } => name,
        }
    }
}

/// Applies `changes` to one resource, all or nothing (Kafka validates the set first).
///
/// # Safety
/// `rk` must be a live librdkafka client handle for the whole (blocking) call.
pub unsafe fn incremental_alter_configs(
    rk: *mut RDKafka,
    kind: ResourceKind,
    name: &str,
    changes: &[ConfigChange],
    timeout: Duration,
) -> Result<()> {
    let what = format!("the config change on {}", kind.describe(name));
    let mut resource = config_resource(kind, name)?;
    for change in changes {
        let key = CString::new(change.name())
            .map_err(|_| Error::invalid_input("configs", "A config name cannot contain a NUL character."))?;
        let (op, value) = match change {
            ConfigChange::Set { value, .. } => (
                rdsys::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_SET,
                Some(CString::new(value.as_str()).map_err(|_| {
                    Error::invalid_input("configs", format!("The value of {} cannot contain a NUL character.", change.name()))
                })?),
            ),
            ConfigChange::Delete { .. } => (rdsys::rd_kafka_AlterConfigOpType_t::RD_KAFKA_ALTER_CONFIG_OP_TYPE_DELETE, None),
        };
        let value_ptr = value.as_ref().map_or(std::ptr::null(), |v| v.as_ptr());
        let error = rdsys::rd_kafka_ConfigResource_add_incremental_config(resource.0, key.as_ptr(), op, value_ptr);
        if !error.is_null() {
            let reason = cstr(rdsys::rd_kafka_error_string(error)).unwrap_or_default();
            rdsys::rd_kafka_error_destroy(error);
            return Err(Error::invalid_input("configs", format!("Config {}: {reason}.", change.name())));
        }
    }
    let event = admin_request(
        rk,
        rdsys::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_INCREMENTALALTERCONFIGS,
        timeout,
        &what,
        |rk, options, queue| rdsys::rd_kafka_IncrementalAlterConfigs(rk, &mut resource.0, 1, options, queue),
    )?;
    let result = rdsys::rd_kafka_event_IncrementalAlterConfigs_result(event.0);
    if result.is_null() {
        return Err(Error::internal("librdkafka answered IncrementalAlterConfigs with another kind of event."));
    }
    let mut count = 0usize;
    let resources = rdsys::rd_kafka_IncrementalAlterConfigs_result_resources(result, &mut count);
    if !resources.is_null() && count > 0 {
        resource_error(*resources, kind, name, &what)?;
    }
    Ok(())
}
