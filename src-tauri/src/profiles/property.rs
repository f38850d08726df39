//! Extra librdkafka properties of a profile, checked against librdkafka itself.

use rdkafka::config::ClientConfig;
use rdkafka::error::KafkaError;
use rdkafka_sys::types::RDKafkaConfRes;

use crate::error::{Error, Result};

/// Checks an extra property against librdkafka itself: the name must exist and the value
/// must parse. For a secret the value is never quoted back.
pub fn check_property(key: &str, value: &str, secret: bool) -> Result<()> {
    // Java-client settings with no librdkafka meaning, which imports often carry.
    if key == "sasl.jaas.config" {
        return Err(Error::invalid_input(
            "extraProperties",
            "Extra properties: sasl.jaas.config is a Java setting; put its user name and password in the SASL fields.",
        ));
    }
    let mut config = ClientConfig::new();
    config.set(key, value);
    match config.create_native_config() {
        Ok(_) => Ok(()),
        Err(KafkaError::ClientConfig(RDKafkaConfRes::RD_KAFKA_CONF_UNKNOWN, ..)) => Err(Error::invalid_input(
            "extraProperties",
            format!("Extra properties: {key} is not a librdkafka property."),
        )),
        Err(KafkaError::ClientConfig(_, reason, ..)) if !secret => Err(Error::invalid_input(
            "extraProperties",
            format!("Extra properties: {key} has an invalid value ({reason})."),
        )),
        Err(_) => Err(Error::invalid_input("extraProperties", format!("Extra properties: {key} has an invalid value."))),
    }
}
