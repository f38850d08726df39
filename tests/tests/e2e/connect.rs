//! Kafka Connect in the real window, against the harness' Connect worker: add the Connect
//! cluster to the connection (Test first), create a FileStream source through the form
//! built from the plugin's definition (Connect's per-field errors first), watch it run and
//! its records reach the topic (kcat), then fix a failing sink and restart its task.

use std::collections::BTreeMap;
use std::process::Command;
use std::time::{Duration, Instant};

use kafkadesk::connect::connectors;
use kafkadesk::connect::{ConnectClient, ConnectCluster, ConnectWriter};
use kafkadesk_tests::connect::test_connect;
use kafkadesk_tests::e2e::{by_testid, E2eError};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Connect starts and fails tasks at its own pace.
const CONNECT: Duration = Duration::from_secs(90);

fn field(name: &str) -> String {
    by_testid(&format!("connector-field-{name}"))
}

#[tokio::test]
async fn a_file_source_is_created_through_the_form_and_a_failed_task_is_restarted() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let worker = tokio::task::spawn_blocking(test_connect).await?;
    let url = worker.url();

    let files = worker.dir().join("files").join(kafka::unique_topic("e2e"));
    std::fs::create_dir_all(&files)?;
    let input = files.join("orders.txt");
    std::fs::write(&input, "order-1\norder-2\norder-3\n")?;
    let source = kafka::unique_topic("e2e-orders-src");
    let topic = kafka::unique_topic("e2e-orders");

    // A sink that fails at start: its output folder does not exist yet.
    let sink = kafka::unique_topic("e2e-archive-sink");
    let missing = files.join("archive");
    let direct = ConnectClient::new(
        &ConnectCluster { id: "e2e".into(), name: "e2e".into(), urls: vec![url.clone()], username: None, tls: Default::default() },
        None,
    )?;
    let writer = ConnectWriter::new(direct.clone(), false, "e2e")?;
    let sink_config: BTreeMap<String, String> = [
        ("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector"),
        ("tasks.max", "1"),
        ("topics", topic.as_str()),
        ("file", missing.join("orders.txt").to_str().ok_or("path")?),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    connectors::create(&writer, &sink, &sink_config).await?;

    let config = fresh_config_dir("connect");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E connect", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;

    // No Connect cluster yet: add one, test it, save it.
    app.click(&by_testid("tab-connect"), UI).await?;
    app.wait_for(&by_testid("connect-empty"), UI).await?;
    app.click(&by_testid("connect-settings-open"), UI).await?;
    app.fill(&by_testid("connect-settings-name"), "Local Connect", UI).await?;
    app.fill(&by_testid("connect-settings-urls"), &url, UI).await?;
    app.click(&by_testid("connect-settings-test"), UI).await?;
    app.wait_for_text(&by_testid("connect-settings-test-ok"), kafkadesk_tests::connect::connect_version(), KAFKA).await?;
    app.click(&by_testid("connect-settings-save"), UI).await?;
    app.wait_for(&by_testid("connectors-view"), KAFKA).await?;

    // Create the source from its plugin; Connect's own validation speaks first.
    app.click(&by_testid("connector-new"), UI).await?;
    app.click(
        &format!("{}[data-class=\"org.apache.kafka.connect.file.FileStreamSourceConnector\"]", by_testid("connect-plugin-option")),
        KAFKA,
    )
    .await?;
    app.wait_for(&field("topic"), KAFKA).await?;
    app.fill(&by_testid("connector-form-name"), &source, UI).await?;
    app.fill(&field("tasks.max"), "two", UI).await?;
    app.click(&by_testid("connector-form-validate"), UI).await?;
    app.wait_for(&format!("{}[data-field=\"topic\"][data-invalid] {}", by_testid("connector-field"), by_testid("field-error")), KAFKA)
        .await?;
    app.wait_for(&format!("{}[data-field=\"tasks.max\"][data-invalid]", by_testid("connector-field")), UI).await?;
    app.fill(&field("tasks.max"), "1", UI).await?;
    app.fill(&field("file"), input.to_str().ok_or("path")?, UI).await?;
    app.fill(&field("topic"), &topic, UI).await?;
    app.click(&by_testid("connector-form-validate"), UI).await?;
    app.wait_for_text(&by_testid("connector-form-verdict"), "accepts", KAFKA).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("connect-create.png")).await?;
    app.click(&by_testid("connector-form-submit"), UI).await?;

    // Its detail: it runs, and its records are in the topic (kcat reads them).
    app.wait_for(&format!("{}[data-name=\"{source}\"][data-state=\"RUNNING\"]", by_testid("connector-detail")), CONNECT).await?;
    app.wait_for(&format!("{}[data-state=\"RUNNING\"]", by_testid("connector-task")), CONNECT).await?;
    let deadline = Instant::now() + CONNECT;
    loop {
        let out = Command::new("timeout")
            .args(["20", "kcat", "-b", &bootstrap, "-C", "-t", &topic, "-o", "beginning", "-e", "-q", "-f", "%s\\n"])
            .output()?;
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        if text.lines().count() >= 3 {
            assert_eq!(text.lines().collect::<Vec<_>>(), ["order-1", "order-2", "order-3"]);
            break;
        }
        if Instant::now() >= deadline {
            return Err(E2eError::new(format!("the topic holds {text:?}")).into());
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // The list: the running source and the sink with its failed task, filtered to FAILED.
    app.click(&by_testid("connector-back"), UI).await?;
    let sink_row = format!("{}[data-name=\"{sink}\"]", by_testid("connector-row"));
    app.wait_for_text(&format!("{sink_row} {}", by_testid("connector-tasks")), "FAILED", CONNECT).await?;
    app.wait_for(&format!("{}[data-name=\"{source}\"][data-state=\"RUNNING\"]", by_testid("connector-row")), KAFKA).await?;
    app.fill(&by_testid("connectors-filter"), "e2e-", UI).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("connect-list.png")).await?;

    // The failed task shows its worker and full trace; fix the cause, restart the task.
    app.click(&format!("{sink_row} td"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"FAILED\"]", by_testid("connector-task")), KAFKA).await?;
    app.wait_for_text(&by_testid("task-trace"), "ConnectException", UI).await?;
    app.park_pointer().await;
    app.screenshot(screenshot_path("connect-detail.png")).await?;
    std::fs::create_dir_all(&missing)?;
    app.click(&by_testid("task-restart"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"RUNNING\"]", by_testid("connector-task")), CONNECT).await?;
    app.wait_until_gone(&by_testid("task-trace"), KAFKA).await?;
    // The sink now writes what the source produced.
    let out = missing.join("orders.txt");
    let deadline = Instant::now() + CONNECT;
    while std::fs::read_to_string(&out).unwrap_or_default().lines().count() < 3 {
        if Instant::now() >= deadline {
            return Err(E2eError::new("the restarted sink wrote nothing").into());
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    app.close().await?;
    for name in [&source, &sink] {
        let _ = connectors::delete(&writer, name).await;
    }
    Ok(())
}
