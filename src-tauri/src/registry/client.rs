//! The Confluent Schema Registry REST API (also served by Apicurio's `ccompat` and
//! Redpanda), over reqwest with the profile's auth and TLS, bounded timeouts, and errors
//! that say whether the registry was unreachable, refused us (401 / 403), or failed TLS.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use super::codec::{Compiled, SchemaKind};
use super::settings::{RegistryAuth, RegistrySettings, REGISTRY_PASSWORD, REGISTRY_TOKEN};
use crate::error::{Error, ErrorKind, Result};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// After the registry could not be reached, lookups fail at once for this long instead of
/// each waiting for its own timeout (a browse of a million messages must not stall).
const DOWN_BACKOFF: Duration = Duration::from_secs(10);
/// Bound on reference chains (a cycle in references is an error, not a hang).
const MAX_REFERENCE_DEPTH: usize = 16;

/// A schema reference: `name` is how the schema refers to it (a Protobuf import path, an
/// Avro full name, a JSON Schema `$ref`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SchemaReference {
    pub name: String,
    pub subject: String,
    pub version: i32,
}

/// One registered schema version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchemaVersion {
    pub subject: String,
    pub version: i32,
    pub id: u32,
    pub schema_type: SchemaKind,
    pub schema: String,
    pub references: Vec<SchemaReference>,
}

/// Raw JSON shapes of the API.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSchema {
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    version: Option<i32>,
    #[serde(default)]
    id: Option<u32>,
    schema: String,
    #[serde(default)]
    schema_type: Option<String>,
    #[serde(default)]
    references: Vec<SchemaReference>,
}

#[derive(Deserialize)]
struct SubjectVersion {
    subject: String,
    version: i32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CompatibilityLevel {
    #[serde(alias = "compatibility")]
    compatibility_level: String,
}

/// A parsed schema ready to decode/encode, with where it is registered.
pub struct Resolved {
    pub id: u32,
    pub kind: SchemaKind,
    /// Every subject/version this schema is registered under, as the registry lists them
    /// (one schema can serve several topics); may be empty if the registry did not say.
    pub registered: Vec<(String, i32)>,
    pub compiled: Compiled,
}

impl Resolved {
    /// Where a record of `topic` was most likely registered: the topic-name-strategy subject
    /// (`<topic>-key` / `<topic>-value`) when the schema is registered there, else the first.
    pub fn registration_for(&self, topic: Option<&str>, is_key: bool) -> Option<&(String, i32)> {
        let suffix = if is_key { "-key" } else { "-value" };
        topic
            .and_then(|t| self.registered.iter().find(|(s, _)| s.strip_suffix(suffix) == Some(t)))
            .or_else(|| self.registered.first())
    }
}

pub struct RegistryClient {
    urls: Vec<String>,
    http: reqwest::Client,
    auth: Auth,
    /// Parsed schemas by id; a failure is kept too (unknown ids stay unknown for the session).
    /// Read for every record a search decodes, on every core: a read lock, so readers never queue.
    by_id: RwLock<HashMap<u32, std::result::Result<Arc<Resolved>, Error>>>,
    down_until: Mutex<Option<(Instant, Error)>>,
}

enum Auth {
    None,
    Basic(String, String),
    Bearer(String),
}

impl fmt::Debug for RegistryClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegistryClient").field("urls", &self.urls).finish_non_exhaustive()
    }
}

fn read_file(path: &str, what: &str, field: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::invalid_input(field, format!("Could not read the {what} {path}: {e}.")))
}

