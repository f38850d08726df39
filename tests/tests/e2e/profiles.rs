//! Saved connections as a first start shows them.

use kafkadesk_tests::e2e::by_testid;

use crate::{choose_segment, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[tokio::test]
async fn first_start_lists_local_sandbox() -> TestResult {
    let _window = one_window().await;
    let config = fresh_config_dir("first-start");
    let app = launch_fresh(&config).await?;

    app.wait_for(&by_testid("connections-list"), UI).await?;
    let sandbox = format!("{}[data-profile-name=\"Local sandbox\"]", by_testid("connection-item"));
    let item = app.wait_for(&sandbox, UI).await?;
    assert_eq!(app.find_all(&sandbox).await?.len(), 1, "one Local sandbox entry on a fresh store");
    assert!(
        !item.find_all(fantoccini::Locator::Css(&by_testid("connection-connect"))).await?.is_empty(),
        "the Local sandbox entry has a connect button"
    );

    app.screenshot(screenshot_path("first-start.png")).await?;
    app.close().await?;
    Ok(())
}
/// The "done when": a SCRAM-SHA-512 + TLS profile against the secured broker is
/// created in the editor, tested (green), saved; after a restart it is still listed and
/// connects with the password read back from the real Secret Service (run under
/// `dbus-run-session` with gnome-keyring unlocked). The password is nowhere on disk.
#[tokio::test]
async fn scram_tls_profile_is_tested_saved_and_reconnects_after_a_restart() -> TestResult {
    let _window = one_window().await;
    let secured = tokio::task::spawn_blocking(kafkadesk_tests::kafka::test_secured_cluster).await?;
    let bootstrap = kafkadesk_tests::kafka::SecuredCluster::bootstrap(secured.listeners.sasl_ssl);
    let password = kafkadesk_tests::kafka::SecuredCluster::password("bob");
    let config = fresh_config_dir("profiles-editor");
    let app = launch_fresh(&config).await?;

    app.click(&by_testid("new-connection-open"), UI).await?;
    app.fill(&by_testid("new-connection-name"), "Secured SCRAM", UI).await?;
    app.fill(&by_testid("new-connection-bootstrap"), &bootstrap, UI).await?;
    choose_segment(&app, "profile-environment", "staging").await?;
    choose_segment(&app, "profile-security-protocol", "SASL_SSL").await?;
    app.click(&format!("{} option[value=\"SCRAM-SHA-512\"]", by_testid("profile-sasl-mechanism")), UI).await?;
    app.fill(&by_testid("profile-sasl-username"), "bob", UI).await?;
    app.fill(&by_testid("profile-sasl-password"), password, UI).await?;
    app.fill(&by_testid("profile-tls-ca"), &secured.tls.ca.display().to_string(), UI).await?;
    assert!(app.find_all(&by_testid("secret-storage-warning")).await?.is_empty(), "the Secret Service is available");

    app.click(&by_testid("profile-test"), UI).await?;
    let result = app.wait_for_text(&by_testid("profile-test-result"), "1 broker reached", KAFKA).await?;
    assert_eq!(result.attr("data-status").await?.as_deref(), Some("ok"));
    // The result panel sits under the form: scroll it into view for the screenshot.
    app.eval(&format!("document.querySelector('{}').scrollIntoView({{block: 'end'}}); return true;", by_testid("profile-test-result").replace('\'', "\\'"))).await?;
    app.park_pointer().await;
    app.settle().await;
    app.screenshot(screenshot_path("profiles-editor.png")).await?;

    app.click(&by_testid("new-connection-submit"), UI).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.close().await?;

    let files: Vec<String> = std::fs::read_dir(config.path())?
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.path()).unwrap_or_default()).to_string())
        .collect();
    assert!(files.iter().any(|f| f.contains("Secured SCRAM")), "profiles.json holds the profile");
    assert!(files.iter().all(|f| !f.contains(password)), "the password is not in the config dir");

    // Restart: the profile is listed, and connecting needs the password from the keychain.
    let app = launch_fresh(&config).await?;
    let item = format!("{}[data-profile-name=\"Secured SCRAM\"]", by_testid("connection-item"));
    app.wait_for(&item, UI).await?;
    app.click(&format!("{item} {}", by_testid("connection-connect")), UI).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    assert!(app.find_all(&by_testid("error-banner")).await?.is_empty(), "{}", app.page_text().await);
    app.close().await?;
    Ok(())
}
