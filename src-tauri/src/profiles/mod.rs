//! Saved cluster connections ("profiles") and their store.
//!
//! A profile names a cluster and says how to reach it: bootstrap servers, security
//! protocol, SASL, TLS and extra librdkafka properties. Profiles live in one JSON file in
//! the OS config directory, written atomically so a crash never leaves half a file.
//! Secrets (passwords, key passphrases, secret-looking extra properties) never go into
//! that file: they live in the OS keychain (`secrets`), and a profile only lists which
//! property names have one.

pub mod import;
mod property;
mod secrets;
mod store;

pub use secrets::{SecretStorage, Secrets, SERVICE as SECRET_SERVICE};
pub use store::{ProfileStore, StoreWarning};

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::registry::{RegistryInput, RegistrySettings};

/// The profile every new installation starts with: the `make run` sandbox, laid out like
/// the Kafka docs' compose example.
pub const SANDBOX_NAME: &str = "Local sandbox";
pub const SANDBOX_BOOTSTRAP: &str = "127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092";

/// The librdkafka property that holds the SASL password (also its keychain field name).
pub const SASL_PASSWORD: &str = "sasl.password";
/// The librdkafka property that holds the client key's passphrase.
pub const SSL_KEY_PASSWORD: &str = "ssl.key.password";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
pub enum SecurityProtocol {
    #[default]
    Plaintext,
    Ssl,
    SaslPlaintext,
    SaslSsl,
}

impl SecurityProtocol {
    /// The value of librdkafka's `security.protocol`.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityProtocol::Plaintext => "plaintext",
            SecurityProtocol::Ssl => "ssl",
            SecurityProtocol::SaslPlaintext => "sasl_plaintext",
            SecurityProtocol::SaslSsl => "sasl_ssl",
        }
    }
    pub fn uses_tls(self) -> bool {
        matches!(self, SecurityProtocol::Ssl | SecurityProtocol::SaslSsl)
    }
    pub fn uses_sasl(self) -> bool {
        matches!(self, SecurityProtocol::SaslPlaintext | SecurityProtocol::SaslSsl)
    }
    pub fn parse(raw: &str) -> Option<SecurityProtocol> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "PLAINTEXT" => Some(SecurityProtocol::Plaintext),
            "SSL" => Some(SecurityProtocol::Ssl),
            "SASL_PLAINTEXT" => Some(SecurityProtocol::SaslPlaintext),
            "SASL_SSL" => Some(SecurityProtocol::SaslSsl),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum SaslMechanism {
    #[serde(rename = "PLAIN")]
    Plain,
    #[serde(rename = "SCRAM-SHA-256")]
    ScramSha256,
    #[serde(rename = "SCRAM-SHA-512")]
    ScramSha512,
}

impl SaslMechanism {
    /// The value of librdkafka's `sasl.mechanism` (and Kafka's own spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            SaslMechanism::Plain => "PLAIN",
            SaslMechanism::ScramSha256 => "SCRAM-SHA-256",
            SaslMechanism::ScramSha512 => "SCRAM-SHA-512",
        }
    }
    pub fn parse(raw: &str) -> Option<SaslMechanism> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "PLAIN" => Some(SaslMechanism::Plain),
            "SCRAM-SHA-256" => Some(SaslMechanism::ScramSha256),
            "SCRAM-SHA-512" => Some(SaslMechanism::ScramSha512),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum Environment {
    #[default]
    Dev,
    Staging,
    Prod,
    Custom,
}

impl Environment {
    /// The tag colour a new profile of this environment gets.
    pub fn default_color(self) -> &'static str {
        match self {
            Environment::Dev => "#2f9e44",
            Environment::Staging => "#f08c00",
            Environment::Prod => "#e03131",
            Environment::Custom => "#1c7ed6",
        }
    }
}

/// TLS settings, used when the protocol is SSL or SASL_SSL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct TlsSettings {
    /// PEM file of the CA that signed the brokers' certificates; `None`: the system roots.
    pub ca_file: Option<String>,
    /// Check that the broker's certificate names the host we connect to. Turning it off is
    /// an explicit choice in the editor.
    pub verify_hostname: bool,
    /// Client certificate and key (PEM) for mutual TLS; both or neither.
    pub client_cert_file: Option<String>,
    pub client_key_file: Option<String>,
}

impl Default for TlsSettings {
    fn default() -> Self {
        TlsSettings { ca_file: None, verify_hostname: true, client_cert_file: None, client_key_file: None }
    }
}

