//! Connectors, tasks, plugins and offsets through Connect's REST API.
//!
//! Reads take a [`ConnectClient`]; every change takes a [`ConnectWriter`], which only the
//! read-only gate ([`ConnectWriter::new`]) produces, so a read-only profile cannot reach
//! a mutating call. Secret-looking config values are masked before they leave this
//! module (the webview never sees them) and put back on an edit that left them masked.

use std::collections::BTreeMap;

use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ts_rs::TS;

use super::client::{ConnectClient, WRITE_TIMEOUT};
use crate::error::{Error, ErrorKind, Result};

/// What a masked config value shows.
pub const MASK: &str = "********";

/// A client that may change the Connect cluster: made only by the read-only gate.
#[derive(Debug, Clone)]
pub struct ConnectWriter(ConnectClient);

impl ConnectWriter {
    /// Refuses with `ReadOnly` when the profile is read-only.
    pub fn new(client: ConnectClient, read_only: bool, profile_name: &str) -> Result<ConnectWriter> {
        if read_only {
            return Err(Error::new(
                ErrorKind::ReadOnly,
                format!("\"{profile_name}\" is a read-only connection: KafkaDesk does not change its Kafka Connect clusters."),
            ));
        }
        Ok(ConnectWriter(client))
    }

    pub fn reader(&self) -> &ConnectClient {
        &self.0
    }

    async fn send(&self, method: Method, segments: &[&str], query: &[(&str, &str)], body: Option<&Value>) -> Result<Value> {
        let answer = self.0.send(method, segments, query, body, WRITE_TIMEOUT).await?;
        if answer.body.is_empty() {
            return Ok(Value::Null);
        }
        answer.json()
    }
}

/// What `GET /` says about the worker; the Test button shows it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectInfo {
    /// The URL that answered.
    pub url: String,
    pub version: String,
    pub commit: String,
    pub kafka_cluster_id: String,
    pub connectors: u32,
    pub plugins: u32,
    pub round_trip_ms: u32,
}

/// A connector's or task's state as Connect reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TaskState {
    pub id: u32,
    /// RUNNING, PAUSED, STOPPED, FAILED, UNASSIGNED or RESTARTING.
    pub state: String,
    pub worker_id: String,
    /// The full stack trace of a FAILED task.
    pub trace: Option<String>,
}

/// One row of the connectors list.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectorSummary {
    pub name: String,
    /// "source", "sink" or "unknown".
    pub kind: String,
    /// `connector.class`.
    pub class: String,
    pub state: String,
    pub worker_id: String,
    /// The connector's own trace when it FAILED.
    pub trace: Option<String>,
    pub tasks: Vec<TaskState>,
    /// Topics it used (KIP-558); `None` when the worker does not track them.
    pub topics: Option<Vec<String>>,
}

/// The detail view: the summary plus the config (secrets masked).
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectorDetail {
    pub summary: ConnectorSummary,
    pub config: BTreeMap<String, String>,
    /// Keys whose values are masked in `config`.
    pub masked: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PluginInfo {
    pub class: String,
    /// "source" or "sink".
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub version: Option<String>,
}

/// One field of a plugin's config as Connect's validate describes it, with its errors.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConfigField {
    pub name: String,
    /// BOOLEAN, INT, LONG, DOUBLE, STRING, LIST, CLASS, PASSWORD, SHORT.
    pub kind: String,
    pub required: bool,
    pub default_value: Option<String>,
    /// HIGH, MEDIUM or LOW.
    pub importance: String,
    pub documentation: String,
    pub group: Option<String>,
    pub display_name: String,
    pub order: i32,
    pub value: Option<String>,
    pub recommended_values: Vec<String>,
    pub errors: Vec<String>,
    pub visible: bool,
}

/// Connect's verdict on a config: every field with its errors.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Validation {
    pub error_count: u32,
    pub groups: Vec<String>,
    pub fields: Vec<ConfigField>,
}

/// How to restart a connector.
#[derive(Debug, Clone, Copy, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct RestartRequest {
    pub include_tasks: bool,
    pub only_failed: bool,
}

