//! What the app holds while it runs: the profile store and the connected clusters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorKind, Result};
use crate::kafka::{Cluster, Connection};
use crate::profiles::import::{self, ImportReport};
use crate::profiles::{new_id, Profile, ProfileStore, Secrets, Validated};

pub struct AppState {
    pub profiles: ProfileStore,
    pub secrets: Secrets,
    clusters: Mutex<HashMap<String, Arc<Cluster>>>,
    /// `--connect <profile name>` from the command line, handed to the window once.
    startup_connect: Mutex<Option<String>>,
}

impl AppState {
    pub fn new(profiles: ProfileStore, secrets: Secrets, startup_connect: Option<String>) -> Self {
        AppState {
            profiles,
            secrets,
            clusters: Mutex::new(HashMap::new()),
            startup_connect: Mutex::new(startup_connect),
        }
    }

    pub fn take_startup_connect(&self) -> Option<String> {
        self.startup_connect.lock().ok().and_then(|mut name| name.take())
    }

    /// How to reach a saved profile's cluster, with its secrets read from the keychain.
    pub fn connection(&self, profile_id: &str) -> Result<Connection> {
        let profile = self.profiles.get(profile_id)?;
        let mut secrets = std::collections::BTreeMap::new();
        for field in &profile.secret_fields {
            if let Some(value) = self.secrets.get(&profile.id, field)? {
                secrets.insert(field.clone(), value);
            }
        }
        Connection::from_profile(&profile, &secrets)
    }

    /// Saves a validated profile (new or changed) and brings the keychain in line with it.
    /// Secrets are written first: a profile is never saved pointing at a secret that is not there.
    pub fn save_profile(&self, validated: Validated, is_new: bool) -> Result<Profile> {
        let Validated { profile, set_secrets, removed_secrets } = validated;
        for (field, value) in &set_secrets {
            self.secrets.set(&profile.id, field, value)?;
        }
        let id = profile.id.clone();
        let saved = if is_new { self.profiles.add(profile) } else { self.profiles.update(profile) };
        let saved = match saved {
            Ok(p) => p,
            Err(e) => {
                // A new profile that was not saved must not leave secrets behind.
                if is_new {
                    for field in set_secrets.keys() {
                        let _ = self.secrets.delete(&id, field);
                    }
                }
                return Err(e);
            }
        };
        for field in &removed_secrets {
            self.secrets.delete(&saved.id, field)?;
        }
        Ok(saved)
    }

    /// Forgets a profile: its connection, its secrets, then the profile itself.
    pub fn delete_profile(&self, profile_id: &str) -> Result<()> {
        let profile = self.profiles.get(profile_id)?;
        self.remove_cluster(profile_id)?;
        for field in &profile.keychain_fields() {
            self.secrets.delete(profile_id, field)?;
        }
        self.profiles.remove(profile_id)
    }

    /// Saves each connection found in an import file as a new profile (a taken name gets a
    /// number); one that does not validate is reported and skipped, the rest still saved.
    pub fn import_profiles(&self, path: &std::path::Path) -> Result<ImportReport> {
        let (format, found) = import::read_file(path)?;
        let mut report = ImportReport { format, imported: Vec::new(), notes: Vec::new() };
        for mut one in found {
            let wanted = one.input.name.clone();
            one.input.name = self.profiles.free_name(wanted.trim())?;
            report.notes.append(&mut one.notes);
            match one.input.validate(&new_id(), None).and_then(|v| self.save_profile(v, true)) {
                Ok(p) => report.imported.push(p),
                Err(e) => report.notes.push(format!("{wanted}: not imported. {}", e.message)),
            }
        }
        Ok(report)
    }

    /// Ids of the profiles with a live connection.
    pub fn connected(&self) -> Result<Vec<String>> {
        Ok(self.lock()?.keys().cloned().collect())
    }

    /// The connected cluster of a profile; an error the UI can show when it is not connected.
    pub fn cluster(&self, profile_id: &str) -> Result<Arc<Cluster>> {
        self.lock()?
            .get(profile_id)
            .cloned()
            .ok_or_else(|| Error::not_found("Not connected to that cluster; connect first."))
    }

    /// The connected cluster for a command that changes it: refused on a read-only profile.
    /// Every `Access::Write` command in `commands::catalog` goes through here.
    pub fn cluster_for_write(&self, profile_id: &str) -> Result<Arc<Cluster>> {
        let profile = self.profiles.get(profile_id)?;
        if profile.read_only {
            return Err(Error::new(
                ErrorKind::ReadOnly,
                format!("\"{}\" is a read-only connection: KafkaDesk does not change this cluster.", profile.name),
            ));
        }
        self.cluster(profile_id)
    }

    /// Registers a connected cluster, replacing (and so dropping) an earlier connection.
    pub fn insert_cluster(&self, cluster: Arc<Cluster>) -> Result<()> {
        self.lock()?.insert(cluster.id.clone(), cluster);
        Ok(())
    }

    /// Forgets a connection; its clients close when the last running call lets go.
    pub fn remove_cluster(&self, profile_id: &str) -> Result<bool> {
        Ok(self.lock()?.remove(profile_id).is_some())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Arc<Cluster>>>> {
        self.clusters.lock().map_err(|_| Error::internal("The connection registry is unusable after an earlier fault."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::tests::input;
    use crate::profiles::{Environment, ProfileInput};

    #[test]
    fn write_access_is_refused_on_a_read_only_profile() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(ProfileStore::open(dir.path()).unwrap(), Secrets::memory_only("test"), None);
        let prod = ProfileInput { environment: Environment::Prod, ..input("Live", "p:9092") };
        let saved = state.save_profile(prod.validate("prod-1", None).unwrap(), true).unwrap();
        let err = state.cluster_for_write(&saved.id).err().expect("refused");
        assert_eq!(err.kind, ErrorKind::ReadOnly);
        // A writable profile gets past the check (and then needs a connection).
        let dev = state.save_profile(input("Dev", "d:9092").validate("dev-1", None).unwrap(), true).unwrap();
        assert_eq!(state.cluster_for_write(&dev.id).err().expect("not connected").kind, ErrorKind::NotFound);
    }
}
