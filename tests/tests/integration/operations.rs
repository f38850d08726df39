//! Cluster operations against real brokers, checked with Kafka's own TopicCommand,
//! ConfigCommand and ReassignPartitionsCommand.

use std::collections::BTreeMap;
use std::time::Duration;

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::operations::election::{self, ElectionKind, ElectionScope, ElectionStatus, PartitionRef};
use kafkadesk::kafka::operations::reassignment::{self, PartitionMove, PlanGoal};
use kafkadesk::kafka::topics;
use kafkadesk::kafka::{ConnectedCluster, Connection};
use kafkadesk_tests::kafka::{config_command, unique_topic, Cluster as Kafka, ClusterSpec};

use crate::connect;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

use crate::topics::{eventually, request, tool, topic_command_describe};

/// A broker stopped and restarted leaves its partitions led by others; the preview lists
/// exactly those, a preferred election per topic moves every leader back to the first
/// replica (TopicCommand agrees), and a second election has nothing to do.
#[tokio::test]
async fn preferred_election_puts_leaders_back_on_their_preferred_replica() {
    let dir = tempfile::tempdir().expect("tempdir");
    // No automatic rebalance: the controller would otherwise elect preferred leaders itself
    // (every 300 s), racing the test.
    let kafka = Kafka::start_with_properties(ClusterSpec::new(3, dir.path()), "auto.leader.rebalance.enable=false")
        .expect("own 3-node cluster");
    let bootstrap = kafka.bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("ops-elect");
    let other = unique_topic("ops-elect-other");
    topics::create(&cluster, request(&topic, 6, 3)).await.expect("create");
    topics::create(&cluster, request(&other, 3, 3)).await.expect("create other");
    // Every partition led by its preferred replica and fully in sync before we start.
    let described = eventually(Duration::from_secs(30), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        let ready = d.len() == 6 && d.values().all(|p| p.isr.len() == 3 && p.leader == p.replicas.first().copied());
        if ready { Ok(d) } else { Err(format!("{d:?}")) }
    })
    .await;
    let victim = described[&0].replicas[0];
    kafka.stop_node(victim).expect("stop broker");
    eventually(Duration::from_secs(30), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if d.values().all(|p| p.leader.is_some_and(|l| l != victim)) { Ok(()) } else { Err(format!("{d:?}")) }
    })
    .await;
    kafka.start_node(victim).expect("restart broker");
    // Back in sync but not leading: the preview shows the partitions it prefers to lead.
    let skewed = eventually(Duration::from_secs(90), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if !d.values().all(|p| p.isr.contains(&victim)) {
            return Err(format!("{victim} not in sync yet: {d:?}"));
        }
        let preview = election::preview(&cluster, ElectionScope::Topic { topic: topic.clone() }).await.map_err(|e| e.message)?;
        let expected: Vec<i32> = d.iter().filter(|(_, p)| p.leader != p.replicas.first().copied()).map(|(n, _)| *n).collect();
        let shown: Vec<i32> = preview.iter().map(|s| s.partition).collect();
        if shown == expected && !shown.is_empty() && preview.iter().all(|s| s.preferred_in_sync) { Ok(preview) } else { Err(format!("{preview:?} vs {d:?}")) }
    })
    .await;
    assert!(skewed.iter().all(|s| s.preferred == victim && s.leader != Some(victim) && s.topic == topic), "{skewed:?}");

    let results = election::elect(&cluster, ElectionKind::Preferred, ElectionScope::Topic { topic: topic.clone() }).await.expect("elect");
    assert_eq!(results.len(), 6, "one result per partition of the topic: {results:?}");
    for r in &results {
        let was_skewed = skewed.iter().any(|s| s.partition == r.partition);
        let expected = if was_skewed { ElectionStatus::Elected } else { ElectionStatus::NotNeeded };
        assert_eq!(r.status, expected, "{r:?}");
    }
    eventually(Duration::from_secs(15), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if d.values().all(|p| p.leader == p.replicas.first().copied()) { Ok(()) } else { Err(format!("{d:?}")) }
    })
    .await;
    let again = election::preview(&cluster, ElectionScope::Topic { topic: topic.clone() }).await.expect("preview");
    assert!(again.is_empty(), "{again:?}");

    // The other topic, by chosen partitions, then the whole cluster.
    let chosen = vec![PartitionRef { topic: other.clone(), partition: 0 }];
    let one = election::elect(&cluster, ElectionKind::Preferred, ElectionScope::Partitions { partitions: chosen }).await.expect("elect one");
    assert_eq!(one.len(), 1, "{one:?}");
    assert_ne!(one[0].status, ElectionStatus::Failed, "{one:?}");
    election::elect(&cluster, ElectionKind::Preferred, ElectionScope::Cluster).await.expect("elect cluster");
    eventually(Duration::from_secs(15), async || {
        let d = topic_command_describe(&bootstrap, &other);
        if d.values().all(|p| p.leader == p.replicas.first().copied()) { Ok(()) } else { Err(format!("{d:?}")) }
    })
    .await;
}

