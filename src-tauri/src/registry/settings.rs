//! A profile's Schema Registry settings: URLs, auth, TLS. One optional sub-structure of the
//! profile; its secrets (basic-auth password, bearer token) go to the OS keychain under the
//! profile's id like the Kafka ones, but are never handed to librdkafka.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};

/// Keychain field of the basic-auth password (account `<profile-id>/schemaRegistry.password`).
pub const REGISTRY_PASSWORD: &str = "schemaRegistry.password";
/// Keychain field of the bearer token.
pub const REGISTRY_TOKEN: &str = "schemaRegistry.token";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum RegistryAuth {
    #[default]
    None,
    Basic,
    Bearer,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RegistryTls {
    /// PEM file of the CA that signed the registry's certificate; `None`: the system roots.
    pub ca_file: Option<String>,
    /// Client certificate and key (PEM, key in PKCS#8) for mutual TLS; both or neither.
    pub client_cert_file: Option<String>,
    pub client_key_file: Option<String>,
    /// Accept a certificate that names another host (an explicit choice in the editor).
    pub skip_hostname_check: bool,
}

/// What a profile saves about its registry (never a secret value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegistrySettings {
    /// Base URLs tried in order (`https://sr:8081`, Apicurio: `…/apis/ccompat/v7`).
    pub urls: Vec<String>,
    #[serde(default)]
    pub auth: RegistryAuth,
    #[serde(default)]
    pub username: Option<String>,
    #[serde(default)]
    pub tls: RegistryTls,
    /// Keychain fields this registry uses ([`REGISTRY_PASSWORD`], [`REGISTRY_TOKEN`]).
    #[serde(default)]
    pub secret_fields: Vec<String>,
}

/// The editor's registry fields. Secrets left empty keep the saved ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RegistryInput {
    /// Comma- or newline-separated URLs; empty: no registry.
    pub urls: String,
    pub auth: RegistryAuth,
    pub username: Option<String>,
    pub password: Option<String>,
    pub token: Option<String>,
    pub tls: RegistryTls,
}

/// Validated registry settings and the keychain changes that go with them.
#[derive(Debug, Default)]
pub struct ValidatedRegistry {
    pub settings: Option<RegistrySettings>,
    pub set_secrets: BTreeMap<String, String>,
    pub removed_secrets: Vec<String>,
}

impl RegistrySettings {
    /// The editor's values for saved settings (secrets empty: "keep").
    pub fn to_input(&self) -> RegistryInput {
        RegistryInput {
            urls: self.urls.join(","),
            auth: self.auth,
            username: self.username.clone(),
            password: None,
            token: None,
            tls: self.tls.clone(),
        }
    }
}

/// Checks one URL: http(s), a host, no credentials inside (they belong in the auth fields).
pub fn normalize_url(raw: &str) -> Result<String> {
    let field = "schemaRegistryUrls";
    let url = reqwest::Url::parse(raw.trim())
        .map_err(|e| Error::invalid_input(field, format!("Schema Registry URL: \"{}\" is not a URL ({e}).", raw.trim())))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::invalid_input(field, "Schema Registry URL: use http:// or https://."));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid_input(field, "Schema Registry URL: the URL names no host."));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid_input(
            field,
            "Schema Registry URL: put the user name and password in the auth fields, not in the URL.",
        ));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

