//! Messages commands: produce, bulk produce, browse sessions, filter, export, copy.
//! Long jobs take a `jobId` the UI picked (for `messages_cancel`) and report over a channel.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::State;

use crate::error::Result;
use crate::kafka::messages::browse::{self, BrowseRequest, SessionStatus, Window};
use crate::kafka::messages::codec::{DecodeAs, InputFormat};
use crate::kafka::messages::export::{self, ExportFormat};
use crate::kafka::messages::filter::Filter;
use crate::kafka::messages::produce::{self, FileProduceRequest, ProduceRequest, SendProgress, SendReport};
use crate::kafka::messages::store::MessageDetail;
use crate::kafka::messages::{self, JobProgress, Registry, TopicChoice};
use crate::commands::registry;
use crate::message_library::{Library, MessageLibrary};
use crate::registry::encoder::SchemaChoice;
use crate::registry::local::LocalProtos;
use crate::registry::Registries;
use crate::state::AppState;

/// Runs a cancellable job under `job_id`, forgetting the id when it ends. The job's cancel
/// flag is raised on the way out: work abandoned early (every broker down) must not go on
/// sending in the background once the UI has been told it failed.
async fn job<T>(registry: &Registry, job_id: &str, work: impl AsyncFnOnce(Arc<AtomicBool>) -> Result<T>) -> Result<T> {
    let cancel = registry.start_job(job_id)?;
    let result = work(Arc::clone(&cancel)).await;
    cancel.store(true, std::sync::atomic::Ordering::Relaxed);
    registry.end_job(job_id);
    result
}

