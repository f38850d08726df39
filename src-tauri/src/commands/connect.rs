use std::collections::BTreeMap;

use tauri::State;

use crate::connect::connectors::{
    self, ConnectInfo, ConnectorDetail, ConnectorOffset, ConnectorSummary, PluginInfo, RestartRequest, Validation,
};
use crate::connect::settings::{self, password_field};
use crate::connect::{ConnectClient, ConnectClusterInput};
use crate::error::Result;
use crate::profiles::Profile;
use crate::state::AppState;

/// Saves the profile's Connect clusters (the whole list), passwords to the keychain.
#[tauri::command]
pub async fn connect_settings_save(
    state: State<'_, AppState>,
    profile_id: String,
    clusters: Vec<ConnectClusterInput>,
) -> Result<Profile> {
    state.save_connect_settings(&profile_id, &clusters)
}

/// Tests one cluster as typed in the settings form (an empty password: the saved one).
#[tauri::command]
pub async fn connect_settings_test(
    state: State<'_, AppState>,
    profile_id: String,
    cluster: ConnectClusterInput,
) -> Result<ConnectInfo> {
    let profile = state.profiles.get(&profile_id)?;
    let validated = settings::validate(std::slice::from_ref(&cluster), profile.connect.as_ref())?;
    let Some(tested) = validated.settings.and_then(|s| s.clusters.into_iter().next()) else {
        return Err(crate::error::Error::invalid_input("connect.0.urls", "Enter a Connect cluster to test."));
    };
    let field = password_field(&tested.id);
    let password = match (&tested.username, validated.set_secrets.get(&field)) {
        (None, _) => None,
        (Some(_), Some(typed)) => Some(typed.clone()),
        (Some(_), None) => state.secrets.get(&profile_id, &field)?,
    };
    connectors::test(&ConnectClient::new(&tested, password)?).await
}

#[tauri::command]
pub async fn connect_list(state: State<'_, AppState>, profile_id: String, connect_id: String) -> Result<Vec<ConnectorSummary>> {
    connectors::list(&state.connect_client(&profile_id, &connect_id)?).await
}

#[tauri::command]
pub async fn connect_detail(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<ConnectorDetail> {
    connectors::detail(&state.connect_client(&profile_id, &connect_id)?, &name).await
}

#[tauri::command]
pub async fn connect_plugins(state: State<'_, AppState>, profile_id: String, connect_id: String) -> Result<Vec<PluginInfo>> {
    connectors::plugins(&state.connect_client(&profile_id, &connect_id)?).await
}

/// Connect's own validation of a config (changes nothing): the form's fields and errors.
#[tauri::command]
pub async fn connect_validate(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    plugin: String,
    config: BTreeMap<String, String>,
) -> Result<Validation> {
    connectors::validate(&state.connect_client(&profile_id, &connect_id)?, &plugin, &config).await
}

#[tauri::command]
pub async fn connect_offsets(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<Vec<ConnectorOffset>> {
    connectors::offsets(&state.connect_client(&profile_id, &connect_id)?, &name).await
}

#[tauri::command]
pub async fn connect_create(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    config: BTreeMap<String, String>,
) -> Result<()> {
    connectors::create(&state.connect_for_write(&profile_id, &connect_id)?, &name, &config).await
}

#[tauri::command]
pub async fn connect_update(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    config: BTreeMap<String, String>,
) -> Result<()> {
    connectors::update(&state.connect_for_write(&profile_id, &connect_id)?, &name, config).await
}

/// `action`: pause, resume or stop.
#[tauri::command]
pub async fn connect_set_state(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    action: String,
) -> Result<()> {
    connectors::set_state(&state.connect_for_write(&profile_id, &connect_id)?, &name, &action).await
}

#[tauri::command]
pub async fn connect_restart(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    request: RestartRequest,
) -> Result<()> {
    connectors::restart(&state.connect_for_write(&profile_id, &connect_id)?, &name, request).await
}

#[tauri::command]
pub async fn connect_restart_task(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    task: u32,
) -> Result<()> {
    connectors::restart_task(&state.connect_for_write(&profile_id, &connect_id)?, &name, task).await
}

#[tauri::command]
pub async fn connect_offsets_reset(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<String> {
    connectors::reset_offsets(&state.connect_for_write(&profile_id, &connect_id)?, &name).await
}

#[tauri::command]
pub async fn connect_offsets_alter(
    state: State<'_, AppState>,
    profile_id: String,
    connect_id: String,
    name: String,
    offsets: Vec<ConnectorOffset>,
) -> Result<String> {
    connectors::alter_offsets(&state.connect_for_write(&profile_id, &connect_id)?, &name, offsets).await
}

#[tauri::command]
pub async fn connect_delete(state: State<'_, AppState>, profile_id: String, connect_id: String, name: String) -> Result<()> {
    connectors::delete(&state.connect_for_write(&profile_id, &connect_id)?, &name).await
}