fn default_color() -> String {
    Environment::Dev.default_color().to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Profile {
    pub id: String,
    pub name: String,
    /// Comma-separated `host:port` list, as librdkafka's `bootstrap.servers` takes it.
    pub bootstrap_servers: String,
    #[serde(default)]
    pub security_protocol: SecurityProtocol,
    #[serde(default)]
    pub sasl_mechanism: Option<SaslMechanism>,
    #[serde(default)]
    pub sasl_username: Option<String>,
    #[serde(default)]
    pub tls: TlsSettings,
    /// Further librdkafka properties (non-secret ones; secret ones are in the keychain).
    #[serde(default)]
    pub extra_properties: BTreeMap<String, String>,
    /// librdkafka property names whose values are kept in the keychain (never their values).
    #[serde(default)]
    pub secret_fields: Vec<String>,
    #[serde(default)]
    pub environment: Environment,
    /// Tag colour, `#rrggbb`.
    #[serde(default = "default_color")]
    pub color: String,
    /// Refuse every command that would change the cluster (see `commands::catalog`).
    #[serde(default)]
    pub read_only: bool,
    #[serde(default)]
    pub notes: String,
    /// The cluster's Schema Registry, if it has one (see `registry::settings`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub schema_registry: Option<RegistrySettings>,
    /// Kafka Connect clusters of this connection (edited in the Connect tab; passwords in
    /// the keychain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub connect: Option<crate::connect::ConnectSettings>,
}

impl Profile {
    /// Every keychain field of this profile: the Kafka ones, the registry's and Connect's.
    pub fn keychain_fields(&self) -> Vec<String> {
        let mut fields = self.secret_fields.clone();
        if let Some(r) = &self.schema_registry {
            fields.extend(r.secret_fields.iter().cloned());
        }
        fields.extend(crate::connect::settings::secret_fields(self.connect.as_ref()));
        fields
    }

    /// A PLAINTEXT dev profile; the rest of the settings at their defaults.
    pub fn plaintext(id: &str, name: &str, bootstrap_servers: &str) -> Profile {
        Profile {
            id: id.to_string(),
            name: name.to_string(),
            bootstrap_servers: bootstrap_servers.to_string(),
            security_protocol: SecurityProtocol::Plaintext,
            sasl_mechanism: None,
            sasl_username: None,
            tls: TlsSettings::default(),
            extra_properties: BTreeMap::new(),
            secret_fields: Vec::new(),
            environment: Environment::Dev,
            color: default_color(),
            read_only: false,
            notes: String::new(),
            schema_registry: None,
            connect: None,
        }
    }
}

/// The saved connections, and a warning when the store had to be recovered.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    pub warning: Option<StoreWarning>,
    /// Where secrets go on this machine (keychain, or memory for this run only).
    pub secret_storage: SecretStorage,
    /// Profile ids with a live connection.
    pub connected: Vec<String>,
}

/// What the user typed into the connection editor; validated into a [`Profile`].
/// Secret fields left empty keep the secret already saved (on update).
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ProfileInput {
    pub name: String,
    pub bootstrap_servers: String,
    pub security_protocol: SecurityProtocol,
    pub sasl_mechanism: Option<SaslMechanism>,
    pub sasl_username: Option<String>,
    pub sasl_password: Option<String>,
    pub tls: Option<TlsSettings>,
    pub ssl_key_password: Option<String>,
    /// Extra librdkafka properties; secret-looking ones go to the keychain.
    pub extra_properties: BTreeMap<String, String>,
    pub environment: Environment,
    /// `#rrggbb`; empty: the environment's colour.
    pub color: Option<String>,
    /// `None`: prod profiles are read-only, others not (on update: unchanged).
    pub read_only: Option<bool>,
    pub notes: String,
    /// `None`: no registry on create, unchanged on update; empty URLs remove it.
    #[ts(optional)]
    pub schema_registry: Option<RegistryInput>,
}

/// A validated profile and what to do in the keychain to match it.
#[derive(Debug)]
pub struct Validated {
    pub profile: Profile,
    /// Secrets to write, by librdkafka property name.
    pub set_secrets: BTreeMap<String, String>,
    /// Secrets to delete (the profile no longer uses them).
    pub removed_secrets: Vec<String>,
}

