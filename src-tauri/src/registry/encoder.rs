//! Encoding typed JSON with a registered schema, for produce: the schema is resolved once
//! per send (subject + version, or the latest), then every record is checked and framed.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::{RegistryClient, Resolved};
use super::codec::frame;
use crate::error::{Error, Result};

/// Which registered schema to write a key or value with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchemaChoice {
    pub subject: String,
    /// `None`: the latest version.
    #[serde(default)]
    #[ts(optional)]
    pub version: Option<i32>,
    /// Protobuf message type (full name); `None`: the schema's first message.
    #[serde(default)]
    #[ts(optional)]
    pub message: Option<String>,
}

pub struct Encoder {
    key: Option<(Arc<Resolved>, Option<String>)>,
    value: Option<(Arc<Resolved>, Option<String>)>,
}

impl Encoder {
    pub async fn resolve(client: &RegistryClient, key: Option<&SchemaChoice>, value: Option<&SchemaChoice>) -> Result<Encoder> {
        let one = async |c: Option<&SchemaChoice>, field: &str| -> Result<Option<(Arc<Resolved>, Option<String>)>> {
            match c {
                None => Ok(None),
                Some(c) if c.subject.trim().is_empty() => Err(Error::invalid_input(field, "Choose the schema's subject.")),
                Some(c) => {
                    let r = client.resolve_subject(c.subject.trim(), c.version).await.map_err(|mut e| {
                        if e.detail.as_deref() == Some("schemaSubject") {
                            e.detail = Some(field.to_string());
                        }
                        e
                    })?;
                    Ok(Some((r, c.message.clone().filter(|m| !m.is_empty()))))
                }
            }
        };
        Ok(Encoder { key: one(key, "keySchema").await?, value: one(value, "valueSchema").await? })
    }

    pub fn has(&self, is_key: bool) -> bool {
        if is_key { self.key.is_some() } else { self.value.is_some() }
    }

    /// JSON text to wire-format bytes; `None` when that side has no schema.
    pub fn encode_text(&self, is_key: bool, text: &str, field: &str, label: &str) -> Option<Result<Vec<u8>>> {
        self.side(is_key)?;
        let parsed: serde_json::Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Some(Err(Error::invalid_input(
                    field,
                    format!("{label} must be JSON to be encoded with the schema: {e} (line {}, column {}).", e.line(), e.column()),
                )))
            }
        };
        self.encode(is_key, &parsed, field, label)
    }

    pub fn encode(&self, is_key: bool, value: &serde_json::Value, field: &str, label: &str) -> Option<Result<Vec<u8>>> {
        let (resolved, message) = self.side(is_key)?;
        let subject = resolved.registered.first().map_or("the schema", |(s, _)| s.as_str());
        Some(
            resolved
                .compiled
                .encode(value, message.as_deref(), field)
                .map(|body| frame(resolved.id, &body))
                .map_err(|e| Error::invalid_input(field, format!("{label} does not fit {subject} (id {}): {}", resolved.id, e.message))),
        )
    }

    fn side(&self, is_key: bool) -> Option<&(Arc<Resolved>, Option<String>)> {
        if is_key { self.key.as_ref() } else { self.value.as_ref() }
    }
}