impl RegistryInput {
    /// Validates against the saved settings (`previous`); every error names its form field
    /// (`schemaRegistry…`) and never quotes a secret.
    pub fn validate(&self, previous: Option<&RegistrySettings>) -> Result<ValidatedRegistry> {
        let had = |f: &str| previous.is_some_and(|p| p.secret_fields.iter().any(|s| s == f));
        let all_previous: Vec<String> = previous.map(|p| p.secret_fields.clone()).unwrap_or_default();
        let urls: Vec<String> = self
            .urls
            .split([',', '\n'])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(normalize_url)
            .collect::<Result<_>>()?;
        if urls.is_empty() {
            return Ok(ValidatedRegistry { settings: None, set_secrets: BTreeMap::new(), removed_secrets: all_previous });
        }
        let given = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_string);
        let mut set_secrets = BTreeMap::new();
        let mut secret_fields = Vec::new();
        let mut username = None;
        match self.auth {
            RegistryAuth::None => {}
            RegistryAuth::Basic => {
                let user = self.username.as_deref().map(str::trim).unwrap_or_default();
                if user.is_empty() {
                    return Err(Error::invalid_input("schemaRegistryUsername", "Registry user: enter the user name."));
                }
                username = Some(user.to_string());
                match given(&self.password) {
                    Some(p) => {
                        set_secrets.insert(REGISTRY_PASSWORD.to_string(), p);
                    }
                    None if had(REGISTRY_PASSWORD) => {}
                    None => {
                        return Err(Error::invalid_input("schemaRegistryPassword", "Registry password: enter the password."))
                    }
                }
                secret_fields.push(REGISTRY_PASSWORD.to_string());
            }
            RegistryAuth::Bearer => {
                match given(&self.token) {
                    Some(t) => {
                        set_secrets.insert(REGISTRY_TOKEN.to_string(), t);
                    }
                    None if had(REGISTRY_TOKEN) => {}
                    None => return Err(Error::invalid_input("schemaRegistryToken", "Registry token: enter the bearer token.")),
                }
                secret_fields.push(REGISTRY_TOKEN.to_string());
            }
        }
        let file = |field: &str, label: &str, value: &Option<String>| -> Result<Option<String>> {
            match value.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(path) if Path::new(path).is_file() => Ok(Some(path.to_string())),
                Some(path) => Err(Error::invalid_input(field, format!("{label}: there is no file at {path}."))),
            }
        };
        let tls = RegistryTls {
            ca_file: file("schemaRegistryCaFile", "Registry CA certificate", &self.tls.ca_file)?,
            client_cert_file: file("schemaRegistryCertFile", "Registry client certificate", &self.tls.client_cert_file)?,
            client_key_file: file("schemaRegistryKeyFile", "Registry client key", &self.tls.client_key_file)?,
            skip_hostname_check: self.tls.skip_hostname_check,
        };
        if tls.client_cert_file.is_some() != tls.client_key_file.is_some() {
            return Err(Error::invalid_input(
                "schemaRegistryKeyFile",
                "Registry mTLS: choose both the client certificate and its key, or neither.",
            ));
        }
        let removed_secrets = all_previous.into_iter().filter(|f| !secret_fields.contains(f)).collect();
        Ok(ValidatedRegistry {
            settings: Some(RegistrySettings { urls, auth: self.auth, username, tls, secret_fields }),
            set_secrets,
            removed_secrets,
        })
    }
}

/// Registry settings found in another tool's config, before validation.
pub fn input_from_properties(props: &BTreeMap<String, String>) -> Option<RegistryInput> {
    let urls = props.get("schema.registry.url").filter(|u| !u.trim().is_empty())?;
    let mut input = RegistryInput { urls: urls.clone(), ..RegistryInput::default() };
    // `basic.auth.user.info=user:password` (with basic.auth.credentials.source=USER_INFO).
    if let Some((user, password)) = props
        .get("basic.auth.user.info")
        .or_else(|| props.get("schema.registry.basic.auth.user.info"))
        .and_then(|info| info.split_once(':'))
    {
        input.auth = RegistryAuth::Basic;
        input.username = Some(user.to_string());
        input.password = Some(password.to_string());
    }
    if let Some(token) = props.get("bearer.auth.token").or_else(|| props.get("schema.registry.bearer.auth.token")) {
        input.auth = RegistryAuth::Bearer;
        input.token = Some(token.clone());
    }
    if let Some(ca) = props.get("schema.registry.ssl.truststore.location").filter(|p| p.ends_with(".pem") || p.ends_with(".crt")) {
        input.tls.ca_file = Some(ca.clone());
    }
    Some(input)
}

/// Property names [`input_from_properties`] consumes (so an import does not call them unknown).
pub const PROPERTY_KEYS: &[&str] = &[
    "schema.registry.url",
    "basic.auth.user.info",
    "basic.auth.credentials.source",
    "schema.registry.basic.auth.user.info",
    "schema.registry.basic.auth.credentials.source",
    "bearer.auth.token",
    "bearer.auth.credentials.source",
    "schema.registry.bearer.auth.token",
    "schema.registry.ssl.truststore.location",
    "schema.registry.ssl.truststore.type",
    "schema.registry.ssl.truststore.password",
];

