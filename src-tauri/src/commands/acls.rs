//! Security administration commands: ACL bindings, who-can-do-what, SCRAM users.

use tauri::State;

use crate::dialog_paths::{DialogPaths, PathUse};
use crate::error::Result;
use crate::kafka::acls::{
    self, AclBinding, AclBindingInput, AclFileFormat, AclFilter, AclListing, CreateOutcome, EffectivePermissions,
    EffectiveQuery, ScramMechanism, ScramUpsert, ScramUser, Wizard,
};
use crate::state::AppState;

#[tauri::command]
pub async fn acls_list(state: State<'_, AppState>, profile_id: String, filter: AclFilter) -> Result<AclListing> {
    acls::list(&*state.cluster(&profile_id)?, filter).await
}

#[tauri::command]
pub async fn acls_create(state: State<'_, AppState>, profile_id: String, bindings: Vec<AclBindingInput>) -> Result<CreateOutcome> {
    acls::create(&state.cluster_for_write(&profile_id)?, bindings).await
}

/// The bindings a wizard would create; changes nothing.
#[tauri::command]
pub async fn acls_wizard_preview(wizard: Wizard) -> Result<Vec<AclBinding>> {
    acls::wizard_bindings(&wizard)
}

#[tauri::command]
pub async fn acls_wizard_apply(state: State<'_, AppState>, profile_id: String, wizard: Wizard) -> Result<CreateOutcome> {
    acls::apply_wizard(&state.cluster_for_write(&profile_id)?, wizard).await
}

/// What deleting by `filter` would delete; changes nothing.
#[tauri::command]
pub async fn acls_delete_preview(state: State<'_, AppState>, profile_id: String, filter: AclFilter) -> Result<Vec<AclBinding>> {
    acls::delete_preview(&*state.cluster(&profile_id)?, filter).await
}

/// Deletes exactly these bindings (what a preview showed); answers what was deleted.
#[tauri::command]
pub async fn acls_delete(state: State<'_, AppState>, profile_id: String, bindings: Vec<AclBinding>) -> Result<Vec<AclBinding>> {
    acls::delete_bindings(&state.cluster_for_write(&profile_id)?, bindings).await
}

#[tauri::command]
pub async fn acls_delete_filter(state: State<'_, AppState>, profile_id: String, filter: AclFilter) -> Result<Vec<AclBinding>> {
    acls::delete_by_filter(&state.cluster_for_write(&profile_id)?, filter).await
}

/// Writes the matching bindings to a file the user chose; answers how many.
#[tauri::command]
pub async fn acls_export(
    state: State<'_, AppState>,
    paths: State<'_, DialogPaths>,
    profile_id: String,
    filter: AclFilter,
    format: AclFileFormat,
    path: String,
) -> Result<u32> {
    let path = paths.check(&path, PathUse::Write)?;
    acls::export(&*state.cluster(&profile_id)?, filter, format, &path).await
}

/// The bindings an import file holds, validated; creates nothing.
#[tauri::command]
pub async fn acls_import_preview(paths: State<'_, DialogPaths>, path: String) -> Result<Vec<AclBinding>> {
    let path = paths.check(&path, PathUse::Read)?;
    tokio::task::spawn_blocking(move || acls::read_import(&path)).await?
}

#[tauri::command]
pub async fn acls_import(
    state: State<'_, AppState>,
    paths: State<'_, DialogPaths>,
    profile_id: String,
    path: String,
) -> Result<CreateOutcome> {
    let path = paths.check(&path, PathUse::Read)?;
    acls::import(&state.cluster_for_write(&profile_id)?, &path).await
}

#[tauri::command]
pub async fn acls_effective(state: State<'_, AppState>, profile_id: String, query: EffectiveQuery) -> Result<EffectivePermissions> {
    acls::effective(&*state.cluster(&profile_id)?, query).await
}

#[tauri::command]
pub async fn acls_users(state: State<'_, AppState>, profile_id: String) -> Result<Vec<ScramUser>> {
    acls::scram_users(&*state.cluster(&profile_id)?).await
}

/// Creates a SCRAM user or rotates its password. The password is never logged or kept.
#[tauri::command]
pub async fn acls_user_upsert(state: State<'_, AppState>, profile_id: String, request: ScramUpsert) -> Result<()> {
    acls::scram_upsert(&state.cluster_for_write(&profile_id)?, request).await
}

/// Deletes one mechanism of a user, or every credential it has (`mechanism` absent).
#[tauri::command]
pub async fn acls_user_delete(
    state: State<'_, AppState>,
    profile_id: String,
    user: String,
    mechanism: Option<ScramMechanism>,
) -> Result<()> {
    acls::scram_delete(&state.cluster_for_write(&profile_id)?, &user, mechanism).await
}