impl RegistryClient {
    /// A client for `settings`; `secrets` holds the keychain values of its secret fields.
    pub fn new(settings: &RegistrySettings, secrets: &std::collections::BTreeMap<String, String>) -> Result<RegistryClient> {
        let secret = |f: &str| {
            secrets.get(f).cloned().ok_or_else(|| {
                Error::new(ErrorKind::Auth, "The Schema Registry's saved secret is not available; enter it again in the connection editor.")
                    .with_detail(f.to_string())
            })
        };
        let auth = match settings.auth {
            RegistryAuth::None => Auth::None,
            RegistryAuth::Basic => Auth::Basic(settings.username.clone().unwrap_or_default(), secret(REGISTRY_PASSWORD)?),
            RegistryAuth::Bearer => Auth::Bearer(secret(REGISTRY_TOKEN)?),
        };
        let mut builder = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("KafkaDesk/", env!("CARGO_PKG_VERSION")));
        let tls = &settings.tls;
        if let Some(ca) = &tls.ca_file {
            let pem = read_file(ca, "CA certificate", "schemaRegistryCaFile")?;
            let cert = reqwest::Certificate::from_pem(&pem)
                .map_err(|e| Error::invalid_input("schemaRegistryCaFile", format!("The registry CA file is not a PEM certificate: {e}.")))?;
            builder = builder.add_root_certificate(cert);
        }
        if let (Some(cert), Some(key)) = (&tls.client_cert_file, &tls.client_key_file) {
            let cert = read_file(cert, "client certificate", "schemaRegistryCertFile")?;
            let key = read_file(key, "client key", "schemaRegistryKeyFile")?;
            let identity = reqwest::Identity::from_pkcs8_pem(&cert, &key).map_err(|e| {
                Error::invalid_input("schemaRegistryKeyFile", format!("The registry client certificate or key is not usable (PEM, key in PKCS#8): {e}."))
            })?;
            builder = builder.identity(identity);
        }
        if tls.skip_hostname_check {
            builder = builder.danger_accept_invalid_hostnames(true);
        }
        let http = builder.build().map_err(|e| Error::internal("Could not set up the registry client.").with_detail(e.to_string()))?;
        Ok(RegistryClient {
            urls: settings.urls.clone(),
            http,
            auth,
            by_id: RwLock::new(HashMap::new()),
            down_until: Mutex::new(None),
        })
    }

    pub fn urls(&self) -> &[String] {
        &self.urls
    }

    /// One request, tried against each URL in turn while the registry cannot be reached.
    async fn request(&self, method: reqwest::Method, path: &[&str], query: &[(&str, &str)], body: Option<serde_json::Value>) -> Result<(u16, String)> {
        let mut last = None;
        for base in &self.urls {
            let mut url = reqwest::Url::parse(base).map_err(|e| Error::invalid_input("schemaRegistryUrls", e.to_string()))?;
            if let Ok(mut segments) = url.path_segments_mut() {
                segments.pop_if_empty();
                for p in path {
                    segments.push(p);
                }
            }
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(query);
            }
            let mut req = self
                .http
                .request(method.clone(), url)
                .header(reqwest::header::ACCEPT, "application/vnd.schemaregistry.v1+json, application/json");
            req = match &self.auth {
                Auth::None => req,
                Auth::Basic(u, p) => req.basic_auth(u, Some(p)),
                Auth::Bearer(t) => req.bearer_auth(t),
            };
            if let Some(body) = &body {
                req = req.header(reqwest::header::CONTENT_TYPE, "application/vnd.schemaregistry.v1+json").body(body.to_string());
            }
            match req.send().await {
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let text = resp.text().await.map_err(|e| transport_error(&e, base))?;
                    return Ok((status, text));
                }
                Err(e) => {
                    let err = transport_error(&e, base);
                    // TLS and auth problems are the same on every URL; unreachable ones may not be.
                    if err.kind != ErrorKind::Unreachable && err.kind != ErrorKind::Timeout {
                        return Err(err);
                    }
                    last = Some(err);
                }
            }
        }
        Err(last.unwrap_or_else(|| Error::invalid_input("schemaRegistryUrls", "No Schema Registry URL is set.")))
    }

    /// A JSON answer, or the registry's own error message.
    async fn call<T: DeserializeOwned>(&self, method: reqwest::Method, path: &[&str], query: &[(&str, &str)], body: Option<serde_json::Value>) -> Result<T> {
        let (status, text) = self.request(method, path, query, body).await?;
        if !(200..300).contains(&status) {
            return Err(api_error(status, &text));
        }
        serde_json::from_str(&text).map_err(|e| {
            Error::new(ErrorKind::Internal, "The Schema Registry's answer could not be read.").with_detail(format!("{e}: {}", clip(&text)))
        })
    }

    pub async fn subjects(&self) -> Result<Vec<String>> {
        self.call(reqwest::Method::GET, &["subjects"], &[], None).await
    }

    pub async fn versions(&self, subject: &str) -> Result<Vec<i32>> {
        self.call(reqwest::Method::GET, &["subjects", subject, "versions"], &[], None).await
    }

    /// `version`: a number, or `latest`.
    pub async fn version(&self, subject: &str, version: &str) -> Result<SchemaVersion> {
        let raw: RawSchema = self.call(reqwest::Method::GET, &["subjects", subject, "versions", version], &[], None).await?;
        Ok(SchemaVersion {
            subject: raw.subject.unwrap_or_else(|| subject.to_string()),
            version: raw.version.unwrap_or_default(),
            id: raw.id.unwrap_or_default(),
            schema_type: SchemaKind::parse(raw.schema_type.as_deref()),
            schema: raw.schema,
            references: raw.references,
        })
    }

    async fn schema_by_id(&self, id: u32) -> Result<RawSchema> {
        self.call(reqwest::Method::GET, &["schemas", "ids", &id.to_string()], &[], None).await
    }

    /// Global compatibility (`subject` None) or a subject's own (None when it has none).
    pub async fn compatibility(&self, subject: Option<&str>) -> Result<Option<String>> {
        let path: Vec<&str> = match subject {
            Some(s) => vec!["config", s],
            None => vec!["config"],
        };
        match self.call::<CompatibilityLevel>(reqwest::Method::GET, &path, &[], None).await {
            Ok(c) => Ok(Some(c.compatibility_level)),
            Err(e) if subject.is_some() && e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn set_compatibility(&self, subject: Option<&str>, level: &str) -> Result<String> {
        const LEVELS: &[&str] = &["NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE", "FULL", "FULL_TRANSITIVE"];
        if !LEVELS.contains(&level) {
            return Err(Error::invalid_input("compatibility", format!("Compatibility: choose one of {}.", LEVELS.join(", "))));
        }
        let path: Vec<&str> = match subject {
            Some(s) => vec!["config", s],
            None => vec!["config"],
        };
        let c: CompatibilityLevel = self.call(reqwest::Method::PUT, &path, &[], Some(json!({ "compatibility": level }))).await?;
        Ok(c.compatibility_level)
    }

    pub async fn mode(&self) -> Result<Option<String>> {
        #[derive(Deserialize)]
        struct Mode {
            mode: String,
        }
        match self.call::<Mode>(reqwest::Method::GET, &["mode"], &[], None).await {
            Ok(m) => Ok(Some(m.mode)),
            Err(e) if e.kind == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn body(kind: SchemaKind, schema: &str, references: &[SchemaReference]) -> serde_json::Value {
        let mut body = json!({ "schema": schema, "references": references });
        if kind != SchemaKind::Avro {
            body["schemaType"] = json!(kind.api_name());
        }
        body
    }

    /// Whether `schema` may be registered under `subject` (against its latest version).
    /// `Ok(Err(messages))`: not compatible, with the registry's reasons.
    pub async fn check_compatibility(
        &self,
        subject: &str,
        kind: SchemaKind,
        schema: &str,
        references: &[SchemaReference],
    ) -> Result<std::result::Result<(), Vec<String>>> {
        #[derive(Deserialize)]
        struct Check {
            is_compatible: bool,
            #[serde(default)]
            messages: Vec<serde_json::Value>,
        }
        let path = ["compatibility", "subjects", subject, "versions", "latest"];
        let check: Check = match self.call(reqwest::Method::POST, &path, &[("verbose", "true")], Some(Self::body(kind, schema, references))).await {
            Ok(c) => c,
            // A subject with no version yet accepts anything.
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(Ok(())),
            Err(e) => return Err(e),
        };
        if check.is_compatible {
            Ok(Ok(()))
        } else {
            let mut messages: Vec<String> =
                check.messages.iter().map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string)).collect();
            if messages.is_empty() {
                messages.push("The registry says this schema is not compatible with the latest version.".into());
            }
            Ok(Err(messages))
        }
    }

    /// Registers a schema under `subject`; returns its id.
    pub async fn register(&self, subject: &str, kind: SchemaKind, schema: &str, references: &[SchemaReference]) -> Result<u32> {
        #[derive(Deserialize)]
        struct Id {
            id: u32,
        }
        let path = ["subjects", subject, "versions"];
        let id: Id = self.call(reqwest::Method::POST, &path, &[], Some(Self::body(kind, schema, references))).await?;
        Ok(id.id)
    }

    /// Deletes one version (`Some`) or the whole subject; `permanent` after a soft delete.
    pub async fn delete(&self, subject: &str, version: Option<i32>, permanent: bool) -> Result<()> {
        let v = version.map(|v| v.to_string());
        let mut path = vec!["subjects", subject];
        if let Some(v) = &v {
            path.extend(["versions", v.as_str()]);
        }
        let query: &[(&str, &str)] = if permanent { &[("permanent", "true")] } else { &[] };
        let _: serde_json::Value = self.call(reqwest::Method::DELETE, &path, query, None).await?;
        Ok(())
    }

    /// A schema's text and those of all it references (transitively), by reference name.
    pub async fn with_references(&self, references: &[SchemaReference]) -> Result<Vec<(String, String)>> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut todo: Vec<(SchemaReference, usize)> = references.iter().cloned().map(|r| (r, 0)).collect();
        while let Some((r, depth)) = todo.pop() {
            if out.iter().any(|(n, _)| *n == r.name) {
                continue;
            }
            if depth > MAX_REFERENCE_DEPTH {
                return Err(Error::new(ErrorKind::InvalidInput, format!("Schema references nest deeper than {MAX_REFERENCE_DEPTH} (a cycle?) at {}.", r.name)));
            }
            let v = self.version(&r.subject, &r.version.to_string()).await?;
            todo.extend(v.references.iter().cloned().map(|x| (x, depth + 1)));
            out.push((r.name.clone(), v.schema));
        }
        // Referenced schemas before those that use them.
        out.reverse();
        Ok(out)
    }

    /// What [`resolve`](Self::resolve) answers without asking the registry: a cached schema
    /// (or "not there"), or the error while the registry is known to be down.
    pub fn known(&self, id: u32) -> Option<Result<Arc<Resolved>>> {
        if let Some(hit) = self.by_id.read().ok().and_then(|m| m.get(&id).cloned()) {
            return Some(hit);
        }
        match self.down_until.lock().ok().and_then(|d| d.clone()) {
            Some((until, e)) if Instant::now() < until => Some(Err(e)),
            _ => None,
        }
    }

    /// The parsed schema with this id, fetched once (with its references) and cached.
    pub async fn resolve(&self, id: u32) -> Result<Arc<Resolved>> {
        if let Some(known) = self.known(id) {
            return known;
        }
        let result = self.fetch(id).await;
        match &result {
            Err(e) if matches!(e.kind, ErrorKind::Unreachable | ErrorKind::Timeout) => {
                if let Ok(mut d) = self.down_until.lock() {
                    *d = Some((Instant::now() + DOWN_BACKOFF, e.clone()));
                }
            }
            // Registry errors other than "not there" (auth, 5xx) are not remembered either.
            Err(e) if e.kind != ErrorKind::NotFound && e.kind != ErrorKind::InvalidInput => {}
            _ => {
                if let Ok(mut m) = self.by_id.write() {
                    m.insert(id, result.clone());
                }
            }
        }
        result
    }

    async fn fetch(&self, id: u32) -> Result<Arc<Resolved>> {
        let raw = self.schema_by_id(id).await.map_err(|e| {
            if e.kind == ErrorKind::NotFound {
                Error::not_found(format!("Schema id {id} is not in the Schema Registry."))
            } else {
                e
            }
        })?;
        let kind = SchemaKind::parse(raw.schema_type.as_deref());
        let refs = self.with_references(&raw.references).await?;
        let compiled = Compiled::compile(kind, &raw.schema, &refs)?;
        // Where it is registered is only a label: a registry that does not say still decodes.
        let registered = self
            .call::<Vec<SubjectVersion>>(reqwest::Method::GET, &["schemas", "ids", &id.to_string(), "versions"], &[], None)
            .await
            .map(|list| list.into_iter().map(|sv| (sv.subject, sv.version)).collect())
            .unwrap_or_default();
        Ok(Arc::new(Resolved { id, kind, registered, compiled }))
    }

    /// The parsed latest (or given) version of a subject, for encoding; not cached (a new
    /// version may have been registered since).
    pub async fn resolve_subject(&self, subject: &str, version: Option<i32>) -> Result<Arc<Resolved>> {
        let v = self.version(subject, &version.map_or_else(|| "latest".to_string(), |v| v.to_string())).await.map_err(|e| {
            if e.kind == ErrorKind::NotFound {
                Error::invalid_input("schemaSubject", format!("Subject \"{subject}\" has no such version in the Schema Registry."))
            } else {
                e
            }
        })?;
        if let Some(hit) = self.by_id.read().ok().and_then(|m| m.get(&v.id).cloned()).and_then(|r| r.ok()) {
            return Ok(hit);
        }
        let refs = self.with_references(&v.references).await?;
        let compiled = Compiled::compile(v.schema_type, &v.schema, &refs)?;
        let resolved =
            Arc::new(Resolved { id: v.id, kind: v.schema_type, registered: vec![(v.subject, v.version)], compiled });
        if let Ok(mut m) = self.by_id.write() {
            m.insert(v.id, Ok(Arc::clone(&resolved)));
        }
        Ok(resolved)
    }
}

