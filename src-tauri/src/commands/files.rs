//! Native open/save dialogs, opened from Rust: the path the user picks is recorded in
//! [`DialogPaths`] before the webview sees it, and only such paths are read or written.
//! The webview names what the file is for, never a path, a title or a filter.

use serde::Deserialize;
use tauri::{AppHandle, State, Window};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::dialog_paths::{DialogPaths, PathUse};
use crate::error::{Error, Result};

/// What a file is picked for; decides the dialog (open or save), its title and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum FilePurpose {
    ImportConnections,
    ExportConnections,
    ProduceMessages,
    ExportMessages,
    ExportAcls,
    ImportAcls,
    /// A folder holding an Apache Kafka distribution, for local clusters.
    KafkaFolder,
}

struct DialogSpec {
    usage: PathUse,
    title: &'static str,
    filters: &'static [(&'static str, &'static [&'static str])],
}

fn spec(purpose: FilePurpose) -> DialogSpec {
    match purpose {
        FilePurpose::ImportConnections => DialogSpec {
            usage: PathUse::Read,
            title: "Import connections",
            filters: &[
                ("kafka-ui, client.properties, kcat", &["yml", "yaml", "env", "properties", "conf", "config", "cfg", "txt"]),
                ("All files", &["*"]),
            ],
        },
        FilePurpose::ExportConnections => DialogSpec {
            usage: PathUse::Write,
            title: "Export connections (without secrets)",
            filters: &[("JSON", &["json"])],
        },
        FilePurpose::ProduceMessages => DialogSpec {
            usage: PathUse::Read,
            title: "Send messages from a file",
            filters: &[("Messages", &["jsonl", "json", "txt", "csv"]), ("All files", &["*"])],
        },
        FilePurpose::ExportMessages => DialogSpec {
            usage: PathUse::Write,
            title: "Export messages",
            filters: &[("JSON lines", &["jsonl"]), ("CSV", &["csv"]), ("All files", &["*"])],
        },
        FilePurpose::ExportAcls => DialogSpec {
            usage: PathUse::Write,
            title: "Export ACL bindings",
            filters: &[("CSV", &["csv"]), ("JSON", &["json"])],
        },
        FilePurpose::ImportAcls => DialogSpec {
            usage: PathUse::Read,
            title: "Import ACL bindings",
            filters: &[("ACL bindings (CSV, JSON)", &["csv", "json"]), ("All files", &["*"])],
        },
        FilePurpose::KafkaFolder => DialogSpec { usage: PathUse::Folder, title: "Choose your Apache Kafka folder", filters: &[] },
    }
}

/// Opens the native dialog for `purpose`; the chosen path, or `None` when cancelled.
#[tauri::command]
pub async fn files_pick(
    app: AppHandle,
    window: Window,
    paths: State<'_, DialogPaths>,
    purpose: FilePurpose,
    suggested_name: Option<String>,
) -> Result<Option<String>> {
    let spec = spec(purpose);
    let (sender, answer) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title(spec.title).set_parent(&window);
    for (name, extensions) in spec.filters {
        dialog = dialog.add_filter(*name, extensions);
    }
    match spec.usage {
        PathUse::Read => dialog.pick_file(move |picked| {
            let _ = sender.send(picked);
        }),
        PathUse::Folder => dialog.pick_folder(move |picked| {
            let _ = sender.send(picked);
        }),
        PathUse::Write => {
            if let Some(name) = suggested_name.filter(|n| !n.is_empty() && n.len() <= 255 && !n.contains(['/', '\\'])) {
                dialog = dialog.set_file_name(name);
            }
            dialog.save_file(move |picked| {
                let _ = sender.send(picked);
            })
        }
    }
    let Some(picked) = answer.await.map_err(|_| Error::internal("The file dialog closed unexpectedly."))? else {
        return Ok(None);
    };
    let path = picked
        .into_path()
        .map_err(|e| Error::internal("The file dialog returned a location KafkaDesk cannot use.").with_detail(e.to_string()))?;
    let Some(text) = path.to_str() else {
        return Err(Error::invalid_input("path", "KafkaDesk can only use files whose path is valid UTF-8; choose another."));
    };
    paths.allow(&path, spec.usage);
    Ok(Some(text.to_string()))
}
