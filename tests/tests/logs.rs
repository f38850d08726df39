//! The app's log file after a SASL_SSL session against the harness's secured broker, once
//! with a wrong password and once with the right one: librdkafka's lines are in the file,
//! the authentication failure is explained, and neither password appears anywhere in it.
//! A binary of its own: the logger is process-wide, and the integration binary installs a
//! capturing one.

use std::collections::BTreeMap;
use std::time::Duration;

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::cluster;
use kafkadesk::kafka::{Cluster, Connection};
use kafkadesk::logs;
use kafkadesk::profiles::{ProfileInput, SaslMechanism, SecurityProtocol, TlsSettings};
use kafkadesk_tests::kafka::{test_secured_cluster, SecuredCluster};

const WRONG_PASSWORD: &str = "not-bobs-Pa55-7f3e";

fn sasl_ssl(password: &str) -> Connection {
    let secured = test_secured_cluster();
    // librdkafka as talkative as it gets about security and the connection.
    let extras = BTreeMap::from([
        ("debug".to_string(), "security,broker,protocol,conf".to_string()),
        ("log_level".to_string(), "7".to_string()),
    ]);
    let input = ProfileInput {
        name: "log test".into(),
        bootstrap_servers: SecuredCluster::bootstrap(secured.listeners.sasl_ssl),
        security_protocol: SecurityProtocol::SaslSsl,
        sasl_mechanism: Some(SaslMechanism::ScramSha512),
        sasl_username: Some("bob".into()),
        sasl_password: Some(password.into()),
        tls: Some(TlsSettings { ca_file: Some(secured.tls.ca.display().to_string()), ..TlsSettings::default() }),
        extra_properties: extras,
        ..Default::default()
    };
    let v = input.validate("log-test", None).expect("valid input");
    Connection::from_profile(&v.profile, &v.set_secrets).expect("connection")
}

#[tokio::test]
async fn a_sasl_ssl_session_leaves_a_log_without_secrets() {
    let dir = tempfile::tempdir().expect("temp dir");
    logs::init(dir.path(), "info,librdkafka=debug").expect("the log starts");
    let right_password = SecuredCluster::password("bob");

    let refused = cluster::test_connection(&sasl_ssl(WRONG_PASSWORD)).await.expect_err("wrong password refused");
    assert_eq!(refused.kind, ErrorKind::Auth, "{refused:?}");

    let connected = Cluster::connect(&sasl_ssl(right_password)).expect("client");
    let overview = cluster::overview(&connected).await.expect("the right password connects");
    assert!(!overview.brokers.is_empty());
    log::warn!("connected as bob to {} broker(s)", overview.brokers.len());
    drop(connected);
    // librdkafka's threads log until their handles are gone; give the last lines a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    logs::flush();

    let mut text = String::new();
    for entry in std::fs::read_dir(dir.path()).expect("log folder").flatten() {
        text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
    }
    assert!(text.lines().count() > 20, "too little was logged:\n{text}");
    assert!(text.contains(" librdkafka "), "librdkafka's own lines are routed into the file");
    assert!(text.contains("SASL"), "the SASL exchange is logged");
    assert!(text.contains("connected as bob"));
    for secret in [WRONG_PASSWORD, right_password] {
        assert!(!text.contains(secret), "the log shows a password:\n{}", text.lines().filter(|l| l.contains(secret)).collect::<Vec<_>>().join("\n"));
    }
    // And what the user would paste into a bug report is clean too.
    let diagnostics = logs::diagnostics(&[]);
    assert!(diagnostics.contains("librdkafka") && !diagnostics.contains(right_password) && !diagnostics.contains(WRONG_PASSWORD));
}
