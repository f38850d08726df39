use std::collections::BTreeMap;

use tauri::AppHandle;

use super::on_pool;
use crate::connect::connectors::{
    self, ConnectInfo, ConnectorDetail, ConnectorOffset, ConnectorSummary, PluginInfo, RestartRequest, Validation,
};
use crate::connect::settings::{self, password_field};
use crate::connect::{ConnectClient, ConnectClusterInput, ConnectWriter};
use crate::error::Result;
use crate::profiles::Profile;

// Building a client reads its password from the keychain (D-Bus): on the blocking pool.

async fn reader(app: &AppHandle, profile_id: String, connect_id: String) -> Result<ConnectClient> {
    on_pool(app.clone(), move |state| state.connect_client(&profile_id, &connect_id)).await
}

/// The read-only gate: refused on a read-only profile before any request.
async fn writer(app: &AppHandle, profile_id: String, connect_id: String) -> Result<ConnectWriter> {
    on_pool(app.clone(), move |state| state.connect_for_write(&profile_id, &connect_id)).await
}

/// Saves the profile's Connect clusters (the whole list), passwords to the keychain.
#[tauri::command]
pub async fn connect_settings_save(
    app: AppHandle,
    profile_id: String,
    clusters: Vec<ConnectClusterInput>,
) -> Result<Profile> {
    on_pool(app, move |state| state.save_connect_settings(&profile_id, &clusters)).await
}

/// Tests one cluster as typed in the settings form (an empty password: the saved one).
#[tauri::command]
pub async fn connect_settings_test(
    app: AppHandle,
    profile_id: String,
    cluster: ConnectClusterInput,
) -> Result<ConnectInfo> {
    let client = on_pool(app, move |state| {
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
        ConnectClient::new(&tested, password)
    })
    .await?;
    connectors::test(&client).await
}

#[tauri::command]
pub async fn connect_list(app: AppHandle, profile_id: String, connect_id: String) -> Result<Vec<ConnectorSummary>> {
    connectors::list(&reader(&app, profile_id, connect_id).await?).await
}

#[tauri::command]
pub async fn connect_detail(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<ConnectorDetail> {
    connectors::detail(&reader(&app, profile_id, connect_id).await?, &name).await
}

#[tauri::command]
pub async fn connect_plugins(app: AppHandle, profile_id: String, connect_id: String) -> Result<Vec<PluginInfo>> {
    connectors::plugins(&reader(&app, profile_id, connect_id).await?).await
}

/// Connect's own validation of a config (changes nothing): the form's fields and errors.
#[tauri::command]
pub async fn connect_validate(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    plugin: String,
    config: BTreeMap<String, String>,
) -> Result<Validation> {
    connectors::validate(&reader(&app, profile_id, connect_id).await?, &plugin, &config).await
}

#[tauri::command]
pub async fn connect_offsets(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<Vec<ConnectorOffset>> {
    connectors::offsets(&reader(&app, profile_id, connect_id).await?, &name).await
}

#[tauri::command]
pub async fn connect_create(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    config: BTreeMap<String, String>,
) -> Result<()> {
    connectors::create(&writer(&app, profile_id, connect_id).await?, &name, &config).await
}

#[tauri::command]
pub async fn connect_update(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    config: BTreeMap<String, String>,
) -> Result<()> {
    connectors::update(&writer(&app, profile_id, connect_id).await?, &name, config).await
}

/// `action`: pause, resume or stop.
#[tauri::command]
pub async fn connect_set_state(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    action: String,
) -> Result<()> {
    connectors::set_state(&writer(&app, profile_id, connect_id).await?, &name, &action).await
}

#[tauri::command]
pub async fn connect_restart(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    request: RestartRequest,
) -> Result<()> {
    connectors::restart(&writer(&app, profile_id, connect_id).await?, &name, request).await
}

#[tauri::command]
pub async fn connect_restart_task(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    task: u32,
) -> Result<()> {
    connectors::restart_task(&writer(&app, profile_id, connect_id).await?, &name, task).await
}

#[tauri::command]
pub async fn connect_offsets_reset(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
) -> Result<String> {
    connectors::reset_offsets(&writer(&app, profile_id, connect_id).await?, &name).await
}

#[tauri::command]
pub async fn connect_offsets_alter(
    app: AppHandle,
    profile_id: String,
    connect_id: String,
    name: String,
    offsets: Vec<ConnectorOffset>,
) -> Result<String> {
    connectors::alter_offsets(&writer(&app, profile_id, connect_id).await?, &name, offsets).await
}

#[tauri::command]
pub async fn connect_delete(app: AppHandle, profile_id: String, connect_id: String, name: String) -> Result<()> {
    connectors::delete(&writer(&app, profile_id, connect_id).await?, &name).await
}
