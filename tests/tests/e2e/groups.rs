//! Consumer groups in the real window: a lagging group made with Kafka's own tools shows its
//! lag; reset to earliest with the dry-run preview, apply, and the lag changes (and Kafka's
//! tool sees the new offset).

use kafkadesk_tests::e2e::{by_testid, E2eError};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const GROUP_TOOL: &str = "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand";

/// Runs one of Kafka's tools and returns its stdout; an error (not a panic) when it fails.
fn tool(main_class: &str, args: &[&str]) -> Result<String, E2eError> {
    let out = kafka::kafka_java(main_class, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(E2eError::new(format!("{main_class} {args:?} failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(stdout)
}

/// A one-partition topic with 50 messages and a group committed at 40: lag 10.
fn lagging_group(bootstrap: &str, topic: &str, group: &str) -> Result<(), E2eError> {
    tool(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", bootstrap, "--create", "--topic", topic, "--partitions", "1", "--replication-factor", "3"],
    )?;
    let props = format!("bootstrap.servers={bootstrap}");
    tool(
        "org.apache.kafka.tools.ProducerPerformance",
        &["--topic", topic, "--num-records", "50", "--record-size", "64", "--throughput", "-1", "--producer-props", &props],
    )?;
    tool(
        GROUP_TOOL,
        &["--bootstrap-server", bootstrap, "--reset-offsets", "--group", group, "--topic", topic, "--to-offset", "40", "--execute"],
    )?;
    Ok(())
}

/// CURRENT-OFFSET of the group's partition 0, as Kafka's consumer-groups tool prints it.
fn committed_by_kafka(bootstrap: &str, group: &str, topic: &str) -> Result<String, E2eError> {
    let out = tool(GROUP_TOOL, &["--bootstrap-server", bootstrap, "--describe", "--group", group])?;
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cols| cols.len() >= 6 && cols[0] == group && cols[1] == topic && cols[2] == "0")
        .map(|cols| cols[3].to_string())
        .ok_or_else(|| E2eError::new(format!("no row for {topic}-0 in:\n{out}")))
}

#[tokio::test]
async fn a_lagging_group_is_reset_to_earliest_with_a_preview() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-orders");
    let group = kafka::unique_topic("e2e-billing");
    {
        let (b, t, g) = (bootstrap.clone(), topic.clone(), group.clone());
        tokio::task::spawn_blocking(move || lagging_group(&b, &t, &g)).await??;
    }

    let config = fresh_config_dir("groups");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E groups", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;

    // The list shows the group with its lag.
    app.click(&by_testid("tab-groups"), UI).await?;
    let row = format!("{}[data-group-id=\"{group}\"]", by_testid("group-row"));
    app.wait_for(&row, KAFKA).await?;
    app.wait_for_text(&format!("{row} {}", by_testid("group-lag")), "10", UI).await?;
    app.fill(&by_testid("groups-filter"), "e2e-billing", UI).await?;
    app.screenshot(screenshot_path("groups-list.png")).await?;

    // The detail: lag per partition, and the chart after a second sample.
    // WebKit's WebDriver will not click a <tr> itself; its first cell opens the group too.
    app.click(&format!("{row} td"), UI).await?;
    app.wait_for_text(&by_testid("detail-total-lag"), "10", KAFKA).await?;
    app.wait_for_text(&by_testid("partition-lag"), "10", UI).await?;
    app.wait_for_text(&by_testid("partition-committed"), "40", UI).await?;
    app.wait_for(&format!("{}[data-samples=\"2\"]", by_testid("lag-chart")), KAFKA).await?;
    app.screenshot(screenshot_path("groups-detail.png")).await?;

    // Reset to earliest (the wizard's default) for all topics: preview first.
    app.click(&by_testid("group-reset"), UI).await?;
    app.wait_for(&by_testid("reset-wizard"), UI).await?;
    app.click(&by_testid("reset-preview"), UI).await?;
    let new = app.wait_for(&by_testid("reset-new"), KAFKA).await?.text().await?;
    assert_eq!(new.trim(), "0", "the preview's new offset");
    app.wait_for_text(&by_testid("reset-lag-after"), "50", UI).await?;
    app.wait_for_text(&by_testid("reset-summary"), "Nothing has changed yet", UI).await?;
    app.screenshot(screenshot_path("groups-reset.png")).await?;
    let untouched = {
        let (b, g, t) = (bootstrap.clone(), group.clone(), topic.clone());
        tokio::task::spawn_blocking(move || committed_by_kafka(&b, &g, &t)).await??
    };
    assert_eq!(untouched, "40", "the preview must not change the committed offset");

    // Apply, after typing the group's name.
    app.click(&by_testid("reset-apply"), UI).await?;
    app.fill(&by_testid("typed-confirm-input"), &group, UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_until_gone(&by_testid("reset-wizard"), KAFKA).await?;
    app.wait_for_text(&by_testid("detail-total-lag"), "50", KAFKA).await?;
    let shown = app.wait_for(&by_testid("partition-committed"), UI).await?.text().await?;
    assert_eq!(shown.trim(), "0", "the committed offset shown after the reset");
    let committed = tokio::task::spawn_blocking(move || committed_by_kafka(&bootstrap, &group, &topic)).await??;
    assert_eq!(committed, "0", "Kafka's tool sees the reset");

    app.close().await?;
    Ok(())
}

/// True once Kafka's share-groups tool shows a start offset for every partition of `topic`.
fn share_group_started(bootstrap: &str, group: &str, topic: &str, partitions: usize) -> Result<bool, E2eError> {
    let out = tool(
        "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
        &["--bootstrap-server", bootstrap, "--describe", "--group", group, "--offsets"],
    )?;
    let started = out
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.len() >= 4 && cols[0] == group && cols[1] == topic && cols[3].parse::<i64>().is_ok())
        .count();
    Ok(started == partitions)
}

#[tokio::test]
async fn a_share_group_shows_its_type_member_and_start_offsets() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-jobs");
    let group = kafka::unique_topic("e2e-workers");
    // A real share consumer (Kafka's console one) reading a two-partition topic from the start.
    let consumer = {
        let (b, t, g) = (bootstrap.clone(), topic.clone(), group.clone());
        tokio::task::spawn_blocking(move || -> Result<kafka::ShareConsumer, E2eError> {
            tool(
                "org.apache.kafka.tools.TopicCommand",
                &["--bootstrap-server", &b, "--create", "--topic", &t, "--partitions", "2", "--replication-factor", "3"],
            )?;
            // 20 records on each partition (the perf tool's sticky partitioner would fill one).
            for partition in [0, 1] {
                let lines: String = (0..20).map(|i| format!("job-{partition}-{i}\n")).collect();
                kafka::kcat_produce(&b, &t, Some(partition), &lines).map_err(|e| E2eError::new(e.to_string()))?;
            }
            tool(
                kafka::config_command(),
                &["--bootstrap-server", &b, "--alter", "--entity-type", "groups", "--entity-name", &g, "--add-config", "share.auto.offset.reset=earliest"],
            )?;
            let consumer = kafka::ShareConsumer::start(&b, &t, &g).map_err(|e| E2eError::new(e.to_string()))?;
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
            while !share_group_started(&b, &g, &t, 2)? {
                if std::time::Instant::now() > deadline {
                    return Err(E2eError::new("the share consumer never started on both partitions"));
                }
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
            Ok(consumer)
        })
        .await??
    };

    let config = fresh_config_dir("groups-share");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E share groups", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-groups"), UI).await?;
    // The shared test cluster holds many groups and the table is virtual: filter first.
    app.wait_for(&by_testid("groups-table"), KAFKA).await?;
    app.fill(&by_testid("groups-filter"), &group, UI).await?;
    let row = format!("{}[data-group-id=\"{group}\"]", by_testid("group-row"));
    app.wait_for_text(&row, "Share", KAFKA).await?;
    app.wait_for_text(&format!("{row} {}", by_testid("group-members")), "1", UI).await?;
    app.wait_for_text(&format!("{row} {}", by_testid("group-lag")), "n/a", UI).await?;

    app.click(&format!("{row} td"), UI).await?;
    app.wait_for_text(&by_testid("detail-type"), "Share", KAFKA).await?;
    app.wait_for_text(&by_testid("member-row"), "console-share-consumer", UI).await?;
    app.wait_for(&by_testid("member-epoch"), UI).await?;
    app.wait_for_text(&by_testid("partitions-table"), "START OFFSET", UI).await?; // headers are upper-cased by CSS
    app.wait_for_text(&by_testid("detail-epochs"), "Group epoch", UI).await?;
    app.screenshot(screenshot_path("groups-share.png")).await?;

    drop(consumer);
    app.close().await?;
    Ok(())
}
