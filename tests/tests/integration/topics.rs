//! Topics against the real 3-broker cluster, checked against Kafka's own TopicCommand,
//! ConfigCommand (kafka-configs) and GetOffsetShell run from the same jars.

use crate::connect;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::error::{Error, ErrorKind};
use kafkadesk::kafka::topics::{self, ConfigSource, ConfigValue, NewTopicRequest, PurgeRequest, TopicDetail};
use kafkadesk::kafka::{Cluster, Write};
use kafkadesk_tests::kafka::{config_command, kafka_java, test_cluster, unique_topic, Cluster as Kafka, ClusterSpec};
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};


/// The shared 3-broker test cluster's bootstrap and a KafkaDesk client for it.
fn shared() -> (String, Write) {
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    (bootstrap, cluster)
}

pub(crate) fn tool(main_class: &str, args: &[&str]) -> String {
    let out = kafka_java(main_class, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{main_class} {args:?} failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// One partition as TopicCommand --describe prints it.
#[derive(Debug, PartialEq)]
pub(crate) struct Described {
    pub(crate) leader: Option<i32>,
    pub(crate) replicas: Vec<i32>,
    pub(crate) isr: Vec<i32>,
}

fn ids(list: &str) -> Vec<i32> {
    list.split(',').filter_map(|s| s.trim().parse().ok()).collect()
}

/// Partitions of `topic` according to Kafka's TopicCommand.
pub(crate) fn topic_command_describe(bootstrap: &str, topic: &str) -> BTreeMap<i32, Described> {
    let out = tool("org.apache.kafka.tools.TopicCommand", &["--bootstrap-server", bootstrap, "--describe", "--topic", topic]);
    out.lines()
        .filter(|l| l.contains("Partition:") && l.contains("Leader:"))
        .map(|line| {
            let fields: BTreeMap<&str, &str> = line
                .split('\t')
                .filter_map(|f| f.split_once(':'))
                .map(|(k, v)| (k.trim(), v.trim()))
                .collect();
            let partition = fields["Partition"].parse().expect("partition");
            let leader = fields["Leader"].parse().ok().filter(|l: &i32| *l >= 0);
            (partition, Described { leader, replicas: ids(fields["Replicas"]), isr: ids(fields["Isr"]) })
        })
        .collect()
}

fn topic_command_list(bootstrap: &str) -> Vec<String> {
    tool("org.apache.kafka.tools.TopicCommand", &["--bootstrap-server", bootstrap, "--list"])
        .lines()
        .map(str::to_string)
        .collect()
}

/// Per-partition offsets from GetOffsetShell (`--time -1` latest, `-2` earliest).
fn offsets(bootstrap: &str, topic: &str, time: &str) -> BTreeMap<i32, f64> {
    tool("org.apache.kafka.tools.GetOffsetShell", &["--bootstrap-server", bootstrap, "--topic", topic, "--time", time])
        .lines()
        .filter_map(|l| {
            let mut parts = l.rsplitn(3, ':');
            let offset = parts.next()?.parse().ok()?;
            let partition = parts.next()?.parse().ok()?;
            Some((partition, offset))
        })
        .collect()
}

/// The dynamic configs ConfigCommand shows for a topic: `key=value`.
fn config_command_topic(bootstrap: &str, topic: &str) -> BTreeMap<String, String> {
    tool(
        config_command(),
        &["--bootstrap-server", bootstrap, "--entity-type", "topics", "--entity-name", topic, "--describe"],
    )
    .lines()
    .filter(|l| l.starts_with("  "))
    .filter_map(|l| {
        let (key, rest) = l.trim().split_once('=')?;
        let value = rest.split(" sensitive=").next()?;
        Some((key.to_string(), value.to_string()))
    })
    .collect()
}

pub(crate) fn request(name: &str, partitions: i32, replication_factor: i32) -> NewTopicRequest {
    NewTopicRequest { name: name.into(), partitions, replication_factor, configs: vec![], validate_only: false }
}

fn config(name: &str, value: &str) -> ConfigValue {
    ConfigValue { name: name.into(), value: value.into() }
}

/// Retries `check` until it passes or `within` runs out; metadata reaches every broker
/// moments after a change, so the tests poll rather than sleep.
pub(crate) async fn eventually<T>(within: Duration, mut check: impl AsyncFnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + within;
    loop {
        match check().await {
            Ok(v) => return v,
            Err(why) if Instant::now() >= deadline => panic!("not within {within:?}: {why}"),
            Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
        }
    }
}

async fn detail_with(cluster: &Arc<Cluster>, topic: &str, partitions: usize) -> TopicDetail {
    eventually(Duration::from_secs(15), async || {
        let d = topics::detail(cluster, topic).await.map_err(|e| e.message)?;
        if d.partitions.len() == partitions && d.partitions.iter().all(|p| p.leader.is_some()) {
            Ok(d)
        } else {
            Err(format!("{d:?}"))
        }
    })
    .await
}

async fn produce(bootstrap: &str, topic: &str, per_partition: &[(i32, usize)]) {
    let producer: FutureProducer =
        ClientConfig::new().set("bootstrap.servers", bootstrap).set("acks", "all").create().expect("producer");
    for &(partition, n) in per_partition {
        for i in 0..n {
            let payload = format!("record-{i}");
            producer
                .send(FutureRecord::<(), _>::to(topic).partition(partition).payload(&payload), Duration::from_secs(10))
                .await
                .expect("produce");
        }
    }
}

fn assert_field(result: Result<impl std::fmt::Debug, Error>, field: &str) -> Error {
    let e = result.expect_err("must be refused");
    assert_eq!(e.kind, ErrorKind::InvalidInput, "{e:?}");
    assert_eq!(e.detail.as_deref(), Some(field), "{e:?}");
    assert!(e.message.ends_with('.'), "a finished sentence: {}", e.message);
    e
}

#[tokio::test]
async fn partitions_leaders_replicas_and_isr_match_topic_command() {
    let (bootstrap, cluster) = shared();
    let topic = unique_topic("topics-describe");
    tool(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", &bootstrap, "--create", "--topic", &topic, "--partitions", "6", "--replication-factor", "3"],
    );
    produce(&bootstrap, &topic, &[(0, 5), (3, 2)]).await;
    let detail = detail_with(&cluster, &topic, 6).await;

    let truth = topic_command_describe(&bootstrap, &topic);
    assert_eq!(truth.len(), 6);
    for p in &detail.partitions {
        let t = &truth[&p.partition];
        assert_eq!(p.leader, t.leader, "partition {}", p.partition);
        assert_eq!(p.replicas, t.replicas, "replicas in assignment order, partition {}", p.partition);
        let (mut ours, mut theirs) = (p.isr.clone(), t.isr.clone());
        ours.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(ours, theirs, "ISR of partition {}", p.partition);
        assert!(!p.under_replicated && p.offline_replicas.is_empty());
    }
    assert_eq!(detail.replication_factor, 3);
    assert_eq!(detail.brokers.len(), 3);

    let latest = offsets(&bootstrap, &topic, "-1");
    let earliest = offsets(&bootstrap, &topic, "-2");
    for p in &detail.partitions {
        assert_eq!(p.high, Some(latest[&p.partition]), "high watermark of {}", p.partition);
        assert_eq!(p.low, Some(earliest[&p.partition]), "low watermark of {}", p.partition);
    }
    assert_eq!(detail.messages, Some(7.0));

    // Other tests create and delete topics meanwhile: compare only what TopicCommand lists
    // both before and after KafkaDesk's list.
    let before = topic_command_list(&bootstrap);
    let list = topics::list(&cluster).await.expect("list");
    let after = topic_command_list(&bootstrap);
    let row = list.topics.iter().find(|t| t.name == topic).expect("listed");
    assert_eq!((row.partitions, row.replication_factor, row.under_replicated, row.offline), (6, 3, 0, 0));
    assert_eq!(row.messages, Some(7.0));
    assert!(!row.internal);
    assert_eq!(list.live_brokers, 3);
    assert!(list.watermarks_error.is_none());
    let listed: Vec<String> = list.topics.iter().map(|t| t.name.clone()).collect();
    for name in before.iter().filter(|n| after.contains(n)) {
        assert!(listed.contains(name), "{name} listed by TopicCommand but not by KafkaDesk");
    }
}

#[tokio::test]
async fn create_with_configs_then_add_partitions_then_delete() {
    let (bootstrap, cluster) = shared();
    let topic = unique_topic("topics-create");

    let mut req = request(&topic, 3, 2);
    req.configs = vec![config("retention.ms", "3600000"), config("cleanup.policy", "compact")];
    let outcome = topics::create(&cluster, req).await.expect("create");
    assert!(!outcome.validated_only);

    let truth = topic_command_describe(&bootstrap, &topic);
    assert_eq!(truth.len(), 3);
    assert!(truth.values().all(|p| p.replicas.len() == 2), "{truth:?}");
    let configs = config_command_topic(&bootstrap, &topic);
    assert_eq!(configs.get("retention.ms").map(String::as_str), Some("3600000"), "{configs:?}");
    assert_eq!(configs.get("cleanup.policy").map(String::as_str), Some("compact"), "{configs:?}");

    let decreased = topics::add_partitions(&cluster, &topic, 2).await;
    assert_field(decreased, "partitions");
    assert_field(topics::add_partitions(&cluster, &topic, 3).await, "partitions");
    assert_eq!(topic_command_describe(&bootstrap, &topic).len(), 3, "nothing changed");

    topics::add_partitions(&cluster, &topic, 5).await.expect("add partitions");
    assert_eq!(topic_command_describe(&bootstrap, &topic).len(), 5);
    detail_with(&cluster, &topic, 5).await;

    topics::delete(&cluster, &topic).await.expect("delete");
    eventually(Duration::from_secs(15), async || {
        if topic_command_list(&bootstrap).contains(&topic) { Err("still listed".to_string()) } else { Ok(()) }
    })
    .await;
    let again = topics::delete(&cluster, &topic).await.expect_err("already gone");
    assert_eq!(again.kind, ErrorKind::NotFound, "{again:?}");
}

#[tokio::test]
async fn validate_only_checks_without_creating() {
    let (bootstrap, cluster) = shared();
    let topic = unique_topic("topics-dry-run");
    let mut req = request(&topic, 4, 3);
    req.validate_only = true;
    req.configs = vec![config("min.insync.replicas", "2")];
    let outcome = topics::create(&cluster, req.clone()).await.expect("validate");
    assert!(outcome.validated_only);
    assert!(!topic_command_list(&bootstrap).contains(&topic), "a dry run created the topic");

    // The broker's own checks run too: an unknown key fails the dry run.
    req.configs = vec![config("no.such.config", "1")];
    let e = assert_field(topics::create(&cluster, req).await, "configs");
    assert!(e.message.contains("no.such.config"), "{}", e.message);
}

#[tokio::test]
async fn bad_input_names_its_field_and_creates_nothing() {
    let (bootstrap, cluster) = shared();
    let good = unique_topic("topics-bad");
    let mut attempted = vec![];

    for name in ["", ".", "..", "has space", "slash/ed", &"x".repeat(250)] {
        assert_field(topics::create(&cluster, request(name, 1, 1)).await, "name");
        attempted.push(name.to_string());
    }
    for partitions in [0, -1] {
        assert_field(topics::create(&cluster, request(&good, partitions, 1)).await, "partitions");
    }
    for rf in [0, -2, 4] {
        let e = assert_field(topics::create(&cluster, request(&good, 1, rf)).await, "replicationFactor");
        if rf == 4 {
            assert!(e.message.contains("3 live broker"), "{}", e.message);
        }
    }
    let mut unknown = request(&good, 1, 1);
    unknown.configs = vec![config("retention.ms", "1000"), config("definitely.not.a.config", "x")];
    let e = assert_field(topics::create(&cluster, unknown).await, "configs");
    assert!(e.message.contains("definitely.not.a.config"), "{}", e.message);
    let mut bad_value = request(&good, 1, 1);
    bad_value.configs = vec![config("cleanup.policy", "sometimes")];
    assert_field(topics::create(&cluster, bad_value).await, "configs");

    let listed = topic_command_list(&bootstrap);
    assert!(!listed.contains(&good), "a refused request created {good}");
    assert!(attempted.iter().all(|n| !listed.contains(n)));

    // A name differing only by '.' versus '_' collides in Kafka's metrics.
    let underscored = unique_topic("topics_collide");
    topics::create(&cluster, request(&underscored, 1, 1)).await.expect("create");
    detail_with(&cluster, &underscored, 1).await;
    let dotted = underscored.replace('_', ".");
    let e = assert_field(topics::create(&cluster, request(&dotted, 1, 1)).await, "name");
    assert!(e.message.contains(&underscored), "{}", e.message);
    let e = assert_field(topics::create(&cluster, request(&underscored, 1, 1)).await, "name");
    assert!(e.message.contains("already exists"), "{}", e.message);
}

#[tokio::test]
async fn configs_set_and_revert_through_incremental_alter_configs() {
    let (bootstrap, cluster) = shared();
    let topic = unique_topic("topics-configs");
    let mut req = request(&topic, 1, 3);
    req.configs = vec![config("max.message.bytes", "200000")];
    topics::create(&cluster, req).await.expect("create");

    topics::alter_topic_configs(&cluster, &topic, vec![config("retention.ms", "86400000")], vec![])
        .await
        .expect("set retention.ms");
    let truth = config_command_topic(&bootstrap, &topic);
    assert_eq!(truth.get("retention.ms").map(String::as_str), Some("86400000"));
    // Incremental: the override set at creation is still there.
    assert_eq!(truth.get("max.message.bytes").map(String::as_str), Some("200000"), "{truth:?}");

    let ours = topics::topic_configs(&cluster, &topic).await.expect("configs");
    let retention = ours.iter().find(|c| c.name == "retention.ms").expect("retention.ms");
    assert_eq!((retention.value.as_deref(), retention.source), (Some("86400000"), ConfigSource::Topic));
    // The value an override reverts to comes from its synonyms: the broker's message.max.bytes.
    let max_bytes = ours.iter().find(|c| c.name == "max.message.bytes").expect("max.message.bytes");
    assert_eq!(max_bytes.value.as_deref(), Some("200000"));
    assert_eq!(max_bytes.default_value.as_deref(), Some("1048588"), "{max_bytes:?}");
    assert_eq!(max_bytes.default_from.as_deref(), Some("message.max.bytes"));
    // Every key ConfigCommand calls dynamic is a topic-sourced one of ours, same value.
    for (key, value) in &truth {
        let c = ours.iter().find(|c| &c.name == key).unwrap_or_else(|| panic!("{key} missing"));
        assert_eq!((c.value.as_ref(), c.source), (Some(value), ConfigSource::Topic), "{key}");
    }

    topics::alter_topic_configs(&cluster, &topic, vec![], vec!["retention.ms".into()]).await.expect("revert");
    let truth = config_command_topic(&bootstrap, &topic);
    assert!(!truth.contains_key("retention.ms"), "{truth:?}");
    assert!(truth.contains_key("max.message.bytes"));
    let reverted = topics::topic_configs(&cluster, &topic).await.expect("configs");
    let retention = reverted.iter().find(|c| c.name == "retention.ms").expect("retention.ms");
    assert_ne!(retention.source, ConfigSource::Topic);

    let e = assert_field(
        topics::alter_topic_configs(&cluster, &topic, vec![config("retention.ms", "forever")], vec![]).await,
        "configs",
    );
    assert!(e.message.contains("retention.ms"), "{}", e.message);
    let missing = topics::alter_topic_configs(&cluster, "no-such-topic-here", vec![config("retention.ms", "1")], vec![])
        .await
        .expect_err("no topic");
    assert!(matches!(missing.kind, ErrorKind::NotFound | ErrorKind::InvalidInput | ErrorKind::Kafka), "{missing:?}");
}

#[tokio::test]
async fn broker_configs_have_sources_and_mask_nothing_that_is_not_sensitive() {
    let (_, cluster) = shared();
    // From the cluster itself: an external test cluster (KAFKADESK_TEST_BOOTSTRAP) has no node list.
    let overview = kafkadesk::kafka::cluster::overview(&cluster).await.expect("overview");
    let id = overview.brokers[0].id;
    let configs = topics::broker_configs(&cluster, id).await.expect("broker configs");
    let node_id = configs.iter().find(|c| c.name == "node.id").expect("node.id");
    assert_eq!(node_id.value, Some(id.to_string()));
    assert_eq!(node_id.source, ConfigSource::StaticBroker);
    assert!(configs.iter().any(|c| c.source == ConfigSource::Default));
    assert!(configs.iter().filter(|c| c.sensitive).all(|c| c.value.is_none() && c.default_value.is_none()));
    assert!(configs.iter().filter(|c| !c.sensitive && c.name == "log.retention.hours").all(|c| c.value.is_some()));
}

#[tokio::test]
async fn purge_moves_the_low_watermark() {
    let (bootstrap, cluster) = shared();
    let topic = unique_topic("topics-purge");
    topics::create(&cluster, request(&topic, 2, 3)).await.expect("create");
    detail_with(&cluster, &topic, 2).await;
    produce(&bootstrap, &topic, &[(0, 10), (1, 4)]).await;

    let purge = |partition, before_offset| PurgeRequest { topic: topic.clone(), partition, before_offset };
    assert_field(topics::purge(&cluster, purge(Some(0), Some(11.0))).await, "beforeOffset");
    assert_field(topics::purge(&cluster, purge(Some(0), Some(-1.0))).await, "beforeOffset");
    assert_field(topics::purge(&cluster, purge(Some(9), None)).await, "partition");

    assert_eq!(topics::purge(&cluster, purge(Some(0), Some(6.0))).await.expect("purge p0"), 1);
    let earliest = offsets(&bootstrap, &topic, "-2");
    assert_eq!((earliest[&0], earliest[&1]), (6.0, 0.0));
    assert_eq!(topics::detail(&cluster, &topic).await.expect("detail").messages, Some(8.0));

    assert_eq!(topics::purge(&cluster, purge(None, None)).await.expect("purge all"), 2);
    let earliest = offsets(&bootstrap, &topic, "-2");
    assert_eq!((earliest[&0], earliest[&1]), (10.0, 4.0));
    assert_eq!(topics::detail(&cluster, &topic).await.expect("detail").messages, Some(0.0));
}

/// Stops a broker of a cluster of our own: within 10 s a refresh shows its leaderships
/// moved, the ISR shrunk and the partitions flagged under-replicated.
#[tokio::test]
async fn a_stopped_broker_shows_as_moved_leaders_and_under_replication() {
    let dir = tempfile::tempdir().expect("tempdir");
    let kafka = Kafka::start(ClusterSpec::new(3, dir.path())).expect("own 3-node cluster");
    let bootstrap = kafka.bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("topics-failure");
    topics::create(&cluster, request(&topic, 6, 3)).await.expect("create");
    let before = detail_with(&cluster, &topic, 6).await;
    assert!(before.partitions.iter().all(|p| !p.under_replicated));
    // Unreplicated: the stopped broker's partition of this one has nowhere to go.
    let single = unique_topic("topics-failure-rf1");
    topics::create(&cluster, request(&single, 3, 1)).await.expect("create rf 1");
    detail_with(&cluster, &single, 3).await;

    // The broker leading partition 0 (so at least one leadership must move).
    let victim = before.partitions[0].leader.expect("leader");
    let led: Vec<i32> = before.partitions.iter().filter(|p| p.leader == Some(victim)).map(|p| p.partition).collect();
    kafka.stop_node(victim).expect("stop broker");
    let stopped = Instant::now();

    let after = eventually(Duration::from_secs(10), async || {
        let d = topics::detail(&cluster, &topic).await.map_err(|e| e.message)?;
        let settled = d.partitions.iter().all(|p| {
            p.leader.is_some_and(|l| l != victim) && !p.isr.contains(&victim) && p.under_replicated
        });
        if settled { Ok(d) } else { Err(format!("{:?}", d.partitions)) }
    })
    .await;
    assert!(stopped.elapsed() < Duration::from_secs(10));
    assert!(!after.brokers.contains(&victim));
    for p in &after.partitions {
        assert_eq!(p.offline_replicas, vec![victim], "partition {}", p.partition);
        if led.contains(&p.partition) {
            assert!(p.not_preferred_leader || p.replicas[0] != victim, "partition {}", p.partition);
        }
    }
    let listed = Instant::now();
    let list = topics::list(&cluster).await.expect("list");
    // An offline partition must not hold the list up until the 8 s request timeout.
    assert!(listed.elapsed() < Duration::from_secs(8), "listing took {:?} with a partition offline", listed.elapsed());
    let row = list.topics.iter().find(|t| t.name == topic).expect("listed");
    assert_eq!((row.under_replicated, row.offline), (6, 0));
    let unreplicated = list.topics.iter().find(|t| t.name == single).expect("listed");
    assert_eq!((unreplicated.offline, unreplicated.messages), (1, None), "{unreplicated:?}");
    assert_eq!(list.live_brokers, 2);
    let single_detail = topics::detail(&cluster, &single).await.expect("detail");
    let offline: Vec<_> = single_detail.partitions.iter().filter(|p| p.leader.is_none()).collect();
    assert_eq!(offline.len(), 1, "{:?}", single_detail.partitions);
    assert_eq!(offline[0].offline_replicas, vec![victim]);
    // What Kafka itself says agrees.
    for (partition, t) in topic_command_describe(&bootstrap, &topic) {
        let ours = &after.partitions[usize::try_from(partition).expect("index")];
        assert_eq!(ours.leader, t.leader, "partition {partition}");
    }

    kafka.start_node(victim).expect("restart broker");
    eventually(Duration::from_secs(60), async || {
        let d = topics::detail(&cluster, &topic).await.map_err(|e| e.message)?;
        if d.partitions.iter().all(|p| !p.under_replicated) { Ok(()) } else { Err(format!("{:?}", d.partitions)) }
    })
    .await;
}
