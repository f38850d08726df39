//! Local clusters in the window: one click on the empty start screen starts a 1-node Apache
//! Kafka on this machine and shows its broker. And the app installed from the `.deb` opens
//! and works (`make test-bundle`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kafkadesk::local::install::Discovery;
use kafkadesk::local::LocalClusters;
use kafkadesk::profiles::ProfileStore;
use kafkadesk_tests::e2e::{by_testid, App, LaunchOptions};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A first JVM start formats storage and warms up: allow for a loaded machine.
const LOCAL_START: Duration = Duration::from_secs(180);

/// Stops every local cluster the app made under `root` when the test ends, passed or not.
struct StopLocalClusters(PathBuf);

impl Drop for StopLocalClusters {
    fn drop(&mut self) {
        let local = LocalClusters::new(&self.0, Discovery::default());
        for c in local.list() {
            if let Err(e) = local.stop(&c.id) {
                eprintln!("[e2e] could not stop local cluster {}: {e}", c.name);
            }
        }
    }
}

/// A port offset whose suggested ports (19092+offset, …) are free now, away from the defaults
/// a developer's own sandbox uses.
fn free_port_offset() -> u16 {
    let seed = std::process::id() as u16 % 60;
    (0..60u16)
        .map(|k| 1000 + ((seed + k) % 60) * 100)
        .find(|off| {
            [19092u16, 19093, 29092, 29093, 39092, 39093]
                .iter()
                .all(|p| std::net::TcpListener::bind(("127.0.0.1", p + off)).is_ok())
        })
        .unwrap_or(4200)
}

#[tokio::test]
async fn starts_a_local_cluster_from_the_empty_start_screen() -> TestResult {
    let _window = one_window().await;
    // The app finds Kafka's jars in KafkaDesk's cache, as on a developer machine after `make run`.
    tokio::task::spawn_blocking(kafka::ensure_kafka_jars).await??;
    let config = fresh_config_dir("local");
    // No saved connection at all: the first-start screen.
    let store = ProfileStore::open(config.path())?;
    for p in store.list()? {
        store.remove(&p.id)?;
    }
    drop(store);
    let _cleanup = StopLocalClusters(config.path().join("data").join("local-clusters"));
    let offset = free_port_offset();
    let app = App::launch(LaunchOptions::new(config.path()).env("KAFKADESK_LOCAL_PORT_OFFSET", offset.to_string())).await?;

    let empty = app.wait_for(&by_testid("connections-empty-state"), UI).await?;
    assert!(app.text_of(&empty).await.contains("No saved connections yet"));
    app.click(&by_testid("start-local-cluster"), UI).await?;

    // Its one broker, on the port the app chose.
    let rows = app.wait_for_count(&by_testid("broker-row"), 1, LOCAL_START).await?;
    let row_text = app.text_of(&rows[0]).await;
    let port = 19092 + offset;
    assert!(row_text.contains(&port.to_string()), "broker row shows port {port}: {row_text}");
    // The cluster got a saved connection, listed on the left.
    app.wait_for_text(&by_testid("connection-item"), "Local Kafka", UI).await?;
    app.screenshot(screenshot_path("local-cluster.png")).await?;

    // The Local clusters view shows it running.
    app.click(&by_testid("nav-local-clusters"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"running\"]", by_testid("local-cluster")), UI).await?;
    app.close().await?;
    Ok(())
}

/// The `.deb` from `make bundle`: `$KAFKADESK_DEB`, else the newest in the bundle folder.
fn built_deb() -> Option<PathBuf> {
    if let Some(deb) = std::env::var_os("KAFKADESK_DEB").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(deb));
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from)?;
    let dir = target.join("release").join("bundle").join("deb");
    let mut debs: Vec<PathBuf> = std::fs::read_dir(dir).ok()?.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "deb")).collect();
    debs.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    debs.pop()
}

fn run(cmd: &mut Command) -> Result<String, Box<dyn std::error::Error>> {
    let out = cmd.output()?;
    if !out.status.success() {
        return Err(format!("{cmd:?} failed ({}): {}{}", out.status, String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Installs the package with dpkg into an empty root (its own dpkg database, nothing on the
/// machine touched) and checks that every package it depends on is installed here, as
/// `dpkg -i` on a real system would.
fn install_into_fresh_root(deb: &Path, root: &Path) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let admin = root.join("var/lib/dpkg");
    for sub in ["info", "updates", "triggers"] {
        std::fs::create_dir_all(admin.join(sub))?;
    }
    std::fs::write(admin.join("status"), b"")?;
    run(Command::new("dpkg").arg(format!("--root={}", root.display())).args(["--force-depends", "--force-not-root", "--force-script-chrootless", "-i"]).arg(deb))?;
    let status = std::fs::read_to_string(admin.join("status"))?;
    assert!(status.contains("Package: kafka-desk") || status.contains("Package: kafkadesk"), "dpkg recorded the package:\n{status}");
    let depends = run(Command::new("dpkg-deb").args(["-f"]).arg(deb).arg("Depends"))?;
    for dep in depends.split(',').map(|d| d.split_whitespace().next().unwrap_or_default().to_string()).filter(|d| !d.is_empty()) {
        let alternatives: Vec<&str> = dep.split('|').collect();
        let ok = alternatives.iter().any(|a| Command::new("dpkg-query").args(["-W", a]).output().is_ok_and(|o| o.status.success()));
        assert!(ok, "the .deb depends on {dep}, which is not installed on this machine");
    }
    let bin = root.join("usr/bin/kafkadesk");
    assert!(bin.is_file(), "the package installs /usr/bin/kafkadesk");
    Ok(bin)
}

/// `make test-bundle`: the app installed from the `.deb` opens, connects to the test cluster
/// and shows its brokers. Skipped in `make test` (it needs a release bundle).
#[tokio::test]
#[ignore = "needs the .deb from `make bundle`; run by `make test-bundle`"]
async fn installed_app_opens_and_shows_the_brokers() -> TestResult {
    let _window = one_window().await;
    let deb = built_deb().ok_or("no .deb: run `make bundle` first (or set KAFKADESK_DEB)")?;
    let root = tempfile::Builder::new().prefix("kafkadesk-installed-").tempdir()?;
    let bin = install_into_fresh_root(&deb, root.path())?;

    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let config = fresh_config_dir("installed");
    let app = App::launch(LaunchOptions::new(config.path()).app(&bin)).await?;
    create_connection(&app, "Test cluster", &bootstrap).await?;
    let rows = app.wait_for_count(&by_testid("broker-row"), cluster.broker_ports().len().max(1), KAFKA).await?;
    assert_eq!(rows.len(), cluster.broker_ports().len().max(1));
    app.screenshot(screenshot_path("installed-app.png")).await?;
    app.close().await?;
    Ok(())
}
