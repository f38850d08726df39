use tauri::State;

use crate::error::Result;
use crate::kafka::groups::{self, GroupDetail, GroupSummary, ResetPlan, ResetRequest};
use crate::state::AppState;

#[tauri::command]
pub async fn groups_list(state: State<'_, AppState>, profile_id: String) -> Result<Vec<GroupSummary>> {
    groups::list(&state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn groups_describe(state: State<'_, AppState>, profile_id: String, group_id: String) -> Result<GroupDetail> {
    groups::detail(&state.cluster(&profile_id)?, &group_id).await
}

/// The dry run: changes nothing, so read-only profiles may preview too.
#[tauri::command]
pub async fn groups_reset_preview(
    state: State<'_, AppState>,
    profile_id: String,
    group_id: String,
    request: ResetRequest,
) -> Result<ResetPlan> {
    groups::plan_reset(&state.cluster(&profile_id)?, &group_id, request).await
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

#[cfg(test)]
mod tests {
    use super::super::catalog::{Access, CATALOG};

    /// Read-only profiles are refused by `cluster_for_write`, which only Write commands use.
    #[test]
    fn only_the_dry_run_and_reads_are_allowed_on_read_only_profiles() {
        let access = |name: &str| CATALOG.iter().find(|(n, _)| *n == name).map(|(_, a)| *a);
        for name in ["groups_reset_apply", "groups_delete", "groups_delete_offsets"] {
            assert_eq!(access(name), Some(Access::Write), "{name}");
        }
        for name in ["groups_list", "groups_describe", "groups_reset_preview"] {
            assert_eq!(access(name), Some(Access::Read), "{name}");
        }
        let handlers = include_str!("groups.rs").split("#[cfg(test)]").next().unwrap_or_default();
        assert_eq!(handlers.matches("cluster_for_write(&profile_id)").count(), 3);
    }
}
