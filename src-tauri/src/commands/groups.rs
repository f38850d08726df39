use tauri::State;

use crate::error::Result;
use crate::kafka::groups::{self, GroupDetail, GroupSummary, ResetPlan, ResetRequest};
use crate::state::AppState;

#[tauri::command]
pub async fn groups_list(state: State<'_, AppState>, profile_id: String) -> Result<Vec<GroupSummary>> {
    groups::list(&*state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn groups_describe(state: State<'_, AppState>, profile_id: String, group_id: String) -> Result<GroupDetail> {
    groups::detail(&*state.cluster(&profile_id)?, &group_id).await
}

/// The dry run: changes nothing, so read-only profiles may preview too.
#[tauri::command]
pub async fn groups_reset_preview(
    state: State<'_, AppState>,
    profile_id: String,
    group_id: String,
    request: ResetRequest,
) -> Result<ResetPlan> {
    groups::plan_reset(&*state.cluster(&profile_id)?, &group_id, request).await
}

#[tauri::command]
pub async fn groups_reset_apply(
    state: State<'_, AppState>,
    profile_id: String,
    group_id: String,
    request: ResetRequest,
) -> Result<ResetPlan> {
    groups::apply_reset(&state.cluster_for_write(&profile_id)?, &group_id, request).await
}

#[tauri::command]
pub async fn groups_delete(state: State<'_, AppState>, profile_id: String, group_id: String) -> Result<()> {
    groups::delete_group(&state.cluster_for_write(&profile_id)?, &group_id).await
}

/// Deletes the group's committed offsets on one topic; answers how many partitions.
#[tauri::command]
pub async fn groups_delete_offsets(
    state: State<'_, AppState>,
    profile_id: String,
    group_id: String,
    topic: String,
) -> Result<u32> {
    groups::delete_topic_offsets(&state.cluster_for_write(&profile_id)?, &group_id, &topic).await
}