#[tokio::test]
async fn election_input_errors_and_read_only_are_refused() {
    let cluster = connect(&kafkadesk_tests::kafka::test_cluster().bootstrap());
    let missing = ElectionScope::Topic { topic: unique_topic("ops-no-such") };
    assert_eq!(election::preview(&cluster, missing.clone()).await.unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(election::elect(&cluster, ElectionKind::Preferred, missing).await.unwrap_err().kind, ErrorKind::NotFound);
    let empty = ElectionScope::Partitions { partitions: vec![] };
    assert_eq!(election::elect(&cluster, ElectionKind::Preferred, empty).await.unwrap_err().kind, ErrorKind::InvalidInput);
    let mut conn = Connection::plain("ro", &kafkadesk_tests::kafka::test_cluster().bootstrap());
    conn.read_only = true;
    let owner = ConnectedCluster::open(&conn).expect("client");
    assert_eq!(owner.write("ro").err().map(|e| e.kind), Some(ErrorKind::ReadOnly), "no write handle, so no election");
}

/// The dynamic configs ConfigCommand shows for an entity (`topics` / `brokers`): `key=value`.
fn dynamic_configs(bootstrap: &str, entity_type: &str, name: &str) -> BTreeMap<String, String> {
    tool(config_command(), &["--bootstrap-server", bootstrap, "--entity-type", entity_type, "--entity-name", name, "--describe"])
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| {
            let (key, rest) = l.trim().split_once('=')?;
            Some((key.to_string(), rest.split(" sensitive=").next()?.to_string()))
        })
        .collect()
}

/// Reassignments set and remove the brokers' throttle, a setting of the whole cluster: the tests
/// that do so take turns on the shared cluster.
static BROKER_THROTTLE: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn own_the_broker_throttle() -> std::sync::MutexGuard<'static, ()> {
    BROKER_THROTTLE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

const THROTTLE_KEYS: [&str; 2] = ["leader.replication.throttled.rate", "follower.replication.throttled.rate"];

async fn wait_finished(cluster: &kafkadesk::kafka::Write, moves: &[PartitionMove]) {
    eventually(Duration::from_secs(60), async || {
        let p = reassignment::progress(cluster, moves.to_vec(), true).await.map_err(|e| e.message)?;
        if p.finished && p.throttle_removed && p.done == p.total { Ok(()) } else { Err(format!("{p:?}")) }
    })
    .await;
}

