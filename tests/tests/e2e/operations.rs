//! Cluster operations in the real window: plan a move of one topic off the highest broker,
//! run it with a throttle behind the typed confirmation, watch progress to done (Kafka's
//! TopicCommand agrees), then elect preferred leaders.

use std::time::Duration;

use kafkadesk_tests::e2e::{by_testid, E2eError};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Replicas of each partition of `topic` as TopicCommand prints them.
async fn replicas(bootstrap: String, topic: String) -> Result<Vec<Vec<i32>>, E2eError> {
    let out = tokio::task::spawn_blocking(move || {
        kafka::kafka_java("org.apache.kafka.tools.TopicCommand", &["--bootstrap-server", &bootstrap, "--describe", "--topic", &topic])
    })
    .await
    .map_err(|e| E2eError::new(format!("TopicCommand: {e}")))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("Partition:") && l.contains("Replicas:"))
        .filter_map(|l| l.split('\t').find_map(|f| f.trim().strip_prefix("Replicas:")))
        .map(|r| r.split(',').filter_map(|b| b.trim().parse().ok()).collect())
        .collect())
}

#[tokio::test]
async fn plan_run_and_follow_a_throttled_reassignment_then_elect_preferred_leaders() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-ops");
    let out = tokio::task::spawn_blocking({
        let (bootstrap, topic) = (bootstrap.clone(), topic.clone());
        move || {
            kafka::kafka_java(
                "org.apache.kafka.tools.TopicCommand",
                &["--bootstrap-server", &bootstrap, "--create", "--topic", &topic, "--partitions", "6", "--replication-factor", "2"],
            )
        }
    })
    .await?;
    assert!(out.status.success(), "create: {}", String::from_utf8_lossy(&out.stderr));
    let mut before = Vec::new();
    for _ in 0..60 {
        before = replicas(bootstrap.clone(), topic.clone()).await?;
        if before.len() == 6 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The panel proposes the highest broker id first.
    let victim = before.iter().flatten().copied().max().ok_or("no replicas")?;
    let moving = before.iter().filter(|r| r.contains(&victim)).count();
    assert!(moving > 0);

    let config = fresh_config_dir("operations");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E operations", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-operations"), UI).await?;
    app.wait_for(&by_testid("ops-reassign"), UI).await?;
    app.fill(&by_testid("ops-decommission-topic"), &topic, UI).await?;
    app.click(&by_testid("ops-plan"), UI).await?;
    app.wait_for_count(&by_testid("ops-plan-row"), moving, KAFKA).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("ops-reassign-plan.png")).await?;

    app.click(&by_testid("ops-run"), UI).await?;
    app.fill(&by_testid("typed-confirm-input"), "reassign", UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_for(&by_testid("ops-progress"), KAFKA).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("ops-reassign-progress.png")).await?;
    app.wait_for_text(&by_testid("ops-progress-text"), "throttle removed", Duration::from_secs(90)).await?;
    let after = replicas(bootstrap.clone(), topic.clone()).await?;
    assert_eq!(after.len(), 6);
    assert!(after.iter().all(|r| !r.contains(&victim) && r.len() == 2), "moved off {victim}: {after:?}");

    app.click(&by_testid("ops-section-election"), UI).await?;
    app.click(&by_testid("ops-election-preview"), UI).await?;
    app.wait_for(&format!("{}, {}", by_testid("ops-election-table"), by_testid("ops-election-balanced")), KAFKA).await?;
    app.click(&by_testid("ops-elect-preferred"), UI).await?;
    app.fill(&by_testid("typed-confirm-input"), "elect", UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_for_text(&by_testid("ops-election-results"), "elected", KAFKA).await?;
    app.close().await?;
    Ok(())
}

/// Transactions in the real window: a transactional producer (rdkafka) left open shows as
/// Ongoing and hanging (threshold 0.1 min), its topic's producers show the open transaction
/// holding back the LSO (screenshot transactions.png), and aborting it behind the typed
/// confirmation releases the partition.
#[tokio::test]
async fn an_open_transaction_is_flagged_hanging_and_aborted() -> TestResult {
    use rdkafka::config::ClientConfig;
    use rdkafka::producer::{FutureProducer, FutureRecord, Producer};

    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = kafka::unique_topic("e2e-tx");
    let id = kafka::unique_topic("e2e-tx-id");
    let out = tokio::task::spawn_blocking({
        let (bootstrap, topic) = (bootstrap.clone(), topic.clone());
        move || {
            kafka::kafka_java(
                "org.apache.kafka.tools.TopicCommand",
                &["--bootstrap-server", &bootstrap, "--create", "--topic", &topic, "--partitions", "1", "--replication-factor", "3"],
            )
        }
    })
    .await?;
    assert!(out.status.success(), "create: {}", String::from_utf8_lossy(&out.stderr));
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .set("transactional.id", &id)
        .set("transaction.timeout.ms", "120000")
        .create()?;
    producer.init_transactions(Duration::from_secs(30))?;
    producer.begin_transaction()?;
    for _ in 0..3 {
        producer
            .send(FutureRecord::<(), _>::to(&topic).partition(0).payload("open"), Duration::from_secs(20))
            .await
            .map_err(|(e, _)| E2eError::new(format!("send: {e}")))?;
    }

    let config = fresh_config_dir("transactions");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E transactions", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-operations"), UI).await?;
    app.click(&by_testid("ops-section-transactions"), UI).await?;
    app.fill(&by_testid("ops-tx-threshold"), "0.1", UI).await?;
    // Open for more than 6 s: hanging at this threshold.
    tokio::time::sleep(Duration::from_secs(7)).await;
    let row = format!("{}[data-tx-id=\"{id}\"]", by_testid("ops-tx-row"));
    let mut flagged = false;
    for _ in 0..20 {
        app.click(&by_testid("ops-tx-refresh"), UI).await?;
        app.settle().await;
        if app.find_all(&format!("{row} {}", by_testid("ops-tx-hanging"))).await?.len() == 1 {
            flagged = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert!(flagged, "{id} not shown as hanging: {}", app.page_text().await);
    // The state badge shows Kafka's own name for the state.
    app.wait_for_text(&row, "Ongoing", UI).await?;
    app.click(&format!("{row} {}", by_testid("ops-tx-partitions")), UI).await?;
    // Read in the page: WebKitWebDriver calls the small badge "not displayed" while it is in view.
    let lso = "return [...document.querySelectorAll('[data-testid=\"ops-tx-lso\"]')].some(b => b.getBoundingClientRect().width > 0 && b.textContent.includes('hanging, holds LSO'));";
    app.wait_for_script(lso, "the producer flagged 'hanging, holds LSO'", KAFKA).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("transactions.png")).await?;

    app.click(&by_testid("ops-tx-abort"), UI).await?;
    app.fill(&by_testid("typed-confirm-input"), "abort", UI).await?;
    app.click(&by_testid("typed-confirm-accept"), UI).await?;
    app.wait_for_text(&by_testid("ops-tx-aborted"), "Aborted the transaction", KAFKA).await?;
    app.wait_for_text(&by_testid("ops-tx-producers-count"), "0 open transactions", KAFKA).await?;
    app.close().await?;
    drop(producer);
    Ok(())
}
