//! "Is this cluster really up?": metadata lists every broker, and a message goes through a
//! replicated topic and back through a consumer group. Plain rdkafka with bounded timeouts,
//! blocking API (the launcher is blocking; the app calls it from `spawn_blocking`).

use std::thread;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Message, Offset, TopicPartitionList};

use super::launch::LaunchError;

fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

fn client_config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap)
        .set("broker.address.family", "v4")
        .set("socket.connection.setup.timeout.ms", "5000")
        .set("reconnect.backoff.max.ms", "1000")
        .set("log_level", "3");
    cfg
}

/// Broker ids in the metadata `bootstrap` answers with, sorted.
pub fn broker_ids(bootstrap: &str, timeout: Duration) -> Result<Vec<i32>, LaunchError> {
    let consumer: BaseConsumer = client_config(bootstrap)
        .create()
        .map_err(|e| LaunchError::Kafka(format!("creating a metadata client: {e}")))?;
    let md = consumer
        .fetch_metadata(None, timeout.max(Duration::from_millis(200)))
        .map_err(|e| LaunchError::Kafka(format!("metadata from {bootstrap}: {e}")))?;
    let mut ids: Vec<i32> = md.brokers().iter().map(|b| b.id()).collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Waits until metadata lists `nodes` brokers, then for a round trip through a topic replicated
/// on up to 3 of them, all before `deadline`. `exited` names a node process that died meanwhile,
/// which ends the wait at once.
pub fn wait_for_brokers(
    bootstrap: &str,
    nodes: usize,
    deadline: Instant,
    mut exited: impl FnMut() -> Option<String>,
) -> Result<(), LaunchError> {
    loop {
        if let Some(why) = exited() {
            return Err(LaunchError::Start(why));
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        let last = match broker_ids(bootstrap, remaining.min(Duration::from_secs(3))) {
            Ok(ids) if ids.len() >= nodes => break,
            Ok(ids) => format!("metadata lists brokers {ids:?} of {nodes}"),
            Err(e) => e.to_string(),
        };
        if Instant::now() >= deadline {
            return Err(LaunchError::Timeout(last));
        }
        thread::sleep(Duration::from_millis(300));
    }
    round_trip(bootstrap, i32::try_from(nodes.min(3)).unwrap_or(3), deadline)
}

/// Creates a probe topic (replication factor `rf`), sends a message with acks=all, reads it
/// back with a consumer group and commits (which also creates `__consumer_offsets`), then
/// deletes the topic and the group. Everything before `deadline`.
pub fn round_trip(bootstrap: &str, rf: i32, deadline: Instant) -> Result<(), LaunchError> {
    let bootstrap = bootstrap.to_string();
    run_async(move || probe_round_trip(bootstrap, rf, deadline))
}

async fn probe_round_trip(bootstrap: String, rf: i32, deadline: Instant) -> Result<(), LaunchError> {
    let topic = format!("kafkadesk-probe-{}", short_id());
    let group = format!("kafkadesk-probe-{}", short_id());
    let admin: AdminClient<DefaultClientContext> = client_config(&bootstrap)
        .create()
        .map_err(|e| LaunchError::Kafka(format!("creating an admin client: {e}")))?;
    let opts = AdminOptions::new()
        .request_timeout(Some(Duration::from_secs(10)))
        .operation_timeout(Some(Duration::from_secs(10)));
    let left = || deadline.saturating_duration_since(Instant::now());

    // 1. The probe topic.
    let new_topic = NewTopic::new(&topic, 1, TopicReplication::Fixed(rf));
    loop {
        let last = match admin.create_topics([&new_topic], &opts).await {
            Ok(results) => match results.into_iter().next() {
                Some(Ok(_)) | Some(Err((_, RDKafkaErrorCode::TopicAlreadyExists))) => break,
                Some(Err((_, code))) => format!("creating probe topic {topic}: {code}"),
                None => format!("creating probe topic {topic}: no result"),
            },
            Err(e) => format!("creating probe topic {topic}: {e}"),
        };
        if left().is_zero() {
            return Err(LaunchError::Timeout(last));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let result = probe_messages(&bootstrap, &topic, &group, deadline).await;

    // 3. Clean up (best effort, bounded by the admin timeouts).
    let _ = admin.delete_groups(&[group.as_str()], &opts).await;
    let _ = admin.delete_topics(&[topic.as_str()], &opts).await;
    result
}

async fn probe_messages(bootstrap: &str, topic: &str, group: &str, deadline: Instant) -> Result<(), LaunchError> {
    let left = || deadline.saturating_duration_since(Instant::now());
    let token = format!("probe-{}", short_id());

    // 2a. Produce with acks=all until delivered (leaders may still be moving in).
    let producer: FutureProducer = client_config(bootstrap)
        .set("acks", "all")
        .set("message.timeout.ms", "10000")
        .create()
        .map_err(|e| LaunchError::Kafka(format!("creating the probe producer: {e}")))?;
    loop {
        let record = FutureRecord::to(topic).key("probe").payload(token.as_str()).partition(0);
        let last = match producer.send(record, Duration::from_secs(5)).await {
            Ok(_) => break,
            Err((e, _)) => format!("producing to probe topic {topic}: {e}"),
        };
        if left().is_zero() {
            return Err(LaunchError::Timeout(last));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drop(producer);

    // 2b. Read it back and commit its offset.
    let consumer: BaseConsumer = client_config(bootstrap)
        .set("group.id", group)
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "earliest")
        .create()
        .map_err(|e| LaunchError::Kafka(format!("creating the probe consumer: {e}")))?;
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning)
        .map_err(|e| LaunchError::Kafka(format!("probe assignment: {e}")))?;
    consumer.assign(&tpl).map_err(|e| LaunchError::Kafka(format!("assigning the probe topic: {e}")))?;
    let mut last = String::from("no message yet");
    let next_offset = loop {
        if left().is_zero() {
            return Err(LaunchError::Timeout(format!("reading the probe message back: {last}")));
        }
        match consumer.poll(left().min(Duration::from_millis(500))) {
            Some(Ok(msg)) if msg.payload() == Some(token.as_bytes()) => break msg.offset() + 1,
            Some(Ok(_)) => {}
            Some(Err(e)) => last = e.to_string(),
            None => {}
        }
    };
    let mut commit = TopicPartitionList::new();
    commit
        .add_partition_offset(topic, 0, Offset::Offset(next_offset))
        .map_err(|e| LaunchError::Kafka(format!("probe commit list: {e}")))?;
    loop {
        let last = match consumer.commit(&commit, CommitMode::Sync) {
            Ok(()) => break,
            Err(e) => format!("committing the probe offset (group coordinator): {e}"),
        };
        if left().is_zero() {
            return Err(LaunchError::Timeout(last));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}

/// Runs async client work on its own thread and runtime, so the blocking API works both from
/// plain threads and from inside a tokio runtime.
fn run_async<F, Fut, T>(make: F) -> Result<T, LaunchError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T, LaunchError>>,
    T: Send + 'static,
{
    thread::Builder::new()
        .name("kafkadesk-local-probe".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| LaunchError::Io(format!("building a tokio runtime: {e}")))?;
            rt.block_on(make())
        })
        .map_err(|e| LaunchError::Io(format!("spawning a probe thread: {e}")))?
        .join()
        .unwrap_or_else(|_| Err(LaunchError::Kafka("the probe thread panicked".into())))
}
