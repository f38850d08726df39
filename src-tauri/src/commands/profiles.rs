use tauri::State;

use crate::error::Result;
use crate::profiles::{Profile, ProfileInput, ProfileList};
use crate::state::AppState;

#[tauri::command]
pub fn profiles_list(state: State<'_, AppState>) -> Result<ProfileList> {
    Ok(ProfileList { profiles: state.profiles.list()?, warning: state.profiles.warning().cloned() })
}

#[tauri::command]
pub fn profiles_create(state: State<'_, AppState>, input: ProfileInput) -> Result<Profile> {
    state.profiles.add(input.validate()?)
}

#[tauri::command]
pub fn profiles_delete(state: State<'_, AppState>, id: String) -> Result<()> {
    state.remove_cluster(&id)?;
    state.profiles.remove(&id)
}
