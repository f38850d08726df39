//! The decoding layer browse, filters and export call: recognises the Confluent wire
//! format, finds the schema (fetched once per registry and cached), and turns the record
//! into JSON. Blocking on purpose: it runs on browse threads, `spawn_blocking` jobs and
//! commands drawing rows, and waits on the app's async runtime through a handle (from a
//! thread of its own) for the rare schema fetch.

use std::sync::Arc;

use serde::Serialize;
use ts_rs::TS;

use super::client::{RegistryClient, Resolved};
use crate::error::{Error, Result};
use super::codec::{split_wire, SchemaKind};
use super::protobuf::{self, ProtoSchema};

/// Which schema a decoded key or value was written with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SchemaTag {
    pub kind: SchemaKind,
    /// Registry id; `None` for a local Protobuf schema.
    pub id: Option<u32>,
    pub subject: Option<String>,
    pub version: Option<i32>,
    /// Protobuf message type.
    pub message: Option<String>,
}

pub enum Outcome {
    Decoded(serde_json::Value, SchemaTag),
    /// The bytes looked like schema data but could not be decoded; why, for the user.
    Failed(String),
}

/// A local Protobuf type for a topic's keys or values (no registry).
pub struct LocalProto {
    pub schema: Arc<ProtoSchema>,
    pub message: String,
}

/// What a browse session decodes with. Cheap to clone.
#[derive(Clone, Default)]
pub struct Decoder {
    /// The topic being read: picks which of a schema's subjects a record was written under.
    topic: Option<Arc<str>>,
    registry: Option<(Arc<RegistryClient>, tokio::runtime::Handle)>,
    key_proto: Option<Arc<LocalProto>>,
    value_proto: Option<Arc<LocalProto>>,
}

impl Decoder {
    pub fn new(
        topic: &str,
        registry: Option<(Arc<RegistryClient>, tokio::runtime::Handle)>,
        key_proto: Option<LocalProto>,
        value_proto: Option<LocalProto>,
    ) -> Option<Decoder> {
        if registry.is_none() && key_proto.is_none() && value_proto.is_none() {
            return None;
        }
        Some(Decoder { topic: Some(topic.into()), registry, key_proto: key_proto.map(Arc::new), value_proto: value_proto.map(Arc::new) })
    }

    /// `None`: not schema data (shown as the plain bytes they are).
    ///
    /// Decoding is synchronous (rows are drawn under the session's lock); a schema not yet
    /// cached is fetched once, bounded by the client's timeout.
    pub fn decode(&self, bytes: &[u8], is_key: bool) -> Option<Outcome> {
        let (id, body, resolved) = match self.schema_of(bytes, is_key)? {
            Schema::Local(local) => return Some(decode_local(local, bytes)),
            Schema::Registered(id, body, Ok(resolved)) => (id, body, resolved),
            Schema::Registered(_, _, Err(e)) => return Some(Outcome::Failed(e.message)),
        };
        Some(match resolved.compiled.decode(body) {
            Ok((json, message)) => {
                let registration = resolved.registration_for(self.topic.as_deref(), is_key);
                let tag = SchemaTag {
                    kind: resolved.kind,
                    id: Some(id),
                    subject: registration.map(|(s, _)| s.clone()),
                    version: registration.map(|(_, v)| *v),
                    message,
                };
                Outcome::Decoded(json, tag)
            }
            Err(e) => Outcome::Failed(format!("Schema id {id}: {e}")),
        })
    }

    /// What a search reads of schema data: the decoded record as compact JSON text, or why
    /// it could not be decoded; `None`: not schema data. Cheaper than [`decode`](Self::decode)
    /// (no JSON tree for Avro, no schema tag).
    pub fn decode_text(&self, bytes: &[u8], is_key: bool) -> Option<std::result::Result<Vec<u8>, String>> {
        Some(match self.schema_of(bytes, is_key)? {
            Schema::Local(local) => match decode_local(local, bytes) {
                Outcome::Decoded(json, _) => serde_json::to_vec(&json).map_err(|e| e.to_string()),
                Outcome::Failed(why) => Err(why),
            },
            Schema::Registered(_, body, Ok(resolved)) => {
                let mut text = Vec::with_capacity(body.len() * 2);
                resolved.compiled.decode_text(body, &mut text).map(|()| text)
            }
            Schema::Registered(_, _, Err(e)) => Err(e.message),
        })
    }

    fn schema_of<'a, 'b>(&'a self, bytes: &'b [u8], is_key: bool) -> Option<Schema<'a, 'b>> {
        let local = if is_key { &self.key_proto } else { &self.value_proto };
        if let Some(local) = local {
            return Some(Schema::Local(local));
        }
        let (id, body) = split_wire(bytes)?;
        let (client, handle) = self.registry.as_ref()?;
        Some(Schema::Registered(id, body, client.known(id).unwrap_or_else(|| fetch_blocking(client, handle, id))))
    }
}

/// The schema a key or value was written with: a local Protobuf type, or a registry id (with
/// the body after it, and the schema or why it could not be had).
enum Schema<'a, 'b> {
    Local(&'a LocalProto),
    Registered(u32, &'b [u8], Result<Arc<Resolved>>),
}

fn decode_local(local: &LocalProto, bytes: &[u8]) -> Outcome {
    let desc = match local.schema.message(Some(&local.message)) {
        Ok(d) => d,
        Err(e) => return Outcome::Failed(e),
    };
    match protobuf::decode_message(&desc, bytes) {
        Ok(json) => Outcome::Decoded(
            json,
            SchemaTag { kind: SchemaKind::Protobuf, id: None, subject: None, version: None, message: Some(local.message.clone()) },
        ),
        Err(e) => Outcome::Failed(e),
    }
}

/// Fetches a schema from synchronous code that may itself run on a runtime thread (an async
/// command drawing rows), where blocking on the runtime would panic: the request is driven
/// from a short-lived thread of its own.
fn fetch_blocking(client: &Arc<RegistryClient>, handle: &tokio::runtime::Handle, id: u32) -> Result<Arc<Resolved>> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("kafkadesk-schema-fetch".into())
            .spawn_scoped(scope, || handle.block_on(client.resolve(id)))
            .map_err(|e| Error::internal("Could not start the schema fetch.").with_detail(e.to_string()))?
            .join()
            .unwrap_or_else(|_| Err(Error::internal("The schema fetch stopped unexpectedly.")))
    })
}
