//! Saved profiles against a real secured broker: every security mode connects, and each
//! kind of misconfiguration comes back as its own error, within the 10 s promise.
//! Secrets go through keyring-core's mock store; a full SASL+TLS flow is then scanned for
//! the password (config dir, log output, export).

use std::collections::BTreeMap;
use std::sync::{Mutex, Once, OnceLock};
use std::time::{Duration, Instant};

use kafkadesk::error::{Error, ErrorKind};
use kafkadesk::kafka::cluster::{self, ConnectionTest};
use kafkadesk::kafka::{Cluster, Connection};
use kafkadesk::profiles::{ProfileInput, ProfileStore, SaslMechanism, Secrets, SecurityProtocol, TlsSettings};
use kafkadesk::state::AppState;
use kafkadesk_tests::kafka::{kafka_java, test_secured_cluster, SecuredCluster};

/// Everything the app logs during this test binary, to scan for secrets.
static LOG_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct CaptureLog;
impl log::Log for CaptureLog {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        if let Ok(mut lines) = LOG_LINES.lock() {
            lines.push(format!("{} {}", record.target(), record.args()));
        }
    }
    fn flush(&self) {}
}

fn setup() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        keyring_core::set_default_store(keyring_core::mock::Store::new().expect("mock store"));
        static LOGGER: CaptureLog = CaptureLog;
        let _ = log::set_logger(&LOGGER);
        log::set_max_level(log::LevelFilter::Trace);
    });
}

pub(crate) fn base(name: &str, port: u16, protocol: SecurityProtocol) -> ProfileInput {
    ProfileInput {
        name: name.into(),
        bootstrap_servers: SecuredCluster::bootstrap(port),
        security_protocol: protocol,
        ..Default::default()
    }
}

pub(crate) fn with_sasl(mut input: ProfileInput, mechanism: SaslMechanism, user: &str, password: &str) -> ProfileInput {
    input.sasl_mechanism = Some(mechanism);
    input.sasl_username = Some(user.into());
    input.sasl_password = Some(password.into());
    input
}

pub(crate) fn with_ca(mut input: ProfileInput, ca: &std::path::Path) -> ProfileInput {
    input.tls = Some(TlsSettings { ca_file: Some(ca.display().to_string()), ..TlsSettings::default() });
    input
}

/// Validates like the editor does and tests like the Test button does; checks the bound.
async fn test(input: ProfileInput) -> Result<ConnectionTest, Error> {
    setup();
    let v = input.validate("it", None).expect("valid input");
    let conn = Connection::from_profile(&v.profile, &v.set_secrets).expect("connection");
    let started = Instant::now();
    let result = cluster::test_connection(&conn).await;
    eprintln!("{}: {:?} -> {:?}", conn.bootstrap_servers, started.elapsed(), result.as_ref().err());
    assert!(started.elapsed() < Duration::from_secs(11), "took {:?}", started.elapsed());
    result
}

/// The cluster id Kafka's own tool reports over PLAINTEXT.
pub(crate) fn true_cluster_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        let out = kafka_java(
            "org.apache.kafka.tools.ClusterTool",
            &["cluster-id", "--bootstrap-server", &test_secured_cluster().cluster.bootstrap()],
        );
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("Cluster ID:").map(|v| v.trim().to_string()))
            .unwrap_or_else(|| panic!("ClusterTool printed no id: {stdout} {}", String::from_utf8_lossy(&out.stderr)))
    })
}

/// The active controller Kafka's own tool reports over PLAINTEXT.
pub(crate) fn true_controller_id() -> i32 {
    static ID: OnceLock<i32> = OnceLock::new();
    *ID.get_or_init(|| {
        let out = kafka_java(
            "org.apache.kafka.tools.MetadataQuorumCommand",
            &["--bootstrap-server", &test_secured_cluster().cluster.bootstrap(), "describe", "--status"],
        );
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        stdout
            .lines()
            .find_map(|l| l.strip_prefix("LeaderId:").and_then(|v| v.trim().parse().ok()))
            .unwrap_or_else(|| panic!("MetadataQuorumCommand printed no leader: {stdout} {}", String::from_utf8_lossy(&out.stderr)))
    })
}

