//! End-to-end tests: the built KafkaDesk app in a real window (Xvfb + tauri-driver +
//! WebKitWebDriver), driven like a person would, against a real 3-broker Kafka.
//!
//! Prerequisites: the app is built (`make test` does it: `npm --prefix ui run build` then
//! `cargo build -p kafkadesk`). tauri-driver is installed on first use, Kafka is started on
//! first use (or taken from `KAFKADESK_TEST_BOOTSTRAP`). Run with
//! `cargo test -p kafkadesk-tests --test e2e -- --test-threads=1`.
//!
//! One window at a time: every test takes [`one_window`] first. Every test gets its own
//! profile store (a temp dir), so none sees another's connections or UI state. Each flow
//! saves a screenshot under `docs/screenshots/` for the README.

mod acls;
mod cluster;
mod connect;
mod faithful;
mod groups;
mod local;
mod hardening;
mod messages;
mod operations;
mod profiles;
mod registry;
mod responsiveness;
mod topics;

use std::path::PathBuf;
use std::time::Duration;

use kafkadesk_tests::e2e::{by_testid, App, LaunchOptions, Result};
use tempfile::TempDir;
use tokio::sync::{Mutex, MutexGuard};

/// Bound for UI reactions that need no network (a click opening a form, a toggle).
pub const UI: Duration = Duration::from_secs(10);
/// Bound for UI reactions that wait on Kafka (connect + overview).
pub const KAFKA: Duration = Duration::from_secs(30);

/// Serialises the tests of this binary: one app window (and Xvfb) at a time, whatever
/// `--test-threads` says. A tokio mutex does not poison, so one failed test does not fail
/// the next ones.
pub async fn one_window() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::const_new(());
    LOCK.lock().await
}

/// A fresh, empty profile store directory, removed when dropped.
pub fn fresh_config_dir(test: &str) -> TempDir {
    tempfile::Builder::new()
        .prefix(&format!("kafkadesk-e2e-{test}-"))
        .tempdir()
        .expect("a temp dir for the profile store")
}

/// Launches the app on a fresh profile store.
pub async fn launch_fresh(config: &TempDir) -> Result<App> {
    App::launch(LaunchOptions::new(config.path())).await
}

/// `docs/screenshots/<name>` in the workspace.
pub fn screenshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("docs").join("screenshots").join(name)
}

/// Opens the new-connection form, fills it in and submits it.
pub async fn create_connection(app: &App, name: &str, bootstrap: &str) -> Result<()> {
    app.click(&by_testid("new-connection-open"), UI).await?;
    app.wait_for(&by_testid("new-connection-form"), UI).await?;
    app.fill(&by_testid("new-connection-name"), name, UI).await?;
    app.fill(&by_testid("new-connection-bootstrap"), bootstrap, UI).await?;
    app.click(&by_testid("new-connection-submit"), UI).await
}

/// Chooses `value` in the Mantine SegmentedControl `testid` (its radio inputs are hidden,
/// so the click goes to the input itself).
pub async fn choose_segment(app: &App, testid: &str, value: &str) -> Result<()> {
    let script = format!(
        "const el = document.querySelector('{} input[value=\"{value}\"]'); if (!el) return false; el.click(); return true;",
        by_testid(testid).replace('\'', "\\'")
    );
    if app.eval(&script).await? != serde_json::Value::Bool(true) {
        return Err(kafkadesk_tests::e2e::E2eError::new(format!("no {value} in {testid}")));
    }
    Ok(())
}
