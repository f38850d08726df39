// Declares our commands to Tauri's ACL: the webview may call only those the capability
// in capabilities/default.json grants (`allow-<command>`), nothing by default.
#[path = "src/commands/catalog.rs"]
#[allow(dead_code)]
mod catalog;

fn main() {
    // tauri-build wants a 'static list; a build script may leak it.
    let names: &'static [&'static str] =
        Vec::leak(catalog::CATALOG.iter().map(|(name, _)| *name).collect());
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(names));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
