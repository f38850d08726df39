use tauri::{AppHandle, Manager};

use crate::dialog_paths::{DialogPaths, PathUse};
use super::on_pool;
use crate::error::Result;
use crate::kafka::cluster::{self, ConnectionTest};
use crate::kafka::Connection;
use crate::profiles::import::{self, ImportReport};
use crate::profiles::{new_id, Profile, ProfileInput, ProfileList, Validated};
use crate::state::AppState;

// Profile commands touch the keychain (D-Bus) and fsync the store: each runs on the
// blocking pool, never on the main thread.

#[tauri::command]
pub async fn profiles_list(app: AppHandle) -> Result<ProfileList> {
    on_pool(app, |state| {
        Ok(ProfileList {
            profiles: state.profiles.list()?,
            warning: state.profiles.warning().cloned(),
            secret_storage: state.secrets.status(),
            connected: state.connected()?,
        })
    })
    .await
}

#[tauri::command]
pub async fn profiles_create(app: AppHandle, input: ProfileInput) -> Result<Profile> {
    on_pool(app, move |state| state.save_profile(input.validate(&new_id(), None)?, true)).await
}

/// Saves the editor's changes; a live connection keeps its old settings until reconnected.
#[tauri::command]
pub async fn profiles_update(app: AppHandle, id: String, input: ProfileInput) -> Result<Profile> {
    on_pool(app, move |state| {
        let previous = state.profiles.get(&id)?;
        state.save_profile(input.validate(&id, Some(&previous))?, false)
    })
    .await
}

/// A copy named "<name> copy" (or the next free name), with copies of its secrets.
#[tauri::command]
pub async fn profiles_duplicate(app: AppHandle, id: String) -> Result<Profile> {
    on_pool(app, move |state| duplicate(state, &id)).await
}

fn duplicate(state: &AppState, id: &str) -> Result<Profile> {
    let original = state.profiles.get(id)?;
    let mut copy = original.clone();
    copy.id = new_id();
    copy.name = state.profiles.free_name(&format!("{} copy", original.name))?;
    let mut set_secrets = std::collections::BTreeMap::new();
    for field in &original.keychain_fields() {
        if let Some(value) = state.secrets.get(&original.id, field)? {
            set_secrets.insert(field.clone(), value);
        }
    }
    // save_profile removes the copied secrets again if the copy cannot be saved.
    state.save_profile(Validated { profile: copy, set_secrets, removed_secrets: Vec::new() }, true)
}

/// Forgets a profile; its connection (sessions, jobs) closes first.
#[tauri::command]
pub async fn profiles_delete(app: AppHandle, id: String) -> Result<()> {
    on_pool(app, move |state| state.delete_profile(&id)).await
}

/// Tests the editor's current settings before they are saved (`id` given: the saved
/// profile's secrets fill in the fields left empty).
#[tauri::command]
pub async fn profiles_test(app: AppHandle, id: Option<String>, input: ProfileInput) -> Result<ConnectionTest> {
    let connection = on_pool(app, move |state| test_settings(state, id, input)).await?;
    cluster::test_connection(&connection).await
}

/// The settings a test connects with; the keychain fills in secrets the editor left empty.
fn test_settings(state: &AppState, id: Option<String>, input: ProfileInput) -> Result<Connection> {
    let previous = match &id {
        Some(id) => Some(state.profiles.get(id)?),
        None => None,
    };
    let validated = input.validate(id.as_deref().unwrap_or("test"), previous.as_ref())?;
    let mut secrets = validated.set_secrets.clone();
    if let Some(previous) = &previous {
        for field in &validated.profile.secret_fields {
            if !secrets.contains_key(field) {
                if let Some(value) = state.secrets.get(&previous.id, field)? {
                    secrets.insert(field.clone(), value);
                }
            }
        }
    }
    Connection::from_profile(&validated.profile, &secrets)
}

/// Reads connection settings from a file (kafka-ui YAML or env file, Java
/// client.properties, kcat config) and saves them as new profiles, secrets to the keychain.
#[tauri::command]
pub async fn profiles_import(app: AppHandle, path: String) -> Result<ImportReport> {
    let path = app.state::<DialogPaths>().check(&path, PathUse::Read)?;
    on_pool(app, move |state| state.import_profiles(&path)).await
}

/// Writes every profile as JSON to `path`, without secrets.
#[tauri::command]
pub async fn profiles_export(app: AppHandle, path: String) -> Result<u32> {
    let path = app.state::<DialogPaths>().check(&path, PathUse::Write)?;
    on_pool(app, move |state| import::export_file(&state.profiles.list()?, &path)).await
}
