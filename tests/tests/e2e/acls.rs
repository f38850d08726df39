//! Security administration in the real window, on an authorizing broker: grant a consumer
//! with the wizard, see it listed (and Kafka's AclCommand agree), ask who can do what,
//! delete it behind the typed confirmation, and create a SCRAM user that can log in.

use std::time::{Duration, Instant};

use kafkadesk_tests::authz::{scram_client, test_authorizing_cluster};
use kafkadesk_tests::e2e::{by_testid, E2eError};
use kafkadesk_tests::kafka;
use rdkafka::consumer::{BaseConsumer, Consumer};

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The bindings of `principal` as Kafka's AclCommand lists them (one line each).
async fn acl_command_lines(bootstrap: String, principal: String) -> Result<Vec<String>, E2eError> {
    let out = tokio::task::spawn_blocking(move || {
        kafka::kafka_java("org.apache.kafka.tools.AclCommand", &["--bootstrap-server", &bootstrap, "--list", "--principal", &principal])
    })
    .await
    .map_err(|e| E2eError::new(format!("AclCommand: {e}")))?;
    if !out.status.success() {
        return Err(E2eError::new(format!("AclCommand failed: {}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("(principal=")).map(|l| l.trim().to_string()).collect())
}

#[tokio::test]
async fn grant_inspect_explain_and_revoke_a_consumer_then_add_a_scram_user() -> TestResult {
    let _window = one_window().await;
    let secured = tokio::task::spawn_blocking(test_authorizing_cluster).await?;
    // PLAINTEXT's principal is a super user on this broker: the app connects as an admin.
    let bootstrap = secured.cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-payments");
    let group = kafka::unique_topic("e2e-payments-readers");
    let principal = format!("User:{}", kafka::unique_topic("reader"));

    let config = fresh_config_dir("acls");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E security", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-acls"), UI).await?;
    app.wait_for(&by_testid("acls-list"), KAFKA).await?;

    // Grant a consumer with the wizard: preview first, then grant.
    app.click(&by_testid("acls-section-grant"), UI).await?;
    app.wait_for(&by_testid("acls-wizard"), UI).await?;
    app.fill(&by_testid("wizard-principal"), &principal, UI).await?;
    app.fill(&by_testid("wizard-topics"), &topic, UI).await?;
    app.fill(&by_testid("wizard-group"), &group, UI).await?;
    app.click(&by_testid("wizard-preview"), UI).await?;
    app.wait_for_count(&format!("{} {}", by_testid("wizard-preview-table"), by_testid("acl-row")), 3, UI).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("acls-wizard.png")).await?;
    app.click(&by_testid("wizard-apply"), UI).await?;
    app.wait_for_text(&by_testid("wizard-granted"), "Granted 3 bindings", KAFKA).await?;

    // Listed here, and by Kafka's own tool.
    app.click(&by_testid("acls-section-bindings"), UI).await?;
    app.fill(&by_testid("acls-filter-principal"), &principal, UI).await?;
    let rows = format!("{}[data-principal=\"{principal}\"]", by_testid("acl-row"));
    app.wait_for_count(&rows, 3, KAFKA).await?;
    let lines = acl_command_lines(bootstrap.clone(), principal.clone()).await?;
    assert_eq!(lines.len(), 3, "AclCommand lists the 3 bindings: {lines:?}");
    app.park_pointer().await;
    app.screenshot(screenshot_path("acls-list.png")).await?;

    // Who can do what: READ on the topic is allowed by the wizard's binding, WRITE is not.
    app.click(&by_testid("acls-section-effective"), UI).await?;
    app.fill(&by_testid("effective-principal"), &principal, UI).await?;
    app.fill(&by_testid("effective-host"), "127.0.0.1", UI).await?;
    app.fill(&by_testid("effective-name"), &topic, UI).await?;
    app.click(&by_testid("effective-check"), UI).await?;
    let row = |op: &str, allowed: bool| format!("{}[data-operation=\"{op}\"][data-allowed=\"{allowed}\"]", by_testid("effective-row"));
    app.wait_for(&row("READ", true), KAFKA).await?;
    app.wait_for(&row("DESCRIBE", true), UI).await?;
    app.wait_for(&row("WRITE", false), UI).await?;
    app.wait_for_text(&format!("{} {}", row("READ", true), by_testid("effective-deciding")), &principal, UI).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("acls-effective.png")).await?;

    // Revoke: delete by the principal filter, after the preview and the typed confirmation.
    app.click(&by_testid("acls-section-bindings"), UI).await?;
    app.fill(&by_testid("acls-filter-principal"), &principal, UI).await?;
    app.wait_for_count(&rows, 3, KAFKA).await?;
    app.click(&by_testid("acls-delete-filter"), UI).await?;
    app.wait_for_count(&by_testid("acls-delete-item"), 3, KAFKA).await?;
    app.fill(&by_testid("typed-confirm-input"), "delete 3 bindings", UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_for_text(&by_testid("acls-notice"), "Deleted 3 bindings", KAFKA).await?;
    app.wait_for(&by_testid("acls-empty"), KAFKA).await?;
    assert!(acl_command_lines(bootstrap.clone(), principal.clone()).await?.is_empty(), "AclCommand lists nothing left");

    // A SCRAM user, password typed twice; it can log in at once.
    let user = kafka::unique_topic("e2e-svc");
    app.click(&by_testid("acls-section-users"), UI).await?;
    app.wait_for(&by_testid("user-form"), KAFKA).await?;
    app.fill(&by_testid("user-name"), &user, UI).await?;
    app.fill(&by_testid("user-password"), "e2e-Pa55-word", UI).await?;
    app.fill(&by_testid("user-password-confirm"), "e2e-Pa55-word", UI).await?;
    app.click(&by_testid("user-save"), UI).await?;
    app.wait_for_text(&by_testid("users-notice"), "Created SCRAM-SHA-512", KAFKA).await?;
    app.wait_for(&format!("{}[data-user=\"{user}\"]", by_testid("user-row")), KAFKA).await?;
    let logged_in = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let consumer: BaseConsumer = scram_client(secured, "SCRAM-SHA-512", &user, "e2e-Pa55-word").create().expect("client");
            if consumer.fetch_metadata(None, Duration::from_secs(5)).is_ok() {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    })
    .await?;
    assert!(logged_in, "the new SCRAM user logs in");
    app.park_pointer().await;
    app.screenshot(screenshot_path("users-scram.png")).await?;

    app.close().await?;
    Ok(())
}
