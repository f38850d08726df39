//! The cluster overview against the real 3-broker cluster, checked against Kafka's own tools.

use crate::connect;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::{cluster, quorum, Connection};
use kafkadesk_tests::kafka::{kafka_java, kafka_version, major_version, test_cluster};


/// A `Key: value` field from the output of one of Kafka's command-line tools.
fn tool_field(main_class: &str, args: &[&str], key: &str) -> String {
    let out = kafka_java(main_class, args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{main_class} failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim_start_matches(':').trim().to_string()))
        .unwrap_or_else(|| panic!("{main_class} printed no {key}:\n{stdout}"))
}

#[tokio::test]
async fn overview_matches_what_kafka_reports() {
    let kafka = test_cluster();
    let bootstrap = kafka.bootstrap();
    let overview = cluster::overview(&connect(&bootstrap)).await.expect("overview");

    let ports: BTreeSet<u16> = overview.brokers.iter().map(|b| b.port).collect();
    assert_eq!(ports, kafka.broker_ports().iter().copied().collect::<BTreeSet<_>>());
    assert!(overview.brokers.iter().all(|b| b.host == "127.0.0.1"), "{:?}", overview.brokers);

    // Ground truth from Kafka's own tools, run from the same jars.
    let cluster_id = tool_field("org.apache.kafka.tools.ClusterTool", &["cluster-id", "--bootstrap-server", &bootstrap], "Cluster ID");
    assert_eq!(overview.cluster_id.as_deref(), Some(cluster_id.as_str()));
    let leader = match kafka.zookeeper() {
        Some(zk) => zookeeper_controller(&zk.zookeeper_connect()),
        None => tool_field(
            "org.apache.kafka.tools.MetadataQuorumCommand",
            &["--bootstrap-server", &bootstrap, "describe", "--status"],
            "LeaderId",
        ),
    };
    assert_eq!(overview.controller_id.map(|id| id.to_string()), Some(leader.clone()));
    let marked: Vec<i32> = overview.brokers.iter().filter(|b| b.is_controller).map(|b| b.id).collect();
    assert_eq!(marked, vec![leader.parse::<i32>().expect("numeric leader id")]);

    // Every partition has one leader and its replicas: the per-broker sums add up.
    let leaders: u32 = overview.brokers.iter().map(|b| b.leader_count).sum();
    assert_eq!(leaders, overview.partition_count);
    assert!(overview.brokers.iter().map(|b| b.replica_count).sum::<u32>() >= overview.partition_count);
}

/// A ZooKeeper-mode cluster has no quorum: its controller is the broker that holds ZooKeeper's
/// `/controller` znode (`{"version":2,"brokerid":2,...}`), read with ZooKeeper's own shell.
fn zookeeper_controller(connect: &str) -> String {
    let out = kafka_java("org.apache.zookeeper.ZooKeeperMain", &["-server", connect, "get", "/controller"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .split_once("\"brokerid\":")
        .map(|(_, rest)| rest.chars().take_while(char::is_ascii_digit).collect::<String>())
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| panic!("no controller in ZooKeeper's /controller:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

#[tokio::test]
async fn the_quorum_is_described_on_kraft_and_not_supported_on_zookeeper() {
    let kafka = test_cluster();
    let bootstrap = kafka.bootstrap();
    let overview = cluster::overview(&connect(&bootstrap)).await.expect("overview");
    let broker = overview.brokers.first().expect("a broker").clone();
    let conn = Connection::plain("it", &bootstrap);
    let described = tokio::task::spawn_blocking(move || quorum::describe_quorum(&conn, &broker.host, broker.port, Duration::from_secs(10)))
        .await
        .expect("join");
    match kafka.zookeeper() {
        Some(_) => {
            let e = described.expect_err("a ZooKeeper-mode broker has no DescribeQuorum");
            assert!(quorum::is_unsupported(&e), "{e:?}");
            assert!(e.message.starts_with("Not supported by this cluster"), "{e:?}");
            // The overview still names the controller (DescribeCluster's, the ZooKeeper-elected one).
            assert!(overview.controller_id.is_some(), "{overview:?}");
        }
        None => {
            let q = described.expect("a KRaft quorum");
            assert_eq!(Some(q.leader_id), overview.controller_id);
            assert!(q.voters.iter().any(|v| v.id == q.leader_id), "{q:?}");
        }
    }
}

#[tokio::test]
async fn the_connection_test_names_a_true_lower_bound_of_the_broker_version() {
    let kafka = test_cluster();
    let found = cluster::test_connection(&Connection::plain("it", &kafka.bootstrap())).await.expect("test");
    let running = kafka_version();
    // The newest landmark this version and mode must show (see kafka::api_versions).
    let expected = match (major_version(running), kafka.zookeeper().is_some()) {
        (Some(major), _) if major >= 4 => "4.0",
        _ if running.starts_with("3.9") => "3.9",
        _ => return eprintln!("[version matrix] skipped: no landmark recorded for Kafka {running}"),
    };
    assert_eq!(found.broker_versions.as_deref(), Some(format!("Kafka {expected} or newer").as_str()), "Kafka {running}");
}

#[tokio::test]
async fn overview_counts_a_new_topic_and_its_partitions() {
    let kafka = test_cluster();
    let bootstrap = kafka.bootstrap();
    let topic = kafkadesk_tests::kafka::unique_topic("overview-count");
    let out = kafka_java(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", &bootstrap, "--create", "--topic", &topic, "--partitions", "5", "--replication-factor", "3"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Other tests create and delete topics meanwhile, so "one more than before" can be false
    // without any fault: compare with the metadata itself, taken around the overview, and
    // retry while they differ (topics come and go) or the new topic has not propagated.
    use rdkafka::consumer::Consumer as _;
    let metadata = rdkafka::config::ClientConfig::new()
        .set("bootstrap.servers", &bootstrap)
        .create::<rdkafka::consumer::BaseConsumer>()
        .expect("metadata client");
    let counts = || -> (usize, usize, Option<usize>) {
        let md = metadata.fetch_metadata(None, Duration::from_secs(10)).expect("metadata");
        let partitions = md.topics().iter().map(|t| t.partitions().len()).sum();
        let ours = md.topics().iter().find(|t| t.name() == topic).map(|t| t.partitions().len());
        (md.topics().len(), partitions, ours)
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let before = counts();
        let overview = cluster::overview(&connect(&bootstrap)).await.expect("overview");
        let after = counts();
        let shown = (overview.topic_count as usize, overview.partition_count as usize);
        if before == after && after.2 == Some(5) && shown == (after.0, after.1) {
            break;
        }
        assert!(Instant::now() < deadline, "the overview never counted the new topic: {overview:?}, metadata {after:?}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn unreachable_bootstrap_is_a_clear_error_within_ten_seconds() {
    // A port nobody listens on: bind, read it, let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let err = cluster::overview(&connect(&format!("127.0.0.1:{port}"))).await.expect_err("must fail");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains(&format!("127.0.0.1:{port}")), "{}", err.message);
    assert!(err.message.contains("refused"), "{}", err.message);
}

#[tokio::test]
async fn unresolvable_host_is_named_as_such() {
    let err = cluster::overview(&connect("no-such-host.invalid:9092")).await.expect_err("must fail");
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err:?}");
    assert!(err.message.contains("could not be resolved"), "{}", err.message);
}