/// A connector's offsets (KIP-875): partition → offset, both as the connector defines them.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConnectorOffset {
    #[ts(type = "Record<string, unknown>")]
    pub partition: Value,
    #[ts(type = "Record<string, unknown> | null")]
    pub offset: Value,
}

// --- Connect's own JSON shapes -----------------------------------------------------------

#[derive(Deserialize)]
struct StateJson {
    state: String,
    #[serde(default)]
    worker_id: String,
    #[serde(default)]
    trace: Option<String>,
}

#[derive(Deserialize)]
struct TaskJson {
    id: u32,
    state: String,
    #[serde(default)]
    worker_id: String,
    #[serde(default)]
    trace: Option<String>,
}

#[derive(Deserialize)]
struct StatusJson {
    connector: StateJson,
    #[serde(default)]
    tasks: Vec<TaskJson>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct InfoJson {
    #[serde(default)]
    config: BTreeMap<String, String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
}

#[derive(Deserialize)]
struct ExpandedJson {
    #[serde(default)]
    status: Option<StatusJson>,
    #[serde(default)]
    info: Option<InfoJson>,
}

fn summary(name: &str, status: Option<StatusJson>, info: Option<&InfoJson>, topics: Option<Vec<String>>) -> ConnectorSummary {
    let kind = status
        .as_ref()
        .and_then(|s| s.kind.clone())
        .or_else(|| info.and_then(|i| i.kind.clone()))
        .unwrap_or_else(|| "unknown".into());
    let class = info.and_then(|i| i.config.get("connector.class").cloned()).unwrap_or_default();
    let (state, worker_id, trace, tasks) = match status {
        Some(s) => (
            s.connector.state,
            s.connector.worker_id,
            s.connector.trace,
            s.tasks
                .into_iter()
                .map(|t| TaskState { id: t.id, state: t.state, worker_id: t.worker_id, trace: t.trace })
                .collect(),
        ),
        None => ("UNKNOWN".into(), String::new(), None, Vec::new()),
    };
    ConnectorSummary { name: name.to_string(), kind, class, state, worker_id, trace, tasks, topics }
}

/// Whether a config key holds a secret (passwords, keys, tokens, JAAS lines).
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    let converter_or_class = k.ends_with(".converter") || k.ends_with(".class") || k.contains("converter.");
    !converter_or_class
        && (k.contains("password")
            || k.contains("secret")
            || k.contains("token")
            || k.ends_with("jaas.config")
            || k.ends_with(".key") && !k.ends_with("message.key")
            || k.contains("api.key")
            || k.contains("credentials"))
}

