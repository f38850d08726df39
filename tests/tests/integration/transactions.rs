//! Transactions against real brokers with a real transactional producer (rdkafka) left
//! open, checked with Kafka's own TransactionsCommand (`kafka-transactions.sh`).

use std::collections::BTreeMap;
use std::time::Duration;

use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::operations::election::PartitionRef;
use kafkadesk::kafka::operations::transactions::{self, TransactionInfo};
use kafkadesk::kafka::topics;
use kafkadesk_tests::kafka::{test_cluster, unique_topic};
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};

use crate::connect;
use crate::topics::{eventually, request, tool};

const FIVE_MINUTES: u64 = 5 * 60 * 1000;

/// A table printed by TransactionsCommand: one map per row, keyed by the header's columns.
fn transactions_command(bootstrap: &str, args: &[&str]) -> Vec<BTreeMap<String, String>> {
    let mut all = vec!["--bootstrap-server", bootstrap];
    all.extend_from_slice(args);
    let out = tool("org.apache.kafka.tools.TransactionsCommand", &all);
    let mut lines = out.lines().filter(|l| !l.trim().is_empty());
    let Some(header) = lines.next() else { return Vec::new() };
    let columns: Vec<&str> = header.split_whitespace().collect();
    lines
        .map(|l| columns.iter().zip(l.split_whitespace()).map(|(c, v)| (c.to_string(), v.to_string())).collect())
        .collect()
}

async fn transactional_producer(bootstrap: &str, id: &str) -> FutureProducer {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("transactional.id", id)
        // If a test fails midway, the coordinator aborts the leftover within a minute.
        .set("transaction.timeout.ms", "60000")
        .create()
        .expect("transactional producer");
    producer.init_transactions(Duration::from_secs(30)).expect("init transactions");
    producer
}

async fn send(producer: &FutureProducer, topic: &str, partition: i32) {
    producer
        .send(FutureRecord::<(), _>::to(topic).partition(partition).payload("in a transaction"), Duration::from_secs(15))
        .await
        .expect("delivered");
}

async fn find(cluster: &kafkadesk::kafka::Write, id: &str, hanging_after_ms: u64) -> Result<TransactionInfo, String> {
    let list = transactions::list(cluster, hanging_after_ms).await.map_err(|e| e.message)?;
    list.transactions.into_iter().find(|t| t.transactional_id == id).ok_or_else(|| format!("{id} not listed"))
}

