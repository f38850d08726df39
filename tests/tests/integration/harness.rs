//! Tests of the Kafka harness itself: the cluster every other integration test relies on is
//! real, complete, and agrees with Kafka's own tools.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use kafkadesk_tests::kafka::{self, test_cluster, unique_topic, Cluster, ClusterSpec};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::Message;

fn config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap)
        .set("broker.address.family", "v4");
    cfg
}

async fn create_topic(bootstrap: &str, topic: &str, partitions: i32, rf: i32) {
    let admin: AdminClient<DefaultClientContext> =
        config(bootstrap).create().expect("admin client");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    let results = admin
        .create_topics(
            [&NewTopic::new(
                topic,
                partitions,
                TopicReplication::Fixed(rf),
            )],
            &opts,
        )
        .await
        .expect("create_topics request");
    for r in results {
        r.unwrap_or_else(|(t, code)| panic!("creating {t}: {code}"));
    }
}

fn broker_ids(bootstrap: &str) -> BTreeSet<i32> {
    let consumer: BaseConsumer = config(bootstrap).create().expect("metadata client");
    let md = consumer
        .fetch_metadata(None, Duration::from_secs(10))
        .expect("metadata");
    md.brokers().iter().map(|b| b.id()).collect()
}

#[test]
fn three_brokers_are_in_metadata() {
    let cluster = test_cluster();
    assert_eq!(
        cluster.broker_ports().len(),
        3,
        "bootstrap {}",
        cluster.bootstrap()
    );
    let consumer: BaseConsumer = config(&cluster.bootstrap())
        .create()
        .expect("metadata client");
    let md = consumer
        .fetch_metadata(None, Duration::from_secs(10))
        .expect("metadata");
    let ports: BTreeSet<u16> = md.brokers().iter().map(|b| b.port() as u16).collect();
    assert_eq!(md.brokers().len(), 3, "brokers: {:?}", ports);
    assert_eq!(
        ports,
        cluster
            .broker_ports()
            .iter()
            .copied()
            .collect::<BTreeSet<_>>()
    );
    assert!(
        md.brokers().iter().all(|b| b.host() == "127.0.0.1"),
        "brokers advertise loopback"
    );
    // The harness's probe topic is cleaned up after start.
    assert!(
        md.topics()
            .iter()
            .all(|t| !t.name().starts_with("kafkadesk-probe-") || t.partitions().is_empty()),
        "probe topic left behind"
    );
}

#[tokio::test]
async fn produce_consume_round_trip() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("harness-roundtrip");
    create_topic(&bootstrap, &topic, 3, 3).await;

    let producer: FutureProducer = config(&bootstrap)
        .set("acks", "all")
        .create()
        .expect("producer");
    let mut sent = BTreeSet::new();
    for i in 0..30 {
        let value = format!("value-{i}");
        let key = format!("key-{i}");
        producer
            .send(
                FutureRecord::to(&topic).key(&key).payload(&value),
                Duration::from_secs(10),
            )
            .await
            .unwrap_or_else(|(e, _)| panic!("producing {value}: {e}"));
        sent.insert(value);
    }

    let consumer: BaseConsumer = config(&bootstrap)
        .set("group.id", unique_topic("harness-group"))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    consumer.subscribe(&[&topic]).expect("subscribe");
    let mut received = BTreeSet::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    while received.len() < sent.len() && Instant::now() < deadline {
        if let Some(msg) = consumer.poll(Duration::from_millis(200)) {
            let msg = msg.expect("consume");
            received
                .insert(String::from_utf8_lossy(msg.payload().unwrap_or_default()).into_owned());
        }
    }
    assert_eq!(received, sent);
}

#[tokio::test]
async fn topic_command_sees_what_rdkafka_created() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("harness-describe");
    create_topic(&bootstrap, &topic, 2, 3).await;

    let out = kafka::kafka_java(
        "org.apache.kafka.tools.TopicCommand",
        &[
            "--bootstrap-server",
            &bootstrap,
            "--describe",
            "--topic",
            &topic,
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "TopicCommand failed: {}\n{stdout}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(&format!("Topic: {topic}")), "{stdout}");
    assert!(stdout.contains("PartitionCount: 2"), "{stdout}");
    assert!(stdout.contains("ReplicationFactor: 3"), "{stdout}");
}

#[test]
fn kafka_java_reports_failures_instead_of_panicking() {
    let out = kafka::kafka_java("org.example.NoSuchTool", &[]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("NoSuchTool"));
}

/// Node control on a private single-node cluster (never on the shared one, where it would
/// break tests running alongside).
#[test]
fn nodes_can_be_killed_stopped_and_restarted() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = ClusterSpec {
        nodes: 1,
        broker_ports: None,
        controller_ports: None,
        data_dir: dir.path().to_path_buf(),
        watch_pid: Some(std::process::id()),
    };
    let mut cluster = Cluster::start(spec).expect("1-node cluster");
    let bootstrap = cluster.bootstrap();
    assert_eq!(broker_ids(&bootstrap), BTreeSet::from([1]));

    // A second handle from the state file sees the same node and does not stop it on drop.
    let attached = Cluster::attach(dir.path()).expect("attach to the running cluster");
    assert_eq!(attached.bootstrap(), bootstrap);
    let pid = cluster.node_pid(1).expect("node 1 runs");
    assert_eq!(attached.node_pid(1), Some(pid));
    drop(attached);
    assert!(cluster.is_node_running(1));

    cluster.kill_node(1).expect("kill");
    assert!(!cluster.is_node_running(1));
    cluster.start_node(1).expect("restart after kill");
    assert_eq!(broker_ids(&bootstrap), BTreeSet::from([1]));

    cluster.stop_node(1).expect("graceful stop");
    assert!(!cluster.is_node_running(1));
    cluster.start_node(1).expect("restart after stop");
    assert!(cluster.is_node_running(1));

    cluster.stop();
    cluster.stop(); // idempotent
    assert!(!cluster.is_node_running(1));
    assert!(
        Cluster::attach(dir.path()).is_none(),
        "nothing left to attach to"
    );
}
