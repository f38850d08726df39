//! Import of connection settings other tools keep, and export of ours (without secrets).
//!
//! Understood: a kafka-ui config (YAML `kafka.clusters`, or `KAFKA_CLUSTERS_<n>_*`
//! variables in an env file), a Java client `client.properties`, and a kcat config (plain
//! librdkafka properties). Passwords found there become keychain secrets through the
//! normal validation; notes about what was left out never quote a value.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use ts_rs::TS;

use super::secrets::SecretStorage;
use super::{is_secret_key, Environment, Profile, ProfileInput, SaslMechanism, SecurityProtocol, TlsSettings};
use crate::error::{Error, Result};
use super::property::check_property;

/// One connection found in a file, before validation.
#[derive(Debug)]
pub struct Found {
    pub input: ProfileInput,
    /// What could not be carried over, in words (never values).
    pub notes: Vec<String>,
    /// Kafka Connect clusters found with it (kafka-ui `kafkaConnect`).
    pub connect: Vec<crate::connect::ConnectClusterInput>,
}

/// What an import did, for the UI.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportReport {
    /// "kafka-ui YAML", "kafka-ui environment", "Java client properties" or "kcat config".
    pub format: String,
    pub imported: Vec<Profile>,
    /// One line per connection that was not imported, or setting that was left out.
    pub notes: Vec<String>,
    /// Where the passwords found in the file went, in words: the OS keychain, memory for
    /// this run only (no keychain), or that there were none.
    pub secrets: String,
}

/// What [`ImportReport::secrets`] says, for `with_secrets` imported profiles holding secrets.
pub fn secrets_note(with_secrets: usize, storage: &SecretStorage) -> String {
    match (with_secrets, storage.keychain) {
        (0, _) => "The file held no passwords.".to_string(),
        (n, true) => format!(
            "Passwords of {n} {} were saved in the OS keychain, not in KafkaDesk's files.",
            if n == 1 { "connection" } else { "connections" }
        ),
        (n, false) => format!(
            "There is no OS keychain here: passwords of {n} {} are kept in memory for this run only. Enter them again after a restart.",
            if n == 1 { "connection" } else { "connections" }
        ),
    }
}

/// The environment a source's own name says: prod, production, prd or live → prod;
/// staging, stage, stg, uat, preprod → staging; dev, development, local, test, sandbox → dev.
/// `None` when the name says nothing (the user is asked).
pub fn environment_from_name(name: &str) -> Option<Environment> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    if has(&["prod", "production", "prd", "live"]) {
        Some(Environment::Prod)
    } else if has(&["staging", "stage", "stg", "uat", "preprod"]) {
        Some(Environment::Staging)
    } else if has(&["dev", "development", "local", "localhost", "test", "sandbox"]) {
        Some(Environment::Dev)
    } else {
        None
    }
}

/// Reads `path` and recognises its format.
pub fn read_file(path: &Path) -> Result<(String, Vec<Found>)> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::invalid_input("path", format!("Could not read {}: {e}", path.display())))?;
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "Imported".into());
    parse(&text, &stem, path.extension().and_then(|e| e.to_str()).unwrap_or_default())
}

/// Parses `text`; `stem` names a single-connection file's profile, `ext` hints the format.
pub fn parse(text: &str, stem: &str, ext: &str) -> Result<(String, Vec<Found>)> {
    let unrecognised = || {
        Error::invalid_input(
            "path",
            "This file holds no Kafka connection KafkaDesk recognises (kafka-ui YAML or environment, Java client.properties, kcat config).",
        )
    };
    if text.contains("KAFKA_CLUSTERS_") {
        return Ok(("kafka-ui environment".into(), parse_env(text)));
    }
    if matches!(ext, "yml" | "yaml") || text.trim_start().starts_with("kafka:") {
        let found = parse_kafka_ui_yaml(text)?;
        return if found.is_empty() { Err(unrecognised()) } else { Ok(("kafka-ui YAML".into(), found)) };
    }
    let props = parse_properties(text);
    if !props.contains_key("bootstrap.servers") && !props.contains_key("metadata.broker.list") {
        return Err(unrecognised());
    }
    let kcat = ["metadata.broker.list", "sasl.mechanisms", "sasl.username", "ssl.ca.location"]
        .iter()
        .any(|k| props.contains_key(*k));
    let format = if kcat { "kcat config" } else { "Java client properties" };
    Ok((format.into(), vec![from_properties(stem, None, props)]))
}

