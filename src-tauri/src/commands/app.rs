use serde::Serialize;
use tauri::{AppHandle, State};

use super::on_pool;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::state::AppState;

/// What the window should do once it has loaded, from the command line.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StartupOptions {
    /// Connect to this saved profile right away (`kafkadesk --connect "<name>"`).
    pub connect_profile_id: Option<String>,
}

/// Answers once per app run, so reloading the window does not reconnect.
#[tauri::command]
pub async fn app_startup(app: AppHandle) -> Result<StartupOptions> {
    on_pool(app, |state: &AppState| {
        let connect_profile_id = match state.take_startup_connect() {
            Some(name) => state.profiles.list()?.into_iter().find(|p| p.name == name).map(|p| p.id),
            None => None,
        };
        Ok(StartupOptions { connect_profile_id })
    })
    .await
}

/// Opens the log folder in the system's file manager.
#[tauri::command]
pub async fn app_open_logs_folder() -> Result<()> {
    let dir = crate::logs::dir().ok_or_else(|| Error::not_found("Logging is off: KafkaDesk found no log folder on this system."))?;
    tokio::task::spawn_blocking(move || {
        opener::open(&dir).map_err(|e| {
            Error::internal(format!("Could not open the log folder {}; open it yourself.", dir.display())).with_detail(e.to_string())
        })
    })
    .await?
}

/// Text for a bug report: versions, platform, connections and the end of the log, secrets
/// redacted. The UI copies it to the clipboard.
#[tauri::command]
pub async fn app_diagnostics(state: State<'_, AppState>) -> Result<String> {
    let connected = state.connected()?.len();
    let profiles = state.profiles.list()?.len();
    let extra = [("Saved connections", profiles.to_string()), ("Connected clusters", connected.to_string())];
    Ok(tokio::task::spawn_blocking(move || crate::logs::diagnostics(&extra)).await?)
}