#[tauri::command]
pub async fn messages_topics(state: State<'_, AppState>, profile_id: String) -> Result<Vec<TopicChoice>> {
    messages::topics(&state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn messages_key_partition(
    state: State<'_, AppState>,
    profile_id: String,
    topic: String,
    key: String,
    key_format: InputFormat,
) -> Result<i32> {
    messages::key_partition(&state.cluster(&profile_id)?, &topic, &key, key_format).await
}

#[tauri::command]
pub async fn messages_produce(
    state: State<'_, AppState>,
    library: State<'_, MessageLibrary>,
    registries: State<'_, Registries>,
    profile_id: String,
    request: ProduceRequest,
) -> Result<SendReport> {
    let cluster = state.cluster_for_write(&profile_id)?;
    let schemas =
        registry::encoder(&state, &registries, &profile_id, request.key_schema.as_ref(), request.value_schema.as_ref()).await?;
    let report = produce::produce_with(&cluster, request.clone(), schemas.as_ref()).await?;
    // History is a convenience: failing to save it does not fail a message that was sent.
    if let Err(e) = library.record_sent(&request) {
        log::warn!("{e}");
    }
    Ok(report)
}

#[tauri::command]
pub fn messages_library(library: State<'_, MessageLibrary>, topic: Option<String>) -> Result<Library> {
    library.list(topic.as_deref())
}

#[tauri::command]
pub fn messages_template_save(library: State<'_, MessageLibrary>, name: String, request: ProduceRequest) -> Result<Library> {
    library.save_template(&name, request)
}

#[tauri::command]
pub fn messages_template_delete(library: State<'_, MessageLibrary>, name: String) -> Result<()> {
    library.delete_template(&name)
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
pub async fn messages_produce_file(
    state: State<'_, AppState>,
    registry: State<'_, Registry>,
    registries: State<'_, Registries>,
    profile_id: String,
    job_id: String,
    request: FileProduceRequest,
    key_schema: Option<SchemaChoice>,
    value_schema: Option<SchemaChoice>,
    on_progress: Channel<SendProgress>,
) -> Result<SendReport> {
    let cluster = state.cluster_for_write(&profile_id)?;
    let schemas = registry::encoder(&state, &registries, &profile_id, key_schema.as_ref(), value_schema.as_ref()).await?;
    job(&registry, &job_id, async |cancel| {
        produce::produce_file_with(&cluster, request, schemas.map(Arc::new), cancel, move |p| {
            let _ = on_progress.send(p);
        })
        .await
    })
    .await
}

#[tauri::command]
pub fn messages_cancel(registry: State<'_, Registry>, job_id: String) -> Result<bool> {
    registry.cancel(&job_id)
}

#[tauri::command]
pub async fn messages_browse_start(
    state: State<'_, AppState>,
    registry: State<'_, Registry>,
    registries: State<'_, Registries>,
    locals: State<'_, Arc<LocalProtos>>,
    profile_id: String,
    request: BrowseRequest,
) -> Result<SessionStatus> {
    let cluster = state.cluster(&profile_id)?;
    let decoder = registry::decoder(&state, &registries, &locals, &profile_id, &request.topic)?;
    let session = browse::start_with(&cluster, uuid::Uuid::new_v4().to_string(), request, decoder).await?;
    registry.add_session(Arc::clone(&session))?;
    session.status()
}

#[tauri::command]
pub fn messages_browse_status(registry: State<'_, Registry>, session_id: String) -> Result<SessionStatus> {
    registry.session(&session_id)?.status()
}

#[tauri::command]
pub fn messages_browse_stop(registry: State<'_, Registry>, session_id: String) -> Result<()> {
    registry.session(&session_id)?.stop();
    Ok(())
}

#[tauri::command]
pub fn messages_browse_close(registry: State<'_, Registry>, session_id: String) -> Result<()> {
    registry.close_session(&session_id)
}

/// Async and off the main thread: schema data may need its schema fetched first.
#[tauri::command]
pub async fn messages_window(
    registry: State<'_, Registry>,
    session_id: String,
    start: u32,
    count: u32,
    key_as: DecodeAs,
    value_as: DecodeAs,
) -> Result<Window> {
    let session = registry.session(&session_id)?;
    tokio::task::spawn_blocking(move || session.window(start, count, key_as, value_as)).await?
}

#[tauri::command]
pub async fn messages_detail(
    registry: State<'_, Registry>,
    session_id: String,
    seq: f64,
    key_as: DecodeAs,
    value_as: DecodeAs,
    full: bool,
) -> Result<MessageDetail> {
    let session = registry.session(&session_id)?;
    tokio::task::spawn_blocking(move || session.detail(seq as u64, key_as, value_as, full)).await?
}

#[tauri::command]
pub async fn messages_filter(
    registry: State<'_, Registry>,
    session_id: String,
    job_id: String,
    filter: Filter,
    on_progress: Channel<JobProgress>,
) -> Result<u32> {
    let session = registry.session(&session_id)?;
    job(&registry, &job_id, async |cancel| {
        tokio::task::spawn_blocking(move || {
            messages::apply_filter(&session, &filter, &cancel, |p| {
                let _ = on_progress.send(p);
            })
        })
        .await?
    })
    .await
}

#[tauri::command]
pub async fn messages_export(
    registry: State<'_, Registry>,
    session_id: String,
    job_id: String,
    path: String,
    format: ExportFormat,
    on_progress: Channel<JobProgress>,
) -> Result<f64> {
    let session = registry.session(&session_id)?;
    job(&registry, &job_id, async |cancel| {
        tokio::task::spawn_blocking(move || {
            export::export(&session, &path, format, &cancel, |p| {
                let _ = on_progress.send(p);
            })
        })
        .await?
        .map(|n| n as f64)
    })
    .await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
pub async fn messages_copy(
    state: State<'_, AppState>,
    registry: State<'_, Registry>,
    profile_id: String,
    session_id: String,
    job_id: String,
    topic: String,
    keep_partitions: bool,
    on_progress: Channel<SendProgress>,
) -> Result<SendReport> {
    let cluster = state.cluster_for_write(&profile_id)?;
    let session = registry.session(&session_id)?;
    job(&registry, &job_id, async |cancel| {
        messages::copy_to_topic(&cluster, session, &topic, keep_partitions, cancel, move |p| {
            let _ = on_progress.send(p);
        })
        .await
    })
    .await
}
