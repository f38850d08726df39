//! Connecting to a cluster: the overview of a real 3-broker Kafka, and an address nobody
//! answers on.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use kafkadesk_tests::e2e::{by_testid, App, E2eError};
use kafkadesk_tests::kafka;

use crate::{create_connection, fresh_config_dir, launch_fresh, one_window, screenshot_path, KAFKA, UI};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// The text of the `data-testid` cell inside `row`, trimmed.
async fn cell(row: &Element, testid: &str) -> Result<String, E2eError> {
    let el = row
        .find(Locator::Css(&by_testid(testid)))
        .await
        .map_err(|e| E2eError::new(format!("a broker row has no `{testid}` cell: {e}")))?;
    let text = el.text().await.map_err(|e| E2eError::new(format!("reading `{testid}` failed: {e}")))?;
    Ok(text.trim().to_string())
}

/// The active controller as Kafka itself reports it: `LeaderId` of the KRaft quorum,
/// from Kafka's own `kafka-metadata-quorum.sh describe --status`.
fn quorum_leader(bootstrap: &str) -> i32 {
    let out = kafka::kafka_java(
        "org.apache.kafka.tools.MetadataQuorumCommand",
        &["--bootstrap-server", bootstrap, "describe", "--status"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "MetadataQuorumCommand failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    parse_leader_id(&stdout).unwrap_or_else(|| panic!("no `LeaderId:` in MetadataQuorumCommand output:\n{stdout}"))
}

fn parse_leader_id(status: &str) -> Option<i32> {
    status.lines().find_map(|line| line.trim().strip_prefix("LeaderId:").and_then(|v| v.trim().parse().ok()))
}

#[test]
fn leader_id_is_parsed_from_quorum_status() {
    let status = "ClusterId:              abc\nLeaderId:               2\nLeaderEpoch:            1\n";
    assert_eq!(parse_leader_id(status), Some(2));
    assert_eq!(parse_leader_id("nothing here"), None);
}

#[tokio::test]
async fn connects_and_shows_three_brokers() -> TestResult {
    let _window = one_window().await;
    let cluster = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = cluster.bootstrap();
    let expected_ports: BTreeSet<u16> = cluster.broker_ports().iter().copied().collect();
    assert_eq!(expected_ports.len(), 3, "the test cluster should have 3 brokers: {bootstrap}");

    let config = fresh_config_dir("overview");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "E2E cluster", &bootstrap).await?;

    app.wait_for(&by_testid("cluster-overview"), KAFKA).await?;
    let rows = app.wait_for_count(&by_testid("broker-row"), 3, KAFKA).await?;
    app.wait_for_text(&by_testid("broker-count"), "3", UI).await?;
    let broker_count = app.wait_for(&by_testid("broker-count"), UI).await?.text().await?;
    assert_eq!(broker_count.trim(), "3", "broker-count");

    let mut ports = BTreeSet::new();
    let mut controller_rows = Vec::new();
    for row in &rows {
        let id = cell(row, "broker-id").await?;
        let host = cell(row, "broker-host").await?;
        let port = cell(row, "broker-port").await?;
        assert_eq!(host, "127.0.0.1", "broker {id}'s host");
        assert_eq!(row.attr("data-broker-id").await?.as_deref(), Some(id.as_str()), "data-broker-id of the row of broker {id}");
        ports.insert(port.parse::<u16>().map_err(|e| E2eError::new(format!("broker {id}'s port {port:?}: {e}")))?);
        if !row.find_all(Locator::Css(&by_testid("controller-badge"))).await?.is_empty() {
            controller_rows.push(id);
        }
    }
    assert_eq!(ports, expected_ports, "broker ports shown vs the cluster's");
    assert_eq!(controller_rows.len(), 1, "exactly one broker carries the controller badge: {controller_rows:?}");

    let leader = {
        let bootstrap = bootstrap.clone();
        tokio::task::spawn_blocking(move || quorum_leader(&bootstrap)).await?
    };
    assert_eq!(controller_rows[0], leader.to_string(), "the badge is on the KRaft quorum leader (Kafka says {leader})");
    let controller_id = app.wait_for(&by_testid("controller-id"), UI).await?.text().await?;
    assert!(
        controller_id.split(|c: char| !c.is_ascii_digit()).any(|t| t == leader.to_string()),
        "controller-id shows {controller_id:?}, Kafka's quorum leader is {leader}"
    );

    app.screenshot(screenshot_path("cluster-overview.png")).await?;
    app.close().await?;
    Ok(())
}

#[tokio::test]
async fn unreachable_bootstrap_shows_error_and_window_responds() -> TestResult {
    let _window = one_window().await;
    // A port that was free a moment ago; nobody listens on it once the listener is dropped.
    let port = TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port();
    let address = format!("127.0.0.1:{port}");

    let config = fresh_config_dir("unreachable");
    let app = launch_fresh(&config).await?;
    create_connection(&app, "Nobody home", &address).await?;
    let submitted = Instant::now();

    let banner = app.wait_for(&by_testid("error-banner"), Duration::from_secs(15)).await?;
    let text = banner_text(&app, &banner).await?;
    eprintln!("[e2e] error banner after {:.1} s: {text:?}", submitted.elapsed().as_secs_f64());
    assert!(
        text.contains(&address) || text.to_lowercase().contains("reach"),
        "the error banner should name {address} or say it could not reach it: {text:?}"
    );
    app.screenshot(screenshot_path("unreachable-error.png")).await?;

    // The window still responds: the theme toggles…
    let scheme = || async { app.eval("return document.documentElement.getAttribute('data-mantine-color-scheme');").await };
    let before = scheme().await?;
    app.click(&by_testid("theme-toggle"), UI).await?;
    let deadline = Instant::now() + UI;
    let after = loop {
        let now = scheme().await?;
        if now != before && !now.is_null() {
            break now;
        }
        if Instant::now() >= deadline {
            return Err(E2eError::new(format!(
                "theme-toggle did not flip <html data-mantine-color-scheme> (still {now}, was {before})"
            ))
            .into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!("[e2e] color scheme {before} -> {after}");

    // …and the new-connection form still takes input.
    let name = by_testid("new-connection-name");
    if app.find_all(&name).await?.is_empty() || !app.find_all(&name).await?[0].is_displayed().await? {
        app.click(&by_testid("new-connection-open"), UI).await?;
    }
    let input = app.fill(&name, "Still responsive", UI).await?;
    assert_eq!(app.value_of(&input).await?, "Still responsive");

    app.close().await?;
    Ok(())
}

/// The banner's text, given a moment to fill in if it rendered empty first.
async fn banner_text(app: &App, banner: &Element) -> Result<String, E2eError> {
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let text = banner.text().await.map_err(|e| E2eError::new(format!("reading error-banner: {e}")))?;
        if !text.trim().is_empty() {
            return Ok(text.trim().to_string());
        }
        if Instant::now() >= deadline {
            return Err(E2eError::new(format!("the error banner is empty\n--- page text ---\n{}", app.page_text().await)));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
