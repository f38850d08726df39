//! Sent-message history (per topic, newest first) and named templates, kept as one JSON
//! file in the app's config dir so a message can be sent again with one click.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::files;
use crate::kafka::messages::produce::ProduceRequest;

const FILE_NAME: &str = "message-library.json";
/// Sent messages remembered per topic.
const HISTORY_PER_TOPIC: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SavedMessage {
    /// The template's name; empty for history entries.
    pub name: String,
    /// Milliseconds since the epoch.
    pub saved_at: f64,
    pub request: ProduceRequest,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Library {
    pub history: Vec<SavedMessage>,
    pub templates: Vec<SavedMessage>,
}

pub struct MessageLibrary {
    path: PathBuf,
    library: Mutex<Library>,
}

fn now_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
}

impl MessageLibrary {
    /// Opens the library in `dir`; a missing file starts an empty one, and an unreadable one
    /// is kept aside (never overwritten) before starting empty: the history is a
    /// convenience, never a reason not to start.
    pub fn open(dir: &Path) -> MessageLibrary {
        let path = dir.join(FILE_NAME);
        let library = match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                match files::keep_aside(&path) {
                    Ok(aside) => log::warn!("message history unreadable ({e}); kept at {}", aside.display()),
                    Err(io) => log::warn!("message history unreadable ({e}) and could not be moved aside: {io}"),
                }
                Library::default()
            }),
            Err(_) => Library::default(),
        };
        MessageLibrary { path, library: Mutex::new(library) }
    }

    /// History for one topic (or all topics) and every template.
    pub fn list(&self, topic: Option<&str>) -> Result<Library> {
        let library = self.lock()?;
        Ok(Library {
            history: library.history.iter().filter(|m| topic.is_none_or(|t| m.request.topic == t)).cloned().collect(),
            templates: library.templates.clone(),
        })
    }

    pub fn record_sent(&self, request: &ProduceRequest) -> Result<()> {
        let mut library = self.lock()?;
        library.history.retain(|m| m.request != *request);
        library.history.insert(0, SavedMessage { name: String::new(), saved_at: now_ms(), request: request.clone() });
        let topic = request.topic.clone();
        let mut kept = 0;
        library.history.retain(|m| {
            if m.request.topic != topic {
                return true;
            }
            kept += 1;
            kept <= HISTORY_PER_TOPIC
        });
        self.save(&library)
    }

    /// Saves (or replaces) a template by name.
    pub fn save_template(&self, name: &str, request: ProduceRequest) -> Result<Library> {
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::invalid_input("templateName", "Give the template a name."));
        }
        let mut library = self.lock()?;
        library.templates.retain(|t| t.name != name);
        library.templates.push(SavedMessage { name: name.to_string(), saved_at: now_ms(), request });
        library.templates.sort_by(|a, b| a.name.cmp(&b.name));
        self.save(&library)?;
        Ok(library.clone())
    }

    pub fn delete_template(&self, name: &str) -> Result<()> {
        let mut library = self.lock()?;
        library.templates.retain(|t| t.name != name);
        self.save(&library)
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Library>> {
        self.library.lock().map_err(|_| Error::internal("The message history is unusable after an earlier fault."))
    }

    /// Temp file, then rename: a crash never leaves half a library.
    fn save(&self, library: &Library) -> Result<()> {
        let bytes = serde_json::to_vec(library)
            .map_err(|e| Error::internal("Could not encode the message history.").with_detail(e.to_string()))?;
        files::write_atomic(&self.path, &bytes, None).map_err(|e| Error::internal(format!("Could not save the message history to {}: {e}", self.path.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(topic: &str, value: &str) -> ProduceRequest {
        ProduceRequest { topic: topic.into(), value: Some(value.into()), ..Default::default() }
    }

    #[test]
    fn an_unreadable_library_is_kept_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();
        let library = MessageLibrary::open(dir.path());
        library.record_sent(&request("a", "v")).unwrap();
        let kept: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".corrupt-"))
            .collect();
        assert_eq!(kept.len(), 1, "{kept:?}");
        assert_eq!(fs::read(&kept[0]).unwrap(), b"{ not json");
    }

    #[test]
    fn history_is_per_topic_newest_first_bounded_and_survives_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let library = MessageLibrary::open(dir.path());
        for i in 0..60 {
            library.record_sent(&request("a", &format!("v{i}"))).unwrap();
        }
        library.record_sent(&request("b", "other")).unwrap();
        library.record_sent(&request("a", "v10")).unwrap(); // sent again: moves to the front
        library.save_template("  ", request("a", "x")).unwrap_err();
        library.save_template("order", request("a", "{}")).unwrap();
        let reopened = MessageLibrary::open(dir.path());
        let a = reopened.list(Some("a")).unwrap();
        assert_eq!(a.history.len(), 50);
        assert_eq!(a.history[0].request.value.as_deref(), Some("v10"));
        assert_eq!(a.history[1].request.value.as_deref(), Some("v59"));
        assert_eq!(reopened.list(None).unwrap().history.len(), 51);
        assert_eq!(a.templates.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["order"]);
        reopened.delete_template("order").unwrap();
        assert!(MessageLibrary::open(dir.path()).list(None).unwrap().templates.is_empty());
    }
}
