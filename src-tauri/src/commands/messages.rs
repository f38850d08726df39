//! Messages commands: produce, bulk produce, browse sessions, filter, export, copy.
//! Long jobs take a `jobId` the UI picked (for `messages_cancel`) and report over a channel.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::dialog_paths::{DialogPaths, PathUse};
use crate::error::Result;
use crate::kafka::messages::browse::{self, BrowseRequest, SessionStatus, Window};
use crate::kafka::messages::codec::{DecodeAs, InputFormat};
use crate::kafka::messages::export::{self, ExportFormat};
use crate::kafka::messages::filter::Filter;
use crate::kafka::messages::produce::{self, FileProduceRequest, ProduceRequest, SendProgress, SendReport};
use crate::kafka::messages::store::{MessageDetail, ValueChunk};
use crate::kafka::messages::{self, JobProgress, Registry};
use crate::kafka::messages::library::{Library, MessageLibrary};
use crate::commands::registry;
use crate::registry::encoder::SchemaChoice;
use crate::registry::local::LocalProtos;
use crate::registry::Registries;
use crate::state::AppState;

/// Runs a cancellable job under `job_id` in its connection's registry (so it is cancelled
/// when the connection closes), forgetting the id when it ends. The job's cancel
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
pub async fn messages_key_partition(
    state: State<'_, AppState>,
    profile_id: String,
    topic: String,
    key: String,
    key_format: InputFormat,
) -> Result<i32> {
    messages::key_partition(&*state.cluster(&profile_id)?, &topic, &key, key_format).await
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
pub async fn messages_produce(
    state: State<'_, AppState>,
    library: State<'_, MessageLibrary>,
    registries: State<'_, Registries>,
    profile_id: String,
    job_id: String,
    request: ProduceRequest,
    on_progress: Channel<SendProgress>,
) -> Result<SendReport> {
    let cluster = state.cluster_for_write(&profile_id)?;
    let schemas =
        registry::encoder(&state, &registries, &profile_id, request.key_schema.as_ref(), request.value_schema.as_ref()).await?;
    let owner = state.owner_of(&profile_id)?;
    let sending = request.clone();
    let report = job(owner.registry(), &job_id, async |cancel| {
        produce::produce_job(&cluster, sending, schemas.as_ref(), cancel, move |p| {
            let _ = on_progress.send(p);
        })
        .await
    })
    .await?;
    // History is a convenience: failing to save it does not fail a message that was sent.
    if let Err(e) = library.record_sent(&request) {
        log::warn!("{e}");
    }
    Ok(report)
}

// The library writes its JSON file (fsync): on the blocking pool, never the main thread.
#[tauri::command]
pub async fn messages_library(app: AppHandle, topic: Option<String>) -> Result<Library> {
    library_on_pool(app, move |library| library.list(topic.as_deref())).await
}

#[tauri::command]
pub async fn messages_template_save(app: AppHandle, name: String, request: ProduceRequest) -> Result<Library> {
    library_on_pool(app, move |library| library.save_template(&name, request)).await
}

#[tauri::command]
pub async fn messages_template_delete(app: AppHandle, name: String) -> Result<()> {
    library_on_pool(app, move |library| library.delete_template(&name)).await
}

async fn library_on_pool<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&MessageLibrary) -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || work(&app.state::<MessageLibrary>())).await?
}

#[tauri::command]
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
pub async fn messages_produce_file(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    paths: State<'_, DialogPaths>,
    profile_id: String,
    job_id: String,
    request: FileProduceRequest,
    key_schema: Option<SchemaChoice>,
    value_schema: Option<SchemaChoice>,
    on_progress: Channel<SendProgress>,
) -> Result<SendReport> {
    paths.check(&request.path, PathUse::Read)?;
    let cluster = state.cluster_for_write(&profile_id)?;
    let schemas = registry::encoder(&state, &registries, &profile_id, key_schema.as_ref(), value_schema.as_ref()).await?;
    let owner = state.owner_of(&profile_id)?;
    job(owner.registry(), &job_id, async |cancel| {
        produce::produce_file_with(&cluster, request, schemas.map(Arc::new), cancel, move |p| {
            let _ = on_progress.send(p);
        })
        .await
    })
    .await
}