/// kafka-ui's `schemaRegistry: url[,url]` and `schemaRegistryAuth: {username, password}`
/// of one cluster (given as its YAML mapping).
pub fn input_from_kafka_ui(cluster: &serde_yaml_ng::Value) -> Option<RegistryInput> {
    let urls = cluster.get("schemaRegistry").and_then(|v| v.as_str()).filter(|u| !u.trim().is_empty())?;
    let mut input = RegistryInput { urls: urls.to_string(), ..RegistryInput::default() };
    if let Some(auth) = cluster.get("schemaRegistryAuth") {
        let user = auth.get("username").and_then(|v| v.as_str());
        let password = auth.get("password").and_then(|v| v.as_str());
        if let Some(user) = user {
            input.auth = RegistryAuth::Basic;
            input.username = Some(user.to_string());
            input.password = password.map(str::to_string);
        }
    }
    if let Some(ssl) = cluster.get("schemaRegistrySsl") {
        if let Some(ca) = ssl.get("truststoreLocation").and_then(|v| v.as_str()).filter(|p| p.ends_with(".pem") || p.ends_with(".crt")) {
            input.tls.ca_file = Some(ca.to_string());
        }
    }
    Some(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn validates_urls_auth_and_secrets() {
        let basic = RegistryInput {
            urls: " http://a:8081/ ,https://b:8081".into(),
            auth: RegistryAuth::Basic,
            username: Some(" u ".into()),
            password: Some("pw-1".into()),
            ..Default::default()
        };
        let v = basic.validate(None).unwrap();
        let s = v.settings.unwrap();
        assert_eq!(s.urls, vec!["http://a:8081", "https://b:8081"]);
        assert_eq!(s.username.as_deref(), Some("u"));
        assert_eq!(s.secret_fields, vec![REGISTRY_PASSWORD]);
        assert_eq!(v.set_secrets.get(REGISTRY_PASSWORD).map(String::as_str), Some("pw-1"));
        assert!(!serde_json::to_string(&s).unwrap().contains("pw-1"));

        // Switching to a bearer token drops the saved password.
        let bearer = RegistryInput { urls: "http://a:8081".into(), auth: RegistryAuth::Bearer, token: Some("t".into()), ..Default::default() };
        let v2 = bearer.validate(Some(&s)).unwrap();
        assert_eq!(v2.removed_secrets, vec![REGISTRY_PASSWORD]);
        // No URL: no registry, and its secrets go.
        let none = RegistryInput::default().validate(Some(&s)).unwrap();
        assert!(none.settings.is_none());
        assert_eq!(none.removed_secrets, vec![REGISTRY_PASSWORD]);
    }

    #[test]
    fn names_the_field_of_each_bad_input() {
        let cases = [
            (RegistryInput { urls: "ftp://x".into(), ..Default::default() }, "schemaRegistryUrls"),
            (RegistryInput { urls: "not a url".into(), ..Default::default() }, "schemaRegistryUrls"),
            (RegistryInput { urls: "http://u:p@x".into(), ..Default::default() }, "schemaRegistryUrls"),
            (RegistryInput { urls: "http://x".into(), auth: RegistryAuth::Basic, ..Default::default() }, "schemaRegistryUsername"),
            (
                RegistryInput { urls: "http://x".into(), auth: RegistryAuth::Basic, username: Some("u".into()), ..Default::default() },
                "schemaRegistryPassword",
            ),
            (RegistryInput { urls: "http://x".into(), auth: RegistryAuth::Bearer, ..Default::default() }, "schemaRegistryToken"),
            (
                RegistryInput {
                    urls: "http://x".into(),
                    tls: RegistryTls { ca_file: Some("/no/such.pem".into()), ..Default::default() },
                    ..Default::default()
                },
                "schemaRegistryCaFile",
            ),
        ];
        for (input, field) in cases {
            let e = input.validate(None).unwrap_err();
            assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some(field)), "{input:?}");
            assert!(!e.message.contains(":p@"), "{}", e.message);
        }
    }

    #[test]
    fn reads_client_properties_and_kafka_ui() {
        let props: BTreeMap<String, String> = [
            ("schema.registry.url".to_string(), "http://sr:8081".to_string()),
            ("basic.auth.credentials.source".to_string(), "USER_INFO".to_string()),
            ("basic.auth.user.info".to_string(), "svc:se:cret".to_string()),
        ]
        .into();
        let i = input_from_properties(&props).unwrap();
        assert_eq!((i.auth, i.username.as_deref(), i.password.as_deref()), (RegistryAuth::Basic, Some("svc"), Some("se:cret")));
        let yaml: serde_yaml_ng::Value =
            serde_yaml_ng::from_str("schemaRegistry: http://a:8085,http://b:8085\nschemaRegistryAuth:\n  username: u\n  password: p\n").unwrap();
        let k = input_from_kafka_ui(&yaml).unwrap();
        assert_eq!((k.urls.as_str(), k.auth), ("http://a:8085,http://b:8085", RegistryAuth::Basic));
    }
}
