//! The Kafka Connect clusters a profile knows: REST URLs, basic auth, TLS.
//!
//! These settings are one optional part of a profile (`Profile::connect`). Like the Kafka
//! settings, the password never goes into the profile: it lives in the OS keychain under
//! the field [`password_field`] of the profile, and the cluster only says which user it
//! belongs to. This module knows nothing of profiles or the keychain; it validates what
//! the user typed and says which secrets to write and which to forget.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// The Connect part of a profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ConnectSettings {
    pub clusters: Vec<ConnectCluster>,
}

/// One Kafka Connect cluster: the REST URLs of its workers (tried in order) and how to
/// authenticate to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectCluster {
    /// Stable id (keychain field names use it); unique within the profile.
    pub id: String,
    pub name: String,
    /// `http(s)://host:port` of one or more workers; any worker answers for the cluster.
    pub urls: Vec<String>,
    /// Basic auth user; `None`: no authentication. The password is in the keychain.
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub tls: ConnectTls,
}

/// TLS settings for `https` URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ConnectTls {
    /// PEM CA certificate(s) to trust besides the system roots.
    pub ca_file: Option<String>,
    /// Client certificate and unencrypted PKCS#8 key (PEM) for mutual TLS; both or neither.
    pub client_cert_file: Option<String>,
    pub client_key_file: Option<String>,
    /// Check that the worker's certificate names the host; turning it off is explicit.
    pub verify_hostname: bool,
}

impl Default for ConnectTls {
    fn default() -> Self {
        ConnectTls { ca_file: None, client_cert_file: None, client_key_file: None, verify_hostname: true }
    }
}

/// What the settings form sends for one cluster.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct ConnectClusterInput {
    /// The saved cluster this edits; `None` for a new one.
    pub id: Option<String>,
    pub name: String,
    /// URLs separated by commas or new lines.
    pub urls: String,
    pub username: Option<String>,
    /// Empty on an edit: keep the saved password.
    pub password: Option<String>,
    pub tls: ConnectTls,
}

/// Validated settings and the keychain changes that go with them (field → value).
#[derive(Debug)]
pub struct ValidatedConnect {
    /// `None` when no cluster is left.
    pub settings: Option<ConnectSettings>,
    pub set_secrets: BTreeMap<String, String>,
    pub removed_secrets: Vec<String>,
}

/// The keychain field (of the profile) holding a Connect cluster's basic-auth password.
pub fn password_field(cluster_id: &str) -> String {
    format!("connect.{cluster_id}.password")
}

/// Every keychain field these settings use (to copy or delete with the profile).
pub fn secret_fields(settings: Option<&ConnectSettings>) -> Vec<String> {
    settings
        .map(|s| s.clusters.iter().filter(|c| c.username.is_some()).map(|c| password_field(&c.id)).collect())
        .unwrap_or_default()
}

/// The cluster `id` of `settings`, or an error the UI can show.
pub fn find<'a>(settings: Option<&'a ConnectSettings>, id: &str) -> Result<&'a ConnectCluster> {
    settings
        .and_then(|s| s.clusters.iter().find(|c| c.id == id))
        .ok_or_else(|| Error::not_found("That Kafka Connect cluster is no longer in this connection's settings."))
}

