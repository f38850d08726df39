//! Local clusters through the code the "Local clusters" view calls (`kafkadesk::local::LocalClusters`
//! and the profile it saves): create, start, probe with an independent client, stop, delete; a
//! port already taken; Java missing; the app restarting while a cluster runs.
//!
//! These start real Kafka JVMs on free loopback ports (never the 19092 defaults); one at a time,
//! so a test run holds at most one extra cluster.

use std::collections::BTreeSet;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use kafkadesk::local::install::Discovery;
use kafkadesk::local::{profile, LaunchError, LocalCluster, LocalClusterInput, LocalClusterState, LocalClusters};
use kafkadesk::profiles::{new_id, ProfileStore, Secrets};
use kafkadesk::state::AppState;
use kafkadesk_tests::kafka::{ensure_kafka_jars, unique_topic};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::Message;

/// One local cluster at a time in this process.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner())
}

/// `n` distinct free loopback ports.
fn free_ports(n: usize) -> Vec<u16> {
    let held: Vec<TcpListener> = (0..n).map(|_| TcpListener::bind(("127.0.0.1", 0)).expect("bind")).collect();
    held.iter().map(|l| l.local_addr().expect("addr").port()).collect()
}

fn input(name: &str, nodes: u8) -> LocalClusterInput {
    let ports = free_ports(2 * nodes as usize);
    LocalClusterInput {
        name: name.into(),
        nodes,
        broker_ports: ports[..nodes as usize].to_vec(),
        controller_ports: ports[nodes as usize..].to_vec(),
    }
}

/// The manager as the app builds it: Java and Kafka found from the environment (the Maven jars
/// in KafkaDesk's cache count as a Kafka installation).
fn manager(root: &Path) -> LocalClusters {
    ensure_kafka_jars().expect("Kafka's jars in the cache");
    LocalClusters::new(root, Discovery::from_env())
}

/// What `local_create` does: save the cluster, then a connection for it.
fn create_with_profile(local: &LocalClusters, state: &AppState, input: &LocalClusterInput) -> LocalCluster {
    let cluster = local.create(input).expect("created");
    let validated = profile::profile_input(&cluster, &cluster.name).validate(&new_id(), None).expect("valid profile");
    let saved = state.save_profile(validated, true).expect("profile saved");
    local.set_profile(&cluster.id, Some(&saved.id)).expect("profile recorded")
}

fn app_state(dir: &Path) -> AppState {
    AppState::new(ProfileStore::open(&dir.join("config")).expect("store"), Secrets::memory_only("tests"), None)
}

fn config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap).set("broker.address.family", "v4");
    cfg
}

fn broker_ids(bootstrap: &str) -> BTreeSet<i32> {
    let consumer: BaseConsumer = config(bootstrap).create().expect("metadata client");
    let md = consumer.fetch_metadata(None, Duration::from_secs(10)).expect("metadata");
    md.brokers().iter().map(|b| b.id()).collect()
}