fn assert_connected(result: Result<ConnectionTest, Error>, mode: &str) -> ConnectionTest {
    let t = result.unwrap_or_else(|e| panic!("{mode}: {e:?}"));
    assert_eq!(t.cluster_id.as_deref(), Some(true_cluster_id()), "{mode}");
    // The wire client asks DescribeQuorum and ApiVersions with the profile's own security.
    assert_eq!(t.controller_id, Some(true_controller_id()), "{mode}: the active controller");
    // The harness runs Kafka 4.x.
    assert_eq!(t.broker_versions.as_deref(), Some("Kafka 4.0 or newer"), "{mode}");
    assert_eq!(t.brokers.len(), 1, "{mode}");
    assert_eq!(t.brokers[0].host, "127.0.0.1", "{mode}");
    t
}

fn assert_kind(result: Result<ConnectionTest, Error>, kind: ErrorKind, says: &str, mode: &str) {
    let e = result.err().unwrap_or_else(|| panic!("{mode}: connected, expected {kind:?}"));
    assert_eq!(e.kind, kind, "{mode}: {e:?}");
    assert!(e.message.to_lowercase().contains(says), "{mode}: {:?} should say {says:?} (detail {:?})", e.message, e.detail);
}

#[tokio::test]
async fn every_security_mode_connects() {
    let s = test_secured_cluster();
    let l = &s.listeners;
    let ca = &s.tls.ca;
    for (mech, user) in [(SaslMechanism::ScramSha256, "alice"), (SaslMechanism::ScramSha512, "bob")] {
        let input = with_sasl(base("sasl", l.sasl_plaintext, SecurityProtocol::SaslPlaintext), mech, user, SecuredCluster::password(user));
        assert_connected(test(input).await, &format!("SASL_PLAINTEXT {mech:?}"));
    }
    assert_connected(test(with_ca(base("ssl", l.ssl, SecurityProtocol::Ssl), ca)).await, "SSL");
    let sasl_ssl = with_sasl(base("sasl_ssl", l.sasl_ssl, SecurityProtocol::SaslSsl), SaslMechanism::ScramSha512, "bob", SecuredCluster::password("bob"));
    assert_connected(test(with_ca(sasl_ssl, ca)).await, "SASL_SSL");
    let mut mtls = with_ca(base("mtls", l.mtls, SecurityProtocol::Ssl), ca);
    if let Some(tls) = mtls.tls.as_mut() {
        tls.client_cert_file = Some(s.tls.client_cert.display().to_string());
        tls.client_key_file = Some(s.tls.client_key.display().to_string());
    }
    assert_connected(test(mtls).await, "mTLS");
    // Hostname verification can be turned off explicitly: the wrong-host listener then connects.
    let mut unchecked = with_ca(base("badhost", l.badhost, SecurityProtocol::Ssl), ca);
    if let Some(tls) = unchecked.tls.as_mut() {
        tls.verify_hostname = false;
    }
    assert_connected(test(unchecked).await, "SSL without hostname verification");
}

#[tokio::test]
async fn each_misconfiguration_gives_its_own_error() {
    let s = test_secured_cluster();
    let l = &s.listeners;
    let sasl = |mech, user: &str, pw: &str| with_sasl(base("sasl", l.sasl_plaintext, SecurityProtocol::SaslPlaintext), mech, user, pw);

    assert_kind(test(sasl(SaslMechanism::ScramSha256, "alice", "wrong-password")).await, ErrorKind::Auth, "user name or password", "wrong password");
    assert_kind(test(sasl(SaslMechanism::Plain, "alice", SecuredCluster::password("alice"))).await, ErrorKind::Auth, "mechanism", "PLAIN not enabled");
    assert_kind(test(with_ca(base("ssl", l.ssl, SecurityProtocol::Ssl), &s.tls.other_ca)).await, ErrorKind::Tls, "unknown ca", "wrong CA");
    assert_kind(test(with_ca(base("bad", l.badhost, SecurityProtocol::Ssl), &s.tls.ca)).await, ErrorKind::Tls, "hostname mismatch", "hostname mismatch");
    assert_kind(test(with_ca(base("mtls", l.mtls, SecurityProtocol::Ssl), &s.tls.ca)).await, ErrorKind::Tls, "client certificate", "missing client cert");
    // TLS client against a plain SASL listener, and the network-level failures.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    assert_kind(test(base("refused", closed, SecurityProtocol::Plaintext)).await, ErrorKind::Unreachable, "refused", "connection refused");
    let mut unresolvable = base("dns", 9092, SecurityProtocol::Plaintext);
    unresolvable.bootstrap_servers = "no-such-host.invalid:9092".into();
    assert_kind(test(unresolvable).await, ErrorKind::Unreachable, "resolved", "name resolution");
}

