//! `#[tauri::command]` adapters, one file per feature: parse, call, map errors. No Kafka logic.

pub mod acls;
pub mod app;
pub mod catalog;
pub mod cluster;
pub mod connect;
pub mod files;
pub mod groups;
pub mod local;
pub mod messages;
pub mod operations;
pub mod profiles;
pub mod registry;
pub mod topics;

use tauri::{AppHandle, Manager};

use crate::error::Result;
use crate::state::AppState;

/// Runs blocking work (keychain D-Bus calls, fsyncs) on the blocking pool with the app's
/// state: a command never does slow work on the main thread or a runtime worker.
pub(crate) async fn on_pool<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || work(&app.state::<AppState>())).await?
}

#[cfg(test)]
mod tests {
    use super::catalog::CATALOG;

    /// The handlers registered in lib.rs, the catalog (which feeds the ACL) and the
    /// capability must name the same commands, or a command is unreachable or unguarded.
    #[test]
    fn catalog_handlers_and_capability_agree() {
        let lib = include_str!("../lib.rs");
        let handlers: std::collections::BTreeSet<String> = lib
            .lines()
            .filter_map(|l| l.trim().strip_prefix("commands::"))
            .filter_map(|l| l.trim_end_matches(',').rsplit("::").next().map(str::to_string))
            .collect();
        let catalog: std::collections::BTreeSet<String> = CATALOG.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(handlers, catalog, "lib.rs generate_handler! vs commands/catalog.rs");

        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/default.json")).expect("capability JSON");
        let permissions: Vec<&str> = capability["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str()).collect();
        // Our own commands and nothing else: no core plugin, no dialog, no file system, no shell.
        let foreign: Vec<&&str> = permissions.iter().filter(|p| !p.starts_with("allow-")).collect();
        assert!(foreign.is_empty(), "permissions beyond our commands: {foreign:?}");
        let granted: std::collections::BTreeSet<String> =
            permissions.iter().filter_map(|p| p.strip_prefix("allow-").map(|n| n.replace('-', "_"))).collect();
        assert_eq!(granted, catalog, "capabilities/default.json vs commands/catalog.rs");
    }

    /// Read-only profiles are enforced by type (`kafka::Write`, made only by the read-only
    /// gate); the catalog must still call a command that changes a cluster `Write`, since it
    /// feeds the UI's and the ACL's view of what a command does.
    #[test]
    fn commands_named_for_a_change_are_write_commands() {
        use super::catalog::Access;
        let verbs = ["create", "add", "delete", "alter", "update", "produce", "send", "reset", "purge", "increase", "reassign", "elect", "import", "write", "set"];
        for (name, access) in CATALOG {
            // A dry run (`*_preview`) only plans the change its name speaks of.
            let mutating = !name.ends_with("_preview") && name.split('_').any(|w| verbs.contains(&w));
            assert!(!(mutating && *access == Access::Read), "{name} sounds like it changes the cluster but is Access::Read");
        }
    }

    /// Tauri runs a synchronous command on the main thread: every command must be async.
    #[test]
    fn every_command_is_async() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        for entry in std::fs::read_dir(dir).expect("src/commands") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == "mod.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            for chunk in text.split("#[tauri::command]").skip(1) {
                let signature = chunk.lines().find(|l| l.contains("fn ")).unwrap_or_default();
                assert!(signature.contains("async fn"), "{}: a synchronous command: {signature}", path.display());
            }
        }
    }
}
