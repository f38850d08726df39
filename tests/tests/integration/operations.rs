//! Cluster operations against real brokers, checked with Kafka's own TopicCommand.

use std::time::Duration;

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::operations::election::{self, ElectionKind, ElectionScope, ElectionStatus, TopicPartitionRef};
use kafkadesk::kafka::topics;
use kafkadesk::kafka::{ConnectedCluster, Connection};
use kafkadesk_tests::kafka::{unique_topic, Cluster as Kafka, ClusterSpec};

use crate::connect;
use crate::topics::{eventually, request, topic_command_describe};

/// A broker stopped and restarted leaves its partitions led by others; the preview lists
/// exactly those, a preferred election per topic moves every leader back to the first
/// replica (TopicCommand agrees), and a second election has nothing to do.
#[tokio::test]
async fn preferred_election_puts_leaders_back_on_their_preferred_replica() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kafka = Kafka::start(ClusterSpec::new(3, dir.path())).expect("own 3-node cluster");
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
    let chosen = vec![TopicPartitionRef { topic: other.clone(), partition: 0 }];
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
