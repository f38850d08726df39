//! What the app holds while it runs: the profile store and the connected clusters.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::error::{Error, ErrorKind, Result};
use crate::kafka::Cluster;
use crate::profiles::ProfileStore;

pub struct AppState {
    pub profiles: ProfileStore,
    clusters: Mutex<HashMap<String, Arc<Cluster>>>,
    /// `--connect <profile name>` from the command line, handed to the window once.
    startup_connect: Mutex<Option<String>>,
}

impl AppState {
    pub fn new(profiles: ProfileStore, startup_connect: Option<String>) -> Self {
        AppState { profiles, clusters: Mutex::new(HashMap::new()), startup_connect: Mutex::new(startup_connect) }
    }

    pub fn take_startup_connect(&self) -> Option<String> {
        self.startup_connect.lock().ok().and_then(|mut name| name.take())
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
