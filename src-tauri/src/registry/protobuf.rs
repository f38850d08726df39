//! Protobuf through protox (compiles `.proto` text, imports resolved from the schema's
//! references or from local files) and prost-reflect (dynamic messages, JSON mapping).
//! Confluent's message indexes pick the message type inside the file.

use prost::bytes::Buf;
use prost_reflect::{DescriptorPool, DynamicMessage, FileDescriptor, MessageDescriptor, SerializeOptions};
use protox::file::{ChainFileResolver, File, FileResolver, GoogleFileResolver};
use serde_json::Value as Json;

use crate::error::{Error, Result};

/// The registered schema's own file name inside the compiler (references keep theirs).
const MAIN_FILE: &str = "kafkadesk-registered.proto";

pub struct ProtoSchema {
    pool: DescriptorPool,
    file: FileDescriptor,
}

/// Files given as text by name: the schema and its references.
struct Sources(Vec<(String, String)>);

impl FileResolver for Sources {
    fn open_file(&self, name: &str) -> std::result::Result<File, protox::Error> {
        match self.0.iter().find(|(n, _)| n == name) {
            Some((_, text)) => match descriptor_bytes(text) {
                // Some serializers (Python confluent-kafka) register a base64 FileDescriptorProto.
                Some(bytes) => File::decode_file_descriptor_proto(bytes.as_slice()).map_err(|_| protox::Error::file_not_found(name)),
                None => File::from_source(name, text),
            },
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// The bytes of a schema registered as a base64-encoded FileDescriptorProto; `None` for
/// `.proto` text (which always has spaces, braces or semicolons).
fn descriptor_bytes(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let t = text.trim();
    if t.is_empty() || t.contains([' ', '{', ';', '\n']) {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(t).ok()
}

impl ProtoSchema {
    /// `references`: `(import path, .proto text)`.
    pub fn parse(text: &str, references: &[(String, String)]) -> Result<ProtoSchema> {
        let mut files = references.to_vec();
        files.push((MAIN_FILE.to_string(), text.to_string()));
        Self::compile(files, MAIN_FILE)
    }

    /// Compiles `main` out of `files` (`(path, text)`), well-known Google types included.
    pub fn compile(files: Vec<(String, String)>, main: &str) -> Result<ProtoSchema> {
        let references: Vec<String> = files.iter().map(|(name, _)| name.clone()).filter(|name| name != main).collect();
        let mut chain = ChainFileResolver::new();
        chain.add(Sources(files));
        chain.add(GoogleFileResolver::new());
        let mut compiler = protox::Compiler::with_file_resolver(chain);
        compiler.include_imports(true);
        compiler
            .open_file(main)
            .map_err(|e| Error::invalid_input("schema", format!("The Protobuf schema is not valid: {e}.")))?;
        let pool = compiler.descriptor_pool();
        // A registered FileDescriptorProto keeps the name its writer gave it: then the main
        // file is the one that is neither a reference nor a well-known type.
        let file = pool
            .get_file_by_name(main)
            .or_else(|| {
                pool.files()
                    .filter(|f| !f.name().starts_with("google/protobuf/") && !references.iter().any(|r| r == f.name()))
                    .last()
            })
            .ok_or_else(|| Error::invalid_input("schema", "The Protobuf schema compiled to nothing."))?;
        if file.messages().next().is_none() {
            return Err(Error::invalid_input("schema", "The Protobuf schema defines no message."));
        }
        Ok(ProtoSchema { pool, file })
    }

    /// A compiled pool (local files, a descriptor set); its first file with messages leads.
    pub fn from_pool(pool: DescriptorPool) -> Result<ProtoSchema> {
        let file = pool
            .files()
            .filter(|f| !f.name().starts_with("google/protobuf/"))
            .find(|f| f.messages().next().is_some())
            .ok_or_else(|| Error::invalid_input("files", "The files define no message type."))?;
        Ok(ProtoSchema { pool, file })
    }

    /// Every message type in every file (well-known Google types left out), by full name.
    pub fn all_message_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .pool
            .all_messages()
            .filter(|m| !m.is_map_entry() && !m.full_name().starts_with("google.protobuf."))
            .map(|m| m.full_name().to_string())
            .collect();
        names.sort();
        names
    }

    /// Every message type of the schema's file, nested ones included, by full name.
    pub fn message_names(&self) -> Vec<String> {
        fn walk(m: MessageDescriptor, out: &mut Vec<String>) {
            if m.is_map_entry() {
                return;
            }
            out.push(m.full_name().to_string());
            for c in m.child_messages() {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        for m in self.file.messages() {
            walk(m, &mut out);
        }
        out
    }

    fn by_indexes(&self, indexes: &[i64]) -> std::result::Result<MessageDescriptor, String> {
        let missing = || format!("The message indexes {indexes:?} name no message type in the schema.");
        let first = *indexes.first().unwrap_or(&0);
        let mut m = self.file.messages().nth(usize::try_from(first).map_err(|_| missing())?).ok_or_else(missing)?;
        for i in indexes.iter().skip(1) {
            let child = m.child_messages().nth(usize::try_from(*i).map_err(|_| missing())?).ok_or_else(missing)?;
            m = child;
        }
        Ok(m)
    }

    fn indexes_of(&self, m: &MessageDescriptor) -> Vec<i64> {
        let mut path = Vec::new();
        let mut cur = m.clone();
        loop {
            match cur.parent_message() {
                Some(parent) => {
                    path.push(parent.child_messages().position(|c| c.full_name() == cur.full_name()).unwrap_or(0) as i64);
                    cur = parent;
                }
                None => {
                    path.push(self.file.messages().position(|c| c.full_name() == cur.full_name()).unwrap_or(0) as i64);
                    break;
                }
            }
        }
        path.reverse();
        path
    }

    /// The message type by full name (or by its simple name when that is unique);
    /// `None`: the file's first message.
    pub fn message(&self, name: Option<&str>) -> std::result::Result<MessageDescriptor, String> {
        match name.filter(|n| !n.is_empty()) {
            None => self.file.messages().next().ok_or_else(|| "The schema defines no message.".to_string()),
            Some(n) => self
                .pool
                .get_message_by_name(n)
                .or_else(|| self.pool.all_messages().find(|m| m.name() == n))
                .ok_or_else(|| format!("The schema has no message type \"{n}\"; it has {}.", self.message_names().join(", "))),
        }
    }

    /// Message indexes, then the message.
    pub fn decode(&self, body: &[u8]) -> std::result::Result<(Json, String), String> {
        let mut buf = body;
        let indexes = read_indexes(&mut buf)?;
        let desc = self.by_indexes(&indexes)?;
        Ok((decode_message(&desc, buf)?, desc.full_name().to_string()))
    }

    pub fn encode(&self, value: &Json, message: Option<&str>) -> std::result::Result<Vec<u8>, String> {
        let desc = self.message(message)?;
        let mut out = Vec::new();
        write_indexes(&self.indexes_of(&desc), &mut out);
        out.extend(encode_message(&desc, value)?);
        Ok(out)
    }
}

/// A bare message (no wire-format prefix) as JSON: every field shown, 64-bit numbers as numbers.
pub fn decode_message(desc: &MessageDescriptor, bytes: &[u8]) -> std::result::Result<Json, String> {
    let msg = DynamicMessage::decode(desc.clone(), bytes)
        .map_err(|e| format!("The bytes do not fit Protobuf message {}: {e}", desc.full_name()))?;
    let options = SerializeOptions::new().skip_default_fields(false).stringify_64_bit_integers(false);
    msg.serialize_with_options(serde_json::value::Serializer, &options)
        .map_err(|e| format!("Could not show message {} as JSON: {e}", desc.full_name()))
}

/// JSON (protobuf's JSON mapping) to a bare message.
pub fn encode_message(desc: &MessageDescriptor, value: &Json) -> std::result::Result<Vec<u8>, String> {
    let msg = DynamicMessage::deserialize(desc.clone(), value.clone())
        .map_err(|e| format!("The record does not fit Protobuf message {}: {e}", desc.full_name()))?;
    Ok(prost::Message::encode_to_vec(&msg))
}

fn read_varint(buf: &mut &[u8]) -> std::result::Result<u64, String> {
    prost::encoding::decode_varint(buf).map_err(|_| "The message indexes of the Protobuf wire format are cut short.".to_string())
}

fn zigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

fn read_indexes(buf: &mut &[u8]) -> std::result::Result<Vec<i64>, String> {
    let count = zigzag(read_varint(buf)?);
    if count == 0 {
        return Ok(vec![0]);
    }
    if !(1..=64).contains(&count) || buf.remaining() == 0 {
        return Err(format!("The Protobuf message index count {count} is not plausible."));
    }
    (0..count).map(|_| read_varint(buf).map(zigzag)).collect()
}

fn write_indexes(indexes: &[i64], out: &mut Vec<u8>) {
    let zz = |n: i64| ((n << 1) ^ (n >> 63)) as u64;
    if indexes == [0] {
        out.push(0);
        return;
    }
    prost::encoding::encode_varint(zz(indexes.len() as i64), out);
    for i in indexes {
        prost::encoding::encode_varint(zz(*i), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const COMMON: &str = "syntax = \"proto3\";\npackage shop;\nmessage Money { string currency = 1; int64 cents = 2; }\n";
    const ORDER: &str = "syntax = \"proto3\";\npackage shop;\nimport \"common.proto\";\nimport \"google/protobuf/timestamp.proto\";\n\
        message Order { int64 id = 1; Money total = 2; repeated Line lines = 3; google.protobuf.Timestamp placed = 4;\n\
          message Line { string sku = 1; int32 qty = 2; } }\nmessage Refund { int64 order_id = 1; }\n";

    fn schema() -> ProtoSchema {
        ProtoSchema::parse(ORDER, &[("common.proto".into(), COMMON.into())]).unwrap()
    }

    #[test]
    fn round_trips_nested_and_imported_types_with_indexes() {
        let s = schema();
        let order = json!({"id": 9, "total": {"currency": "EUR", "cents": 1250}, "lines": [{"sku": "a", "qty": 2}], "placed": "2024-01-02T03:04:05Z"});
        let bytes = s.encode(&order, Some("shop.Order")).unwrap();
        assert_eq!(bytes[0], 0, "the first message is written as the single index 0");
        let decoded = s.decode(&bytes).unwrap();
        assert_eq!(decoded, (order, "shop.Order".to_string()));
        // Fields in the order of the message definition, as they are shown and exported.
        assert_eq!(serde_json::to_string(&decoded.0).unwrap(), r#"{"id":9,"total":{"currency":"EUR","cents":1250},"lines":[{"sku":"a","qty":2}],"placed":"2024-01-02T03:04:05Z"}"#);
        let refund = s.encode(&json!({"orderId": 9}), Some("Refund")).unwrap();
        assert_eq!(&refund[..2], &[2, 2], "count 1, index 1 (zig-zag)");
        assert_eq!(s.decode(&refund).unwrap().0, json!({"orderId": 9}));
        let line = s.encode(&json!({"sku": "x", "qty": 1}), Some("shop.Order.Line")).unwrap();
        assert_eq!(&line[..3], &[4, 0, 0], "count 2, path 0/0");
        assert_eq!(s.decode(&line).unwrap(), (json!({"sku": "x", "qty": 1}), "shop.Order.Line".to_string()));
    }

    #[test]
    fn bad_schema_and_bad_records_are_clear() {
        let e = ProtoSchema::parse("syntax = \"proto3\"; message X { int32 a = 1 }", &[]).err().unwrap();
        assert_eq!(e.detail.as_deref(), Some("schema"));
        let e = schema().encode(&json!({"id": "x1"}), Some("shop.Order")).unwrap_err();
        assert!(e.contains("shop.Order"), "{e}");
        assert!(schema().decode(&[0, 0xff, 0xff]).is_err());
    }
}
