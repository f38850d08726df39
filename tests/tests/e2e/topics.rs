//! Topics in the real window: create a topic with 12 partitions and RF 3, see its
//! partitions and broker map, change retention.ms, delete it — each step checked against
//! Kafka's own TopicCommand / ConfigCommand.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use kafkadesk_tests::e2e::{by_testid, App, E2eError};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Runs one of Kafka's tools off the async runtime and returns what it printed.
async fn tool(main_class: &'static str, args: Vec<String>) -> Result<String, E2eError> {
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        kafka::kafka_java(main_class, &args)
    })
    .await
    .map_err(|e| E2eError::new(format!("{main_class}: {e}")))?;
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(E2eError::new(format!("{main_class} failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(stdout)
}

/// Partition → leader, as TopicCommand --describe prints it.
async fn leaders(bootstrap: &str, topic: &str) -> Result<BTreeMap<String, String>, E2eError> {
    let out = tool(
        "org.apache.kafka.tools.TopicCommand",
        ["--bootstrap-server", bootstrap, "--describe", "--topic", topic].map(String::from).to_vec(),
    )
    .await?;
    Ok(out
        .lines()
        .filter(|l| l.contains("Partition:") && l.contains("Leader:"))
        .filter_map(|line| {
            let fields: BTreeMap<&str, &str> =
                line.split('\t').filter_map(|f| f.split_once(':')).map(|(k, v)| (k.trim(), v.trim())).collect();
            Some((fields.get("Partition")?.to_string(), fields.get("Leader")?.to_string()))
        })
        .collect())
}

async fn topic_listed(bootstrap: &str, topic: &str) -> Result<bool, E2eError> {
    let out = tool("org.apache.kafka.tools.TopicCommand", ["--bootstrap-server", bootstrap, "--list"].map(String::from).to_vec())
        .await?;
    Ok(out.lines().any(|l| l.trim() == topic))
}

/// The text of the first element matching `css` inside the page, trimmed.
async fn text_of(app: &App, css: &str) -> Result<String, E2eError> {
    let el = app.wait_for(css, UI).await?;
    Ok(el.text().await.map_err(|e| E2eError::new(format!("reading `{css}`: {e}")))?.trim().to_string())
}

#[tokio::test]
async fn create_inspect_configure_and_delete_a_topic() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-orders");

    let config = fresh_config_dir("topics");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E cluster", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-topics"), UI).await?;
    app.wait_for(&by_testid("topics-list"), KAFKA).await?;

    // Create: 12 partitions, replication factor 3.
    app.click(&by_testid("topic-create-open"), UI).await?;
    app.wait_for(&by_testid("create-topic-modal"), UI).await?;
    app.fill(&by_testid("create-topic-name"), &topic, UI).await?;
    app.fill(&by_testid("create-topic-partitions"), "12", UI).await?;
    app.fill(&by_testid("create-topic-replication"), "3", UI).await?;
    app.click(&by_testid("create-topic-validate"), UI).await?;
    app.wait_for(&by_testid("create-topic-validated"), KAFKA).await?;
    assert!(!topic_listed(&bootstrap, &topic).await?, "validate only must not create {topic}");
    app.click(&by_testid("create-topic-submit"), UI).await?;

    // The new topic opens: 12 partitions whose leaders match what Kafka says.
    app.wait_for(&format!("{}[data-topic=\"{topic}\"]", by_testid("topic-detail")), KAFKA).await?;
    let rows = app.wait_for_count(&by_testid("partition-row"), 12, KAFKA).await?;
    let truth = leaders(&bootstrap, &topic).await?;
    assert_eq!(truth.len(), 12, "TopicCommand: {truth:?}");
    for row in &rows {
        let partition = row.attr("data-partition").await?.unwrap_or_default();
        let leader = row.find(fantoccini::Locator::Css(&by_testid("partition-leader"))).await?.text().await?;
        assert_eq!(Some(leader.trim()), truth.get(&partition).map(String::as_str), "leader of partition {partition}");
        let replicas = row.find(fantoccini::Locator::Css(&by_testid("partition-replicas"))).await?.text().await?;
        assert_eq!(replicas.split(',').count(), 3, "3 replicas for partition {partition}: {replicas}");
    }
    let map_rows = app.wait_for_count(&by_testid("broker-map-row"), 3, UI).await?;
    let mut leads = 0;
    for row in &map_rows {
        let cells = row.find_all(fantoccini::Locator::Css(&by_testid("broker-map-cell"))).await?;
        assert_eq!(cells.len(), 12);
        for cell in cells {
            leads += usize::from(cell.attr("data-role").await?.as_deref() == Some("leader"));
        }
    }
    assert_eq!(leads, 12, "each partition has exactly one leader in the broker map");
    app.park_pointer().await;
    app.screenshot(screenshot_path("topic-partitions.png")).await?;

    // Configs: set retention.ms, and Kafka's ConfigCommand sees it.
    app.click(&by_testid("topic-tab-configs"), UI).await?;
    let retention_row = format!("{}[data-config=\"retention.ms\"]", by_testid("config-row"));
    app.click(&format!("{retention_row} {}", by_testid("config-edit")), KAFKA).await?;
    app.fill(&by_testid("config-edit-input"), "3600000", UI).await?;
    app.click(&by_testid("config-save"), UI).await?;
    app.wait_for(&format!("{retention_row}[data-source=\"topic\"]"), KAFKA).await?;
    assert_eq!(text_of(&app, &format!("{retention_row} {}", by_testid("config-raw"))).await?, "3600000");
    assert_eq!(text_of(&app, &format!("{retention_row} {}", by_testid("config-human"))).await?, "(1 h)");
    let configs = tool(
        kafka::config_command(),
        ["--bootstrap-server", &bootstrap, "--entity-type", "topics", "--entity-name", &topic, "--describe"]
            .map(String::from)
            .to_vec(),
    )
    .await?;
    assert!(configs.contains("retention.ms=3600000"), "ConfigCommand: {configs}");
    app.fill(&by_testid("configs-filter"), "retention", UI).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("topic-configs.png")).await?;

    // Back to the list (unfiltered for the screenshot), then filter down to the topic.
    app.click(&by_testid("topic-back"), UI).await?;
    app.wait_for(&by_testid("topic-row"), KAFKA).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("topics-list.png")).await?;
    let row = format!("{}[data-topic=\"{topic}\"]", by_testid("topic-row"));
    app.fill(&by_testid("topics-filter"), &topic, UI).await?;
    app.wait_for(&row, KAFKA).await?;
    assert_eq!(text_of(&app, &format!("{row} {}", by_testid("topic-partitions"))).await?, "12");
    assert_eq!(text_of(&app, &format!("{row} {}", by_testid("topic-rf"))).await?, "3");
    assert_eq!(app.find_all(&by_testid("topic-row")).await?.len(), 1, "the filter leaves only {topic}");

    // Delete: only once the name is typed.
    app.click(&row, KAFKA).await?;
    app.wait_for_count(&by_testid("partition-row"), 12, KAFKA).await?;
    app.click(&by_testid("topic-actions"), UI).await?;
    app.click(&by_testid("action-delete"), UI).await?;
    let accept = app.wait_for(&by_testid("typed-confirm-accept"), UI).await?;
    assert!(!accept.is_enabled().await?, "delete must wait for the typed name");
    app.fill(&by_testid("typed-confirm-input"), &topic, UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_for(&by_testid("topics-list"), KAFKA).await?;
    let deadline = Instant::now() + KAFKA;
    while topic_listed(&bootstrap, &topic).await? {
        if Instant::now() > deadline {
            return Err(E2eError::new(format!("{topic} still exists after deleting it in the app")).into());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    app.close().await?;
    Ok(())
}