fn new_cluster_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// Splits and checks a URL list. `field` is the form field errors name.
pub fn parse_urls(raw: &str, field: &str) -> Result<Vec<String>> {
    let mut urls = Vec::new();
    for entry in raw.split([',', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()) {
        let url = reqwest::Url::parse(entry).map_err(|e| {
            Error::invalid_input(field, format!("URLs: \"{entry}\" is not a URL ({e}); write it as http://host:8083."))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::invalid_input(field, format!("URLs: \"{entry}\" must start with http:// or https://.")));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(Error::invalid_input(field, format!("URLs: \"{entry}\" has no host.")));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // Never echo the URL: it carries a credential.
            return Err(Error::invalid_input(
                field,
                "URLs: put the user name and password in their own fields, not in the URL.",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(Error::invalid_input(field, format!("URLs: \"{entry}\" must not have a query or fragment.")));
        }
        urls.push(entry.trim_end_matches('/').to_string());
    }
    if urls.is_empty() {
        return Err(Error::invalid_input(field, "URLs: enter the REST URL of at least one Connect worker."));
    }
    Ok(urls)
}

/// Checks the form's clusters against the saved settings (for kept passwords) and
/// returns the settings to save plus the keychain changes. Errors name the field as
/// `connect.<index>.<field>` and never quote a password.
pub fn validate(inputs: &[ConnectClusterInput], previous: Option<&ConnectSettings>) -> Result<ValidatedConnect> {
    let mut clusters: Vec<ConnectCluster> = Vec::new();
    let mut set_secrets = BTreeMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let field = |f: &str| format!("connect.{i}.{f}");
        let name = input.name.trim();
        if name.is_empty() {
            return Err(Error::invalid_input(&field("name"), "Connect cluster name: enter a name."));
        }
        if name.chars().count() > 100 {
            return Err(Error::invalid_input(&field("name"), "Connect cluster name: use at most 100 characters."));
        }
        if clusters.iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
            return Err(Error::invalid_input(&field("name"), format!("Connect cluster name: \"{name}\" is used twice.")));
        }
        let urls = parse_urls(&input.urls, &field("urls"))?;
        let saved = input
            .id
            .as_deref()
            .and_then(|id| previous.and_then(|p| p.clusters.iter().find(|c| c.id == id)));
        let id = saved.map(|c| c.id.clone()).unwrap_or_else(new_cluster_id);
        let username = input.username.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
        if let Some(user) = &username {
            if user.contains(':') {
                return Err(Error::invalid_input(&field("username"), "User name: basic auth user names cannot contain ':'."));
            }
            match input.password.as_deref().filter(|p| !p.is_empty()) {
                Some(password) => {
                    set_secrets.insert(password_field(&id), password.to_string());
                }
                None if saved.is_some_and(|c| c.username.is_some()) => {}
                None => return Err(Error::invalid_input(&field("password"), "Password: enter the basic auth password.")),
            }
        }
        let file = |f: &str, label: &str, value: &Option<String>| -> Result<Option<String>> {
            match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(path) if Path::new(path).is_file() => Ok(Some(path.to_string())),
                Some(path) => Err(Error::invalid_input(&field(f), format!("{label}: there is no file at {path}."))),
            }
        };
        let tls = ConnectTls {
            ca_file: file("tlsCaFile", "CA certificate", &input.tls.ca_file)?,
            client_cert_file: file("tlsClientCertFile", "Client certificate", &input.tls.client_cert_file)?,
            client_key_file: file("tlsClientKeyFile", "Client key", &input.tls.client_key_file)?,
            verify_hostname: input.tls.verify_hostname,
        };
        match (&tls.client_cert_file, &tls.client_key_file) {
            (Some(_), None) => {
                return Err(Error::invalid_input(&field("tlsClientKeyFile"), "Client key: a client certificate needs its key file."))
            }
            (None, Some(_)) => {
                return Err(Error::invalid_input(
                    &field("tlsClientCertFile"),
                    "Client certificate: a client key needs its certificate file.",
                ))
            }
            _ => {}
        }
        clusters.push(ConnectCluster { id, name: name.to_string(), urls, username, tls });
    }
    let kept = secret_fields(Some(&ConnectSettings { clusters: clusters.clone() }));
    let removed_secrets = secret_fields(previous).into_iter().filter(|f| !kept.contains(f)).collect();
    let settings = (!clusters.is_empty()).then_some(ConnectSettings { clusters });
    Ok(ValidatedConnect { settings, set_secrets, removed_secrets })
}

/// kafka-ui's `kafkaConnect` list of one cluster (YAML: `name`, `address`, `username`,
/// `password`, `keystoreLocation`). `notes` collects what could not be carried over.
pub fn from_kafka_ui_yaml(value: Option<&serde_yaml_ng::Value>, cluster: &str, notes: &mut Vec<String>) -> Vec<ConnectClusterInput> {
    let text = |v: &serde_yaml_ng::Value, key: &str| v.get(key).and_then(|s| s.as_str()).map(str::to_string);
    let mut found = Vec::new();
    for (i, entry) in value.and_then(|v| v.as_sequence()).into_iter().flatten().enumerate() {
        let name = text(entry, "name").unwrap_or_else(|| format!("Connect {}", i + 1));
        if entry.get("keystoreLocation").is_some() {
            notes.push(format!(
                "{cluster}: Kafka Connect \"{name}\" uses a Java keystore; export the client certificate and key as PEM and choose them in the Connect settings."
            ));
        }
        found.push(ConnectClusterInput {
            id: None,
            name,
            urls: text(entry, "address").unwrap_or_default(),
            username: text(entry, "username"),
            password: text(entry, "password"),
            tls: ConnectTls::default(),
        });
    }
    found
}

