//! Consumer groups against the real 3-broker cluster: groups made by real rdkafka consumers
//! with known committed offsets; lag and resets checked against the high watermarks and
//! Kafka's own consumer-groups tool.

use crate::connect;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::groups::{self, ResetRequest, ResetScope, ResetTarget};
use kafkadesk_tests::kafka::{config_command, kafka_java, test_cluster, unique_topic, ShareConsumer};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};

fn config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap).set("broker.address.family", "v4");
    cfg
}


fn now_ms() -> i64 {
    i64::try_from(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()).unwrap()
}

/// A topic whose partition `p` holds `counts[p]` messages; message `i` of a partition is
/// stamped `base_ms + i * 1000`. Stamps must be recent: the brokers' time retention would
/// delete older messages at its next check and move the log start.
async fn topic_with_messages(bootstrap: &str, prefix: &str, counts: &[i64], base_ms: i64) -> String {
    let topic = unique_topic(prefix);
    let admin: AdminClient<DefaultClientContext> = config(bootstrap).create().expect("admin client");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    let partitions = i32::try_from(counts.len()).unwrap();
    for r in admin.create_topics([&NewTopic::new(&topic, partitions, TopicReplication::Fixed(3))], &opts).await.unwrap() {
        r.unwrap_or_else(|(t, code)| panic!("creating {t}: {code}"));
    }
    let producer: FutureProducer = config(bootstrap).set("message.timeout.ms", "30000").create().expect("producer");
    for (partition, &count) in counts.iter().enumerate() {
        for i in 0..count {
            let payload = format!("m{i}");
            let record = FutureRecord::<(), _>::to(&topic)
                .partition(i32::try_from(partition).unwrap())
                .payload(&payload)
                .timestamp(base_ms + i * 1000);
            producer.send(record, Duration::from_secs(30)).await.unwrap_or_else(|(e, _)| panic!("produce: {e}"));
        }
    }
    topic
}

/// Commits `offsets[p]` on partition `p` for `group`, without joining it (like a tool would).
fn commit(bootstrap: &str, group: &str, topic: &str, offsets: &[i64]) {
    let consumer: BaseConsumer = config(bootstrap).set("group.id", group).create().expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for (p, &o) in offsets.iter().enumerate() {
        tpl.add_partition_offset(topic, i32::try_from(p).unwrap(), Offset::Offset(o)).unwrap();
    }
    consumer.commit(&tpl, CommitMode::Sync).expect("commit");
}

/// A subscribed consumer of `group` (group.protocol `protocol`) that holds `partitions` partitions.
fn running_consumer(bootstrap: &str, group: &str, client_id: &str, protocol: &str, topic: &str, partitions: usize) -> BaseConsumer {
    let consumer: BaseConsumer = config(bootstrap)
        .set("group.id", group)
        .set("group.protocol", protocol)
        .set("client.id", client_id)
        .create()
        .expect("consumer");
    consumer.subscribe(&[topic]).expect("subscribe");
    let deadline = Instant::now() + Duration::from_secs(60);
    while consumer.assignment().map(|a| a.count()).unwrap_or(0) < partitions {
        assert!(Instant::now() < deadline, "the consumer never got its partitions");
        let _ = consumer.poll(Duration::from_millis(200));
    }
    consumer
}

fn high_watermark(bootstrap: &str, topic: &str, partition: i32) -> i64 {
    let consumer: BaseConsumer = config(bootstrap).create().expect("consumer");
    consumer.fetch_watermarks(topic, partition, Duration::from_secs(10)).expect("watermarks").1
}

