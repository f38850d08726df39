//! Schema Registry: a profile's registry settings, the REST client with its schema cache,
//! the Avro / Protobuf / JSON Schema codecs, the decoding layer browse uses, and what the
//! Subjects view shows. Tauri-free; imports neither `kafka` nor `profiles`.

pub mod avro;
pub mod client;
pub mod codec;
pub mod decoder;
pub mod encoder;
pub mod json_schema;
pub mod local;
pub mod protobuf;
pub mod settings;
pub mod subjects;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

pub use client::RegistryClient;
pub use decoder::Decoder;
pub use settings::{RegistryInput, RegistrySettings};

use crate::error::{Error, Result};

/// Registry clients by profile id, kept while their settings and secrets stay the same, so
/// the schema cache lives as long as the connection's settings do.
#[derive(Default)]
pub struct Registries {
    clients: Mutex<HashMap<String, Entry>>,
}

struct Entry {
    settings: RegistrySettings,
    /// Compared, never shown: a changed password builds a new client.
    secrets: BTreeMap<String, String>,
    client: Arc<RegistryClient>,
}

impl Registries {
    pub fn client(&self, profile_id: &str, settings: &RegistrySettings, secrets: BTreeMap<String, String>) -> Result<Arc<RegistryClient>> {
        let mut clients = self.clients.lock().map_err(|_| Error::internal("The registry clients are unusable after an earlier fault."))?;
        if let Some(e) = clients.get(profile_id) {
            if &e.settings == settings && e.secrets == secrets {
                return Ok(Arc::clone(&e.client));
            }
        }
        let client = Arc::new(RegistryClient::new(settings, &secrets)?);
        clients.insert(profile_id.to_string(), Entry { settings: settings.clone(), secrets, client: Arc::clone(&client) });
        Ok(client)
    }

    pub fn forget(&self, profile_id: &str) {
        if let Ok(mut c) = self.clients.lock() {
            c.remove(profile_id);
        }
    }
}
