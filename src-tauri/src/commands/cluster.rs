use tauri::State;

use crate::error::Result;
use crate::kafka::{cluster, Cluster};
use crate::state::AppState;

/// Connects to a saved profile's cluster and returns its overview; a cluster that cannot
/// be described is not kept as connected.
#[tauri::command]
pub async fn cluster_connect(state: State<'_, AppState>, profile_id: String) -> Result<cluster::ClusterOverview> {
    let connected = Cluster::connect(&state.connection(&profile_id)?)?;
    let overview = cluster::overview(&connected).await?;
    state.insert_cluster(connected)?;
    Ok(overview)
}

#[tauri::command]
pub async fn cluster_overview(state: State<'_, AppState>, profile_id: String) -> Result<cluster::ClusterOverview> {
    let connected = state.cluster(&profile_id)?;
    cluster::overview(&connected).await
}

#[tauri::command]
pub fn cluster_disconnect(state: State<'_, AppState>, profile_id: String) -> Result<()> {
    state.remove_cluster(&profile_id)?;
    Ok(())
}
