//! Protobuf without a registry: `.proto` files (imports found beside them) or a compiled
//! descriptor set, and the message type for a topic's keys and values; remembered per
//! profile and topic in `local-protobuf.json` in the config directory (written atomically).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use prost_reflect::DescriptorPool;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::decoder::LocalProto;
use super::protobuf::ProtoSchema;
use crate::error::{Error, Result};

const FILE_NAME: &str = "local-protobuf.json";

/// A topic's local Protobuf types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct TopicProto {
    /// `.proto` files, or one descriptor set (`.desc`, `.pb`, `.protoset`).
    pub files: Vec<String>,
    /// Full message names; `None`: that side is not Protobuf.
    pub key_message: Option<String>,
    pub value_message: Option<String>,
}

/// What loading the files found, for the picker.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ProtoTypes {
    pub messages: Vec<String>,
}

pub struct LocalProtos {
    path: PathBuf,
    by_topic: Mutex<BTreeMap<String, TopicProto>>,
}

fn key(profile_id: &str, topic: &str) -> String {
    format!("{profile_id}/{topic}")
}

impl LocalProtos {
    /// Loads the saved choices; an unreadable file starts empty (it is only a convenience).
    pub fn open(dir: &Path) -> LocalProtos {
        let path = dir.join(FILE_NAME);
        let by_topic = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default();
        LocalProtos { path, by_topic: Mutex::new(by_topic) }
    }

    pub fn get(&self, profile_id: &str, topic: &str) -> Option<TopicProto> {
        self.by_topic.lock().ok()?.get(&key(profile_id, topic)).cloned()
    }

    /// Checks the files compile and the messages exist, then remembers them (an empty
    /// `files` forgets the topic's choice).
    pub fn set(&self, profile_id: &str, topic: &str, choice: TopicProto) -> Result<ProtoTypes> {
        let types = if choice.files.is_empty() { ProtoTypes { messages: vec![] } } else { types(&load(&choice.files)?) };
        for (field, m) in [("keyMessage", &choice.key_message), ("valueMessage", &choice.value_message)] {
            if let Some(m) = m.as_deref().filter(|m| !m.is_empty()) {
                if !types.messages.iter().any(|t| t == m) {
                    return Err(Error::invalid_input(field, format!("The files define no message type \"{m}\".")));
                }
            }
        }
        let mut map = self.by_topic.lock().map_err(|_| Error::internal("The local Protobuf settings are unusable."))?;
        let mut next = map.clone();
        if choice.files.is_empty() {
            next.remove(&key(profile_id, topic));
        } else {
            next.insert(key(profile_id, topic), choice);
        }
        let bytes = serde_json::to_vec_pretty(&next).map_err(|e| Error::internal(e.to_string()))?;
        crate::files::write_atomic(&self.path, &bytes, None)?;
        *map = next;
        Ok(types)
    }

    /// The decoders for a topic, when one is chosen.
    pub fn decoders(&self, profile_id: &str, topic: &str) -> Result<(Option<LocalProto>, Option<LocalProto>)> {
        let Some(choice) = self.get(profile_id, topic) else { return Ok((None, None)) };
        let schema = Arc::new(load(&choice.files)?);
        let side = |m: &Option<String>| m.clone().filter(|m| !m.is_empty()).map(|message| LocalProto { schema: Arc::clone(&schema), message });
        Ok((side(&choice.key_message), side(&choice.value_message)))
    }
}

fn types(schema: &ProtoSchema) -> ProtoTypes {
    ProtoTypes { messages: schema.all_message_names() }
}

/// Compiles the files: a descriptor set as it is, `.proto` files with imports looked up
/// beside each file.
pub fn load(files: &[String]) -> Result<ProtoSchema> {
    let first = files.first().ok_or_else(|| Error::invalid_input("files", "Choose .proto files or a descriptor set."))?;
    let is_set = |f: &str| [".desc", ".pb", ".protoset", ".binpb"].iter().any(|e| f.ends_with(e));
    if is_set(first) {
        let bytes = std::fs::read(first).map_err(|e| Error::invalid_input("files", format!("Could not read {first}: {e}.")))?;
        let pool = DescriptorPool::decode(bytes.as_slice())
            .map_err(|e| Error::invalid_input("files", format!("{first} is not a Protobuf descriptor set: {e}.")))?;
        return ProtoSchema::from_pool(pool);
    }
    let mut includes: Vec<PathBuf> = Vec::new();
    let mut names = Vec::new();
    for f in files {
        let p = Path::new(f);
        if !p.is_file() {
            return Err(Error::invalid_input("files", format!("There is no file at {f}.")));
        }
        let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
        if !includes.contains(&dir) {
            includes.push(dir);
        }
        names.push(p.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default());
    }
    let set = protox::compile(&names, &includes).map_err(|e| Error::invalid_input("files", format!("The .proto files do not compile: {e}.")))?;
    let pool = DescriptorPool::from_file_descriptor_set(set).map_err(|e| Error::invalid_input("files", e.to_string()))?;
    ProtoSchema::from_pool(pool)
}
