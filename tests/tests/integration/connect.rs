//! Kafka Connect against a real distributed worker (Kafka's own jars, started by the
//! harness against the test cluster): FileStream connectors whose records are checked
//! with kcat and whose files are read back, states and offsets as Connect's own REST API
//! reports them (read with the harness' plain HTTP, not our client), validation errors
//! per field, and a worker that is down or silent.

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use kafkadesk::connect::connectors::{self, ConnectorOffset, RestartRequest};
use kafkadesk::connect::{ConnectClient, ConnectCluster, ConnectClusterInput, ConnectWriter};
use kafkadesk::error::ErrorKind;
use kafkadesk_tests::connect::{http_get, test_connect};
use kafkadesk_tests::kafka::{test_cluster, unique_topic};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(90);

fn cluster_for(urls: &[String]) -> ConnectCluster {
    ConnectCluster { id: "it".into(), name: "it".into(), urls: urls.to_vec(), username: None, tls: Default::default() }
}

fn client() -> ConnectClient {
    ConnectClient::new(&cluster_for(&[test_connect().url()]), None).expect("client")
}

fn writer() -> ConnectWriter {
    ConnectWriter::new(client(), false, "it").expect("writer")
}

fn config(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// A fresh scratch folder next to the worker's (the worker reads and writes it).
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = test_connect().dir().join("files").join(unique_topic(name));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A connector's status as Connect's REST API reports it, read without our client
/// (`null` while Connect has none yet: right after a create it answers 404 for a moment).
fn rest_status(name: &str) -> Value {
    let path = format!("/connectors/{name}/status");
    let (code, body) = http_get(test_connect().port(), &path, Duration::from_secs(10)).expect("GET status");
    if code == 404 {
        return Value::Null;
    }
    assert_eq!(code, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("status JSON")
}

fn states(status: &Value) -> (String, Vec<String>) {
    let connector = status["connector"]["state"].as_str().unwrap_or_default().to_string();
    let tasks = status["tasks"].as_array().map(|t| t.iter().map(|t| t["state"].as_str().unwrap_or_default().to_string()).collect());
    (connector, tasks.unwrap_or_default())
}

/// Waits (bounded) until Connect reports the connector in `connector` state and every
/// task in `task` state (`None`: no tasks at all).
async fn wait_states(name: &str, connector: &str, task: Option<&str>) -> Value {
    let deadline = Instant::now() + WAIT;
    loop {
        let status = rest_status(name);
        let (c, tasks) = states(&status);
        let tasks_ok = match task {
            None => tasks.is_empty(),
            Some(t) => !tasks.is_empty() && tasks.iter().all(|s| s == t),
        };
        if c == connector && tasks_ok {
            return status;
        }
        assert!(Instant::now() < deadline, "{name}: wanted {connector}/{task:?}, Connect says {status}\n{}", test_connect().log_tail());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

/// The topic's values, read with kcat from the beginning (bounded).
fn kcat_values(topic: &str) -> Vec<String> {
    let out = Command::new("timeout")
        .args(["30", "kcat", "-b", &test_cluster().bootstrap(), "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%s\\n"])
        .output()
        .expect("kcat");
    String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()
}

async fn wait_values(topic: &str, want: usize) -> Vec<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let got = kcat_values(topic);
        if got.len() >= want {
            return got;
        }
        assert!(Instant::now() < deadline, "{topic}: {} of {want} records after {} s", got.len(), WAIT.as_secs());
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A FileStream source of `lines`, created and awaited RUNNING; returns (name, topic, file).
async fn running_source(prefix: &str, lines: &[&str]) -> (String, String, std::path::PathBuf) {
    let name = unique_topic(prefix);
    let topic = unique_topic(&format!("{prefix}-t"));
    let file = scratch(prefix).join("input.txt");
    std::fs::write(&file, lines.iter().map(|l| format!("{l}\n")).collect::<String>()).expect("source file");
    let cfg = config(&[
        ("connector.class", "org.apache.kafka.connect.file.FileStreamSourceConnector"),
        ("tasks.max", "1"),
        ("file", file.to_str().unwrap()),
        ("topic", &topic),
        ("topic.creation.default.partitions", "1"),
        ("topic.creation.default.replication.factor", "1"),
    ]);
    connectors::create(&writer(), &name, &cfg).await.expect("create source");
    wait_states(&name, "RUNNING", Some("RUNNING")).await;
    (name, topic, file)
}

async fn cleanup(name: &str) {
    let _ = connectors::delete(&writer(), name).await;
}

#[tokio::test]
async fn file_source_runs_and_its_records_reach_the_topic() {
    let lines = ["alpha", "beta", "gamma", "delta", "epsilon"];
    let (name, topic, _) = running_source("cn-src", &lines).await;
    assert_eq!(wait_values(&topic, lines.len()).await, lines, "kcat reads what the source read from the file");

    // The list shows it as Connect does, with its topic (KIP-558) once the task produced.
    let deadline = Instant::now() + WAIT;
    let row = loop {
        let list = connectors::list(&client()).await.expect("list");
        let row = list.into_iter().find(|c| c.name == name).expect("listed");
        if row.topics.as_ref().is_some_and(|t| t.contains(&topic)) {
            break row;
        }
        assert!(Instant::now() < deadline, "topics of {name}: {:?}", row.topics);
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!(row.kind, "source");
    assert_eq!(row.class, "org.apache.kafka.connect.file.FileStreamSourceConnector");
    assert_eq!(row.state, "RUNNING");
    assert_eq!(row.tasks.len(), 1);
    assert_eq!(row.tasks[0].state, "RUNNING");
    assert!(!row.tasks[0].worker_id.is_empty());

    let detail = connectors::detail(&client(), &name).await.expect("detail");
    assert_eq!(detail.config.get("topic"), Some(&topic));
    assert_eq!(detail.summary.topics, Some(vec![topic.clone()]));
    cleanup(&name).await;
}

#[tokio::test]
async fn file_sink_writes_what_the_topic_holds() {
    let topic = unique_topic("cn-sink-t");
    let mut kcat = Command::new("timeout")
        .args(["30", "kcat", "-b", &test_cluster().bootstrap(), "-P", "-t", &topic])
        .stdin(std::process::Stdio::piped())
        .spawn()
        .expect("kcat -P");
    use std::io::Write as _;
    kcat.stdin.take().unwrap().write_all(b"one\ntwo\nthree\n").unwrap();
    assert!(kcat.wait().unwrap().success());

    let name = unique_topic("cn-sink");
    let out = scratch("cn-sink").join("out.txt");
    let cfg = config(&[
        ("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector"),
        ("tasks.max", "1"),
        ("topics", &topic),
        ("file", out.to_str().unwrap()),
    ]);
    connectors::create(&writer(), &name, &cfg).await.expect("create sink");
    let deadline = Instant::now() + WAIT;
    loop {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        if text.lines().count() >= 3 {
            assert_eq!(text.lines().collect::<Vec<_>>(), ["one", "two", "three"]);
            break;
        }
        assert!(Instant::now() < deadline, "sink wrote {text:?}\n{}", test_connect().log_tail());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let row = connectors::list(&client()).await.unwrap().into_iter().find(|c| c.name == name).expect("listed");
    assert_eq!(row.kind, "sink");
    cleanup(&name).await;
}

#[tokio::test]
async fn pause_resume_restart_and_stop_show_as_connect_reports_them() {
    let (name, _, _) = running_source("cn-states", &["x"]).await;
    let w = writer();
    connectors::set_state(&w, &name, "pause").await.expect("pause");
    wait_states(&name, "PAUSED", Some("PAUSED")).await;
    assert_eq!(connectors::detail(&client(), &name).await.unwrap().summary.state, "PAUSED");

    connectors::set_state(&w, &name, "resume").await.expect("resume");
    wait_states(&name, "RUNNING", Some("RUNNING")).await;

    connectors::restart(&w, &name, RestartRequest { include_tasks: true, only_failed: false }).await.expect("restart");
    wait_states(&name, "RUNNING", Some("RUNNING")).await;

    connectors::set_state(&w, &name, "stop").await.expect("stop");
    wait_states(&name, "STOPPED", None).await;
    let detail = connectors::detail(&client(), &name).await.unwrap();
    assert_eq!((detail.summary.state.as_str(), detail.summary.tasks.len()), ("STOPPED", 0));

    connectors::set_state(&w, &name, "resume").await.expect("resume after stop");
    wait_states(&name, "RUNNING", Some("RUNNING")).await;

    let bad = connectors::set_state(&w, &name, "explode").await.unwrap_err();
    assert_eq!(bad.kind, ErrorKind::InvalidInput);
    cleanup(&name).await;
    let gone = connectors::detail(&client(), &name).await.unwrap_err();
    assert_eq!(gone.kind, ErrorKind::NotFound, "{gone:?}");
}

#[tokio::test]
async fn a_failing_task_shows_failed_with_its_trace_and_recovers_after_a_task_restart() {
    let topic = unique_topic("cn-fail-t");
    let name = unique_topic("cn-fail");
    let missing_dir = scratch("cn-fail").join("not-yet");
    let cfg = config(&[
        ("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector"),
        ("tasks.max", "1"),
        ("topics", &topic),
        ("file", missing_dir.join("out.txt").to_str().unwrap()),
    ]);
    connectors::create(&writer(), &name, &cfg).await.expect("create");
    let status = wait_states(&name, "RUNNING", Some("FAILED")).await;
    let rest_trace = status["tasks"][0]["trace"].as_str().expect("Connect reports a trace").to_string();

    let detail = connectors::detail(&client(), &name).await.unwrap();
    let task = &detail.summary.tasks[0];
    assert_eq!(task.state, "FAILED");
    assert_eq!(task.trace.as_deref(), Some(rest_trace.as_str()), "the full trace, as Connect has it");
    assert!(rest_trace.contains("ConnectException"), "{rest_trace}");

    // Fix the cause, restart just that task.
    std::fs::create_dir_all(&missing_dir).unwrap();
    connectors::restart_task(&writer(), &name, 0).await.expect("restart task");
    wait_states(&name, "RUNNING", Some("RUNNING")).await;

    // onlyFailed with nothing failed keeps it running.
    connectors::restart(&writer(), &name, RestartRequest { include_tasks: true, only_failed: true }).await.unwrap();
    wait_states(&name, "RUNNING", Some("RUNNING")).await;
    cleanup(&name).await;
}

#[tokio::test]
async fn offsets_of_a_stopped_source_are_read_altered_and_reset() {
    let lines = ["l1", "l2", "l3"];
    let (name, topic, file) = running_source("cn-offsets", &lines).await;
    wait_values(&topic, 3).await;
    let w = writer();
    // Changing offsets of a running connector is refused by Connect, with its reason.
    let running = connectors::reset_offsets(&w, &name).await.unwrap_err();
    assert_eq!(running.kind, ErrorKind::InvalidInput, "{running:?}");
    assert!(running.message.to_lowercase().contains("stopped"), "{}", running.message);

    connectors::set_state(&w, &name, "stop").await.unwrap();
    wait_states(&name, "STOPPED", None).await;
    let total = u64::try_from(std::fs::metadata(&file).unwrap().len()).unwrap();
    let deadline = Instant::now() + WAIT;
    let offsets = loop {
        let o = connectors::offsets(&client(), &name).await.expect("offsets");
        if o.first().and_then(|o| o.offset["position"].as_u64()) == Some(total) {
            break o;
        }
        assert!(Instant::now() < deadline, "offsets: {o:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(offsets.len(), 1);
    assert_eq!(offsets[0].partition["filename"].as_str(), file.to_str());

    // Alter: back to the start of the second line.
    let altered = connectors::alter_offsets(
        &w,
        &name,
        vec![ConnectorOffset { partition: offsets[0].partition.clone(), offset: json!({"position": 3}) }],
    )
    .await
    .expect("alter");
    assert!(!altered.is_empty());
    let now = connectors::offsets(&client(), &name).await.unwrap();
    assert_eq!(now[0].offset["position"].as_u64(), Some(3));

    // Reset: no offsets left; resumed, the source reads the file again from the start.
    connectors::reset_offsets(&w, &name).await.expect("reset");
    assert!(connectors::offsets(&client(), &name).await.unwrap().is_empty());
    connectors::set_state(&w, &name, "resume").await.unwrap();
    let again = wait_values(&topic, 6).await;
    assert_eq!(again, ["l1", "l2", "l3", "l1", "l2", "l3"]);

    let empty = connectors::alter_offsets(&w, &name, Vec::new()).await.unwrap_err();
    assert_eq!(empty.detail.as_deref(), Some("offsets"));
    cleanup(&name).await;
}

#[tokio::test]
async fn validation_reports_errors_per_field() {
    let plugins = connectors::plugins(&client()).await.expect("plugins");
    let source = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    assert!(plugins.iter().any(|p| p.class == source && p.kind == "source"), "{plugins:?}");

    let bad = config(&[("tasks.max", "many"), ("batch.size", "-")]);
    let v = connectors::validate(&client(), source, &bad).await.expect("validate");
    let errors = |field: &str| v.fields.iter().find(|f| f.name == field).map(|f| f.errors.clone()).unwrap_or_default();
    assert!(v.error_count >= 2, "{v:?}");
    assert!(!errors("tasks.max").is_empty(), "tasks.max");
    assert!(!errors("batch.size").is_empty(), "batch.size");
    assert!(errors("file").is_empty(), "an optional field without a value is fine");
    // The definition comes along, so a form can be built from it.
    let topic = v.fields.iter().find(|f| f.name == "topic").expect("topic field");
    assert!(!topic.documentation.is_empty());
    assert!(v.fields.iter().any(|f| f.name == "name" && f.required));

    let mut cfg = bad.clone();
    cfg.insert("connector.class".into(), source.into());
    let refused = connectors::create(&writer(), &unique_topic("cn-bad"), &cfg).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput, "{refused:?}");
    assert!(refused.message.contains("tasks.max"), "{}", refused.message);
}

#[tokio::test]
async fn connect_down_or_silent_gives_a_clear_error_without_hanging() {
    // Nothing listens on this port.
    let free = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let down = ConnectClient::new(&cluster_for(&[format!("http://127.0.0.1:{free}")]), None).unwrap();
    let err = connectors::list(&down).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains("refused"), "{}", err.message);

    // A socket that accepts and never answers: bounded by the read timeout.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let hung = ConnectClient::new(&cluster_for(&[format!("http://127.0.0.1:{port}")]), None)
        .unwrap()
        .with_read_timeout(Duration::from_secs(2));
    let err = connectors::test(&hung).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Timeout, "{err:?}");
    drop(silent);

    // https against the plain-HTTP worker: a TLS error, named as such.
    let tls = ConnectClient::new(&cluster_for(&[test_connect().url().replace("http://", "https://")]), None).unwrap();
    let err = connectors::test(&tls).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Tls, "{err:?}");

    // A dead first URL does not stop the cluster from answering through the next.
    let both = ConnectClient::new(&cluster_for(&[format!("http://127.0.0.1:{free}"), test_connect().url()]), None).unwrap();
    let info = connectors::test(&both).await.expect("second URL answers");
    assert_eq!(info.url, test_connect().url());
    assert!(info.version.starts_with(kafkadesk_tests::connect::connect_version()), "{info:?}");
    assert!(info.plugins >= 2);
}

#[tokio::test]
async fn settings_keep_the_password_in_the_keychain_and_read_only_profiles_refuse_changes() {
    use kafkadesk::profiles::{Environment, ProfileInput, ProfileStore, Secrets};
    use kafkadesk::state::AppState;
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(ProfileStore::open(dir.path()).unwrap(), Secrets::memory_only("test"), None);
    let input = ProfileInput {
        name: "Live".into(),
        bootstrap_servers: test_cluster().bootstrap(),
        environment: Environment::Prod,
        ..Default::default()
    };
    let profile = state.save_profile(input.validate("live", None).unwrap(), true).unwrap();
    assert!(profile.read_only);
    let cluster = ConnectClusterInput {
        name: "main".into(),
        urls: test_connect().url(),
        username: Some("ops".into()),
        password: Some("s3cret-connect".into()),
        ..Default::default()
    };
    let saved = state.save_connect_settings(&profile.id, &[cluster]).expect("save settings");
    let connect_id = saved.connect.as_ref().unwrap().clusters[0].id.clone();
    let on_disk = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
    assert!(on_disk.contains(&test_connect().url()) && !on_disk.contains("s3cret-connect"));

    // Reads work (the worker ignores basic auth), changes are refused before any request.
    connectors::list(&state.connect_client(&profile.id, &connect_id).unwrap()).await.expect("read");
    let refused = state.connect_for_write(&profile.id, &connect_id).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::ReadOnly);

    // Editing the Kafka settings keeps the Connect ones; deleting the profile forgets the password.
    let edited = ProfileInput { notes: "edited".into(), ..input };
    let after = state.save_profile(edited.validate(&profile.id, Some(&saved)).unwrap(), false).unwrap();
    assert_eq!(after.connect, saved.connect);
    let field = kafkadesk::connect::settings::password_field(&connect_id);
    assert!(state.secrets.get(&profile.id, &field).unwrap().is_some());
    state.delete_profile(&profile.id).unwrap();
    assert!(state.secrets.get(&profile.id, &field).unwrap().is_none());
}