/// A producer in the middle of a transaction over two partitions is listed as Ongoing with
/// those partitions (TransactionsCommand describe agrees), its open transaction holds back
/// both partitions (DescribeProducers, as describe-producers shows), a threshold below its
/// age flags it as hanging; after commit it is CompleteCommit and nothing is held back.
#[tokio::test]
async fn an_open_transaction_is_listed_with_its_partitions_then_completes() {
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("tx-open");
    topics::create(&cluster, request(&topic, 3, 3)).await.expect("create");
    let id = unique_topic("tx-id");
    let producer = transactional_producer(&bootstrap, &id).await;
    producer.begin_transaction().expect("begin");
    send(&producer, &topic, 0).await;
    send(&producer, &topic, 1).await;

    let expected_partitions = vec![PartitionRef { topic: topic.clone(), partition: 0 }, PartitionRef { topic: topic.clone(), partition: 1 }];
    let open = eventually(Duration::from_secs(30), async || {
        let t = find(&cluster, &id, FIVE_MINUTES).await?;
        if t.state == "Ongoing" && t.partitions == expected_partitions { Ok(t) } else { Err(format!("{t:?}")) }
    })
    .await;
    assert!(!open.hanging, "younger than five minutes: {open:?}");
    assert!(open.age_ms.is_some_and(|a| a >= 0) && open.start_time_ms.is_some(), "{open:?}");
    assert_eq!(open.timeout_ms, 60_000);
    let described = transactions_command(&bootstrap, &["describe", "--transactional-id", &id]);
    assert_eq!(described.len(), 1, "{described:?}");
    assert_eq!(described[0]["ProducerId"], open.producer_id.to_string(), "{described:?}");
    assert_eq!(described[0]["ProducerEpoch"], open.producer_epoch.to_string(), "{described:?}");
    assert_eq!(described[0]["TransactionState"], "Ongoing", "{described:?}");
    assert_eq!(described[0]["CoordinatorId"], open.coordinator.to_string(), "{described:?}");

    // Open for more than 1 ms: hanging by that threshold.
    let strict = find(&cluster, &id, 1).await.expect("listed");
    assert!(strict.hanging, "{strict:?}");

    let held = transactions::producers(&cluster, topic.clone(), FIVE_MINUTES).await.expect("producers");
    assert!(held.errors.is_empty(), "{held:?}");
    let ours: Vec<_> = held.producers.iter().filter(|p| p.producer_id == open.producer_id).collect();
    assert_eq!(ours.iter().map(|p| p.partition).collect::<Vec<_>>(), vec![0, 1], "{held:?}");
    assert!(ours.iter().all(|p| p.current_txn_start_offset == Some(0) && !p.hanging), "known to its coordinator, not idle: {ours:?}");
    let kafka_view = transactions_command(&bootstrap, &["describe-producers", "--topic", &topic, "--partition", "0"]);
    let row = kafka_view.iter().find(|r| r["ProducerId"] == open.producer_id.to_string()).unwrap_or_else(|| panic!("{kafka_view:?}"));
    assert_eq!(row["CurrentTransactionStartOffset"], "0", "{kafka_view:?}");
    assert_eq!(row["ProducerEpoch"], ours[0].producer_epoch.to_string(), "{kafka_view:?}");

    producer.commit_transaction(Duration::from_secs(30)).expect("commit");
    let done = eventually(Duration::from_secs(30), async || {
        let t = find(&cluster, &id, 1).await?;
        if t.state == "CompleteCommit" { Ok(t) } else { Err(format!("{t:?}")) }
    })
    .await;
    assert!(!done.hanging && done.age_ms.is_none(), "a finished transaction is not open: {done:?}");
    eventually(Duration::from_secs(30), async || {
        let now = transactions::producers(&cluster, topic.clone(), FIVE_MINUTES).await.map_err(|e| e.message)?;
        if now.producers.iter().all(|p| p.current_txn_start_offset.is_none()) { Ok(()) } else { Err(format!("{now:?}")) }
    })
    .await;
}

/// Aborting an open transaction on a partition writes the abort marker there: the producer no
/// longer holds the partition back, as Kafka's describe-producers shows.
#[tokio::test]
async fn aborting_an_open_transaction_releases_the_partition() {
    let bootstrap = test_cluster().bootstrap();
    let cluster = connect(&bootstrap);
    let topic = unique_topic("tx-abort");
    topics::create(&cluster, request(&topic, 1, 3)).await.expect("create");
    let id = unique_topic("tx-abort-id");
    let producer = transactional_producer(&bootstrap, &id).await;
    producer.begin_transaction().expect("begin");
    send(&producer, &topic, 0).await;

    let open = eventually(Duration::from_secs(30), async || {
        let p = transactions::producers(&cluster, topic.clone(), FIVE_MINUTES).await.map_err(|e| e.message)?;
        p.producers.into_iter().find(|p| p.current_txn_start_offset.is_some()).ok_or_else(|| "no open transaction yet".to_string())
    })
    .await;
    let partition = PartitionRef { topic: topic.clone(), partition: 0 };
    transactions::abort(&cluster, partition.clone(), open.producer_id).await.expect("abort");
    let kafka_view = transactions_command(&bootstrap, &["describe-producers", "--topic", &topic, "--partition", "0"]);
    let row = kafka_view.iter().find(|r| r["ProducerId"] == open.producer_id.to_string()).unwrap_or_else(|| panic!("{kafka_view:?}"));
    assert_eq!(row["CurrentTransactionStartOffset"], "None", "{kafka_view:?}");
    let after = transactions::producers(&cluster, topic.clone(), FIVE_MINUTES).await.expect("producers");
    assert!(after.producers.iter().all(|p| p.current_txn_start_offset.is_none()), "{after:?}");

    // Nothing left to abort: said plainly.
    let again = transactions::abort(&cluster, partition, open.producer_id).await.unwrap_err();
    assert_eq!(again.kind, ErrorKind::NotFound, "{again:?}");
    let missing = transactions::producers(&cluster, unique_topic("tx-no-such"), FIVE_MINUTES).await.unwrap_err();
    assert_eq!(missing.kind, ErrorKind::NotFound, "{missing:?}");
    assert_eq!(transactions::list(&cluster, 0).await.unwrap_err().kind, ErrorKind::InvalidInput);
    drop(producer);
}
