use tauri::{AppHandle, State};

use super::on_pool;
use crate::error::Result;
use crate::kafka::{cluster, ConnectedCluster};
use crate::state::AppState;

/// Connects to a saved profile's cluster and returns its overview; a cluster that cannot
/// be described is not kept as connected (its handles close off this thread).
#[tauri::command]
pub async fn cluster_connect(app: AppHandle, state: State<'_, AppState>, profile_id: String) -> Result<cluster::ClusterOverview> {
    // The keychain is a D-Bus call: on the blocking pool.
    let id = profile_id.clone();
    let settings = on_pool(app, move |state| state.connection(&id)).await?;
    let owner = ConnectedCluster::open(&settings)?;
    let overview = match owner.lease() {
        Ok(lease) => cluster::overview(&lease).await,
        Err(e) => Err(e),
    };
    match overview {
        Ok(overview) => {
            state.insert_cluster(owner)?;
            Ok(overview)
        }
        Err(e) => {
            owner.close();
            Err(e)
        }
    }
}

#[tauri::command]
pub async fn cluster_overview(state: State<'_, AppState>, profile_id: String) -> Result<cluster::ClusterOverview> {
    cluster::overview(&*state.cluster(&profile_id)?).await
}

/// Closes the connection: its sessions stop and jobs are cancelled now; the client handles
/// are destroyed on a closing thread once running requests let go. Answers at once.
#[tauri::command]
pub async fn cluster_disconnect(state: State<'_, AppState>, profile_id: String) -> Result<()> {
    state.disconnect(&profile_id)?;
    Ok(())
}
