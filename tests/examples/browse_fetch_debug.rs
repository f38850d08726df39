//! Checks the browse consumer's flow-control hypothesis (issue 10) with `debug=fetch`:
//! reads a whole topic with the old browse settings and with the new ones, counting
//! librdkafka's "queue full" fetch backoffs and the time each read takes.
//!
//! `cargo run -p kafkadesk-tests --example browse_fetch_debug -- <bootstrap> <topic>`

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, Consumer, ConsumerContext};
use rdkafka::{Offset, TopicPartitionList};

#[derive(Default)]
struct Counting {
    backoffs: AtomicU64,
}

impl ClientContext for Counting {
    fn log(&self, _level: RDKafkaLogLevel, _fac: &str, message: &str) {
        if message.contains("queued.min.messages exceeded") || message.contains("queued.max.messages.kbytes exceeded") {
            self.backoffs.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl ConsumerContext for Counting {}

fn read(bootstrap: &str, topic: &str, settings: &[(&str, &str)]) -> (u64, f64, u64) {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "fetch-debug")
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("debug", "fetch");
    for (k, v) in settings {
        config.set(*k, *v);
    }
    let consumer: BaseConsumer<Counting> = config.create_with_context(Counting::default()).expect("consumer");
    let meta = consumer.fetch_metadata(Some(topic), Duration::from_secs(10)).expect("metadata");
    let partitions = meta.topics()[0].partitions().len() as i32;
    let mut tpl = TopicPartitionList::new();
    for p in 0..partitions {
        tpl.add_partition_offset(topic, p, Offset::Beginning).expect("tpl");
    }
    consumer.assign(&tpl).expect("assign");
    let started = Instant::now();
    let (mut n, mut eof) = (0u64, 0);
    while eof < partitions {
        match consumer.poll(Duration::from_millis(500)) {
            Some(Ok(_)) => n += 1,
            Some(Err(rdkafka::error::KafkaError::PartitionEOF(_))) => eof += 1,
            _ => {}
        }
    }
    (n, started.elapsed().as_secs_f64(), consumer.context().backoffs.load(Ordering::Relaxed))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (bootstrap, topic) = (&args[1], &args[2]);
    let old = [("fetch.wait.max.ms", "100"), ("queued.max.messages.kbytes", "262144")];
    let new = [
        ("fetch.wait.max.ms", "100"),
        ("queued.min.messages", "10000000"),
        ("queued.max.messages.kbytes", "65536"),
        ("fetch.queue.backoff.ms", "10"),
    ];
    for (name, settings) in [("old", &old[..]), ("new", &new[..]), ("old", &old[..]), ("new", &new[..])] {
        let (n, secs, backoffs) = read(bootstrap, topic, settings);
        println!("{name}: {n} messages in {secs:.2} s ({:.0}/s), {backoffs} queue-full fetch backoffs", n as f64 / secs);
    }
}