/// Properties the editor's own fields set; as extras they would silently fight the form.
const MANAGED_KEYS: &[&str] = &[
    "bootstrap.servers",
    "metadata.broker.list",
    "security.protocol",
    "sasl.mechanism",
    "sasl.mechanisms",
    "sasl.username",
    "sasl.password",
    "ssl.ca.location",
    "ssl.certificate.location",
    "ssl.key.location",
    "ssl.key.password",
    "ssl.endpoint.identification.algorithm",
];

/// Whether a property's value is a secret that belongs in the keychain.
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.ends_with(".password")
        || k.ends_with("password")
        || k == "sasl.jaas.config"
        || k.contains("secret")
        || k.contains("token")
        || k.ends_with(".pem") && k.contains("key")
}

impl ProfileInput {
    /// Checks every field against `previous` (the saved profile on update, `None` on create)
    /// and returns the profile to save under `id`, plus the keychain changes. Every error
    /// names its form field; no error ever quotes a secret value.
    pub fn validate(&self, id: &str, previous: Option<&Profile>) -> Result<Validated> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(Error::invalid_input("name", "Name: enter a name for this connection."));
        }
        if name.chars().count() > 100 {
            return Err(Error::invalid_input("name", "Name: use at most 100 characters."));
        }
        let bootstrap_servers = normalize_bootstrap(&self.bootstrap_servers)?;
        let had = |field: &str| previous.is_some_and(|p| p.secret_fields.iter().any(|f| f == field));
        let given = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);

        let mut set_secrets = BTreeMap::new();
        let mut secret_fields = Vec::new();
        let protocol = self.security_protocol;

        let (sasl_mechanism, sasl_username) = if protocol.uses_sasl() {
            let mechanism = self.sasl_mechanism.ok_or_else(|| {
                Error::invalid_input("saslMechanism", "SASL mechanism: choose PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.")
            })?;
            let username = self.sasl_username.as_deref().map(str::trim).unwrap_or_default();
            if username.is_empty() {
                return Err(Error::invalid_input("saslUsername", "Username: enter the SASL user name."));
            }
            match given(&self.sasl_password) {
                Some(password) => {
                    set_secrets.insert(SASL_PASSWORD.to_string(), password);
                }
                None if had(SASL_PASSWORD) => {}
                None => return Err(Error::invalid_input("saslPassword", "Password: enter the SASL password.")),
            }
            secret_fields.push(SASL_PASSWORD.to_string());
            (Some(mechanism), Some(username.to_string()))
        } else {
            (None, None)
        };

        let tls = if protocol.uses_tls() {
            let raw = self.tls.clone().unwrap_or_default();
            let file = |field: &str, label: &str, value: &Option<String>| -> Result<Option<String>> {
                match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(path) if Path::new(path).is_file() => Ok(Some(path.to_string())),
                    Some(path) => Err(Error::invalid_input(field, format!("{label}: there is no file at {path}."))),
                }
            };
            let tls = TlsSettings {
                ca_file: file("tlsCaFile", "CA certificate", &raw.ca_file)?,
                verify_hostname: raw.verify_hostname,
                client_cert_file: file("tlsClientCertFile", "Client certificate", &raw.client_cert_file)?,
                client_key_file: file("tlsClientKeyFile", "Client key", &raw.client_key_file)?,
            };
            match (&tls.client_cert_file, &tls.client_key_file) {
                (Some(_), None) => {
                    return Err(Error::invalid_input("tlsClientKeyFile", "Client key: a client certificate needs its key file."))
                }
                (None, Some(_)) => {
                    return Err(Error::invalid_input(
                        "tlsClientCertFile",
                        "Client certificate: a client key needs its certificate file.",
                    ))
                }
                _ => {}
            }
            if tls.client_key_file.is_some() {
                if let Some(passphrase) = given(&self.ssl_key_password) {
                    set_secrets.insert(SSL_KEY_PASSWORD.to_string(), passphrase);
                    secret_fields.push(SSL_KEY_PASSWORD.to_string());
                } else if had(SSL_KEY_PASSWORD) {
                    secret_fields.push(SSL_KEY_PASSWORD.to_string());
                }
            }
            tls
        } else {
            TlsSettings::default()
        };

        let mut extra_properties = BTreeMap::new();
        for (raw_key, value) in &self.extra_properties {
            let key = raw_key.trim();
            if key.is_empty() {
                continue;
            }
            if !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-')) {
                return Err(Error::invalid_input(
                    "extraProperties",
                    format!("Extra properties: \"{key}\" is not a property name (lower-case words joined by dots)."),
                ));
            }
            if MANAGED_KEYS.contains(&key) {
                return Err(Error::invalid_input(
                    "extraProperties",
                    format!("Extra properties: set {key} with the connection form's own fields, not as an extra property."),
                ));
            }
            let secret = is_secret_key(key);
            if secret && value.is_empty() && had(key) {
                secret_fields.push(key.to_string());
                continue;
            }
            property::check_property(key, value, secret)?;
            if secret {
                set_secrets.insert(key.to_string(), value.clone());
                secret_fields.push(key.to_string());
            } else {
                extra_properties.insert(key.to_string(), value.trim().to_string());
            }
        }

        let color = match self.color.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            None => self.environment.default_color().to_string(),
            Some(c) if c.len() == 7 && c.starts_with('#') && c[1..].chars().all(|h| h.is_ascii_hexdigit()) => {
                c.to_ascii_lowercase()
            }
            Some(_) => return Err(Error::invalid_input("color", "Colour: use a #rrggbb colour.")),
        };
        if self.notes.chars().count() > 5000 {
            return Err(Error::invalid_input("notes", "Notes: use at most 5000 characters."));
        }
        let read_only = match (self.read_only, previous) {
            (Some(flag), _) => flag,
            (None, Some(p)) if p.environment == self.environment => p.read_only,
            (None, _) => self.environment == Environment::Prod,
        };

        secret_fields.sort();
        secret_fields.dedup();
        let mut removed_secrets: Vec<String> = previous
            .map(|p| p.secret_fields.iter().filter(|f| !secret_fields.contains(f)).cloned().collect())
            .unwrap_or_default();
        let previous_registry = previous.and_then(|p| p.schema_registry.as_ref());
        let schema_registry = match &self.schema_registry {
            Some(input) => {
                let r = input.validate(previous_registry)?;
                set_secrets.extend(r.set_secrets);
                removed_secrets.extend(r.removed_secrets);
                r.settings
            }
            None => previous_registry.cloned(),
        };
        Ok(Validated {
            profile: Profile {
                id: id.to_string(),
                name: name.to_string(),
                bootstrap_servers,
                security_protocol: protocol,
                sasl_mechanism,
                sasl_username,
                tls,
                extra_properties,
                secret_fields,
                environment: self.environment,
                color,
                read_only,
                notes: self.notes.trim_end().to_string(),
                schema_registry,
                // The editor does not touch the Connect settings (the Connect tab does).
                connect: previous.and_then(|p| p.connect.clone()),
            },
            set_secrets,
            removed_secrets,
        })
    }
}