/// CURRENT-OFFSET per partition of `topic`, as Kafka's consumer-groups tool prints it.
fn kafka_tool_offsets(bootstrap: &str, group: &str, topic: &str) -> HashMap<i32, String> {
    let out = kafka_java(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        &["--bootstrap-server", bootstrap, "--describe", "--group", group],
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "ConsumerGroupCommand failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.len() >= 6 && cols[0] == group && cols[1] == topic)
        .map(|cols| (cols[2].parse().expect("partition"), cols[3].to_string()))
        .collect()
}

fn request(target: ResetTarget, scope: ResetScope) -> ResetRequest {
    ResetRequest { target, scope }
}

#[tokio::test]
async fn lag_is_the_high_watermark_minus_the_committed_offset() {
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-lag", &[10, 20, 30], now_ms() - 3_600_000).await;
    let group = unique_topic("lag-group");
    commit(&bootstrap, &group, &topic, &[4, 5, 30]);
    let cluster = connect(&bootstrap);

    let detail = groups::detail(&cluster, &group).await.expect("detail");
    assert_eq!(detail.state, "Empty");
    assert_eq!(detail.partitions.len(), 3);
    let mut expected_total = 0;
    for row in &detail.partitions {
        let hw = high_watermark(&bootstrap, &topic, row.partition);
        let committed = [4, 5, 30][usize::try_from(row.partition).unwrap()];
        assert_eq!(row.committed, Some(committed), "{row:?}");
        assert_eq!(row.log_end, Some(hw), "{row:?}");
        assert_eq!(row.lag, Some(hw - committed), "{row:?}");
        expected_total += hw - committed;
    }
    assert_eq!(expected_total, 6 + 15);
    assert_eq!(detail.total_lag, Some(expected_total));
    assert_eq!(detail.topics.len(), 1);
    assert_eq!(detail.topics[0].lag, Some(expected_total));

    let listed = groups::list(&cluster).await.expect("list");
    let summary = listed.iter().find(|g| g.group_id == group).expect("group in the list");
    assert_eq!(summary.total_lag, Some(expected_total));
    assert_eq!((summary.state.as_str(), summary.member_count, summary.topic_count), ("Empty", 0, 1));
    assert_eq!(summary.group_type, "Classic");
    assert!(summary.coordinator_id.is_some());
}

#[tokio::test]
async fn reset_previews_then_applies_and_kafkas_tool_sees_it() {
    let bootstrap = test_cluster().bootstrap();
    let base = now_ms() - 3_600_000;
    let topic = topic_with_messages(&bootstrap, "groups-reset", &[10, 10], base).await;
    let group = unique_topic("reset-group");
    commit(&bootstrap, &group, &topic, &[7, 9]);
    let cluster = connect(&bootstrap);

    // The preview changes nothing.
    let all = request(ResetTarget::Earliest, ResetScope::AllTopics);
    let plan = groups::plan_reset(&cluster, &group, all.clone()).await.expect("preview");
    assert!(!plan.applied);
    let rows: Vec<_> = plan.rows.iter().map(|r| (r.partition, r.current, r.new, r.lag_before, r.lag_after)).collect();
    assert_eq!(rows, vec![(0, Some(7), 0, Some(3), 10), (1, Some(9), 0, Some(1), 10)]);
    assert_eq!((plan.lag_before, plan.lag_after), (4, 20));
    let untouched = kafka_tool_offsets(&bootstrap, &group, &topic);
    assert_eq!(untouched, HashMap::from([(0, "7".to_string()), (1, "9".to_string())]));

    let applied = groups::apply_reset(&cluster, &group, all).await.expect("apply");
    assert!(applied.applied);
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &topic), HashMap::from([(0, "0".into()), (1, "0".into())]));
    assert_eq!(groups::detail(&cluster, &group).await.expect("detail").total_lag, Some(20));

    // A timestamp on one chosen partition: message i is stamped base + i s.
    let at_five = request(
        ResetTarget::Timestamp { timestamp: base + 5_000 },
        ResetScope::Partitions { topic: topic.clone(), partitions: vec![1] },
    );
    groups::apply_reset(&cluster, &group, at_five).await.expect("apply timestamp");
    // Shift the whole topic forward by 3, then one partition to a specific offset.
    groups::apply_reset(&cluster, &group, request(ResetTarget::Shift { by: 3 }, ResetScope::Topic { topic: topic.clone() }))
        .await
        .expect("apply shift");
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &topic), HashMap::from([(0, "3".into()), (1, "8".into())]));
    let to_six = request(ResetTarget::Offset { offset: 6 }, ResetScope::Partitions { topic: topic.clone(), partitions: vec![0] });
    groups::apply_reset(&cluster, &group, to_six).await.expect("apply offset");
    groups::apply_reset(&cluster, &group, request(ResetTarget::Latest, ResetScope::Partitions { topic: topic.clone(), partitions: vec![1] }))
        .await
        .expect("apply latest");
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &topic), HashMap::from([(0, "6".into()), (1, "10".into())]));
}