/// Creates a topic replicated on `rf` brokers, produces one message with acks=all and reads it
/// back: an independent rdkafka client, not the launcher's own probe.
async fn produce_and_consume(bootstrap: &str, rf: i32) {
    let topic = unique_topic("local-probe");
    let admin: AdminClient<DefaultClientContext> = config(bootstrap).create().expect("admin");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    let results = admin.create_topics([&NewTopic::new(&topic, 1, TopicReplication::Fixed(rf))], &opts).await.expect("create");
    for r in results {
        r.unwrap_or_else(|(t, code)| panic!("creating {t}: {code}"));
    }
    let producer: FutureProducer = config(bootstrap).set("acks", "all").create().expect("producer");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match producer.send(FutureRecord::to(&topic).key("k").payload("hello local kafka"), Duration::from_secs(5)).await {
            Ok(_) => break,
            Err((e, _)) if Instant::now() < deadline => eprintln!("retrying produce: {e}"),
            Err((e, _)) => panic!("producing to {topic}: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let consumer: BaseConsumer = config(bootstrap)
        .set("group.id", unique_topic("local-group"))
        .set("auto.offset.reset", "earliest")
        .create()
        .expect("consumer");
    consumer.subscribe(&[&topic]).expect("subscribe");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(Instant::now() < deadline, "the message never came back from {topic}");
        if let Some(Ok(msg)) = consumer.poll(Duration::from_millis(500)) {
            assert_eq!(msg.payload(), Some(&b"hello local kafka"[..]));
            break;
        }
    }
}

/// Stops every local cluster under a root when the test ends, passed or not: a failed
/// assertion must not leave brokers running.
struct StopAllOnDrop(std::path::PathBuf);

impl Drop for StopAllOnDrop {
    fn drop(&mut self) {
        let local = LocalClusters::new(&self.0, Discovery::default());
        for c in local.list() {
            let _ = local.stop(&c.id);
        }
    }
}

/// Pids of the cluster's nodes while it runs.
fn pids(cluster: &LocalCluster) -> Vec<u32> {
    cluster.nodes.iter().filter_map(|n| n.pid).collect()
}

fn alive(pid: u32) -> bool {
    kafkadesk::local::process::command_line(pid).is_some_and(|c| c.contains("kafka.Kafka"))
}

async fn lifecycle(nodes: u8) {
    let _one = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("local-clusters");
    let _cleanup = StopAllOnDrop(root.clone());
    let state = app_state(dir.path());
    let local = manager(&root);
    let created = create_with_profile(&local, &state, &input(&format!("It {nodes}"), nodes));
    assert_eq!(created.state, LocalClusterState::Stopped);

    // The saved connection points at the cluster's brokers.
    let profile = state.profiles.get(created.profile_id.as_deref().expect("a profile")).expect("profile");
    assert_eq!(profile.bootstrap_servers, created.bootstrap);

    let started = tokio::task::block_in_place(|| local.start(&created.id)).expect("started");
    assert_eq!(started.state, LocalClusterState::Running, "{started:?}");
    let running = pids(&started);
    assert_eq!(running.len(), nodes as usize);
    assert!(started.data_dir.starts_with(&root.display().to_string()), "data in the app's folder");
    assert!(Path::new(&started.data_dir).join("node-1").join("server.log").is_file(), "broker log in the data dir");

    let expected: BTreeSet<i32> = (1..=nodes as i32).collect();
    assert_eq!(broker_ids(&profile.bootstrap_servers), expected);
    produce_and_consume(&profile.bootstrap_servers, nodes.min(3) as i32).await;
    let log = local.log(&created.id, 1, 5000).expect("log");
    assert!(log.contains("Kafka Server started"), "the log viewer shows the broker log:\n{log}");

    // Starting a running cluster is a no-op, not a second set of brokers.
    let again = tokio::task::block_in_place(|| local.start(&created.id)).expect("start again");
    assert_eq!(pids(&again), running);

    let stopped = tokio::task::block_in_place(|| local.stop(&created.id)).expect("stopped");
    assert_eq!(stopped.state, LocalClusterState::Stopped);
    for pid in &running {
        assert!(!alive(*pid), "broker pid {pid} still running after stop");
    }

    let profile_id = tokio::task::block_in_place(|| local.delete(&created.id)).expect("deleted");
    assert_eq!(profile_id.as_deref(), Some(profile.id.as_str()));
    assert!(!Path::new(&created.data_dir).exists(), "data dir removed");
    assert!(local.list().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn one_node_local_cluster_create_start_probe_stop_delete() {
    lifecycle(1).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_node_local_cluster_create_start_probe_stop_delete() {
    lifecycle(3).await;
}

#[test]
fn a_port_already_taken_is_named_and_nothing_starts() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let _cleanup = StopAllOnDrop(dir.path().to_path_buf());
    let local = manager(dir.path());
    let taken = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let mut i = input("Busy", 1);
    i.broker_ports = vec![port];
    let cluster = local.create(&i).expect("created");
    let err = local.start(&cluster.id).expect_err("the port is taken");
    assert!(matches!(err, LaunchError::PortInUse(_)), "{err}");
    assert!(err.message().contains(&port.to_string()), "the error names the port: {err}");
    let app_error = kafkadesk::error::Error::from(err);
    assert_eq!(app_error.detail.as_deref(), Some("brokerPorts"), "the form can point at the field");
    // Nothing started, nothing formatted.
    let after = local.get(&cluster.id).expect("still there");
    assert_eq!(after.state, LocalClusterState::Stopped);
    assert!(!dir.path().join(&cluster.id).join("node-1").exists(), "no node folder was made");
    assert!(!dir.path().join(&cluster.id).join("cluster.json").exists(), "no cluster recorded");
    drop(taken);
}

#[test]
fn java_missing_says_what_to_install() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    ensure_kafka_jars().expect("jars");
    // Kafka is there (the cache), Java is not: no JAVA_HOME, no PATH, no JVM folders.
    let discovery = Discovery { kafka_caches: Discovery::from_env().kafka_caches, ..Discovery::default() };
    let local = LocalClusters::new(dir.path(), discovery);
    let setup = local.setup();
    assert!(setup.java.is_none() && setup.kafka.is_some(), "{setup:?}");
    let cluster = local.create(&input("No Java", 1)).expect("created");
    let err = local.start(&cluster.id).expect_err("no Java");
    assert!(matches!(err, LaunchError::Missing(_)), "{err}");
    for hint in ["Java 17", "apt install openjdk-17", "adoptium.net", "JAVA_HOME"] {
        assert!(err.message().contains(hint), "the message says {hint:?}: {err}");
    }
    assert!(!dir.path().join(&cluster.id).join("node-1").exists());
}

#[test]
fn the_app_reattaches_to_a_running_cluster_after_a_restart() {
    let _one = serial();
    let dir = tempfile::tempdir().expect("tempdir");
    let _cleanup = StopAllOnDrop(dir.path().to_path_buf());
    let first = manager(dir.path());
    let cluster = first.create(&input("Survivor", 1)).expect("created");
    let started = first.start(&cluster.id).expect("started");
    let pid = pids(&started)[0];
    // The app quits: its manager goes away, the broker keeps running.
    drop(first);
    assert!(alive(pid), "closing the app does not stop a local cluster");

    // The app starts again and finds it.
    let second = manager(dir.path());
    let listed = second.list();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, LocalClusterState::Running);
    assert_eq!(pids(&listed[0]), vec![pid], "the same broker process");
    assert_eq!(broker_ids(&listed[0].bootstrap), BTreeSet::from([1]));

    let stopped = second.stop(&cluster.id).expect("stopped after the restart");
    assert_eq!(stopped.state, LocalClusterState::Stopped);
    assert!(!alive(pid), "stop after a restart stops the broker");
    second.delete(&cluster.id).expect("deleted");
}