fn clip(text: &str) -> String {
    text.chars().take(300).collect()
}

/// A non-2xx answer in words; the registry's own message (`{error_code, message}`) kept.
fn api_error(status: u16, text: &str) -> Error {
    #[derive(Deserialize)]
    struct ApiError {
        #[serde(default)]
        error_code: Option<i64>,
        #[serde(default)]
        message: Option<String>,
    }
    let parsed: Option<ApiError> = serde_json::from_str(text).ok();
    let said = parsed.as_ref().and_then(|p| p.message.clone()).unwrap_or_else(|| clip(text));
    let code = parsed.and_then(|p| p.error_code).unwrap_or(i64::from(status));
    let detail = format!("HTTP {status}, error code {code}");
    match status {
        401 => Error::new(ErrorKind::Auth, "The Schema Registry refused the credentials (HTTP 401): check the user name and password or token.").with_detail(detail),
        403 => Error::new(ErrorKind::Auth, format!("The Schema Registry denied access (HTTP 403): these credentials may not do that. {said}")).with_detail(detail),
        404 => Error::not_found(format!("Not found in the Schema Registry: {said}")).with_detail(detail),
        409 | 422 => Error::new(ErrorKind::InvalidInput, format!("The Schema Registry refused it: {said}")).with_detail("schema"),
        _ => Error::new(ErrorKind::Internal, format!("The Schema Registry answered HTTP {status}: {said}")).with_detail(detail),
    }
}