#[tokio::test]
async fn out_of_range_targets_are_clamped_like_kafkas_tool_and_say_so() {
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-clamp", &[10], now_ms() - 3_600_000).await;
    let group = unique_topic("clamp-group");
    commit(&bootstrap, &group, &topic, &[4]);
    let cluster = connect(&bootstrap);
    let one = |target| request(target, ResetScope::Topic { topic: topic.clone() });

    let future_ms = now_ms() + 86_400_000;
    let future = groups::plan_reset(&cluster, &group, one(ResetTarget::Timestamp { timestamp: future_ms })).await.expect("plan");
    assert_eq!(future.rows[0].new, 10, "{:?}", future.rows[0]);
    assert!(future.rows[0].note.as_deref().unwrap_or_default().contains("log end"), "{:?}", future.rows[0]);

    let beyond = groups::plan_reset(&cluster, &group, one(ResetTarget::Offset { offset: 500 })).await.expect("plan");
    assert_eq!(beyond.rows[0].new, 10, "{:?}", beyond.rows[0]);
    assert!(beyond.rows[0].note.as_deref().unwrap_or_default().contains("beyond the log end"));

    let below = groups::plan_reset(&cluster, &group, one(ResetTarget::Shift { by: -100 })).await.expect("plan");
    assert_eq!(below.rows[0].new, 0, "{:?}", below.rows[0]);
    assert!(below.rows[0].note.as_deref().unwrap_or_default().contains("before the log start"));
    groups::apply_reset(&cluster, &group, one(ResetTarget::Shift { by: -100 })).await.expect("apply");
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &topic), HashMap::from([(0, "0".into())]));

    let negative = groups::plan_reset(&cluster, &group, one(ResetTarget::Offset { offset: -1 })).await.expect_err("refused");
    assert_eq!((negative.kind, negative.detail.as_deref()), (ErrorKind::InvalidInput, Some("offset")));
}

#[tokio::test]
async fn bad_input_is_refused_with_the_field_named() {
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-bad", &[5, 5], now_ms() - 3_600_000).await;
    let group = unique_topic("bad-group");
    commit(&bootstrap, &group, &topic, &[1]);
    let cluster = connect(&bootstrap);

    let unknown = groups::detail(&cluster, "no-such-group-anywhere").await.expect_err("unknown group");
    assert_eq!(unknown.kind, ErrorKind::NotFound, "{unknown:?}");
    assert!(unknown.message.contains("no-such-group-anywhere"), "{}", unknown.message);
    let unknown_reset = groups::plan_reset(&cluster, "no-such-group-anywhere", request(ResetTarget::Earliest, ResetScope::AllTopics))
        .await
        .expect_err("unknown group");
    assert_eq!(unknown_reset.kind, ErrorKind::NotFound);

    let no_topic = groups::plan_reset(&cluster, &group, request(ResetTarget::Earliest, ResetScope::Topic { topic: "no-such-topic-x".into() }))
        .await
        .expect_err("unknown topic");
    assert_eq!(no_topic.detail.as_deref(), Some("topic"), "{no_topic:?}");
    let bad_partition = groups::plan_reset(
        &cluster,
        &group,
        request(ResetTarget::Earliest, ResetScope::Partitions { topic: topic.clone(), partitions: vec![7] }),
    )
    .await
    .expect_err("no partition 7");
    assert_eq!(bad_partition.detail.as_deref(), Some("partitions"));
    // Partition 1 has no committed offset: a shift has nothing to start from (Kafka's tool agrees).
    let shift = groups::plan_reset(&cluster, &group, request(ResetTarget::Shift { by: 1 }, ResetScope::Topic { topic: topic.clone() }))
        .await
        .expect_err("nothing to shift");
    assert_eq!(shift.detail.as_deref(), Some("by"));
    assert!(shift.message.contains(&format!("{topic}-1")), "{}", shift.message);
    let empty = groups::plan_reset(&cluster, " ", request(ResetTarget::Earliest, ResetScope::AllTopics)).await.expect_err("empty");
    assert_eq!(empty.detail.as_deref(), Some("group"));
    // Nothing was half-done: the committed offset is still the one we made.
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &topic).get(&0).map(String::as_str), Some("1"));
}

