//! The Schema Registry benchmark (issue 11): does decoding become browse's bottleneck?
//! Run by `bench/registry.sh`; prints the figures for bench/RESULTS.md.
//!
//! - search_avro_vs_json: whole-topic search (earliest → now, value contains a marker) over
//!   N Avro records in the Confluent wire format, decoded as they are searched, divided by
//!   the same search over the same records as plain JSON (target: ≤ 3×). Median of
//!   interleaved runs.
//! - decode_rate: records/s decoded while filtering N stored Avro records in memory.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::kafka::messages::browse::{self, BrowseRequest, SessionState, StartAt, StopAt};
use kafkadesk::kafka::messages::filter::Filter;
use kafkadesk::kafka::messages::{self};
use kafkadesk::kafka::{Cluster, ConnectedCluster, Connection};
use kafkadesk::registry::codec::SchemaKind;
use kafkadesk::registry::settings::{RegistryAuth, RegistrySettings, RegistryTls};
use kafkadesk::registry::{Decoder, RegistryClient};
use kafkadesk_tests::kafka::{test_cluster, unique_topic};
use kafkadesk_tests::registry::test_registry;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use serde_json::json;

const SCHEMA: &str = r#"{"type":"record","name":"Order","namespace":"bench","fields":[
  {"name":"id","type":"long"},{"name":"customer","type":"string"},
  {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":12,"scale":2}},
  {"name":"placed","type":{"type":"long","logicalType":"timestamp-millis"}},
  {"name":"state","type":{"type":"enum","name":"State","symbols":["NEW","PAID","SHIPPED"]}},
  {"name":"note","type":"string"}]}"#;

fn n() -> usize {
    std::env::var("BENCH_N").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000)
}

fn record(i: usize) -> serde_json::Value {
    json!({
        "id": i, "customer": format!("customer-{}", i % 100_000), "amount": format!("{}.{:02}", i % 9999, i % 100),
        "placed": format!("2024-01-01T00:00:{:02}.{:03}Z", i % 60, i % 1000),
        "state": (["NEW", "PAID", "SHIPPED"][i % 3]), "note": "x".repeat(60),
    })
}

fn send_all(bootstrap: &str, topic: &str, values: impl Iterator<Item = Vec<u8>>) {
    let p: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("linger.ms", "20")
        .set("batch.num.messages", "10000")
        .set("queue.buffering.max.messages", "1000000")
        .set("compression.type", "lz4")
        .create()
        .expect("producer");
    for v in values {
        let mut rec = BaseRecord::<(), [u8]>::to(topic).payload(&v[..]);
        loop {
            match p.send(rec) {
                Ok(()) => break,
                Err((_, r)) => {
                    rec = r;
                    p.poll(Duration::from_millis(50));
                }
            }
        }
    }
    p.flush(Duration::from_secs(120)).expect("flush");
}

async fn search(cluster: &Arc<Cluster>, topic: &str, decoder: Option<Decoder>, marker: &str) -> (Duration, u32) {
    let request = BrowseRequest {
        topic: topic.into(),
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter: Some(Filter { value_contains: Some(marker.into()), ..Default::default() }),
        max_messages: None,
        max_mib: None,
    };
    let started = Instant::now();
    let s = browse::start_with(cluster, unique_topic("bench"), request, decoder, Box::new(|_| {})).await.expect("browse");
    loop {
        let st = s.status().expect("status");
        if st.state != SessionState::Running {
            assert_eq!(st.state, SessionState::Done, "{st:?}");
            return (started.elapsed(), st.stored);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let n = n();
    let bootstrap = test_cluster().bootstrap();
    let url = tokio::task::spawn_blocking(test_registry).await.expect("registry").expect("a Java 21+ for Apicurio");
    let settings = RegistrySettings { urls: vec![url], auth: RegistryAuth::None, username: None, tls: RegistryTls::default(), secret_fields: vec![] };
    let client = Arc::new(RegistryClient::new(&settings, &Default::default()).expect("client"));
    let avro_topic = unique_topic("bench-avro");
    let json_topic = unique_topic("bench-json");
    let id = client.register(&format!("{avro_topic}-value"), SchemaKind::Avro, SCHEMA, &[]).await.expect("register");
    let resolved = client.resolve(id).await.expect("resolve");
    let owner = ConnectedCluster::open(&Connection::plain("bench", &bootstrap)).expect("connect");
    let lease = owner.lease().expect("lease");
    let cluster: Arc<Cluster> = Arc::clone(&lease);
    for t in [&avro_topic, &json_topic] {
        let out = kafkadesk_tests::kafka::kafka_java(
            "org.apache.kafka.tools.TopicCommand",
            &["--bootstrap-server", &bootstrap, "--create", "--topic", t, "--partitions", "6", "--replication-factor", "1"],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    eprintln!("producing {n} Avro and {n} JSON records…");
    let (b, t, r) = (bootstrap.clone(), avro_topic.clone(), Arc::clone(&resolved));
    tokio::task::spawn_blocking(move || {
        send_all(&b, &t, (0..n).map(|i| kafkadesk::registry::codec::frame(r.id, &r.compiled.encode(&record(i), None, "value").expect("encode"))))
    })
    .await
    .unwrap();
    let (b, t) = (bootstrap.clone(), json_topic.clone());
    tokio::task::spawn_blocking(move || send_all(&b, &t, (0..n).map(|i| record(i).to_string().into_bytes()))).await.unwrap();

    let decoder = || Decoder::new(&avro_topic, Some((Arc::clone(&client), tokio::runtime::Handle::current())), None, None);
    let marker = "\"customer\":\"customer-77777\"";
    let (mut avro, mut plain) = (Vec::new(), Vec::new());
    for round in 0..3 {
        let (ta, found_a) = search(&cluster, &avro_topic, decoder(), marker).await;
        let (tj, found_j) = search(&cluster, &json_topic, None, marker).await;
        assert_eq!(found_a, found_j, "both searches find the same records");
        eprintln!("round {round}: avro {:.2} s, json {:.2} s, {found_a} found", ta.as_secs_f64(), tj.as_secs_f64());
        avro.push(ta.as_secs_f64());
        plain.push(tj.as_secs_f64());
    }
    let (ma, mj) = (median(avro), median(plain));

    // Decode rate in memory: load the Avro topic, then filter it with the decoder.
    let request = BrowseRequest { topic: avro_topic.clone(), start: StartAt::Earliest, stop: StopAt::Now, partitions: None, filter: None, max_messages: None, max_mib: Some(4096) };
    let s = browse::start_with(&cluster, unique_topic("bench"), request, decoder(), Box::new(|_| {})).await.expect("browse");
    while s.status().unwrap().state == SessionState::Running {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut rates = Vec::new();
    for _ in 0..3 {
        let s2 = Arc::clone(&s);
        let started = Instant::now();
        let hits = tokio::task::spawn_blocking(move || {
            messages::apply_filter(&s2, &Filter { value_contains: Some(marker.into()), ..Default::default() }, &AtomicBool::new(false), |_| {})
        })
        .await
        .unwrap()
        .expect("filter");
        rates.push(n as f64 / started.elapsed().as_secs_f64());
        eprintln!("in-memory decode + filter: {hits} hits in {:.2} s", started.elapsed().as_secs_f64());
    }
    let rate = median(rates);
    println!("records={n}");
    println!("search_avro_s={ma:.2}");
    println!("search_json_s={mj:.2}");
    println!("search_avro_vs_json={:.2}", ma / mj);
    println!("decode_filter_rate={rate:.0}");
}
