//! What the app holds while it runs: the profile store and the connected clusters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::connect::{self, ConnectClient, ConnectClusterInput, ConnectWriter};
use crate::error::{Error, Result};
use crate::kafka::connection::Closing;
use crate::kafka::messages::browse::Session;
use crate::kafka::{ConnectedCluster, Connection, Lease, Write};
use crate::profiles::import::{self, ImportReport};
use crate::profiles::{new_id, Profile, ProfileStore, Secrets, Validated};

pub struct AppState {
    pub profiles: ProfileStore,
    pub secrets: Secrets,
    /// The owner of each connected cluster, by profile id. The lock is only held to look
    /// up, insert or remove an entry: nothing slow (no close, no drop of handles) under it.
    clusters: Mutex<HashMap<String, Arc<ConnectedCluster>>>,
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
        let read_only = profile.read_only;
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
        // A live connection follows the read-only flag at once (other settings apply on reconnect).
        if let Some(owner) = self.owner(&saved.id) {
            owner.set_read_only(read_only);
        }
        Ok(saved)
    }

    /// Forgets a profile: its connection, its secrets, then the profile itself.
    pub fn delete_profile(&self, profile_id: &str) -> Result<()> {
        let profile = self.profiles.get(profile_id)?;
        self.disconnect(profile_id)?;
        for field in &profile.keychain_fields() {
            self.secrets.delete(profile_id, field)?;
        }
        self.profiles.remove(profile_id)
    }

    /// Saves each connection found in an import file as a new profile (a taken name gets a
    /// number); one that does not validate is reported and skipped, the rest still saved.
    pub fn import_profiles(&self, path: &std::path::Path) -> Result<ImportReport> {
        let (format, found) = import::read_file(path)?;
        let mut report = ImportReport { format, imported: Vec::new(), notes: Vec::new(), secrets: String::new() };
        for mut one in found {
            let wanted = one.input.name.clone();
            one.input.name = self.profiles.free_name(wanted.trim())?;
            report.notes.append(&mut one.notes);
            match one.input.validate(&new_id(), None).and_then(|v| self.save_profile(v, true)) {
                Ok(p) if one.connect.is_empty() => report.imported.push(p),
                Ok(p) => match self.save_connect_settings(&p.id, &one.connect) {
                    Ok(with_connect) => report.imported.push(with_connect),
                    Err(e) => {
                        report.notes.push(format!("{wanted}: Kafka Connect settings not imported. {}", e.message));
                        report.imported.push(p);
                    }
                },
                Err(e) => report.notes.push(format!("{wanted}: not imported. {}", e.message)),
            }
        }
        let with_secrets = report.imported.iter().filter(|p| !p.secret_fields.is_empty()).count();
        report.secrets = import::secrets_note(with_secrets, &self.secrets.status());
        Ok(report)
    }

    /// Ids of the profiles with a live connection.
    pub fn connected(&self) -> Result<Vec<String>> {
        Ok(self.lock()?.keys().cloned().collect())
    }

    /// A lease on the connected cluster of a profile, for one request; an error the UI can
    /// show when it is not connected. Derefs to `Arc<Cluster>` for the read functions of `kafka/`.
    pub fn cluster(&self, profile_id: &str) -> Result<Lease> {
        self.owner(profile_id).ok_or_else(not_connected)?.lease()
    }

    /// The read-only gate: a write handle for a command that changes the cluster, refused
    /// on a read-only profile. Mutating functions in `kafka/` take only a `Write`.
    pub fn cluster_for_write(&self, profile_id: &str) -> Result<Write> {
        let profile = self.profiles.get(profile_id)?;
        let owner = self.owner(profile_id).ok_or_else(not_connected)?;
        // The profile may have been made read-only since it connected: follow it.
        owner.set_read_only(profile.read_only);
        owner.write(&profile.name)
    }

    /// The owner of a profile's connection (its sessions and jobs); an error when not connected.
    pub fn owner_of(&self, profile_id: &str) -> Result<Arc<ConnectedCluster>> {
        self.owner(profile_id).ok_or_else(not_connected)
    }

    /// The owner of a profile's connection, if connected.
    pub fn owner(&self, profile_id: &str) -> Option<Arc<ConnectedCluster>> {
        self.lock().ok()?.get(profile_id).cloned()
    }

    /// Registers a connected cluster; an earlier connection of the same profile is closed
    /// (asynchronously: its sessions stop, its handles go on a closing thread).
    pub fn insert_cluster(&self, owner: Arc<ConnectedCluster>) -> Result<()> {
        let earlier = self.lock()?.insert(owner.id.clone(), owner);
        if let Some(earlier) = earlier {
            earlier.close();
        }
        Ok(())
    }

    /// Closes a profile's connection, if any: its sessions stop and its jobs are cancelled
    /// now; the handles are destroyed off this thread once running requests let go.
    pub fn disconnect(&self, profile_id: &str) -> Result<Option<Closing>> {
        let removed = self.lock()?.remove(profile_id);
        Ok(removed.map(|owner| owner.close()))
    }

    /// Closes every connection (the app is quitting).
    pub fn disconnect_all(&self) -> Vec<Closing> {
        let all: Vec<Arc<ConnectedCluster>> = match self.lock() {
            Ok(mut map) => map.drain().map(|(_, owner)| owner).collect(),
            Err(_) => Vec::new(),
        };
        all.iter().map(|owner| owner.close()).collect()
    }

    /// A browse session of any connection, by id.
    pub fn session(&self, session_id: &str) -> Result<Arc<Session>> {
        self.owners()
            .into_iter()
            .find(|o| o.registry().has_session(session_id))
            .ok_or_else(|| Error::not_found("That browse session is closed; start a new one."))?
            .registry()
            .session(session_id)
    }

    /// The connection a browse session belongs to.
    pub fn session_owner(&self, session_id: &str) -> Result<Arc<ConnectedCluster>> {
        self.owners()
            .into_iter()
            .find(|o| o.registry().has_session(session_id))
            .ok_or_else(|| Error::not_found("That browse session is closed; start a new one."))
    }

    /// Cancels a job of any connection; true when it was running.
    pub fn cancel_job(&self, job_id: &str) -> Result<bool> {
        for owner in self.owners() {
            if owner.registry().cancel(job_id)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Stops and forgets a browse session of any connection.
    pub fn close_session(&self, session_id: &str) -> Result<()> {
        for owner in self.owners() {
            owner.registry().close_session(session_id)?;
        }
        Ok(())
    }

    fn owners(&self) -> Vec<Arc<ConnectedCluster>> {
        self.lock().map(|m| m.values().cloned().collect()).unwrap_or_default()
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, Arc<ConnectedCluster>>>> {
        self.clusters.lock().map_err(|_| Error::internal("The connection registry is unusable after an earlier fault."))
    }
}

/// Kafka Connect: a profile's Connect settings and clients built from them.
impl AppState {
    /// Replaces a profile's Connect clusters with `inputs`, secrets written first (like
    /// [`AppState::save_profile`]) and passwords of dropped clusters forgotten.
    pub fn save_connect_settings(&self, profile_id: &str, inputs: &[ConnectClusterInput]) -> Result<Profile> {
        let mut profile = self.profiles.get(profile_id)?;
        let validated = connect::settings::validate(inputs, profile.connect.as_ref())?;
        for (field, value) in &validated.set_secrets {
            self.secrets.set(profile_id, field, value)?;
        }
        profile.connect = validated.settings;
        let saved = self.profiles.update(profile)?;
        for field in &validated.removed_secrets {
            self.secrets.delete(profile_id, field)?;
        }
        Ok(saved)
    }

    /// A client of one of the profile's Connect clusters, its password from the keychain.
    pub fn connect_client(&self, profile_id: &str, connect_id: &str) -> Result<ConnectClient> {
        let profile = self.profiles.get(profile_id)?;
        self.connect_client_of(&profile, connect_id)
    }

    /// A client that may change the Connect cluster: refused on a read-only profile.
    /// Every `Access::Write` Connect command goes through here.
    pub fn connect_for_write(&self, profile_id: &str, connect_id: &str) -> Result<ConnectWriter> {
        let profile = self.profiles.get(profile_id)?;
        ConnectWriter::new(self.connect_client_of(&profile, connect_id)?, profile.read_only, &profile.name)
    }

    fn connect_client_of(&self, profile: &Profile, connect_id: &str) -> Result<ConnectClient> {
        let cluster = connect::settings::find(profile.connect.as_ref(), connect_id)?;
        let password = match cluster.username {
            Some(_) => self.secrets.get(&profile.id, &connect::settings::password_field(&cluster.id))?,
            None => None,
        };
        ConnectClient::new(cluster, password)
    }
}

fn not_connected() -> Error {
    Error::not_found("Not connected to that cluster; connect first.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::profiles::tests::input;
    use crate::profiles::{Environment, ProfileInput};

    #[test]
    fn write_access_is_refused_on_a_read_only_profile() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(ProfileStore::open(dir.path()).unwrap(), Secrets::memory_only("test"), None);
        let prod = ProfileInput { environment: Environment::Prod, ..input("Live", "p:9092") };
        let saved = state.save_profile(prod.validate("prod-1", None).unwrap(), true).unwrap();
        state.insert_cluster(ConnectedCluster::open(&state.connection(&saved.id).unwrap()).unwrap()).unwrap();
        let err = state.cluster_for_write(&saved.id).err().expect("refused");
        assert_eq!(err.kind, ErrorKind::ReadOnly);
        assert!(state.cluster(&saved.id).is_ok(), "reads are allowed");
        // A writable profile gets a write handle once connected.
        let dev = state.save_profile(input("Dev", "d:9092").validate("dev-1", None).unwrap(), true).unwrap();
        assert_eq!(state.cluster_for_write(&dev.id).err().expect("not connected").kind, ErrorKind::NotFound);
        state.insert_cluster(ConnectedCluster::open(&state.connection(&dev.id).unwrap()).unwrap()).unwrap();
        assert!(state.cluster_for_write(&dev.id).is_ok());
        // Made read-only while connected: refused from then on.
        let mut edited = input("Dev", "d:9092");
        edited.read_only = Some(true);
        state.save_profile(edited.validate(&dev.id, Some(&dev)).unwrap(), false).unwrap();
        assert_eq!(state.cluster_for_write(&dev.id).err().expect("refused").kind, ErrorKind::ReadOnly);
        state.disconnect_all();
        assert!(crate::kafka::connection::wait_all_closed(std::time::Duration::from_secs(20)));
    }
}