/// `key=value` / `key: value` lines; `#` and `!` comments.
fn parse_properties(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('!'))
        .filter_map(|l| {
            let at = l.find(['=', ':'])?;
            Some((l[..at].trim().to_string(), l[at + 1..].trim().to_string()))
        })
        .collect()
}

fn parse_kafka_ui_yaml(text: &str) -> Result<Vec<Found>> {
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(text)
        .map_err(|e| Error::invalid_input("path", format!("This YAML file could not be read: {e}")))?;
    let clusters = doc.get("kafka").and_then(|k| k.get("clusters")).and_then(|c| c.as_sequence());
    let scalar = |v: &serde_yaml_ng::Value| match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let mut found = Vec::new();
    for (i, cluster) in clusters.into_iter().flatten().enumerate() {
        let name = cluster.get("name").and_then(scalar).unwrap_or_else(|| format!("Cluster {}", i + 1));
        let bootstrap = cluster.get("bootstrapServers").and_then(scalar);
        let mut props = BTreeMap::new();
        if let Some(map) = cluster.get("properties").and_then(|p| p.as_mapping()) {
            flatten_yaml("", map, &mut props, &scalar);
        }
        let mut one = from_properties(&name, bootstrap, props);
        if let Some(read_only) = cluster.get("readOnly").and_then(|r| r.as_bool()) {
            one.input.read_only = Some(read_only);
        }
        if let Some(registry) = crate::registry::settings::input_from_kafka_ui(cluster) {
            one.input.schema_registry = Some(registry);
        }
        one.connect = crate::connect::settings::from_kafka_ui_yaml(cluster.get("kafkaConnect"), &name, &mut one.notes);
        found.push(one);
    }
    Ok(found)
}

/// kafka-ui's `properties` may nest (`security: {protocol: SSL}`): flatten to dotted keys.
fn flatten_yaml(
    prefix: &str,
    map: &serde_yaml_ng::Mapping,
    out: &mut BTreeMap<String, String>,
    scalar: &dyn Fn(&serde_yaml_ng::Value) -> Option<String>,
) {
    for (k, v) in map {
        let Some(k) = scalar(k) else { continue };
        let key = if prefix.is_empty() { k } else { format!("{prefix}.{k}") };
        match v.as_mapping() {
            Some(inner) => flatten_yaml(&key, inner, out, scalar),
            None => {
                if let Some(v) = scalar(v) {
                    out.insert(key, v);
                }
            }
        }
    }
}

/// `KAFKA_CLUSTERS_<n>_NAME`, `_BOOTSTRAPSERVERS`, `_READONLY`, `_PROPERTIES_<KEY>` (the key
/// in Spring's relaxed form: `SECURITY_PROTOCOL` is `security.protocol`).
fn parse_env(text: &str) -> Vec<Found> {
    let mut clusters: BTreeMap<u32, BTreeMap<String, String>> = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim().trim_start_matches("export ").trim();
        let Some((key, value)) = line.split_once('=') else { continue };
        let Some(rest) = key.trim().strip_prefix("KAFKA_CLUSTERS_") else { continue };
        let Some((index, field)) = rest.split_once('_') else { continue };
        let Ok(index) = index.parse::<u32>() else { continue };
        let value = value.trim().trim_matches('"').trim_matches('\'').to_string();
        clusters.entry(index).or_default().insert(field.to_string(), value);
    }
    clusters
        .into_iter()
        .map(|(index, fields)| {
            let props = fields
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("PROPERTIES_")?.to_ascii_lowercase().replace('_', "."), v.clone())))
                .collect();
            let name = fields.get("NAME").cloned().unwrap_or_else(|| format!("Cluster {index}"));
            let mut one = from_properties(&name, fields.get("BOOTSTRAPSERVERS").cloned(), props);
            one.input.read_only = fields.get("READONLY").map(|r| r.eq_ignore_ascii_case("true"));
            if let Some(url) = fields.get("SCHEMAREGISTRY").filter(|u| !u.is_empty()) {
                let mut registry = crate::registry::RegistryInput { urls: url.clone(), ..Default::default() };
                if let Some(user) = fields.get("SCHEMAREGISTRYAUTH_USERNAME") {
                    registry.auth = crate::registry::settings::RegistryAuth::Basic;
                    registry.username = Some(user.clone());
                    registry.password = fields.get("SCHEMAREGISTRYAUTH_PASSWORD").cloned();
                }
                one.input.schema_registry = Some(registry);
            }
            one.connect = crate::connect::settings::from_kafka_ui_env(&fields);
            one
        })
        .collect()
}

