//! Schema Registry in the real window against Apicurio and Kafka: a connection pointed at the
//! registry (Test names it reachable), an Avro topic written by confluent-kafka's serializer
//! browsed as decoded fields, a Protobuf record produced with its schema and read back by
//! confluent-kafka, and a new Avro version registered after a compatibility check, compared
//! side by side with the old one.

use std::time::Duration;

use kafkadesk_tests::e2e::{by_testid, App, E2eError};
use kafkadesk_tests::kafka::{self, unique_topic};
use kafkadesk_tests::registry::{sr_client, test_registry};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;

use crate::{fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn create_topic(bootstrap: &str, topic: &str) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("admin");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for r in admin.create_topics([&NewTopic::new(topic, 1, TopicReplication::Fixed(3))], &opts).await.expect("create") {
        r.expect("topic created");
    }
}

async fn pick(app: &App, testid: &str, value: &str) -> Result<(), E2eError> {
    app.click(&by_testid(testid), UI).await?;
    app.click(&format!("[data-combobox-option][value={}]", serde_json::to_string(value).expect("json")), UI).await
}

const AVRO_V2: &str = r#"{"type":"record","name":"Order","namespace":"shop","fields":[{"name":"id","type":"long"},{"name":"customer","type":"string"},{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},{"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},{"name":"ref","type":{"type":"string","logicalType":"uuid"}},{"name":"day","type":{"type":"int","logicalType":"date"}},{"name":"note","type":["null","string"],"default":null},{"name":"state","type":{"type":"enum","name":"State","symbols":["NEW","PAID"]}},{"name":"tags","type":{"type":"array","items":"string"}},{"name":"channel","type":"string","default":"web"}]}"#;