#[tauri::command]
pub async fn messages_cancel(state: State<'_, AppState>, job_id: String) -> Result<bool> {
    state.cancel_job(&job_id)
}

#[tauri::command]
pub async fn messages_browse_start(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    locals: State<'_, Arc<LocalProtos>>,
    profile_id: String,
    request: BrowseRequest,
    on_status: Channel<SessionStatus>,
) -> Result<SessionStatus> {
    let cluster = state.cluster(&profile_id)?;
    let owner = state.owner_of(&profile_id)?;
    let decoder = registry::decoder(&state, &registries, &locals, &profile_id, &request.topic)?;
    // The session pushes its status as rows arrive: the first rows show without a poll.
    let push = Box::new(move |status: SessionStatus| {
        let _ = on_status.send(status);
    });
    let session = browse::start_with(&cluster, uuid::Uuid::new_v4().to_string(), request, decoder, push).await?;
    owner.registry().add_session(Arc::clone(&session))?;
    session.status()
}

#[tauri::command]
pub async fn messages_browse_status(state: State<'_, AppState>, session_id: String) -> Result<SessionStatus> {
    state.session(&session_id)?.status()
}

#[tauri::command]
pub async fn messages_browse_stop(state: State<'_, AppState>, session_id: String) -> Result<()> {
    state.session(&session_id)?.stop();
    Ok(())
}

#[tauri::command]
pub async fn messages_browse_close(state: State<'_, AppState>, session_id: String) -> Result<()> {
    state.close_session(&session_id)
}

#[tauri::command]
pub async fn messages_window(
    state: State<'_, AppState>,
    session_id: String,
    start: u32,
    count: u32,
    key_as: DecodeAs,
    value_as: DecodeAs,
) -> Result<Window> {
    // Off the async threads: schema data may need its schema fetched first.
    let session = state.session(&session_id)?;
    tokio::task::spawn_blocking(move || session.window(start, count, key_as, value_as)).await?
}

#[tauri::command]
pub async fn messages_detail(
    state: State<'_, AppState>,
    session_id: String,
    seq: f64,
    key_as: DecodeAs,
    value_as: DecodeAs,
    full: bool,
) -> Result<MessageDetail> {
    let session = state.session(&session_id)?;
    tokio::task::spawn_blocking(move || session.detail(seq as u64, key_as, value_as, full)).await?
}

/// A piece of a message's value (at most 4 MiB), for streaming a large value into the detail.
#[tauri::command]
pub async fn messages_value_chunk(
    state: State<'_, AppState>,
    session_id: String,
    seq: f64,
    offset: u32,
    max_bytes: u32,
    value_as: DecodeAs,
) -> Result<ValueChunk> {
    let session = state.session(&session_id)?;
    tokio::task::spawn_blocking(move || session.value_chunk(seq as u64, offset, max_bytes.min(4 << 20), value_as)).await?
}

#[tauri::command]
pub async fn messages_filter(
    state: State<'_, AppState>,
    session_id: String,
    job_id: String,
    filter: Filter,
    on_progress: Channel<JobProgress>,
) -> Result<u32> {
    let session = state.session(&session_id)?;
    let owner = state.session_owner(&session_id)?;
    job(owner.registry(), &job_id, async |cancel| {
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
#[allow(clippy::too_many_arguments)] // a command's arguments are its IPC fields
pub async fn messages_export(
    state: State<'_, AppState>,
    paths: State<'_, DialogPaths>,
    session_id: String,
    job_id: String,
    path: String,
    format: ExportFormat,
    on_progress: Channel<JobProgress>,
) -> Result<f64> {
    paths.check(&path, PathUse::Write)?;
    let session = state.session(&session_id)?;
    let owner = state.session_owner(&session_id)?;
    job(owner.registry(), &job_id, async |cancel| {
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
    profile_id: String,
    session_id: String,
    job_id: String,
    topic: String,
    keep_partitions: bool,
    on_progress: Channel<SendProgress>,
) -> Result<SendReport> {
    let cluster = state.cluster_for_write(&profile_id)?;
    let owner = state.owner_of(&profile_id)?;
    let session = state.session(&session_id)?;
    job(owner.registry(), &job_id, async |cancel| {
        messages::copy_to_topic(&cluster, session, &topic, keep_partitions, cancel, move |p| {
            let _ = on_progress.send(p);
        })
        .await
    })
    .await
}