/// The config with secret-looking values (that are not already externalised through a
/// config provider, `${…}`) replaced by [`MASK`].
pub fn mask(config: &BTreeMap<String, String>) -> (BTreeMap<String, String>, Vec<String>) {
    let mut masked = Vec::new();
    let shown = config
        .iter()
        .map(|(k, v)| {
            if is_secret_key(k) && !v.is_empty() && !v.starts_with("${") {
                masked.push(k.clone());
                (k.clone(), MASK.to_string())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    (shown, masked)
}

/// Puts back the saved value of every secret the user left masked.
fn unmask(mut config: BTreeMap<String, String>, saved: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    for (k, v) in config.iter_mut() {
        if v == MASK {
            if let Some(real) = saved.get(k) {
                *v = real.clone();
            }
        }
    }
    config
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::invalid_input("name", "Name: enter a name for the connector."));
    }
    if name.chars().count() > 249 || name.chars().any(char::is_control) {
        return Err(Error::invalid_input("name", "Name: use at most 249 characters and no control characters."));
    }
    Ok(name)
}

fn check_config(config: &BTreeMap<String, String>) -> Result<()> {
    if !config.get("connector.class").is_some_and(|c| !c.trim().is_empty()) {
        return Err(Error::invalid_input("connector.class", "Connector class: choose a plugin."));
    }
    if config.len() > 10_000 || config.iter().any(|(k, v)| k.len() > 1_000 || v.len() > 1_000_000) {
        return Err(Error::invalid_input("config", "The config is too large for a connector."));
    }
    Ok(())
}

// --- Reads ---------------------------------------------------------------------------------

/// `GET /` plus counts: proves the URL, the credentials and the TLS settings.
pub async fn test(client: &ConnectClient) -> Result<ConnectInfo> {
    let started = std::time::Instant::now();
    let answer = client.send(Method::GET, &[], &[], None, client.read_timeout()).await?;
    let round_trip_ms = u32::try_from(started.elapsed().as_millis()).unwrap_or(u32::MAX);
    let root: Value = answer.json()?;
    let text = |k: &str| root.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
    if root.get("version").is_none() {
        return Err(Error::new(
            ErrorKind::Unreachable,
            format!("{} answered, but it is not a Kafka Connect worker (no version in its answer).", answer.url),
        ));
    }
    let connectors: Vec<String> = client.get(&["connectors"], &[]).await?;
    let plugins = plugins(client).await?;
    Ok(ConnectInfo {
        url: answer.url,
        version: text("version"),
        commit: text("commit"),
        kafka_cluster_id: text("kafka_cluster_id"),
        connectors: u32::try_from(connectors.len()).unwrap_or(u32::MAX),
        plugins: u32::try_from(plugins.len()).unwrap_or(u32::MAX),
        round_trip_ms,
    })
}

/// Topics a connector used (KIP-558); `None` when topic tracking is off or unanswered.
async fn topics(client: &ConnectClient, name: &str) -> Option<Vec<String>> {
    let v: Value = client.get(&["connectors", name, "topics"], &[]).await.ok()?;
    let list = v.get(name)?.get("topics")?.as_array()?;
    Some(list.iter().filter_map(|t| t.as_str().map(str::to_string)).collect())
}

/// Every connector with status, class and topics, sorted by name. One expanded list
/// request, then the topics of each connector (8 at a time).
pub async fn list(client: &ConnectClient) -> Result<Vec<ConnectorSummary>> {
    let expanded: BTreeMap<String, ExpandedJson> =
        client.get(&["connectors"], &[("expand", "status"), ("expand", "info")]).await?;
    let names: Vec<String> = expanded.keys().cloned().collect();
    let mut found: BTreeMap<String, Option<Vec<String>>> = BTreeMap::new();
    for chunk in names.chunks(8) {
        let mut set = tokio::task::JoinSet::new();
        for name in chunk {
            let client = client.clone();
            let name = name.clone();
            set.spawn(async move {
                let t = topics(&client, &name).await;
                (name, t)
            });
        }
        while let Some(done) = set.join_next().await {
            let (name, t) = done?;
            found.insert(name, t);
        }
    }
    Ok(expanded
        .into_iter()
        .map(|(name, e)| {
            let t = found.remove(&name).flatten();
            summary(&name, e.status, e.info.as_ref(), t)
        })
        .collect())
}

/// One connector: status, tasks with traces, topics and its config (secrets masked).
pub async fn detail(client: &ConnectClient, name: &str) -> Result<ConnectorDetail> {
    let config: BTreeMap<String, String> = client.get(&["connectors", name, "config"], &[]).await?;
    let status: StatusJson = client.get(&["connectors", name, "status"], &[]).await?;
    let info = InfoJson { config, kind: None };
    let summary = summary(name, Some(status), Some(&info), topics(client, name).await);
    let (config, masked) = mask(&info.config);
    Ok(ConnectorDetail { summary, config, masked })
}

/// The connector plugins installed on the workers (not transforms or converters).
pub async fn plugins(client: &ConnectClient) -> Result<Vec<PluginInfo>> {
    let mut list: Vec<PluginInfo> = client.get(&["connector-plugins"], &[("connectorsOnly", "true")]).await?;
    list.sort_by(|a, b| a.class.cmp(&b.class));
    Ok(list)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Connect's own validation of `config` for `plugin`: every field of the plugin's config
/// definition (so a form can be built from it) with its value and errors.
pub async fn validate(client: &ConnectClient, plugin: &str, config: &BTreeMap<String, String>) -> Result<Validation> {
    if plugin.trim().is_empty() {
        return Err(Error::invalid_input("connector.class", "Connector class: choose a plugin."));
    }
    let mut body = config.clone();
    body.insert("connector.class".into(), plugin.to_string());
    let body = serde_json::to_value(&body).map_err(|e| Error::internal(e.to_string()))?;
    let answer = client
        .send(Method::PUT, &["connector-plugins", plugin, "config", "validate"], &[], Some(&body), WRITE_TIMEOUT)
        .await?;
    let v: Value = answer.json()?;
    let text = |v: &Value, k: &str| v.get(k).and_then(value_text);
    let strings = |v: Option<&Value>| -> Vec<String> {
        v.and_then(Value::as_array).map(|a| a.iter().filter_map(value_text).collect()).unwrap_or_default()
    };
    let mut fields = Vec::new();
    for entry in v.get("configs").and_then(Value::as_array).into_iter().flatten() {
        let (Some(def), Some(val)) = (entry.get("definition"), entry.get("value")) else { continue };
        let Some(name) = text(def, "name") else { continue };
        fields.push(ConfigField {
            kind: text(def, "type").unwrap_or_else(|| "STRING".into()),
            required: def.get("required").and_then(Value::as_bool).unwrap_or(false),
            default_value: text(def, "default_value"),
            importance: text(def, "importance").unwrap_or_default(),
            documentation: text(def, "documentation").unwrap_or_default(),
            group: text(def, "group"),
            display_name: text(def, "display_name").unwrap_or_else(|| name.clone()),
            order: def.get("order").and_then(Value::as_i64).and_then(|o| i32::try_from(o).ok()).unwrap_or(-1),
            value: if is_secret_key(&name) && text(val, "value").is_some() { Some(MASK.into()) } else { text(val, "value") },
            recommended_values: strings(val.get("recommended_values")),
            errors: strings(val.get("errors")),
            visible: val.get("visible").and_then(Value::as_bool).unwrap_or(true),
            name,
        });
    }
    Ok(Validation {
        error_count: v.get("error_count").and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok()).unwrap_or(0),
        groups: strings(v.get("groups")),
        fields,
    })
}

/// A connector's offsets (KIP-875; Connect 3.6+).
pub async fn offsets(client: &ConnectClient, name: &str) -> Result<Vec<ConnectorOffset>> {
    #[derive(Deserialize)]
    struct Offsets {
        offsets: Vec<ConnectorOffset>,
    }
    let answer: Offsets = client.get(&["connectors", name, "offsets"], &[]).await?;
    Ok(answer.offsets)
}

// --- Changes -------------------------------------------------------------------------------

/// Creates a connector; Connect validates the config itself and refuses a bad one.
pub async fn create(writer: &ConnectWriter, name: &str, config: &BTreeMap<String, String>) -> Result<()> {
    let name = check_name(name)?;
    check_config(config)?;
    let mut config = config.clone();
    config.insert("name".into(), name.to_string());
    writer.send(Method::POST, &["connectors"], &[], Some(&json!({ "name": name, "config": config }))).await?;
    Ok(())
}

/// Replaces a connector's config. Values left as [`MASK`] keep their saved secret.
pub async fn update(writer: &ConnectWriter, name: &str, config: BTreeMap<String, String>) -> Result<()> {
    check_config(&config)?;
    let saved: BTreeMap<String, String> = writer.reader().get(&["connectors", name, "config"], &[]).await?;
    let mut config = unmask(config, &saved);
    config.insert("name".into(), name.to_string());
    let body = serde_json::to_value(&config).map_err(|e| Error::internal(e.to_string()))?;
    writer.send(Method::PUT, &["connectors", name, "config"], &[], Some(&body)).await?;
    Ok(())
}

/// Pause, resume or stop (KIP-875: stopped connectors keep their config, drop their tasks).
pub async fn set_state(writer: &ConnectWriter, name: &str, action: &str) -> Result<()> {
    if !matches!(action, "pause" | "resume" | "stop") {
        return Err(Error::invalid_input("action", format!("Unknown connector action \"{action}\".")));
    }
    writer.send(Method::PUT, &["connectors", name, action], &[], None).await?;
    Ok(())
}

/// Restarts the connector and, as asked, its (failed) tasks.
pub async fn restart(writer: &ConnectWriter, name: &str, request: RestartRequest) -> Result<()> {
    let flag = |b: bool| if b { "true" } else { "false" };
    let query = [("includeTasks", flag(request.include_tasks)), ("onlyFailed", flag(request.only_failed))];
    writer.send(Method::POST, &["connectors", name, "restart"], &query, None).await?;
    Ok(())
}

pub async fn restart_task(writer: &ConnectWriter, name: &str, task: u32) -> Result<()> {
    writer.send(Method::POST, &["connectors", name, "tasks", &task.to_string(), "restart"], &[], None).await?;
    Ok(())
}

/// Resets a stopped connector's offsets (KIP-875); answers Connect's message.
pub async fn reset_offsets(writer: &ConnectWriter, name: &str) -> Result<String> {
    let v = writer.send(Method::DELETE, &["connectors", name, "offsets"], &[], None).await?;
    Ok(v.get("message").and_then(Value::as_str).unwrap_or("Offsets reset.").to_string())
}

/// Alters a stopped connector's offsets (KIP-875) to `offsets` (partition → offset; a
/// `null` offset removes that partition's). Answers Connect's message.
pub async fn alter_offsets(writer: &ConnectWriter, name: &str, offsets: Vec<ConnectorOffset>) -> Result<String> {
    if offsets.is_empty() {
        return Err(Error::invalid_input("offsets", "Offsets: give at least one partition and its offset."));
    }
    if offsets.iter().any(|o| !o.partition.is_object() || !(o.offset.is_object() || o.offset.is_null())) {
        return Err(Error::invalid_input(
            "offsets",
            "Offsets: each entry needs a \"partition\" object and an \"offset\" object (or null).",
        ));
    }
    let v = writer.send(Method::PATCH, &["connectors", name, "offsets"], &[], Some(&json!({ "offsets": offsets }))).await?;
    Ok(v.get("message").and_then(Value::as_str).unwrap_or("Offsets altered.").to_string())
}

pub async fn delete(writer: &ConnectWriter, name: &str) -> Result<()> {
    writer.send(Method::DELETE, &["connectors", name], &[], None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets_but_not_converters_and_puts_them_back() {
        let config: BTreeMap<String, String> = [
            ("connection.password", "pw"),
            ("key.converter", "org.apache.kafka.connect.storage.StringConverter"),
            ("aws.secret.key", "s"),
            ("file", "/tmp/x"),
            ("db.password", "${file:/secrets.properties:pw}"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (shown, masked) = mask(&config);
        assert_eq!(masked, vec!["aws.secret.key", "connection.password"]);
        assert_eq!(shown["connection.password"], MASK);
        assert_eq!(shown["key.converter"], config["key.converter"]);
        assert_eq!(shown["db.password"], config["db.password"], "config-provider references are not secrets");
        let back = unmask(shown, &config);
        assert_eq!(back, config);
    }

    #[test]
    fn the_gate_refuses_read_only_profiles() {
        let cluster = super::super::settings::ConnectCluster {
            id: "c".into(),
            name: "c".into(),
            urls: vec!["http://127.0.0.1:1".into()],
            username: None,
            tls: Default::default(),
        };
        let client = ConnectClient::new(&cluster, None).unwrap();
        assert_eq!(ConnectWriter::new(client.clone(), true, "Prod").unwrap_err().kind, ErrorKind::ReadOnly);
        assert!(ConnectWriter::new(client, false, "Dev").is_ok());
    }

    #[test]
    fn reads_the_expanded_listing() {
        let raw = r#"{"src":{"status":{"name":"src","connector":{"state":"RUNNING","worker_id":"w:1"},
            "tasks":[{"id":0,"state":"FAILED","worker_id":"w:1","trace":"boom"}],"type":"source"},
            "info":{"name":"src","config":{"connector.class":"FileStreamSource"},"tasks":[],"type":"source"}}}"#;
        let parsed: BTreeMap<String, ExpandedJson> = serde_json::from_str(raw).unwrap();
        let (name, e) = parsed.into_iter().next().unwrap();
        let s = summary(&name, e.status, e.info.as_ref(), Some(vec!["t".into()]));
        assert_eq!((s.kind.as_str(), s.class.as_str(), s.state.as_str()), ("source", "FileStreamSource", "RUNNING"));
        assert_eq!(s.tasks[0].trace.as_deref(), Some("boom"));
    }
}
