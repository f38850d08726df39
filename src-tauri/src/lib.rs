//! KafkaDesk: a native desktop app for Apache Kafka.
//!
//! Layout (see docs/ARCHITECTURE.md): `kafka/` and `profiles/` hold the logic and never
//! import Tauri; `commands/` are thin adapters; `state` is what the app holds while it runs.

pub mod commands;
pub mod connect;
pub mod dialog_paths;
pub mod error;
mod files;
#[cfg(test)]
mod fuzz;
pub mod kafka;
pub mod local;
pub mod logs;
pub mod profiles;
pub mod registry;
pub mod state;

use std::path::PathBuf;

use tauri::Manager;

use crate::profiles::{ProfileStore, Secrets};
use crate::state::AppState;

/// Overrides the profile store's directory (tests run the app against a fresh one).
pub const CONFIG_DIR_ENV: &str = "KAFKADESK_CONFIG_DIR";
/// Overrides the data directory (local clusters' data and logs live in `<it>/local-clusters`).
pub const DATA_DIR_ENV: &str = "KAFKADESK_DATA_DIR";
/// Shifts the ports suggested for new local clusters (default 19092/29092/39092) by this much.
pub const LOCAL_PORT_OFFSET_ENV: &str = "KAFKADESK_LOCAL_PORT_OFFSET";

/// On a Linux machine without a GPU (a VM, a remote desktop, Xvfb), WebKitGTK still paints
/// pages through GL, which there is Mesa's software rasterizer: the web process keeps a GL
/// painting context and its textures for no hardware gain, about 48 MiB at rest
/// (bench/RESULTS.md, the window). Skia's CPU painting draws the same pixels without them;
/// compositing stays on, so the window answers WebDriver as before. A user's own setting of
/// the switch wins; machines with a render node keep WebKit's defaults.
#[cfg(target_os = "linux")]
fn cpu_painting_without_gpu() {
    if !has_gpu_render_node() && std::env::var_os(CPU_PAINTING_ENV).is_none() {
        // First thing in `run`, before any thread exists that could read the environment.
        std::env::set_var(CPU_PAINTING_ENV, "1");
    }
}

/// WebKitGTK's switch to paint with Skia on the CPU.
#[cfg(target_os = "linux")]
pub const CPU_PAINTING_ENV: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether this machine has a GPU render node (`/dev/dri/renderD*`).
#[cfg(target_os = "linux")]
pub fn has_gpu_render_node() -> bool {
    std::fs::read_dir("/dev/dri")
        .map(|entries| entries.flatten().any(|e| e.file_name().to_string_lossy().starts_with("renderD")))
        .unwrap_or(false)
}