/// `username="…"` and `password="…"` out of a Java `sasl.jaas.config` line.
fn jaas_option(jaas: &str, option: &str) -> Option<String> {
    let start = jaas.find(&format!("{option}="))? + option.len() + 1;
    let rest = &jaas[start..];
    let quoted = rest.strip_prefix('"')?;
    Some(quoted[..quoted.find('"')?].to_string())
}

/// One connection from Java or librdkafka property names (kafka-ui uses the Java ones).
fn from_properties(name: &str, bootstrap: Option<String>, mut props: BTreeMap<String, String>) -> Found {
    let mut notes = Vec::new();
    // A Java client's Schema Registry settings (`schema.registry.url`, `basic.auth.user.info`).
    let schema_registry = crate::registry::settings::input_from_properties(&props);
    for k in crate::registry::settings::PROPERTY_KEYS {
        props.remove(*k);
    }
    let mut take = |k: &str| props.remove(k).filter(|v| !v.is_empty());
    let bootstrap = bootstrap.or_else(|| take("bootstrap.servers")).or_else(|| take("metadata.broker.list"));
    let security_protocol = match take("security.protocol") {
        Some(p) => SecurityProtocol::parse(&p).unwrap_or_else(|| {
            notes.push(format!("{name}: security protocol {p} is not supported; PLAINTEXT was used."));
            SecurityProtocol::Plaintext
        }),
        None => SecurityProtocol::Plaintext,
    };
    let mechanism = take("sasl.mechanism").or_else(|| take("sasl.mechanisms"));
    let sasl_mechanism = mechanism.as_deref().and_then(|m| {
        let parsed = SaslMechanism::parse(m);
        if parsed.is_none() {
            notes.push(format!("{name}: SASL mechanism {m} is not supported (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)."));
        }
        parsed
    });
    let mut sasl_username = take("sasl.username");
    let mut sasl_password = take("sasl.password");
    if let Some(jaas) = take("sasl.jaas.config") {
        sasl_username = sasl_username.or_else(|| jaas_option(&jaas, "username"));
        sasl_password = sasl_password.or_else(|| jaas_option(&jaas, "password"));
    }

    let mut tls = TlsSettings { ca_file: take("ssl.ca.location"), ..TlsSettings::default() };
    let truststore_type = take("ssl.truststore.type").unwrap_or_default();
    if let Some(truststore) = take("ssl.truststore.location") {
        if truststore_type.eq_ignore_ascii_case("PEM") || truststore.ends_with(".pem") || truststore.ends_with(".crt") {
            tls.ca_file = tls.ca_file.or(Some(truststore));
        } else {
            notes.push(format!(
                "{name}: the truststore is a Java keystore; export its CA certificate as PEM and choose it in the editor."
            ));
        }
    }
    tls.client_cert_file = take("ssl.certificate.location");
    tls.client_key_file = take("ssl.key.location");
    let keystore_type = take("ssl.keystore.type").unwrap_or_default();
    if let Some(keystore) = take("ssl.keystore.location") {
        if keystore_type.eq_ignore_ascii_case("PEM") {
            // A Java PEM keystore holds the certificate chain and the key in one file.
            tls.client_cert_file = tls.client_cert_file.or(Some(keystore.clone()));
            tls.client_key_file = tls.client_key_file.or(Some(keystore));
        } else {
            notes.push(format!(
                "{name}: the client keystore is a Java keystore; export the certificate and key as PEM and choose them in the editor."
            ));
        }
    }
    let ssl_key_password = take("ssl.key.password");
    // Java stores' own passwords mean nothing once the files are PEM.
    for k in ["ssl.truststore.password", "ssl.keystore.password"] {
        take(k);
    }
    // Java turns hostname verification off with an empty value; librdkafka with "none".
    if let Some(v) = props.remove("ssl.endpoint.identification.algorithm") {
        tls.verify_hostname = !(v.is_empty() || v.eq_ignore_ascii_case("none"));
    }

    let mut extra_properties = BTreeMap::new();
    for (k, v) in props {
        if check_property(&k, &v, is_secret_key(&k)).is_ok() {
            extra_properties.insert(k, v);
        } else {
            notes.push(format!("{name}: left out {k} (not a librdkafka setting, or its value does not fit)."));
        }
    }
    let environment = environment_from_name(name).unwrap_or_else(|| {
        notes.push(format!("{name}: its name does not say whether it is dev, staging or prod; it is tagged custom until you choose."));
        Environment::Custom
    });
    Found {
        input: ProfileInput {
            name: name.to_string(),
            environment,
            bootstrap_servers: bootstrap.unwrap_or_default(),
            security_protocol,
            sasl_mechanism,
            sasl_username,
            sasl_password,
            tls: Some(tls),
            ssl_key_password,
            extra_properties,
            schema_registry,
            ..ProfileInput::default()
        },
        notes,
        connect: Vec::new(),
    }
}