#[tokio::test]
async fn an_active_group_shows_its_members_and_refuses_resets_and_deletes() {
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-active", &[3, 3], now_ms() - 3_600_000).await;
    let group = unique_topic("active-group");
    let consumer = running_consumer(&bootstrap, &group, "it-active-consumer", "classic", &topic, 2);
    let cluster = connect(&bootstrap);

    let detail = groups::detail(&cluster, &group).await.expect("detail");
    assert_eq!(detail.state, "Stable");
    assert_eq!(detail.members.len(), 1);
    assert_eq!(detail.members[0].client_id, "it-active-consumer");
    assert_eq!(detail.members[0].assignment.len(), 2);
    assert!(detail.partitions.iter().all(|p| p.client_id.as_deref() == Some("it-active-consumer")), "{detail:?}");

    let refused = groups::plan_reset(&cluster, &group, request(ResetTarget::Earliest, ResetScope::Topic { topic: topic.clone() }))
        .await
        .expect_err("active group");
    assert_eq!((refused.kind, refused.detail.as_deref()), (ErrorKind::InvalidInput, Some("group")));
    assert!(refused.message.contains("Stable") && refused.message.contains("Stop its consumers"), "{}", refused.message);
    let applied = groups::apply_reset(&cluster, &group, request(ResetTarget::Earliest, ResetScope::Topic { topic: topic.clone() }))
        .await
        .expect_err("active group");
    assert_eq!(applied.detail.as_deref(), Some("group"));
    let delete = groups::delete_group(&cluster, &group).await.expect_err("active group");
    assert!(delete.message.contains("active members"), "{delete:?}");
    drop(consumer);
}

#[tokio::test]
async fn deletes_a_topics_offsets_then_the_group() {
    let bootstrap = test_cluster().bootstrap();
    let kept = topic_with_messages(&bootstrap, "groups-kept", &[4], now_ms() - 3_600_000).await;
    let dropped = topic_with_messages(&bootstrap, "groups-dropped", &[4, 4], now_ms() - 3_600_000).await;
    let group = unique_topic("delete-group");
    commit(&bootstrap, &group, &kept, &[2]);
    commit(&bootstrap, &group, &dropped, &[1, 3]);
    let cluster = connect(&bootstrap);

    assert_eq!(groups::delete_topic_offsets(&cluster, &group, &dropped).await.expect("delete offsets"), 2);
    assert!(kafka_tool_offsets(&bootstrap, &group, &dropped).is_empty());
    assert_eq!(kafka_tool_offsets(&bootstrap, &group, &kept), HashMap::from([(0, "2".into())]));
    let again = groups::delete_topic_offsets(&cluster, &group, &dropped).await.expect_err("nothing left");
    assert_eq!(again.detail.as_deref(), Some("topic"));

    groups::delete_group(&cluster, &group).await.expect("delete group");
    let gone = groups::detail(&cluster, &group).await.expect_err("deleted");
    assert_eq!(gone.kind, ErrorKind::NotFound);
    let out = kafka_java("org.apache.kafka.tools.consumer.group.ConsumerGroupCommand", &["--bootstrap-server", &bootstrap, "--list"]);
    assert!(!String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == group));
}

