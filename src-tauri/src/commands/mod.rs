//! `#[tauri::command]` adapters, one file per feature: parse, call, map errors. No Kafka logic.

pub mod app;
pub mod catalog;
pub mod cluster;
pub mod groups;
pub mod messages;
pub mod profiles;
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
}
