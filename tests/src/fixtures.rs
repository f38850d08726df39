//! Data the integration and stress tests set up on a real cluster.

use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{Offset, TopicPartitionList};

use crate::kafka::unique_topic;

fn config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap).set("broker.address.family", "v4");
    cfg
}

/// A replication-1 topic (a dead or frozen leader's partitions have no other leader) with
/// `per_partition` messages in each of `partitions`, and a group committed at offset 1
/// everywhere. Returns (topic, group).
pub async fn unreplicated_topic_with_group(bootstrap: &str, prefix: &str, partitions: i32, per_partition: i64) -> (String, String) {
    let topic = unique_topic(prefix);
    let admin: AdminClient<DefaultClientContext> = config(bootstrap).create().expect("admin client");
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    for r in admin.create_topics([&NewTopic::new(&topic, partitions, TopicReplication::Fixed(1))], &opts).await.unwrap() {
        r.unwrap_or_else(|(t, code)| panic!("creating {t}: {code}"));
    }
    let producer: FutureProducer = config(bootstrap).set("message.timeout.ms", "30000").create().expect("producer");
    for p in 0..partitions {
        for _ in 0..per_partition {
            let record = FutureRecord::<(), _>::to(&topic).partition(p).payload("m");
            producer.send(record, Duration::from_secs(30)).await.unwrap_or_else(|(e, _)| panic!("produce: {e}"));
        }
    }
    let group = unique_topic(&format!("{prefix}-group"));
    let consumer: BaseConsumer = config(bootstrap).set("group.id", &group).create().expect("consumer");
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(&topic, p, Offset::Offset(1)).unwrap();
    }
    consumer.commit(&tpl, CommitMode::Sync).expect("commit");
    (topic, group)
}
