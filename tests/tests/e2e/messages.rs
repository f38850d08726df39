//! Messages in the real window: send a JSON message with a header from the producer panel,
//! find it by a value search, open its detail; a live tail shows a kcat message within 2 s.

use std::process::Command;
use std::time::{Duration, Instant};

use kafkadesk_tests::e2e::{by_testid, App, E2eError};
use kafkadesk_tests::kafka::{self, unique_topic};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

async fn create_topic(bootstrap: &str, topic: &str) {
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("admin client");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for r in admin.create_topics([&NewTopic::new(topic, 3, TopicReplication::Fixed(3))], &opts).await.expect("create") {
        r.expect("topic created");
    }
}

fn kcat_send(bootstrap: &str, topic: &str, lines: &str) {
    kafka::kcat_produce(bootstrap, topic, None, lines).expect("kcat -P");
}

/// Chooses the option whose value is `value` in the Mantine select `testid`: open it, then
/// click the option like a person would.
async fn pick(app: &App, testid: &str, value: &str) -> Result<(), E2eError> {
    app.click(&by_testid(testid), UI).await?;
    app.click(&format!("[data-combobox-option][value={}]", serde_json::to_string(value).expect("json")), UI).await
}

/// Waits until a table row's text contains `text` (read from the DOM: WebKit's WebDriver
/// leaves out the text of cells that CSS truncates).
async fn wait_for_row(app: &App, text: &str, timeout: Duration) -> Result<(), E2eError> {
    let script = format!(
        "return [...document.querySelectorAll('[data-testid=\"message-row\"]')].some(r => r.textContent.includes({}));",
        serde_json::to_string(text).expect("json")
    );
    let deadline = Instant::now() + timeout;
    while app.eval(&script).await? != serde_json::Value::Bool(true) {
        if Instant::now() > deadline {
            return Err(E2eError::new(format!("no message row shows {text:?} after {timeout:?}")));
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    Ok(())
}

#[tokio::test]
async fn send_find_and_tail_messages_in_the_window() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = unique_topic("e2e-orders");
    create_topic(&bootstrap, &topic).await;
    // Some neighbours, so the search has something to leave out.
    let others: String = (0..40).map(|i| format!("{{\"order\": {i}, \"state\": \"open\"}}\n")).collect();
    kcat_send(&bootstrap, &topic, &others);

    let config = fresh_config_dir("messages");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E cluster", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-messages"), UI).await?;
    app.wait_for(&by_testid("messages-view"), UI).await?;

    // Produce: JSON value, key and a header.
    let marker = format!("shipped-{}", &unique_topic("m")[2..]);
    app.click(&by_testid("messages-mode-produce"), UI).await?;
    app.pick_searchable("produce-topic", &topic, UI).await?;
    app.fill(&by_testid("produce-key"), "order-42", UI).await?;
    let value = format!("{{\"order\": 42, \"state\": \"{marker}\"}}");
    app.set_editor_text("produce-value", &value, UI).await?;
    // Clicked in the page: a WebDriver click here right after typing into CodeMirror was once
    // lost (make test of 2026-11-30: no header row after 10 s, the button in plain view).
    app.wait_for(&by_testid("produce-add-header"), UI).await?;
    app.eval(&format!("document.querySelector({:?}).click(); return true;", by_testid("produce-add-header"))).await?;
    app.fill(&by_testid("produce-header-name-0"), "trace", UI).await?;
    app.fill(&by_testid("produce-header-value-0"), "e2e-1", UI).await?;
    app.click(&by_testid("produce-send"), UI).await?;
    app.wait_for_text(&by_testid("produce-result"), "Sent to partition", KAFKA).await?;
    app.screenshot(screenshot_path("messages-produce.png")).await?;

    // Kafka holds exactly that message: read back independently with kcat.
    let out = Command::new("kcat")
        .args(["-b", &bootstrap, "-C", "-t", &topic, "-o", "beginning", "-e", "-q", "-f", "%k|%h|%s\n"])
        .output()?;
    let read = String::from_utf8_lossy(&out.stdout);
    assert!(read.lines().any(|l| l == format!("order-42|trace=e2e-1|{value}")), "kcat read:\n{read}");

    // Browse, search by value, open the detail.
    app.click(&by_testid("messages-mode-browse"), UI).await?;
    app.pick_searchable("browse-topic", &topic, UI).await?;
    app.click(&by_testid("browse-go"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"Done\"]", by_testid("browse-status")), KAFKA).await?;
    app.wait_for_text(&by_testid("browse-status"), "41 kept", KAFKA).await?;
    app.fill(&by_testid("filter-value"), &marker, UI).await?;
    app.click(&by_testid("filter-apply"), UI).await?;
    app.wait_for_count(&by_testid("message-row"), 1, KAFKA).await?;
    wait_for_row(&app, &marker, UI).await?;
    app.screenshot(screenshot_path("messages-browse.png")).await?;
    app.click(&by_testid("message-row"), UI).await?;
    app.wait_for_text(&by_testid("detail-value"), "\"order\": 42", UI).await?;
    app.wait_for_text(&by_testid("detail-headers"), "e2e-1", UI).await?;
    app.screenshot(screenshot_path("messages-detail.png")).await?;
    app.click(&format!("{} button.mantine-Drawer-close", by_testid("message-detail")), UI).await?;
    app.wait_until_gone(&by_testid("detail-value"), UI).await?;

    // Live tail: a message kcat sends appears within 2 s.
    let live = unique_topic("e2e-live");
    create_topic(&bootstrap, &live).await;
    app.pick_searchable("browse-topic", &live, UI).await?;
    pick(&app, "browse-start", "latest").await?;
    pick(&app, "browse-stop", "follow").await?;
    app.click(&by_testid("browse-go"), UI).await?;
    app.wait_for(&format!("{}[data-state=\"Running\"]", by_testid("browse-status")), KAFKA).await?;
    // Let the session's consumer reach the end of each partition before sending.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let tail_marker = format!("tail-{}", &unique_topic("t")[2..]);
    kcat_send(&bootstrap, &live, &format!("{tail_marker}\n"));
    let sent = Instant::now();
    wait_for_row(&app, &tail_marker, Duration::from_secs(5)).await?;
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(2), "the tail showed the message after {took:?}");
    app.close().await?;
    Ok(())
}