/// A fresh profile id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
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
pub(crate) mod tests {
    use super::*;
    use crate::error::ErrorKind;

    pub(crate) fn input(name: &str, bootstrap: &str) -> ProfileInput {
        ProfileInput { name: name.into(), bootstrap_servers: bootstrap.into(), ..Default::default() }
    }

    fn sasl_input() -> ProfileInput {
        ProfileInput {
            security_protocol: SecurityProtocol::SaslPlaintext,
            sasl_mechanism: Some(SaslMechanism::ScramSha512),
            sasl_username: Some(" alice ".into()),
            sasl_password: Some("s3cret-pw".into()),
            ..input("Secured", "k:9093")
        }
    }

    #[test]
    fn accepts_and_normalizes_a_bootstrap_list() {
        let v = input("  Staging ", " a:9092 , b:9093,,PLAINTEXT://c:9094 ").validate("id-1", None).unwrap();
        assert_eq!(v.profile.name, "Staging");
        assert_eq!(v.profile.bootstrap_servers, "a:9092,b:9093,PLAINTEXT://c:9094");
        assert_eq!(v.profile.id, "id-1");
        assert!(v.profile.tls.verify_hostname, "hostname verification is on unless turned off");
    }

    #[test]
    fn names_the_field_of_each_bad_input() {
        let mut no_mech = sasl_input();
        no_mech.sasl_mechanism = None;
        let mut no_user = sasl_input();
        no_user.sasl_username = Some("  ".into());
        let mut no_pw = sasl_input();
        no_pw.sasl_password = None;
        let tls = |t: TlsSettings| ProfileInput { security_protocol: SecurityProtocol::Ssl, tls: Some(t), ..input("x", "a:1") };
        let extra = |k: &str, v: &str| ProfileInput {
            extra_properties: [(k.to_string(), v.to_string())].into(),
            ..input("x", "a:1")
        };
        let cases = [
            (input("", "a:1"), "name"),
            (input("x", ""), "bootstrapServers"),
            (input("x", "localhost"), "bootstrapServers"),
            (input("x", "localhost:0"), "bootstrapServers"),
            (input("x", "localhost:70000"), "bootstrapServers"),
            (input("x", ":9092"), "bootstrapServers"),
            (input("x", "a:9092,b c:9092"), "bootstrapServers"),
            (no_mech, "saslMechanism"),
            (no_user, "saslUsername"),
            (no_pw, "saslPassword"),
            (tls(TlsSettings { ca_file: Some("/no/such/ca.pem".into()), ..Default::default() }), "tlsCaFile"),
            (tls(TlsSettings { client_cert_file: Some("Cargo.toml".into()), ..Default::default() }), "tlsClientKeyFile"),
            (tls(TlsSettings { client_key_file: Some("Cargo.toml".into()), ..Default::default() }), "tlsClientCertFile"),
            (extra("Bad Key", "1"), "extraProperties"),
            (extra("sasl.username", "bob"), "extraProperties"),
            (extra("no.such.property", "1"), "extraProperties"),
            (extra("socket.timeout.ms", "soon"), "extraProperties"),
            (ProfileInput { color: Some("red".into()), ..input("x", "a:1") }, "color"),
        ];
        for (case, field) in cases {
            let err = case.validate("id", None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidInput, "{case:?}");
            assert_eq!(err.detail.as_deref(), Some(field), "{case:?}: {}", err.message);
        }
    }

