//! Local clusters: thin async adapters over `local::LocalClusters` (blocking work on
//! `spawn_blocking`), plus the saved connection each cluster gets.

use std::sync::Arc;

use tauri::{AppHandle, State};

use super::on_pool;
use crate::dialog_paths::{DialogPaths, PathUse};
use crate::error::{Error, Result};
use crate::local::{profile, LaunchError, LocalCluster, LocalClusterInput, LocalClusters, LocalSetup};
use crate::profiles::new_id;

async fn blocking<T: Send + 'static>(
    local: &State<'_, Arc<LocalClusters>>,
    work: impl FnOnce(&LocalClusters) -> std::result::Result<T, LaunchError> + Send + 'static,
) -> Result<T> {
    let local = Arc::clone(local);
    tokio::task::spawn_blocking(move || work(&local))
        .await
        .map_err(|e| Error::internal(format!("A local cluster task failed: {e}")))?
        .map_err(Error::from)
}

/// Which Java and Kafka a start would use, or what to install.
#[tauri::command]
pub async fn local_setup(local: State<'_, Arc<LocalClusters>>) -> Result<LocalSetup> {
    blocking(&local, |l| Ok(l.setup())).await
}

/// Remembers the Java and Kafka folder the user chose (empty: find them automatically).
#[tauri::command]
pub async fn local_choose_install(
    local: State<'_, Arc<LocalClusters>>,
    paths: State<'_, DialogPaths>,
    java: Option<String>,
    kafka_dir: Option<String>,
) -> Result<LocalSetup> {
    // Both get run: only what the user picked in the native dialog.
    if let Some(java) = &java {
        paths.check(java, PathUse::Read)?;
    }
    if let Some(dir) = &kafka_dir {
        paths.check(dir, PathUse::Folder)?;
    }
    blocking(&local, move |l| l.choose_install(java.as_deref(), kafka_dir.as_deref())).await
}

/// Every local cluster and what runs of it (clusters started before an app restart included).
#[tauri::command]
pub async fn local_list(local: State<'_, Arc<LocalClusters>>) -> Result<Vec<LocalCluster>> {
    blocking(&local, |l| Ok(l.list())).await
}

/// Saves a new local cluster and a connection for it (not started yet).
#[tauri::command]
pub async fn local_create(
    app: AppHandle,
    local: State<'_, Arc<LocalClusters>>,
    input: LocalClusterInput,
) -> Result<LocalCluster> {
    let cluster = blocking(&local, move |l| l.create(&input)).await?;
    let for_profile = cluster.clone();
    let saved = on_pool(app, move |state| {
        let name = state.profiles.free_name(&for_profile.name)?;
        let validated = profile::profile_input(&for_profile, &name).validate(&new_id(), None)?;
        state.save_profile(validated, true)
    })
    .await;
    let saved = match saved {
        Ok(p) => p,
        Err(e) => {
            let id = cluster.id.clone();
            let _ = blocking(&local, move |l| l.delete(&id)).await;
            return Err(e);
        }
    };
    let id = cluster.id.clone();
    blocking(&local, move |l| l.set_profile(&id, Some(&saved.id))).await
}

/// Starts a local cluster; returns once its brokers answer and a probe message went through.
#[tauri::command]
pub async fn local_start(local: State<'_, Arc<LocalClusters>>, id: String) -> Result<LocalCluster> {
    blocking(&local, move |l| l.start(&id)).await
}

#[tauri::command]
pub async fn local_stop(local: State<'_, Arc<LocalClusters>>, id: String) -> Result<LocalCluster> {
    blocking(&local, move |l| l.stop(&id)).await
}

/// Stops a local cluster, removes its data and logs, and its saved connection.
#[tauri::command]
pub async fn local_delete(app: AppHandle, local: State<'_, Arc<LocalClusters>>, id: String) -> Result<()> {
    let profile_id = blocking(&local, move |l| l.delete(&id)).await?;
    match profile_id {
        Some(profile_id) => {
            on_pool(app, move |state| match state.profiles.get(&profile_id) {
                Ok(_) => state.delete_profile(&profile_id),
                Err(_) => Ok(()),
            })
            .await
        }
        None => Ok(()),
    }
}

/// The last lines of one node's broker log.
#[tauri::command]
pub async fn local_log(local: State<'_, Arc<LocalClusters>>, id: String, node: i32, lines: Option<u32>) -> Result<String> {
    blocking(&local, move |l| l.log(&id, node, lines.unwrap_or(400) as usize)).await
}
