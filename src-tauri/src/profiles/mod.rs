//! Saved cluster connections ("profiles") and their store.
//!
//! A profile names a cluster and says how to reach it. Profiles live in one JSON file in
//! the OS config directory, written atomically so a crash never leaves half a file.
//! Secrets will never be stored here (they belong in the OS keychain).

mod store;

pub use store::{ProfileStore, StoreWarning};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The profile every new installation starts with: the `make run` sandbox, laid out like
/// the Kafka docs' compose example.
pub const SANDBOX_NAME: &str = "Local sandbox";
pub const SANDBOX_BOOTSTRAP: &str = "127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Comma-separated `host:port` list, as librdkafka's `bootstrap.servers` takes it.
    pub bootstrap_servers: String,
    /// Refuse every command that would change the cluster (see `commands::catalog`).
    #[serde(default)]
    pub read_only: bool,
}

/// The saved connections, and a warning when the store had to be recovered.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    pub warning: Option<StoreWarning>,
}

/// What the user typed into the connection form; validated into a [`Profile`].
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileInput {
    pub name: String,
    pub bootstrap_servers: String,
}

impl ProfileInput {
    /// Checks every field and returns a profile with a fresh id and normalised values.
    pub fn validate(&self) -> Result<Profile> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid_input("name", "Name: enter a name for this connection."));
        }
        if name.chars().count() > 100 {
            return Err(Error::invalid_input("name", "Name: use at most 100 characters."));
        }
        let bootstrap_servers = normalize_bootstrap(&self.bootstrap_servers)?;
        Ok(Profile {
            id: uuid::Uuid::new_v4().to_string(),
            name: name.to_string(),
            bootstrap_servers,
            read_only: false,
        })
    }
}

/// Trims and checks a bootstrap list: one or more `host:port` entries separated by commas.
pub fn normalize_bootstrap(raw: &str) -> Result<String> {
    let field = "bootstrapServers";
    let entries: Vec<&str> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
    if entries.is_empty() {
        return Err(Error::invalid_input(field, "Bootstrap servers: enter at least one host:port."));
    }
    for entry in &entries {
        // Strip an optional listener prefix such as PLAINTEXT:// that kafka-ui configs carry.
        let hostport = entry.rsplit("://").next().unwrap_or(entry);
        let Some((host, port)) = hostport.rsplit_once(':') else {
            return Err(Error::invalid_input(
                field,
                format!("Bootstrap servers: \"{entry}\" has no port; write it as host:port."),
            ));
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        if host.is_empty() || host.chars().any(char::is_whitespace) {
            return Err(Error::invalid_input(
                field,
                format!("Bootstrap servers: \"{entry}\" has no valid host name."),
            ));
        }
        match port.parse::<u16>() {
            Ok(p) if p > 0 => {}
            _ => {
                return Err(Error::invalid_input(
                    field,
                    format!("Bootstrap servers: the port in \"{entry}\" must be a number from 1 to 65535."),
                ))
            }
        }
    }
    Ok(entries.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn input(name: &str, bootstrap: &str) -> ProfileInput {
        ProfileInput { name: name.into(), bootstrap_servers: bootstrap.into() }
    }

    #[test]
    fn accepts_and_normalizes_a_bootstrap_list() {
        let p = input("  Staging ", " a:9092 , b:9093,,PLAINTEXT://c:9094 ").validate().unwrap();
        assert_eq!(p.name, "Staging");
        assert_eq!(p.bootstrap_servers, "a:9092,b:9093,PLAINTEXT://c:9094");
        assert_eq!(p.id.len(), 36);
    }

    #[test]
    fn names_the_field_of_each_bad_input() {
        let cases = [
            (input("", "a:1"), "name"),
            (input("x", ""), "bootstrapServers"),
            (input("x", "localhost"), "bootstrapServers"),
            (input("x", "localhost:0"), "bootstrapServers"),
            (input("x", "localhost:70000"), "bootstrapServers"),
            (input("x", ":9092"), "bootstrapServers"),
            (input("x", "a:9092,b c:9092"), "bootstrapServers"),
        ];
        for (case, field) in cases {
            let err = case.validate().unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidInput, "{case:?}");
            assert_eq!(err.detail.as_deref(), Some(field), "{case:?}");
        }
    }

    #[test]
    fn accepts_ipv6_literals() {
        assert_eq!(normalize_bootstrap("[::1]:9092").unwrap(), "[::1]:9092");
    }
}