#[tokio::test]
async fn browse_avro_produce_protobuf_and_register_a_version_in_the_window() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let Some(url) = tokio::task::spawn_blocking(test_registry).await? else { return Ok(()) };
    let avro_topic = unique_topic("e2e-avro-orders");
    let proto_topic = unique_topic("e2e-proto-orders");
    create_topic(&bootstrap, &avro_topic).await;
    create_topic(&bootstrap, &proto_topic).await;
    let avro = "{\"id\": 1, \"customer\": \"ana\", \"amount\": \"12.30\", \"placed\": \"2024-02-29T13:14:15.123Z\", \"ref\": \"123e4567-e89b-12d3-a456-426614174000\", \"day\": \"2024-02-29\", \"note\": null, \"state\": \"PAID\", \"tags\": [\"gift\"]}\n\
                {\"id\": 2, \"customer\": \"bo\", \"amount\": \"-0.05\", \"placed\": \"2024-03-01T08:00:00.000Z\", \"ref\": \"00000000-0000-4000-8000-000000000001\", \"day\": \"2024-03-01\", \"note\": \"late\", \"state\": \"NEW\", \"tags\": []}\n";
    let (b, u, t) = (bootstrap.clone(), url.clone(), avro_topic.clone());
    tokio::task::spawn_blocking(move || sr_client(&["produce", "avro", &b, &u, &t], avro)).await??;
    let first_proto = "{\"id\": 1, \"customer\": \"first\", \"lines\": [], \"state\": \"NEW\"}\n";
    let (b, u, t) = (bootstrap.clone(), url.clone(), proto_topic.clone());
    tokio::task::spawn_blocking(move || sr_client(&["produce", "protobuf", &b, &u, &t], first_proto)).await??;

    let config = fresh_config_dir("registry");
    let app = launch_fresh(&config).await?;

    // A connection with its registry; Test reaches it before saving.
    app.click(&by_testid("new-connection-open"), UI).await?;
    app.wait_for(&by_testid("new-connection-form"), UI).await?;
    app.fill(&by_testid("new-connection-name"), "Registry cluster", UI).await?;
    app.fill(&by_testid("new-connection-bootstrap"), &bootstrap, UI).await?;
    app.fill(&by_testid("profile-registry-urls"), &url, UI).await?;
    app.click(&by_testid("profile-registry-test"), UI).await?;
    app.wait_for(&format!("{}[data-status=\"ok\"]", by_testid("profile-registry-test-result")), KAFKA).await?;
    app.click(&by_testid("new-connection-submit"), UI).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;

    // Browse the Avro topic: decoded fields in the table and the detail.
    app.click(&by_testid("tab-messages"), UI).await?;
    app.wait_for(&by_testid("messages-view"), UI).await?;
    app.pick_searchable("browse-topic", &avro_topic, UI).await?;
    app.click(&by_testid("browse-go"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"Done\"]", by_testid("browse-status")), KAFKA).await?;
    let row_shows = "return [...document.querySelectorAll('[data-testid=\"message-row\"]')].some(r => r.textContent.includes('\"customer\":\"ana\"') && r.textContent.includes('\"amount\":\"12.30\"') && r.textContent.includes('2024-02-29T13:14:15.123Z'));";
    app.wait_for_script(row_shows, "a row showing the decoded Avro record", KAFKA).await?;
    // Read in the page: WebKitWebDriver calls the small badge "not displayed" while it is in view.
    let badge_shows = "return [...document.querySelectorAll('[data-testid=\"schema-badge\"]')].some(b => b.getBoundingClientRect().width > 0 && b.textContent.trim() !== '');";
    app.wait_for_script(badge_shows, "a schema badge on the decoded rows", UI).await?;
    app.click(&format!("{}[data-offset=\"0\"]", by_testid("message-row")), UI).await?;
    app.wait_for_text(&by_testid("detail-schema"), &format!("{avro_topic}-value version 1"), KAFKA).await?;
    app.settle().await;
    app.screenshot(screenshot_path("messages-avro.png")).await?;
    app.eval("document.querySelector('.mantine-Drawer-close')?.click(); return true;").await?;

    // Produce a Protobuf record with the registered schema; confluent-kafka reads it back.
    app.click(&by_testid("messages-mode-produce"), UI).await?;
    app.pick_searchable("produce-topic", &proto_topic, UI).await?;
    pick(&app, "produce-value-schema", &format!("{proto_topic}-value")).await?;
    let value = "{\"id\": 42, \"customer\": \"from-kafkadesk\", \"lines\": [{\"sku\": \"s-9\", \"qty\": 3}], \"state\": \"PAID\"}";
    app.set_editor_text("produce-value", value, UI).await?;
    app.click(&by_testid("produce-send"), UI).await?;
    app.wait_for_text(&by_testid("produce-result"), "Sent to partition", KAFKA).await?;
    let (b, u, t) = (bootstrap.clone(), url.clone(), proto_topic.clone());
    let read = tokio::task::spawn_blocking(move || sr_client(&["consume", "protobuf", &b, &u, &t, "2"], "")).await??;
    let last: serde_json::Value = serde_json::from_str(read.lines().last().unwrap_or_default())?;
    assert_eq!(last, serde_json::json!({"id": 42, "customer": "from-kafkadesk", "lines": [{"sku": "s-9", "qty": 3}], "state": "PAID"}));

    // Subjects: the Avro subject, BACKWARD compatibility, a compatible new version.
    app.click(&by_testid("tab-schemas"), UI).await?;
    let subject = format!("{avro_topic}-value");
    app.wait_for(&format!("[data-testid=\"subject-row\"][data-subject=\"{subject}\"]"), KAFKA).await?;
    // A cell, not the <tr>: WebKitWebDriver will not click a table row itself.
    app.click(&format!("[data-testid=\"subject-row\"][data-subject=\"{subject}\"] td"), UI).await?;
    app.wait_for(&format!("[data-testid=\"subject-panel\"][data-subject=\"{subject}\"]"), KAFKA).await?;
    pick(&app, "subject-compatibility", "BACKWARD").await?;
    app.wait_for_script(&format!("return [...document.querySelectorAll('[data-testid=\"subject-row\"][data-subject=\"{subject}\"]')].some(r => r.textContent.includes('BACKWARD'));"), "the subject showing BACKWARD", KAFKA).await?;
    app.settle().await;
    app.screenshot(screenshot_path("schemas-subjects.png")).await?;

    app.click(&by_testid("subject-tab-edit"), UI).await?;
    app.set_editor_text("schema-editor-text", AVRO_V2, UI).await?;
    app.click(&by_testid("schema-check"), UI).await?;
    app.wait_for(&format!("{}[data-compatible=\"true\"]", by_testid("schema-check-result")), KAFKA).await?;
    app.click(&by_testid("schema-register"), UI).await?;
    app.wait_for_script("return document.querySelector('[data-testid=\"subject-version\"]')?.value === 'version 2';", "version 2 shown", KAFKA).await?;
    app.click(&by_testid("subject-tab-diff"), UI).await?;
    app.wait_for(&format!("{}[data-change=\"added\"], {}[data-change=\"changed\"]", by_testid("diff-row"), by_testid("diff-row")), KAFKA).await?;
    app.settle().await;
    app.screenshot(screenshot_path("schemas-diff.png")).await?;
    app.close().await?;
    Ok(())
}
