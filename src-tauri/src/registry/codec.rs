//! Schemas compiled for use, and the Confluent wire format around them.
//!
//! Wire format: magic byte 0, the schema id (4 bytes, big-endian), for Protobuf the
//! message indexes (zig-zag varints: a count, then the path of the message type in its
//! file; `[0]` is written as a single 0), then the record (Avro binary, Protobuf binary,
//! or JSON text).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{avro, json_schema, protobuf};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum SchemaKind {
    Avro,
    Protobuf,
    Json,
}

impl SchemaKind {
    /// The API's `schemaType` (absent means Avro).
    pub fn parse(raw: Option<&str>) -> SchemaKind {
        match raw.map(str::to_ascii_uppercase).as_deref() {
            Some("PROTOBUF") => SchemaKind::Protobuf,
            Some("JSON") => SchemaKind::Json,
            _ => SchemaKind::Avro,
        }
    }

    pub fn api_name(self) -> &'static str {
        match self {
            SchemaKind::Avro => "AVRO",
            SchemaKind::Protobuf => "PROTOBUF",
            SchemaKind::Json => "JSON",
        }
    }
}

pub enum Compiled {
    Avro(avro::AvroSchema),
    Protobuf(protobuf::ProtoSchema),
    Json(json_schema::JsonSchema),
}

impl Compiled {
    /// Parses `schema` with its references (`(reference name, schema text)`, dependencies
    /// first). A syntax error is `InvalidInput` on the `schema` field, with line and column
    /// where the parser gives them.
    pub fn compile(kind: SchemaKind, schema: &str, references: &[(String, String)]) -> Result<Compiled> {
        match kind {
            SchemaKind::Avro => avro::AvroSchema::parse(schema, references).map(Compiled::Avro),
            SchemaKind::Protobuf => protobuf::ProtoSchema::parse(schema, references).map(Compiled::Protobuf),
            SchemaKind::Json => json_schema::JsonSchema::parse(schema).map(Compiled::Json),
        }
    }

    /// The record after the schema id (Protobuf: from the message indexes on) as JSON,
    /// with the Protobuf message type it was.
    pub fn decode(&self, body: &[u8]) -> std::result::Result<(serde_json::Value, Option<String>), String> {
        match self {
            Compiled::Avro(s) => s.decode(body).map(|j| (j, None)),
            Compiled::Protobuf(s) => s.decode(body).map(|(j, m)| (j, Some(m))),
            Compiled::Json(s) => s.decode(body).map(|j| (j, None)),
        }
    }

    /// The record as compact JSON text appended to `out`: what a search reads. Avro writes
    /// it straight from the decoded record; the others through their JSON value.
    pub fn decode_text(&self, body: &[u8], out: &mut Vec<u8>) -> std::result::Result<(), String> {
        match self {
            Compiled::Avro(s) => s.decode_text(body, out),
            other => {
                let (json, _) = other.decode(body)?;
                serde_json::to_writer(out, &json).map_err(|e| e.to_string())
            }
        }
    }

    /// JSON to the record bytes that follow the schema id (Protobuf: with message indexes).
    /// `message`: the Protobuf message type (full name); `None`: the file's first.
    pub fn encode(&self, value: &serde_json::Value, message: Option<&str>, field: &str) -> Result<Vec<u8>> {
        let fits = |e: String| Error::invalid_input(field, e);
        match self {
            Compiled::Avro(s) => s.encode(value).map_err(fits),
            Compiled::Protobuf(s) => s.encode(value, message).map_err(fits),
            Compiled::Json(s) => s.encode(value).map_err(fits),
        }
    }
}

/// The schema id of a message in the wire format, and the bytes after it.
pub fn split_wire(bytes: &[u8]) -> Option<(u32, &[u8])> {
    if bytes.len() < 5 || bytes[0] != 0 {
        return None;
    }
    let id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
    Some((id, &bytes[5..]))
}

/// Magic byte and schema id, then `body`.
pub fn frame(id: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(5 + body.len());
    out.push(0);
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// Compiles a schema the user typed, for the editor's syntax check.
pub fn check_syntax(kind: SchemaKind, schema: &str, references: &[(String, String)]) -> Result<()> {
    if schema.trim().is_empty() {
        return Err(Error::invalid_input("schema", "The schema is empty."));
    }
    Compiled::compile(kind, schema, references).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_and_splits_the_wire_format() {
        let framed = frame(258, b"xy");
        assert_eq!(framed, vec![0, 0, 0, 1, 2, b'x', b'y']);
        assert_eq!(split_wire(&framed), Some((258, &b"xy"[..])));
        assert_eq!(split_wire(b"{\"a\":1}"), None);
        assert_eq!(split_wire(&[0, 0, 1]), None);
    }
}