/// Read on a topic with 600,000 messages: the first rows are on screen while the read is
/// still going (pushed over the session's channel, not waiting for the end or a poll).
/// The time from the click to the first row in the DOM is measured in the page and
/// printed as `first_rows_ms` (a figure for bench/RESULTS.md, not asserted).
#[tokio::test]
#[ignore = "racy on a fast machine: in make test of 2026-11-30 the whole read ended before the window drew its first row (507 ms), so whether the state was still Running says nothing; the backend side is integration messages::the_first_rows_are_pushed_before_the_read_ends, the time is measured by make bench-messages"]
async fn the_first_rows_show_while_a_big_read_is_still_running() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let topic = unique_topic("e2e-big");
    create_topic(&bootstrap, &topic).await;
    let lines: String = (0..600_000).map(|i| format!("{{\"n\": {i}, \"pad\": \"{}\"}}\n", "x".repeat(150))).collect();
    kcat_send(&bootstrap, &topic, &lines);

    let config = fresh_config_dir("messages-first-rows");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E cluster", &bootstrap).await?;
    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    app.click(&by_testid("tab-messages"), UI).await?;
    app.wait_for(&by_testid("messages-view"), UI).await?;
    app.click(&by_testid("messages-mode-browse"), UI).await?;
    app.pick_searchable("browse-topic", &topic, UI).await?;
    // Click Read from inside the page, and note when the first row and the end show.
    let script = r#"
        window.__firstRow = null; window.__t0 = performance.now();
        const seen = () => {
            if (window.__firstRow === null && document.querySelector('[data-testid="message-row"]')) {
                window.__firstRow = performance.now() - window.__t0;
                const s = document.querySelector('[data-testid="browse-status"]');
                window.__stateAtFirstRow = s ? s.getAttribute('data-state') : null;
            }
        };
        new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
        window.__t0 = performance.now();
        document.querySelector('[data-testid="browse-go"]').click();
        return true;"#;
    app.eval(script).await?;
    app.wait_for(&by_testid("message-row"), KAFKA).await?;
    let first = app.eval("return window.__firstRow;").await?;
    let state = app.eval("return window.__stateAtFirstRow;").await?;
    println!("first_rows_ms = {first}");
    assert!(first.as_f64().is_some(), "the page did not see a row appear");
    assert_eq!(state.as_str(), Some("Running"), "the first rows showed only when the read was over");
    app.wait_for(&format!("{}[data-state=\"Done\"]", by_testid("browse-status")), Duration::from_secs(120)).await?;
    app.screenshot(screenshot_path("messages-first-rows.png")).await?;
    app.close().await?;
    Ok(())
}
