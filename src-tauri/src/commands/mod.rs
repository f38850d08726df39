//! `#[tauri::command]` adapters, one file per feature: parse, call, map errors. No Kafka logic.

pub mod app;
pub mod catalog;
pub mod cluster;
pub mod groups;
pub mod messages;
pub mod profiles;
pub mod registry;
pub mod topics;

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
        let granted: std::collections::BTreeSet<String> = capability["permissions"]
            .as_array()
            .expect("permissions")
            .iter()
            .filter_map(|p| p.as_str()?.strip_prefix("allow-").map(|n| n.replace('-', "_")))
            .collect();
        assert_eq!(granted, catalog, "capabilities/default.json vs commands/catalog.rs");
    }

    /// Every command body, by name, from the sources in this directory (present and future files).
    fn command_bodies() -> std::collections::BTreeMap<String, String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
        let mut bodies = std::collections::BTreeMap::new();
        for entry in std::fs::read_dir(dir).expect("src/commands") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("source");
            for chunk in text.split("\n#[tauri::command]").skip(1) {
                let name = chunk
                    .split("fn ")
                    .nth(1)
                    .and_then(|rest| rest.split(['(', '<']).next())
                    .expect("a command function");
                bodies.insert(name.trim().to_string(), chunk.to_string());
            }
        }
        bodies
    }

    /// Read-only profiles are enforced in one place, `AppState::cluster_for_write`: every
    /// `Write` command must take its cluster from there, and a command whose name says it
    /// changes a cluster must be `Write`. A new mutating command that skips either fails here.
    #[test]
    fn every_mutating_command_is_refused_on_read_only_profiles() {
        use super::catalog::Access;
        let bodies = command_bodies();
        let verbs = ["create", "add", "delete", "alter", "update", "produce", "send", "reset", "purge", "increase", "reassign", "elect", "import", "write", "set"];
        for (name, access) in CATALOG {
            let body = bodies.get(*name).unwrap_or_else(|| panic!("no #[tauri::command] fn {name} in src/commands"));
            match access {
                Access::Write => assert!(
                    body.contains("cluster_for_write("),
                    "{name} is Access::Write but does not take its cluster through state.cluster_for_write"
                ),
                Access::Read => {
                    // A dry run (`*_preview`) only plans the change its name speaks of.
                    let mutating = !name.ends_with("_preview") && name.split('_').any(|w| verbs.contains(&w));
                    assert!(!mutating, "{name} sounds like it changes the cluster but is Access::Read");
                    assert!(!body.contains("cluster_for_write("), "{name} is Read but asks for write access");
                }
                // Local commands change KafkaDesk's own files only: never a connected cluster.
                Access::Local => assert!(
                    !body.contains("state.cluster(") && !body.contains("cluster_for_write("),
                    "{name} is Access::Local but reaches a cluster"
                ),
            }
        }
        assert_eq!(bodies.len(), CATALOG.len(), "commands in src/commands vs the catalog");
    }
}