/// The export file: profiles as saved, which never include a secret value.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportFile<'a> {
    kafkadesk_export: u32,
    profiles: &'a [Profile],
}

/// Writes `profiles` as JSON to `path`; returns how many.
pub fn export_file(profiles: &[Profile], path: &Path) -> Result<u32> {
    let bytes = serde_json::to_vec_pretty(&ExportFile { kafkadesk_export: 1, profiles })
        .map_err(|e| Error::internal("Could not encode the connections.").with_detail(e.to_string()))?;
    std::fs::write(path, bytes)
        .map_err(|e| Error::invalid_input("path", format!("Could not write {}: {e}", path.display())))?;
    Ok(u32::try_from(profiles.len()).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, ext: &str) -> (String, ProfileInput, Vec<String>) {
        let (format, mut found) = parse(text, "client", ext).unwrap();
        assert_eq!(found.len(), 1, "{format}");
        let f = found.remove(0);
        (format, f.input, f.notes)
    }

    #[test]
    fn reads_kafka_ui_yaml_with_jaas_credentials() {
        let yaml = r#"
kafka:
  clusters:
    - name: prod-eu
      bootstrapServers: b1:9096,b2:9096
      readOnly: true
      properties:
        security.protocol: SASL_SSL
        sasl.mechanism: SCRAM-SHA-512
        sasl.jaas.config: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="svc" password="pa55";'
        ssl:
          truststore:
            location: /etc/ca.pem
            type: PEM
    - name: local
      bootstrapServers: localhost:9092
"#;
        let (format, found) = parse(yaml, "x", "yml").unwrap();
        assert_eq!(format, "kafka-ui YAML");
        assert_eq!(found.len(), 2);
        let p = &found[0].input;
        assert_eq!(p.name, "prod-eu");
        assert_eq!(p.security_protocol, SecurityProtocol::SaslSsl);
        assert_eq!(p.sasl_mechanism, Some(SaslMechanism::ScramSha512));
        assert_eq!(p.sasl_username.as_deref(), Some("svc"));
        assert_eq!(p.sasl_password.as_deref(), Some("pa55"));
        assert_eq!(p.tls.as_ref().unwrap().ca_file.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(p.read_only, Some(true));
        assert_eq!(p.environment, Environment::Prod, "prod-eu is production, not dev");
        assert!(found[0].notes.is_empty(), "{:?}", found[0].notes);
        assert_eq!(found[1].input.environment, Environment::Dev, "local");
        assert_eq!(found[1].input.bootstrap_servers, "localhost:9092");
    }

    #[test]
    fn environments_come_from_names_and_unknown_ones_are_asked() {
        assert_eq!(environment_from_name("Payments PRODUCTION"), Some(Environment::Prod));
        assert_eq!(environment_from_name("eu-prd-1"), Some(Environment::Prod));
        assert_eq!(environment_from_name("uat_cluster"), Some(Environment::Staging));
        assert_eq!(environment_from_name("local"), Some(Environment::Dev));
        assert_eq!(environment_from_name("products"), None, "a word, not a prefix");
        let (_, found) = parse("bootstrap.servers=a:9092\n", "orders", "properties").unwrap();
        assert_eq!(found[0].input.environment, Environment::Custom);
        assert!(found[0].notes.iter().any(|n| n.contains("tagged custom until you choose")), "{:?}", found[0].notes);
    }

    #[test]
    fn the_secrets_note_says_where_passwords_went() {
        let keychain = SecretStorage { keychain: true, message: None };
        let memory = SecretStorage { keychain: false, message: Some("none".into()) };
        assert_eq!(secrets_note(0, &memory), "The file held no passwords.");
        assert!(secrets_note(2, &keychain).contains("saved in the OS keychain"));
        let note = secrets_note(1, &memory);
        assert!(note.contains("in memory for this run only") && !note.contains("went to the keychain"), "{note}");
    }

    #[test]
    fn reads_kafka_ui_environment_variables() {
        let env = "KAFKA_CLUSTERS_0_NAME=staging\nKAFKA_CLUSTERS_0_BOOTSTRAPSERVERS=s:9092\n\
                   KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL=SASL_PLAINTEXT\n\
                   KAFKA_CLUSTERS_0_PROPERTIES_SASL_MECHANISM=PLAIN\n\
                   KAFKA_CLUSTERS_0_PROPERTIES_SASL_JAAS_CONFIG=\"org.apache.kafka.common.security.plain.PlainLoginModule required username=\\\"u\\\" password=\\\"p\\\";\"\n\
                   KAFKA_CLUSTERS_1_NAME=other\nKAFKA_CLUSTERS_1_BOOTSTRAPSERVERS=o:9092\nKAFKA_CLUSTERS_1_READONLY=true\n";
        let (format, found) = parse(env, "x", "env").unwrap();
        assert_eq!(format, "kafka-ui environment");
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].input.security_protocol, SecurityProtocol::SaslPlaintext);
        assert_eq!(found[0].input.sasl_mechanism, Some(SaslMechanism::Plain));
        assert_eq!(found[1].input.read_only, Some(true));
    }

    #[test]
    fn reads_java_client_properties_and_notes_what_it_leaves_out() {
        let props = "# producer\nbootstrap.servers=k:9093\nsecurity.protocol=SSL\n\
                     ssl.truststore.location=/etc/truststore.jks\nssl.truststore.password=changeit\n\
                     ssl.endpoint.identification.algorithm=\nlinger.ms=5\nschema.registry.url=http://sr\n";
        let (format, p, notes) = one(props, "properties");
        assert_eq!(format, "Java client properties");
        assert_eq!(p.security_protocol, SecurityProtocol::Ssl);
        assert!(!p.tls.as_ref().unwrap().verify_hostname);
        assert_eq!(p.extra_properties.get("linger.ms").map(String::as_str), Some("5"));
        assert_eq!(p.schema_registry.as_ref().map(|r| r.urls.as_str()), Some("http://sr"));
        // The truststore and the environment a file called "client" does not say.
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(p.environment, Environment::Custom);
        assert!(notes.iter().all(|n| !n.contains("changeit")), "{notes:?}");
    }

    #[test]
    fn reads_a_kcat_config() {
        let kcat = "metadata.broker.list=k:9093\nsecurity.protocol=sasl_ssl\nsasl.mechanisms=SCRAM-SHA-256\n\
                    sasl.username=bob\nsasl.password=pw\nssl.ca.location=/ca.pem\n";
        let (format, p, notes) = one(kcat, "conf");
        assert_eq!(format, "kcat config");
        assert_eq!(p.bootstrap_servers, "k:9093");
        assert_eq!(p.sasl_mechanism, Some(SaslMechanism::ScramSha256));
        assert_eq!(p.sasl_password.as_deref(), Some("pw"));
        assert_eq!(notes.len(), 1, "only the environment is left to choose: {notes:?}");
        assert!(notes[0].contains("tagged custom until you choose"), "{notes:?}");
    }

    #[test]
    fn refuses_a_file_with_no_connection() {
        assert_eq!(parse("hello=world", "x", "txt").unwrap_err().detail.as_deref(), Some("path"));
    }
}