/// Plans a move off one broker and a replication-factor change for a topic of our own,
/// runs them with a throttle, follows progress to the end (throttle removed), and checks the
/// result with Kafka's ReassignPartitionsCommand --verify and TopicCommand.
#[tokio::test]
async fn reassignment_moves_replicas_as_kafka_verifies() {
    let _turn = own_the_broker_throttle();
    let kafka = kafkadesk_tests::kafka::test_cluster();
    let bootstrap = kafka.bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("ops-reassign");
    topics::create(&cluster, request(&topic, 3, 2)).await.expect("create");
    let before = eventually(Duration::from_secs(15), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if d.len() == 3 && d.values().all(|p| p.replicas.len() == 2) { Ok(d) } else { Err(format!("{d:?}")) }
    })
    .await;
    let victim = before[&0].replicas[0];
    // Data in every partition, so the plan's sizes are real numbers.
    let producer: FutureProducer = ClientConfig::new().set("bootstrap.servers", &bootstrap).set("acks", "all").create().expect("producer");
    let payload = vec![b'x'; 10_000];
    let sends: Vec<_> =
        (0..30).map(|i| producer.send_result(FutureRecord::<(), _>::to(&topic).partition(i % 3).payload(&payload))).collect();
    for send in sends {
        send.expect("queued").await.expect("delivery").expect("delivered");
    }

    // Only our topic (other tests share the cluster; its RF-3 internal topics cannot leave a
    // 3-broker cluster's broker, which the whole-cluster plan says).
    let whole = reassignment::plan(&cluster, PlanGoal::Decommission { broker: victim, topic: None }).await;
    if let Err(e) = whole {
        assert_eq!(e.kind, ErrorKind::InvalidInput, "{e:?}");
        assert!(e.message.contains("no other broker is free"), "{e:?}");
    }
    let plan = reassignment::plan(&cluster, PlanGoal::Decommission { broker: victim, topic: Some(topic.clone()) }).await.expect("plan");
    let ours = plan.moves.clone();
    let expected: Vec<i32> = before.iter().filter(|(_, p)| p.replicas.contains(&victim)).map(|(n, _)| *n).collect();
    assert_eq!(ours.iter().map(|m| m.partition).collect::<Vec<_>>(), expected);
    for m in &ours {
        assert_eq!(m.before, before[&m.partition].replicas, "before = what TopicCommand shows");
        assert!(!m.after.contains(&victim) && m.after.len() == 2, "{m:?}");
        // 10 records of 10 kB each, plus batch overhead (DescribeLogDirs sizes).
        assert!(m.size_bytes.is_some_and(|s| (100_000.0..120_000.0).contains(&s)), "{m:?}");
    }
    let copies: f64 = ours.iter().map(|m| m.size_bytes.unwrap_or(0.0) * m.added().len() as f64).sum();
    assert_eq!(plan.bytes_to_move, Some(copies));
    let outcomes = reassignment::execute(&cluster, ours.clone(), Some(10_000_000)).await.expect("execute");
    assert!(outcomes.iter().all(|o| o.error.is_none()) && outcomes.len() == ours.len(), "{outcomes:?}");
    // Set before the move; configs reach every broker moments later, so poll.
    eventually(Duration::from_secs(20), async || {
        let broker_configs = dynamic_configs(&bootstrap, "brokers", &victim.to_string());
        let set = THROTTLE_KEYS.iter().all(|k| broker_configs.get(*k).map(String::as_str) == Some("10000000"));
        let replicas = dynamic_configs(&bootstrap, "topics", &topic).contains_key("follower.replication.throttled.replicas");
        if set && replicas { Ok(()) } else { Err(format!("{broker_configs:?}")) }
    })
    .await;
    wait_finished(&cluster, &ours).await;
    eventually(Duration::from_secs(20), async || {
        let broker_configs = dynamic_configs(&bootstrap, "brokers", &victim.to_string());
        let gone = THROTTLE_KEYS.iter().all(|k| !broker_configs.contains_key(*k))
            && !dynamic_configs(&bootstrap, "topics", &topic).contains_key("follower.replication.throttled.replicas");
        if gone { Ok(()) } else { Err(format!("throttle still there: {broker_configs:?}")) }
    })
    .await;

    // Kafka's own tool reads our JSON and agrees every move is complete.
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), reassignment::to_json(&ours).expect("json")).expect("write json");
    let verify = tool(
        "org.apache.kafka.tools.reassign.ReassignPartitionsCommand",
        &["--bootstrap-server", &bootstrap, "--reassignment-json-file", &file.path().display().to_string(), "--verify"],
    );
    for m in &ours {
        assert!(verify.contains(&format!("Reassignment of partition {}-{} is completed", topic, m.partition)), "{verify}");
    }
    let after = topic_command_describe(&bootstrap, &topic);
    for m in &ours {
        assert_eq!(after[&m.partition].replicas, m.after, "partition {}", m.partition);
    }
    // The JSON imports back into the same (now empty) moves.
    let imported = reassignment::import(&cluster, reassignment::to_json(&ours).expect("json")).await.expect("import");
    assert!(imported.moves.iter().all(|m| m.before == m.after), "{imported:?}");

    // Replication factor 2 -> 3: every partition gets a third, distinct replica.
    let grow = reassignment::plan(&cluster, PlanGoal::ReplicationFactor { topic: topic.clone(), replication_factor: 3 }).await.expect("plan rf");
    assert_eq!(grow.moves.len(), 3);
    reassignment::execute(&cluster, grow.moves.clone(), None).await.expect("execute rf");
    wait_finished(&cluster, &grow.moves).await;
    let grown = topic_command_describe(&bootstrap, &topic);
    for m in &grow.moves {
        assert_eq!(grown[&m.partition].replicas, m.after);
        assert_eq!(grown[&m.partition].replicas.len(), 3);
    }
}

