use tauri::State;

use crate::error::Result;
use crate::kafka::cluster::{self, ConnectionTest};
use crate::kafka::Connection;
use crate::profiles::import::{self, ImportReport};
use crate::profiles::{new_id, Profile, ProfileInput, ProfileList, Validated};
use crate::state::AppState;

#[tauri::command]
pub fn profiles_list(state: State<'_, AppState>) -> Result<ProfileList> {
    Ok(ProfileList {
        profiles: state.profiles.list()?,
        warning: state.profiles.warning().cloned(),
        secret_storage: state.secrets.status(),
        connected: state.connected()?,
    })
}

#[tauri::command]
pub fn profiles_create(state: State<'_, AppState>, input: ProfileInput) -> Result<Profile> {
    state.save_profile(input.validate(&new_id(), None)?, true)
}

/// Saves the editor's changes; a live connection keeps its old settings until reconnected.
#[tauri::command]
pub fn profiles_update(state: State<'_, AppState>, id: String, input: ProfileInput) -> Result<Profile> {
    let previous = state.profiles.get(&id)?;
    state.save_profile(input.validate(&id, Some(&previous))?, false)
}

/// A copy named "<name> copy" (or the next free name), with copies of its secrets.
#[tauri::command]
pub fn profiles_duplicate(state: State<'_, AppState>, id: String) -> Result<Profile> {
    let original = state.profiles.get(&id)?;
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

#[tauri::command]
pub fn profiles_delete(state: State<'_, AppState>, id: String) -> Result<()> {
    state.delete_profile(&id)
}

/// Tests the editor's current settings before they are saved (`id` given: the saved
/// profile's secrets fill in the fields left empty).
#[tauri::command]
pub async fn profiles_test(state: State<'_, AppState>, id: Option<String>, input: ProfileInput) -> Result<ConnectionTest> {
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
    let connection = Connection::from_profile(&validated.profile, &secrets)?;
    cluster::test_connection(&connection).await
}

/// Reads connection settings from a file (kafka-ui YAML or env file, Java
/// client.properties, kcat config) and saves them as new profiles, secrets to the keychain.
#[tauri::command]
pub fn profiles_import(state: State<'_, AppState>, path: String) -> Result<ImportReport> {
    state.import_profiles(std::path::Path::new(&path))
}

/// Writes every profile as JSON to `path`, without secrets.
#[tauri::command]
pub fn profiles_export(state: State<'_, AppState>, path: String) -> Result<u32> {
    import::export_file(&state.profiles.list()?, std::path::Path::new(&path))
}
