//! Cluster operations commands: leader election (and its preview).

use tauri::State;

use crate::error::Result;
use crate::kafka::operations::election::{self, ElectionKind, ElectionResult, ElectionScope, LeaderSkew};
use crate::state::AppState;

/// Partitions in `scope` not led by their preferred replica; changes nothing.
#[tauri::command]
pub async fn operations_leader_preview(state: State<'_, AppState>, profile_id: String, scope: ElectionScope) -> Result<Vec<LeaderSkew>> {
    election::preview(&*state.cluster(&profile_id)?, scope).await
}

#[tauri::command]
pub async fn operations_elect_leaders(
    state: State<'_, AppState>,
    profile_id: String,
    kind: ElectionKind,
    scope: ElectionScope,
) -> Result<Vec<ElectionResult>> {
    election::elect(&state.cluster_for_write(&profile_id)?, kind, scope).await
}