#[tokio::test]
async fn a_full_sasl_tls_flow_leaves_the_password_nowhere() {
    setup();
    let s = test_secured_cluster();
    let password = SecuredCluster::password("bob");
    let dir = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(ProfileStore::open(dir.path()).expect("store"), Secrets::default_store(), None);
    let input = with_ca(
        with_sasl(base("Secured prod", s.listeners.sasl_ssl, SecurityProtocol::SaslSsl), SaslMechanism::ScramSha512, "bob", password),
        &s.tls.ca,
    );
    let saved = state.save_profile(input.validate(&kafkadesk::profiles::new_id(), None).expect("valid"), true).expect("saved");
    assert_eq!(saved.secret_fields, vec!["sasl.password"]);

    // Connect the way the app does: the password comes back from the keychain store.
    let connected = Cluster::connect(&state.connection(&saved.id).expect("connection")).expect("client");
    let overview = cluster::overview(&connected).await.expect("overview over SASL_SSL");
    assert_eq!(overview.cluster_id.as_deref(), Some(true_cluster_id()));
    // A wrong password through the same path is refused, and not echoed either.
    let mut wrong = input.clone();
    wrong.name = "Wrong".into();
    wrong.sasl_password = Some("not-the-password".into());
    let wrong = state.save_profile(wrong.validate(&kafkadesk::profiles::new_id(), None).expect("valid"), true).expect("saved");
    let refused = cluster::test_connection(&state.connection(&wrong.id).expect("connection")).await.expect_err("refused");
    assert_eq!(refused.kind, ErrorKind::Auth);

    let export = dir.path().join("export.json");
    kafkadesk::profiles::import::export_file(&state.profiles.list().expect("list"), &export).expect("export");
    let mut haystacks: Vec<(String, String)> = Vec::new();
    for entry in std::fs::read_dir(dir.path()).expect("config dir") {
        let path = entry.expect("entry").path();
        haystacks.push((path.display().to_string(), String::from_utf8_lossy(&std::fs::read(&path).expect("read")).to_string()));
    }
    haystacks.push(("log output".into(), LOG_LINES.lock().expect("log").join("\n")));
    haystacks.push(("errors".into(), format!("{refused:?}")));
    assert!(haystacks.len() >= 4, "profiles.json, its backup, the export, the log");
    for (what, text) in &haystacks {
        for secret in [password, "not-the-password"] {
            assert!(!text.contains(secret), "the password leaked into {what}");
        }
    }
    assert!(haystacks[0..].iter().any(|(_, t)| t.contains("\"saslUsername\": \"bob\"")), "the scan read the real files");
}

#[test]
fn imported_secrets_go_to_the_keychain_not_the_file() {
    setup();
    let dir = tempfile::tempdir().expect("tempdir");
    let state = AppState::new(ProfileStore::open(dir.path()).expect("store"), Secrets::default_store(), None);
    let kcat = dir.path().join("kcat.conf");
    std::fs::write(
        &kcat,
        "bootstrap.servers=127.0.0.1:9093\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanisms=SCRAM-SHA-256\nsasl.username=alice\nsasl.password=imported-Secret-1\n",
    )
    .expect("write");
    let report = state.import_profiles(&kcat).expect("import");
    assert_eq!(report.format, "kcat config");
    assert_eq!(report.imported.len(), 1, "{:?}", report.notes);
    let id = &report.imported[0].id;
    assert_eq!(state.secrets.get(id, "sasl.password").expect("get").as_deref(), Some("imported-Secret-1"));
    let file = std::fs::read_to_string(dir.path().join("profiles.json")).expect("profiles.json");
    assert!(!file.contains("imported-Secret-1"));
    // A connection's debug form (what could reach a log) names properties, never values.
    let mut secrets = BTreeMap::new();
    secrets.insert("sasl.password".to_string(), "imported-Secret-1".to_string());
    let conn = Connection::from_profile(&report.imported[0], &secrets).expect("conn");
    assert_eq!(conn.properties.get("sasl.password").map(String::as_str), Some("imported-Secret-1"));
    let debug = format!("{conn:?}");
    assert!(debug.contains("sasl.password") && !debug.contains("imported-Secret-1"), "{debug}");
}
