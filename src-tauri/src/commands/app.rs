use serde::Serialize;
use tauri::AppHandle;

use super::on_pool;
use ts_rs::TS;

use crate::error::Result;
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