#[tokio::test]
async fn a_consumer_protocol_group_is_listed_with_its_type_and_assignment() {
    // Kafka 3.x brokers refuse the consumer protocol unless an early-access switch is set.
    if kafkadesk_tests::kafka::version_lacks((4, 0), "the KIP-848 consumer protocol") {
        return;
    }
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-kip848", &[2, 2, 2], now_ms() - 3_600_000).await;
    let group = unique_topic("kip848-group");
    // KIP-848: the broker assigns partitions; Kafka 4.1 and librdkafka 2.12 both speak it.
    let consumer = running_consumer(&bootstrap, &group, "it-kip848", "consumer", &topic, 3);
    let cluster = connect(&bootstrap);
    let listed = groups::list(&cluster).await.expect("list");
    let summary = listed.iter().find(|g| g.group_id == group).expect("group in the list");
    assert_eq!((summary.group_type.as_str(), summary.member_count), ("Consumer", 1), "{summary:?}");
    let detail = groups::detail(&cluster, &group).await.expect("detail");
    assert_eq!(detail.members.len(), 1);
    assert_eq!(detail.members[0].client_id, "it-kip848");
    let mut assigned: Vec<i32> = detail.members[0].assignment.iter().map(|a| a.partition).collect();
    assigned.sort_unstable();
    assert_eq!(assigned, vec![0, 1, 2]);
    // ConsumerGroupDescribe's epochs, subscription and target assignment (settled: the target
    // is what the member holds), as Kafka's tool prints them.
    let member = &detail.members[0];
    assert_eq!(member.subscribed_topics, vec![topic.clone()]);
    let target: Vec<i32> = member.target_assignment.as_ref().expect("a target assignment").iter().map(|a| a.partition).collect();
    assert_eq!(target, vec![0, 1, 2]);
    let epoch = member.member_epoch.expect("a member epoch");
    assert!(epoch >= 1 && detail.group_epoch >= Some(epoch) && detail.assignment_epoch >= Some(1), "{detail:?}");
    let out = kafka_java(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        &["--bootstrap-server", &bootstrap, "--describe", "--group", &group, "--members", "--verbose"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    // GROUP CONSUMER-ID HOST CLIENT-ID #PARTITIONS CURRENT-EPOCH CURRENT-ASSIGNMENT TARGET-EPOCH TARGET-ASSIGNMENT
    let row: Vec<&str> = stdout.lines().map(str::split_whitespace).map(Iterator::collect).find(|c: &Vec<&str>| c.first() == Some(&group.as_str())).unwrap_or_default();
    assert_eq!(row.get(1), Some(&member.member_id.as_str()), "{stdout}");
    assert_eq!(row.get(5), Some(&epoch.to_string().as_str()), "{stdout}");
    drop(consumer);
}

// ---- Share groups (KIP-932) with Kafka's own console share consumer ----

/// START-OFFSET per partition of `topic`, as Kafka's share-groups tool prints it ("-": none).
fn share_tool_offsets(bootstrap: &str, group: &str, topic: &str) -> HashMap<i32, String> {
    let out = kafka_java(
        "org.apache.kafka.tools.consumer.group.ShareGroupCommand",
        &["--bootstrap-server", bootstrap, "--describe", "--group", group, "--offsets"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "ShareGroupCommand failed: {}\n{stdout}", String::from_utf8_lossy(&out.stderr));
    // GROUP TOPIC PARTITION START-OFFSET LAG
    stdout
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|cols| cols.len() >= 4 && cols[0] == group && cols[1] == topic)
        .map(|cols| (cols[2].parse().expect("partition"), cols[3].to_string()))
        .collect()
}

#[tokio::test]
async fn a_share_group_is_described_reset_and_deleted_as_kafkas_tool_sees_it() {
    // Share groups are production-ready (on by default) from Kafka 4.2.
    if kafkadesk_tests::kafka::version_lacks((4, 2), "share groups (KIP-932)") {
        return;
    }
    let bootstrap = test_cluster().bootstrap();
    let topic = topic_with_messages(&bootstrap, "groups-share", &[4, 4], now_ms() - 3_600_000).await;
    let group = unique_topic("share-group");
    // Share groups start at the log end unless told otherwise: read what is there.
    let out = kafka_java(
        config_command(),
        &["--bootstrap-server", &bootstrap, "--alter", "--entity-type", "groups", "--entity-name", &group, "--add-config", "share.auto.offset.reset=earliest"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let consumer = ShareConsumer::start(&bootstrap, &topic, &group).expect("the console share consumer");
    let cluster = connect(&bootstrap);

    // Listed as a share group with its member, once the consumer has joined and started.
    let deadline = Instant::now() + Duration::from_secs(120);
    let detail = loop {
        let listed = groups::list(&cluster).await.expect("list");
        
        if let Some(g) = listed.iter().find(|g| g.group_id == group && g.member_count == 1) {
            assert_eq!((g.group_type.as_str(), g.error.as_deref()), ("Share", None), "{g:?}");
            let detail = groups::detail(&cluster, &group).await.expect("detail");
            if detail.partitions.iter().filter(|p| p.committed.is_some()).count() == 2 {
                break detail;
            }
        }
        assert!(Instant::now() < deadline, "the share group never showed with a member and start offsets");
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    assert_eq!((detail.group_type.as_str(), detail.state.as_str()), ("Share", "Stable"), "{detail:?}");
    let member = &detail.members[0];
    assert_eq!(member.client_id, "console-share-consumer");
    assert!(member.member_epoch.is_some_and(|e| e >= 1) && detail.group_epoch.is_some(), "{detail:?}");
    assert_eq!(member.subscribed_topics, vec![topic.clone()]);
    let mut assigned: Vec<i32> = member.assignment.iter().map(|a| a.partition).collect();
    assigned.sort_unstable();
    assert_eq!(assigned, vec![0, 1]);
    // The start offsets are the tool's; the lag is not guessed (the broker's needs a newer protocol).
    let tool = share_tool_offsets(&bootstrap, &group, &topic);
    for row in &detail.partitions {
        assert_eq!(Some(&row.committed.expect("start offset").to_string()), tool.get(&row.partition), "{tool:?}");
        assert_eq!((row.log_end, row.lag), (Some(4), None));
    }

    // Offsets move only while nobody consumes.
    let to_earliest = request(ResetTarget::Earliest, ResetScope::Topic { topic: topic.clone() });
    let refused = groups::apply_reset(&cluster, &group, to_earliest.clone()).await.unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput, "{refused:?}");
    drop(consumer);
    let deadline = Instant::now() + Duration::from_secs(90);
    while groups::detail(&cluster, &group).await.expect("detail").state != "Empty" {
        assert!(Instant::now() < deadline, "the share group never became empty");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let to_offset = request(ResetTarget::Offset { offset: 3 }, ResetScope::Topic { topic: topic.clone() });
    let plan = groups::plan_reset(&cluster, &group, to_offset.clone()).await.expect("preview");
    assert!(plan.rows.iter().all(|r| r.new == 3 && r.lag_after == 1), "{plan:?}");
    assert!(groups::apply_reset(&cluster, &group, to_offset).await.expect("apply").applied);
    let deadline = Instant::now() + Duration::from_secs(30);
    while share_tool_offsets(&bootstrap, &group, &topic) != HashMap::from([(0, "3".to_string()), (1, "3".to_string())]) {
        assert!(Instant::now() < deadline, "the tool never saw start offset 3: {:?}", share_tool_offsets(&bootstrap, &group, &topic));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    // Deleting the topic's start offsets, then the group.
    assert_eq!(groups::delete_topic_offsets(&cluster, &group, &topic).await.expect("delete offsets"), 2);
    assert!(groups::detail(&cluster, &group).await.expect("detail").partitions.is_empty());
    groups::delete_group(&cluster, &group).await.expect("delete group");
    let listed = groups::list(&cluster).await.expect("list");
    assert!(!listed.iter().any(|g| g.group_id == group), "{listed:?}");
}
