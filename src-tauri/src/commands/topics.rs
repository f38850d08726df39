use tauri::State;

use crate::error::Result;
use crate::kafka::topics::{self, ConfigEntry, ConfigValue, CreateTopicOutcome, NewTopicRequest, PurgeRequest, TopicDetail, TopicList};
use crate::state::AppState;

#[tauri::command]
pub async fn topics_list(state: State<'_, AppState>, profile_id: String) -> Result<TopicList> {
    topics::list(&*state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn topic_detail(state: State<'_, AppState>, profile_id: String, topic: String) -> Result<TopicDetail> {
    topics::detail(&*state.cluster(&profile_id)?, &topic).await
}

#[tauri::command]
pub async fn topic_create(
    state: State<'_, AppState>,
    profile_id: String,
    request: NewTopicRequest,
) -> Result<CreateTopicOutcome> {
    topics::create(&state.cluster_for_write(&profile_id)?, request).await
}

#[tauri::command]
pub async fn topic_delete(state: State<'_, AppState>, profile_id: String, topic: String) -> Result<()> {
    topics::delete(&state.cluster_for_write(&profile_id)?, &topic).await
}

#[tauri::command]
pub async fn topic_add_partitions(state: State<'_, AppState>, profile_id: String, topic: String, total: i32) -> Result<()> {
    topics::add_partitions(&state.cluster_for_write(&profile_id)?, &topic, total).await
}

#[tauri::command]
pub async fn topic_purge(state: State<'_, AppState>, profile_id: String, request: PurgeRequest) -> Result<u32> {
    topics::purge(&state.cluster_for_write(&profile_id)?, request).await
}

#[tauri::command]
pub async fn topic_configs(state: State<'_, AppState>, profile_id: String, topic: String) -> Result<Vec<ConfigEntry>> {
    topics::topic_configs(&*state.cluster(&profile_id)?, &topic).await
}

#[tauri::command]
pub async fn topic_alter_configs(
    state: State<'_, AppState>,
    profile_id: String,
    topic: String,
    set: Vec<ConfigValue>,
    reset: Vec<String>,
) -> Result<()> {
    topics::alter_topic_configs(&state.cluster_for_write(&profile_id)?, &topic, set, reset).await
}

#[tauri::command]
pub async fn broker_configs(state: State<'_, AppState>, profile_id: String, broker_id: i32) -> Result<Vec<ConfigEntry>> {
    topics::broker_configs(&*state.cluster(&profile_id)?, broker_id).await
}