/// Names the transport failure: TLS, timeout, or unreachable.
fn transport_error(e: &reqwest::Error, base: &str) -> Error {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain.push_str(": ");
        chain.push_str(&s.to_string());
        source = s.source();
    }
    let lower = chain.to_ascii_lowercase();
    if ["certificate", "ssl", "tls", "handshake"].iter().any(|w| lower.contains(w)) {
        let why = if lower.contains("hostname") || lower.contains("host name") {
            "its certificate does not name this host"
        } else if lower.contains("unknown ca") || lower.contains("unable to get local issuer") || lower.contains("self-signed") || lower.contains("self signed") {
            "its certificate is not signed by a trusted CA (choose the registry's CA file)"
        } else {
            "the TLS handshake failed"
        };
        return Error::new(ErrorKind::Tls, format!("Could not talk to the Schema Registry at {base}: {why}.")).with_detail(chain);
    }
    if e.is_timeout() {
        return Error::timeout(format!("The Schema Registry at {base} did not answer within {} s.", REQUEST_TIMEOUT.as_secs())).with_detail(chain);
    }
    Error::new(ErrorKind::Unreachable, format!("Could not reach the Schema Registry at {base}: is it running, and is the URL right?")).with_detail(chain)
}

/// What "Test" shows for a registry.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RegistryTest {
    pub url: String,
    pub subjects: u32,
    pub mode: Option<String>,
    pub compatibility: Option<String>,
    pub round_trip_ms: u32,
}