/// A move held back by a 1 byte/s throttle is listed as ongoing, and cancelling it puts the
/// replicas back as they were.
#[tokio::test]
async fn a_throttled_reassignment_is_listed_and_can_be_cancelled() {
    let _turn = own_the_broker_throttle();
    let kafka = kafkadesk_tests::kafka::test_cluster();
    let bootstrap = kafka.bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("ops-cancel");
    topics::create(&cluster, request(&topic, 1, 1)).await.expect("create");
    let before = eventually(Duration::from_secs(15), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if d.get(&0).is_some_and(|p| p.leader.is_some()) { Ok(d) } else { Err(format!("{d:?}")) }
    })
    .await;
    // More than one replica fetch (1 MiB) of data, so the throttle holds the copy back.
    let producer: FutureProducer = ClientConfig::new().set("bootstrap.servers", &bootstrap).set("acks", "all").create().expect("producer");
    let payload = vec![b'x'; 100_000];
    let sends: Vec<_> = (0..40).map(|_| producer.send_result(FutureRecord::<(), _>::to(&topic).partition(0).payload(&payload))).collect();
    for send in sends {
        send.expect("queued").await.expect("delivery").expect("delivered");
    }
    let leader = before[&0].replicas[0];
    let brokers = kafkadesk::kafka::cluster::overview(&cluster).await.expect("overview").brokers;
    let target = brokers.iter().map(|b| b.id).find(|b| *b != leader).expect("another broker");
    let moves = vec![PartitionMove { topic: topic.clone(), partition: 0, before: vec![leader], after: vec![target], size_bytes: None }];
    reassignment::execute(&cluster, moves.clone(), Some(1)).await.expect("execute");
    let listed = reassignment::list(&cluster).await.expect("list");
    let ongoing = listed.iter().find(|o| o.topic == topic).unwrap_or_else(|| panic!("not listed: {listed:?}"));
    assert_eq!(ongoing.adding, vec![target]);
    assert_eq!(ongoing.removing, vec![leader]);
    let progress = reassignment::progress(&cluster, moves.clone(), true).await.expect("progress");
    assert_eq!((progress.done, progress.total, progress.finished), (0, 1, false), "{progress:?}");

    let cancelled = reassignment::cancel(&cluster, vec![(topic.clone(), 0)]).await.expect("cancel");
    assert_eq!(cancelled.len(), 1);
    assert_eq!(cancelled[0].error, None);
    eventually(Duration::from_secs(30), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        let still = reassignment::list(&cluster).await.map_err(|e| e.message)?;
        if d[&0].replicas == vec![leader] && !still.iter().any(|o| o.topic == topic) { Ok(()) } else { Err(format!("{d:?} {still:?}")) }
    })
    .await;
    eventually(Duration::from_secs(20), async || {
        let broker_configs = dynamic_configs(&bootstrap, "brokers", &leader.to_string());
        if THROTTLE_KEYS.iter().all(|k| !broker_configs.contains_key(*k)) { Ok(()) } else { Err(format!("throttle after cancel: {broker_configs:?}")) }
    })
    .await;
}

/// A topic made lopsided on purpose (every replica on brokers 1 and 2, broker 1 leading all):
/// the balance plan spreads replicas and preferred leaders over all three brokers, within one
/// of each other, keeping each partition's replica count; what it starts from is what
/// TopicCommand shows.
#[tokio::test]
async fn a_balance_plan_evens_out_a_lopsided_topic() {
    let bootstrap = kafkadesk_tests::kafka::test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("ops-balance");
    tool(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", &bootstrap, "--create", "--topic", &topic, "--replica-assignment", "1:2,1:2,1:2,1:2,1:2,1:2"],
    );
    let before = eventually(Duration::from_secs(15), async || {
        let d = topic_command_describe(&bootstrap, &topic);
        if d.len() == 6 { Ok(d) } else { Err(format!("{d:?}")) }
    })
    .await;
    let plan = reassignment::plan(&cluster, PlanGoal::Balance { topic: Some(topic.clone()) }).await.expect("plan");
    assert!(!plan.moves.is_empty());
    let mut replicas: BTreeMap<i32, usize> = [(1, 0), (2, 0), (3, 0)].into();
    let mut leaders: BTreeMap<i32, usize> = [(1, 0), (2, 0), (3, 0)].into();
    for (n, p) in &before {
        let after = plan.moves.iter().find(|m| m.partition == *n).map_or(&p.replicas, |m| &m.after);
        if let Some(m) = plan.moves.iter().find(|m| m.partition == *n) {
            assert_eq!(m.before, p.replicas, "before = what TopicCommand shows");
            assert_eq!(m.after.len(), 2);
        }
        for r in after {
            *replicas.entry(*r).or_default() += 1;
        }
        *leaders.entry(after[0]).or_default() += 1;
    }
    assert_eq!(replicas.values().copied().collect::<Vec<_>>(), vec![4, 4, 4], "{plan:?}");
    assert_eq!(leaders.values().copied().collect::<Vec<_>>(), vec![2, 2, 2], "{plan:?}");
}