pub fn run() {
    #[cfg(target_os = "linux")]
    cpu_painting_without_gpu();
    let app = tauri::Builder::default()
        // Native open/save dialogs, opened from Rust only (commands/files.rs): the webview
        // gets no dialog permission and no path it did not see the user pick.
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            start_log(app.path().app_log_dir().ok());
            app.manage(dialog_paths::DialogPaths::default());
            let dir = match std::env::var_os(CONFIG_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_config_dir()?,
            };
            let profiles = ProfileStore::open(&dir)?;
            app.manage(kafka::messages::library::MessageLibrary::open(&dir));
            app.manage(AppState::new(profiles, Secrets::os(), connect_arg(std::env::args())));
            app.manage(registry::Registries::default());
            app.manage(std::sync::Arc::new(registry::local::LocalProtos::open(&dir)));
            let local_root = match std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
                Some(data) => PathBuf::from(data),
                // Tests that give a config dir keep local clusters beside it, away from the user's.
                None if std::env::var_os(CONFIG_DIR_ENV).is_some() => dir.join("data"),
                None => app.path().app_data_dir()?,
            };
            let port_offset = std::env::var(LOCAL_PORT_OFFSET_ENV).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            app.manage(std::sync::Arc::new(
                local::LocalClusters::new(local_root.join("local-clusters"), local::install::Discovery::from_env())
                    .with_port_offset(port_offset),
            ));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app::app_startup,
            commands::profiles::profiles_list,
            commands::profiles::profiles_create,
            commands::profiles::profiles_update,
            commands::profiles::profiles_duplicate,
            commands::profiles::profiles_delete,
            commands::profiles::profiles_test,
            commands::profiles::profiles_import,
            commands::profiles::profiles_export,
            commands::cluster::cluster_connect,
            commands::cluster::cluster_overview,
            commands::cluster::cluster_disconnect,
            commands::groups::groups_list,
            commands::groups::groups_describe,
            commands::groups::groups_reset_preview,
            commands::groups::groups_reset_apply,
            commands::groups::groups_delete,
            commands::groups::groups_delete_offsets,
            commands::messages::messages_key_partition,
            commands::messages::messages_produce,
            commands::messages::messages_produce_file,
            commands::messages::messages_cancel,
            commands::messages::messages_browse_start,
            commands::messages::messages_browse_status,
            commands::messages::messages_browse_stop,
            commands::messages::messages_browse_close,
            commands::messages::messages_window,
            commands::messages::messages_detail,
            commands::messages::messages_value_chunk,
            commands::messages::messages_filter,
            commands::messages::messages_export,
            commands::messages::messages_copy,
            commands::messages::messages_library,
            commands::messages::messages_template_save,
            commands::messages::messages_template_delete,
            commands::topics::topics_list,
            commands::topics::topic_detail,
            commands::topics::topic_create,
            commands::topics::topic_delete,
            commands::topics::topic_add_partitions,
            commands::topics::topic_purge,
            commands::topics::topic_configs,
            commands::topics::topic_alter_configs,
            commands::topics::broker_configs,
            commands::registry::registry_test,
            commands::registry::registry_subjects,
            commands::registry::registry_subject,
            commands::registry::registry_diff,
            commands::registry::registry_check,
            commands::registry::registry_register,
            commands::registry::registry_compatibility_set,
            commands::registry::registry_delete,
            commands::registry::registry_local_proto,
            commands::registry::registry_local_proto_save,
            commands::local::local_setup,
            commands::local::local_choose_install,
            commands::local::local_list,
            commands::local::local_create,
            commands::local::local_start,
            commands::local::local_stop,
            commands::local::local_delete,
            commands::local::local_log,
            commands::acls::acls_list,
            commands::acls::acls_create,
            commands::acls::acls_wizard_preview,
            commands::acls::acls_wizard_apply,
            commands::acls::acls_delete_preview,
            commands::acls::acls_delete,
            commands::acls::acls_delete_filter,
            commands::acls::acls_export,
            commands::acls::acls_import_preview,
            commands::acls::acls_import,
            commands::acls::acls_effective,
            commands::acls::acls_users,
            commands::acls::acls_user_upsert,
            commands::acls::acls_user_delete,
            commands::connect::connect_settings_save,
            commands::connect::connect_settings_test,
            commands::connect::connect_list,
            commands::connect::connect_detail,
            commands::connect::connect_plugins,
            commands::connect::connect_validate,
            commands::connect::connect_offsets,
            commands::connect::connect_create,
            commands::connect::connect_update,
            commands::connect::connect_set_state,
            commands::connect::connect_restart,
            commands::connect::connect_restart_task,
            commands::connect::connect_offsets_reset,
            commands::connect::connect_offsets_alter,
            commands::connect::connect_delete,
            commands::files::files_pick,
            commands::app::app_open_logs_folder,
            commands::app::app_diagnostics,
            commands::operations::operations_leader_preview,
            commands::operations::operations_elect_leaders,
            commands::operations::operations_reassign_preview,
            commands::operations::operations_reassign_import_preview,
            commands::operations::operations_reassign_execute,
            commands::operations::operations_reassign_progress,
            commands::operations::operations_reassignments_list,
            commands::operations::operations_reassign_cancel,
            commands::operations::operations_quotas_list,
            commands::operations::operations_quotas_alter,
            commands::operations::operations_quotas_remove,
            commands::operations::operations_transactions_list,
            commands::operations::operations_transaction_producers,
            commands::operations::operations_transaction_abort,
        ])
        .build(tauri::generate_context!());
    match app {
        Ok(app) => app.run(|handle, event| {
            if let tauri::RunEvent::Exit = event {
                // Close every connection so librdkafka handles are destroyed in order, and
                // give the closing threads a moment (bounded) before the process ends.
                handle.state::<AppState>().disconnect_all();
                kafka::connection::wait_all_closed(std::time::Duration::from_secs(3));
            }
        }),
        Err(e) => {
            eprintln!("KafkaDesk could not start: {e}");
            std::process::exit(1);
        }
    }
}

/// Starts the rotating log file in the OS log folder (or `KAFKADESK_LOG_DIR`). A log that
/// cannot start is reported on stderr and never stops the app.
fn start_log(os_dir: Option<PathBuf>) {
    let dir = std::env::var_os(logs::LOG_DIR_ENV).map(PathBuf::from).or(os_dir);
    let level = std::env::var(logs::LOG_LEVEL_ENV).unwrap_or_else(|_| "info".into());
    match dir {
        Some(dir) => {
            if let Err(e) = logs::init(&dir, &level) {
                eprintln!("KafkaDesk: {e}");
            }
        }
        None => eprintln!("KafkaDesk: no log folder on this system; logging is off."),
    }
}

/// The profile name after `--connect` (or `--connect=NAME`), if given.
fn connect_arg(args: impl Iterator<Item = String>) -> Option<String> {
    let mut args = args.skip(1);
    while let Some(arg) = args.next() {
        if arg == "--connect" {
            return args.next();
        }
        if let Some(name) = arg.strip_prefix("--connect=") {
            return Some(name.to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::connect_arg;

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter()
    }

    #[test]
    fn reads_the_profile_to_connect_to() {
        assert_eq!(connect_arg(args(&["kd", "--connect", "Local sandbox"])).as_deref(), Some("Local sandbox"));
        assert_eq!(connect_arg(args(&["kd", "--connect=Prod"])).as_deref(), Some("Prod"));
        assert_eq!(connect_arg(args(&["kd"])), None);
        assert_eq!(connect_arg(args(&["kd", "--connect"])), None);
    }
}