pub async fn test(client: &RegistryClient) -> Result<RegistryTest> {
    let started = Instant::now();
    let subjects = client.subjects().await?;
    let round_trip_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    let mode = client.mode().await.unwrap_or(None);
    let compatibility = client.compatibility(None).await.unwrap_or(None);
    Ok(RegistryTest {
        url: client.urls.first().cloned().unwrap_or_default(),
        subjects: u32::try_from(subjects.len()).unwrap_or(u32::MAX),
        mode,
        compatibility,
        round_trip_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_schema_is_labelled_with_the_subject_of_the_topic_read() {
        let registered = vec![("orders-value".to_string(), 1), ("payments-value".to_string(), 3), ("payments-key".to_string(), 2)];
        let compiled = Compiled::compile(SchemaKind::Avro, r#""string""#, &[]).unwrap();
        let resolved = Resolved { id: 7, kind: SchemaKind::Avro, registered, compiled };
        assert_eq!(resolved.registration_for(Some("payments"), false), Some(&("payments-value".to_string(), 3)));
        assert_eq!(resolved.registration_for(Some("payments"), true), Some(&("payments-key".to_string(), 2)));
        // No subject of this topic (another naming strategy): the first the registry listed.
        assert_eq!(resolved.registration_for(Some("audit"), false), Some(&("orders-value".to_string(), 1)));
        assert_eq!(resolved.registration_for(None, false), Some(&("orders-value".to_string(), 1)));
    }
}