/// kafka-ui's environment form: `KAFKA_CLUSTERS_<n>_KAFKACONNECT_<m>_NAME`, `_ADDRESS`,
/// `_USERNAME`, `_PASSWORD`, given the fields of one cluster (`KAFKACONNECT_0_NAME` → value).
pub fn from_kafka_ui_env(fields: &BTreeMap<String, String>) -> Vec<ConnectClusterInput> {
    let mut by_index: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
    for (key, value) in fields {
        let Some(rest) = key.strip_prefix("KAFKACONNECT_") else { continue };
        let Some((index, field)) = rest.split_once('_') else { continue };
        let Ok(index) = index.parse::<u32>() else { continue };
        by_index.entry(index).or_default().insert(field, value);
    }
    by_index
        .into_iter()
        .map(|(i, f)| ConnectClusterInput {
            id: None,
            name: f.get("NAME").map(|s| s.to_string()).unwrap_or_else(|| format!("Connect {}", i + 1)),
            urls: f.get("ADDRESS").map(|s| s.to_string()).unwrap_or_default(),
            username: f.get("USERNAME").map(|s| s.to_string()),
            password: f.get("PASSWORD").map(|s| s.to_string()),
            tls: ConnectTls::default(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    fn input(name: &str, urls: &str) -> ConnectClusterInput {
        ConnectClusterInput { name: name.into(), urls: urls.into(), ..Default::default() }
    }

    #[test]
    fn validates_urls_and_names_each_bad_field() {
        let with_user = |pw: Option<&str>| ConnectClusterInput {
            username: Some("u".into()),
            password: pw.map(str::to_string),
            ..input("c", "http://h:8083")
        };
        let cases = [
            (input("", "http://h:8083"), "connect.0.name"),
            (input("c", ""), "connect.0.urls"),
            (input("c", "h:8083"), "connect.0.urls"),
            (input("c", "ftp://h:8083"), "connect.0.urls"),
            (input("c", "http://user:pw@h:8083"), "connect.0.urls"),
            (with_user(None), "connect.0.password"),
            (
                ConnectClusterInput {
                    tls: ConnectTls { ca_file: Some("/no/such.pem".into()), ..Default::default() },
                    ..input("c", "https://h")
                },
                "connect.0.tlsCaFile",
            ),
        ];
        for (case, field) in cases {
            let err = validate(&[case.clone()], None).unwrap_err();
            assert_eq!(err.kind, ErrorKind::InvalidInput, "{case:?}");
            assert_eq!(err.detail.as_deref(), Some(field), "{case:?}: {}", err.message);
            assert!(!err.message.contains("pw@"), "a URL credential is never echoed");
        }
        let dup = validate(&[input("a", "http://h:1"), input("A", "http://h:2")], None).unwrap_err();
        assert_eq!(dup.detail.as_deref(), Some("connect.1.name"));
    }

    #[test]
    fn passwords_go_to_the_keychain_and_are_kept_or_removed() {
        let first = ConnectClusterInput {
            username: Some(" admin ".into()),
            password: Some("pw-1".into()),
            ..input(" Main ", "http://a:8083/, http://b:8083")
        };
        let v = validate(&[first], None).unwrap();
        let settings = v.settings.unwrap();
        let saved = &settings.clusters[0];
        assert_eq!(saved.name, "Main");
        assert_eq!(saved.urls, vec!["http://a:8083", "http://b:8083"]);
        assert_eq!(saved.username.as_deref(), Some("admin"));
        assert_eq!(v.set_secrets.get(&password_field(&saved.id)).map(String::as_str), Some("pw-1"));
        assert!(!serde_json::to_string(&settings).unwrap().contains("pw-1"));

        // An edit with an empty password keeps the saved one.
        let edit = ConnectClusterInput {
            id: Some(saved.id.clone()),
            username: Some("admin".into()),
            ..input("Main", "http://a:8083")
        };
        let kept = validate(&[edit], Some(&settings)).unwrap();
        assert!(kept.set_secrets.is_empty() && kept.removed_secrets.is_empty());
        assert_eq!(kept.settings.unwrap().clusters[0].id, saved.id);

        // Dropping the cluster forgets its password.
        let gone = validate(&[], Some(&settings)).unwrap();
        assert!(gone.settings.is_none());
        assert_eq!(gone.removed_secrets, vec![password_field(&saved.id)]);
    }

    #[test]
    fn reads_kafka_ui_connect_entries() {
        let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(
            "- name: first\n  address: http://c1:8083\n  username: u\n  password: p\n- address: http://c2:8083\n  keystoreLocation: /k.jks\n",
        )
        .unwrap();
        let mut notes = Vec::new();
        let found = from_kafka_ui_yaml(Some(&yaml), "prod", &mut notes);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].name, "first");
        assert_eq!(found[0].password.as_deref(), Some("p"));
        assert_eq!(found[1].name, "Connect 2");
        assert_eq!(notes.len(), 1);

        let env: BTreeMap<String, String> =
            [("KAFKACONNECT_0_NAME", "c"), ("KAFKACONNECT_0_ADDRESS", "http://c:8083"), ("NAME", "x")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        let found = from_kafka_ui_env(&env);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].urls, "http://c:8083");
    }
}
