// Declares our commands to Tauri's ACL: the webview may call only those the capability
// in capabilities/default.json grants (`allow-<command>`), nothing by default.
const COMMANDS: &[&str] = &[
    "profiles_list",
    "profiles_create",
    "profiles_delete",
    "cluster_connect",
    "cluster_overview",
    "cluster_disconnect",
];

fn main() {
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