    #[test]
    fn secrets_are_split_out_of_the_profile() {
        let mut i = sasl_input();
        i.extra_properties.insert("ssl.keystore.password".into(), "tok-123".into());
        i.extra_properties.insert("socket.keepalive.enable".into(), "true".into());
        let v = i.validate("p", None).unwrap();
        assert_eq!(v.profile.sasl_username.as_deref(), Some("alice"));
        assert_eq!(v.profile.secret_fields, vec!["sasl.password", "ssl.keystore.password"]);
        assert_eq!(v.set_secrets.get(SASL_PASSWORD).map(String::as_str), Some("s3cret-pw"));
        let json = serde_json::to_string(&v.profile).unwrap();
        assert!(!json.contains("s3cret-pw") && !json.contains("tok-123"), "{json}");
        assert_eq!(v.profile.extra_properties.get("socket.keepalive.enable").map(String::as_str), Some("true"));
    }

    #[test]
    fn an_update_keeps_unchanged_secrets_and_drops_unused_ones() {
        let saved = sasl_input().validate("p", None).unwrap().profile;
        let mut keep = sasl_input();
        keep.sasl_password = Some(String::new());
        let v = keep.validate("p", Some(&saved)).unwrap();
        assert!(v.set_secrets.is_empty());
        assert_eq!(v.profile.secret_fields, vec![SASL_PASSWORD]);
        assert!(v.removed_secrets.is_empty());

        let plain = input("Secured", "k:9092").validate("p", Some(&saved)).unwrap();
        assert_eq!(plain.removed_secrets, vec![SASL_PASSWORD]);
        assert!(plain.profile.sasl_username.is_none());
    }

    #[test]
    fn prod_defaults_to_read_only_with_its_colour() {
        let v = ProfileInput { environment: Environment::Prod, ..input("Live", "p:9092") }.validate("p", None).unwrap();
        assert!(v.profile.read_only);
        assert_eq!(v.profile.color, Environment::Prod.default_color());
        let opted_out =
            ProfileInput { environment: Environment::Prod, read_only: Some(false), ..input("Live", "p:9092") };
        assert!(!opted_out.validate("p", None).unwrap().profile.read_only);
    }

    #[test]
    fn secret_errors_never_quote_the_value() {
        let err = ProfileInput {
            extra_properties: [("ssl.keystore.password".to_string(), "hunter2\u{0}".to_string())].into(),
            ..input("x", "a:1")
        }
        .validate("p", None);
        if let Err(e) = err {
            assert!(!e.message.contains("hunter2") && !e.detail.unwrap_or_default().contains("hunter2"));
        }
    }

    #[test]
    fn accepts_ipv6_literals() {
        assert_eq!(normalize_bootstrap("[::1]:9092").unwrap(), "[::1]:9092");
    }
}
