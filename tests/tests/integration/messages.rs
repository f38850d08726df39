//! Messages against real Kafka, checked with kcat as the independent reader and writer:
//! round trips both ways, filters against an independent computation, precise errors for
//! bad input, and no loss or duplicates when the leader is killed during a bulk produce.

use crate::{connect, wait_done};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use kafkadesk::error::ErrorKind;
use kafkadesk::kafka::messages::browse::{self, BrowseRequest, Session, SessionState, StartAt, StopAt};
use kafkadesk::kafka::messages::codec::{self, DecodeAs, InputFormat, Shown};
use kafkadesk::kafka::messages::filter::Filter;
use kafkadesk::kafka::messages::produce::{self, FileFormat, FileProduceRequest, HeaderInput, ProduceRequest};
use kafkadesk::kafka::messages::{self, export};
use kafkadesk::kafka::Cluster;
use kafkadesk_tests::kafka::{self as harness, test_cluster, unique_topic, ClusterSpec};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;


async fn create_topic(bootstrap: &str, topic: &str, partitions: i32, configs: &[(&str, &str)]) {
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("admin client");
    let mut new = NewTopic::new(topic, partitions, TopicReplication::Fixed(3));
    for (k, v) in configs {
        new = new.set(k, v);
    }
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(20)));
    let results = admin.create_topics([&new], &opts).await.expect("create_topics");
    for r in results {
        r.expect("topic created");
    }
    // Wait until every broker knows the topic's partitions (metadata propagation).
    let deadline = Instant::now() + Duration::from_secs(20);
    for broker in bootstrap.split(',') {
        loop {
            let out = Command::new("kcat").args(["-b", broker, "-L", "-t", topic, "-J"]).output().expect("kcat -L");
            let text = String::from_utf8_lossy(&out.stdout);
            if text.matches("\"leader\"").count() >= partitions as usize && !text.contains("\"leader\":-1") {
                break;
            }
            assert!(Instant::now() < deadline, "broker {broker} never saw the leaders of {topic}");
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// One record as read back: what both readers must agree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Record {
    partition: i32,
    offset: i64,
    timestamp: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    /// Headers as kcat prints them: `name=value` joined by commas.
    headers: String,
}

/// Reads a whole topic with kcat, binary-safe: a text line with lengths, then the raw bytes.
fn kcat_read(bootstrap: &str, topic: &str) -> Vec<Record> {
    let out = Command::new("kcat")
        .args(["-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q"])
        .args(["-f", "%p %o %T %K %S %h\n%k%s"])
        .output()
        .expect("kcat -C");
    assert!(out.status.success(), "kcat failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut bytes = out.stdout.as_slice();
    let mut records = Vec::new();
    while !bytes.is_empty() {
        let nl = bytes.iter().position(|b| *b == b'\n').expect("a header line");
        let line = String::from_utf8_lossy(&bytes[..nl]).to_string();
        bytes = &bytes[nl + 1..];
        let f: Vec<&str> = line.splitn(6, ' ').collect();
        let n = |i: usize| f[i].parse::<i64>().unwrap_or_else(|_| panic!("field {i} of {line:?}"));
        let mut take = |len: i64| {
            (len >= 0).then(|| {
                let (head, rest) = bytes.split_at(len as usize);
                bytes = rest;
                head.to_vec()
            })
        };
        let key = take(n(3));
        let value = take(n(4));
        records.push(Record {
            partition: n(0) as i32,
            offset: n(1),
            timestamp: n(2),
            key,
            value,
            headers: f.get(5).unwrap_or(&"").to_string(),
        });
    }
    records.sort();
    records
}

async fn browse_all(cluster: &Arc<Cluster>, topic: &str, filter: Option<Filter>) -> Arc<Session> {
    let request = BrowseRequest {
        topic: topic.into(),
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter,
        max_messages: None,
        max_mib: None,
    };
    let session = browse::start(cluster, unique_topic("s"), request).await.expect("browse");
    wait_done(&session).await;
    session
}

fn bytes_of(d: &codec::Decoded) -> Option<Vec<u8>> {
    match d.shown {
        Shown::Null => None,
        Shown::Base64 => Some(base64::engine::general_purpose::STANDARD.decode(&d.text).expect("base64")),
        other => panic!("asked for base64, got {other:?}"),
    }
}

/// Reads every row of a session the way the UI does (windows, then details), as Records.
fn desk_records(session: &Session) -> Vec<Record> {
    let total = session.window(0, 0, DecodeAs::Auto, DecodeAs::Auto).expect("window").total;
    let mut records = Vec::new();
    let mut start = 0;
    while start < total {
        let window = session.window(start, 500, DecodeAs::Auto, DecodeAs::Auto).expect("window");
        for row in &window.rows {
            let d = session.detail(row.seq, DecodeAs::Base64, DecodeAs::Base64, true).expect("detail");
            let headers: Vec<String> = d.headers.iter().map(|h| format!("{}={}", h.name, h.value.text)).collect();
            records.push(Record {
                partition: d.partition,
                offset: d.offset,
                timestamp: d.timestamp,
                key: bytes_of(&d.key),
                value: bytes_of(&d.value),
                headers: headers.join(","),
            });
        }
        start += window.rows.len() as u32;
    }
    records.sort();
    records
}

fn text(s: &str) -> Option<String> {
    Some(s.to_string())
}

#[tokio::test]
async fn produced_by_kafkadesk_read_back_identically_by_kcat_and_the_browser() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-out");
    create_topic(&bootstrap, &topic, 3, &[("max.message.bytes", "2097152")]).await;
    let cluster = connect(&bootstrap);
    let big: String = "x".repeat(1024 * 1024);
    let requests = vec![
        ProduceRequest {
            topic: topic.clone(),
            key: text("order-7"),
            value: text("{\n  \"id\": 7,\n  \"note\": \"paid\"\n}"),
            value_format: InputFormat::Json,
            headers: vec![
                HeaderInput { name: "trace".into(), value: text("abc"), format: None },
                HeaderInput { name: "bin".into(), value: text("AAH/"), format: Some(InputFormat::Base64) },
            ],
            ..Default::default()
        },
        ProduceRequest {
            topic: topic.clone(),
            partition: Some(1),
            key: text("AAH/"),
            key_format: InputFormat::Base64,
            value: text("de ad be ef 00"),
            value_format: InputFormat::Hex,
            ..Default::default()
        },
        ProduceRequest { topic: topic.clone(), partition: Some(2), value: text("héllo wörld ✓ 日本"), ..Default::default() },
        ProduceRequest { topic: topic.clone(), partition: Some(2), key: text("gone"), value: None, ..Default::default() },
        ProduceRequest { topic: topic.clone(), partition: Some(0), key: text("empty"), value: text(""), ..Default::default() },
        ProduceRequest { topic: topic.clone(), partition: Some(0), value: Some(big.clone()), ..Default::default() },
    ];
    let expected_values: Vec<Option<Vec<u8>>> = vec![
        Some(b"{\n  \"id\": 7,\n  \"note\": \"paid\"\n}".to_vec()),
        Some(vec![0xde, 0xad, 0xbe, 0xef, 0]),
        Some("héllo wörld ✓ 日本".as_bytes().to_vec()),
        None,
        Some(vec![]),
        Some(big.into_bytes()),
    ];
    let mut sent = Vec::new();
    for r in &requests {
        let report = produce::produce(&cluster, r.clone()).await.expect("produce");
        assert_eq!((report.sent, report.failed), (1, 0));
        sent.push(report.deliveries[0]);
    }
    // An automatic partition for a key is the Java client's murmur2 choice.
    assert_eq!(sent[0].partition, codec::partition_for_key(b"order-7", 3));
    assert_eq!(messages::key_partition(&cluster, &topic, "order-7", InputFormat::Text).await.unwrap(), sent[0].partition);

    let by_kcat = kcat_read(&bootstrap, &topic);
    assert_eq!(by_kcat.len(), requests.len());
    for (i, d) in sent.iter().enumerate() {
        let r = by_kcat.iter().find(|r| r.partition == d.partition && r.offset == d.offset).expect("delivered record");
        assert_eq!(r.value, expected_values[i], "value of message {i}");
        assert_eq!(r.timestamp, d.timestamp, "timestamp of message {i}");
        if let Some(p) = requests[i].partition {
            assert_eq!(r.partition, p);
        }
    }
    let first = by_kcat.iter().find(|r| r.key.as_deref() == Some(b"order-7")).unwrap();
    assert!(first.headers.starts_with("trace=abc,bin="), "{}", first.headers);
    let binary = by_kcat.iter().find(|r| r.key.as_deref() == Some([0u8, 1, 255].as_slice())).expect("binary key");
    assert_eq!(binary.partition, 1);
    assert!(by_kcat.iter().any(|r| r.key.is_none() && r.value.as_deref() == Some("héllo wörld ✓ 日本".as_bytes())));

    // The browser reads exactly what kcat reads (binary header values aside, shown as base64).
    let session = browse_all(&cluster, &topic, None).await;
    let mut desk = desk_records(&session);
    for r in desk.iter_mut() {
        r.headers = r.headers.replace("bin=AAH/", "bin=");
    }
    let mut kcat = by_kcat.clone();
    for r in kcat.iter_mut() {
        r.headers = r.headers.split(',').map(|h| if h.starts_with("bin=") { "bin=" } else { h }).collect::<Vec<_>>().join(",");
    }
    assert_eq!(desk, kcat);
    // The 1 MiB value is previewed in full up to 1 MiB exactly; "load full" is the same here.
    let row = session.window(0, 10, DecodeAs::Auto, DecodeAs::Auto).unwrap();
    let big_row = row.rows.iter().find(|r| r.value.size == 1024 * 1024).expect("the big row");
    assert!(big_row.value.truncated && big_row.value.text.len() <= 300);
}

#[tokio::test]
async fn produced_by_kcat_read_identically_by_the_browser() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-in");
    create_topic(&bootstrap, &topic, 2, &[("max.message.bytes", "2097152")]).await;
    // Key and message delimiters that never occur in the data, so binary bytes pass through.
    let mut input: Vec<u8> = Vec::new();
    let records: Vec<(&[u8], &[u8])> = vec![
        (b"k1", br#"{"a":1}"#),
        (&[0, 1, 0xff], &[0x80, 0x81, 0, 7]),
        (b"uni", "ünïcödé ✓".as_bytes()),
        (b"tomb", b""),
    ];
    for (k, v) in &records {
        input.extend_from_slice(k);
        input.push(0x1f);
        input.extend_from_slice(v);
        input.push(0x1e);
    }
    input.extend_from_slice(&vec![b'y'; 1024 * 1024]);
    input.push(0x1e);
    let mut child = Command::new("kcat")
        .args(["-b", &bootstrap, "-P", "-t", &topic, "-p", "1", "-K", "\\x1f", "-D", "\\x1e", "-Z", "-H", "h1=v1"])
        .args(["-X", "message.max.bytes=2000000"])
        .stdin(Stdio::piped())
        .spawn()
        .expect("kcat -P");
    child.stdin.take().unwrap().write_all(&input).unwrap();
    assert!(child.wait().unwrap().success());

    let cluster = connect(&bootstrap);
    let session = browse_all(&cluster, &topic, None).await;
    let desk = desk_records(&session);
    let kcat = kcat_read(&bootstrap, &topic);
    assert_eq!(desk, kcat);
    assert_eq!(desk.len(), 5);
    assert_eq!(desk[1].key.as_deref(), Some([0u8, 1, 0xff].as_slice()));
    assert_eq!(desk[1].value.as_deref(), Some([0x80u8, 0x81, 0, 7].as_slice()));
    assert_eq!(desk[3].value, None, "kcat -Z sent a tombstone");
    assert_eq!(desk[4].key, None);
    assert!(desk.iter().all(|r| r.partition == 1 && r.headers == "h1=v1"));
    // Decoding: JSON is recognised, binary falls back to base64, the detail shows JSON as sent.
    let rows = session.window(0, 5, DecodeAs::Auto, DecodeAs::Auto).unwrap().rows;
    assert_eq!(rows[0].value.shown, Shown::Json);
    assert_eq!(rows[1].value.shown, Shown::Base64);
    assert_eq!(rows[2].value.text, "ünïcödé ✓");
    let detail = session.detail(rows[0].seq, DecodeAs::Auto, DecodeAs::Auto, false).unwrap();
    assert_eq!(Some(detail.value.text.into_bytes()), kcat[0].value);
    let hex = session.detail(rows[1].seq, DecodeAs::Auto, DecodeAs::Hex, false).unwrap();
    assert_eq!(hex.value.text, "80810007");
}

/// JSONL lines `{"key":"k<i>","value":{"id":i,"kind":...}}` in a temp file.
/// A JSON value read and re-sent through KafkaDesk is byte-identical, as kcat sees it: keys
/// unsorted, unicode escapes, numbers beyond 2^53, odd spacing. Re-sending starts from the
/// detail's text (what "Edit and re-send" puts in the form) sent as JSON.
#[tokio::test]
async fn json_read_and_re_sent_is_byte_identical() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-json-exact");
    create_topic(&bootstrap, &topic, 1, &[]).await;
    let sent = r#"{"zeta":1, "alpha":"caf\u00e9 \ud83d\ude00 \"q\"","big":123456789012345678901234567890,"id":9007199254740993,"f":1.50,"e":1E+2,"nested":{"b":[],"a":{}}}"#;
    harness::kcat_produce(&bootstrap, &topic, Some(0), &format!("{sent}\n")).expect("kcat -P");

    let cluster = connect(&bootstrap);
    let session = browse_all(&cluster, &topic, None).await;
    let row = session.window(0, 1, DecodeAs::Auto, DecodeAs::Auto).unwrap().rows.remove(0);
    let detail = session.detail(row.seq, DecodeAs::Auto, DecodeAs::Auto, true).unwrap();
    assert_eq!((detail.value.shown, detail.value.text.as_str()), (Shown::Json, sent));
    let request = ProduceRequest {
        topic: topic.clone(),
        partition: Some(0),
        value: Some(detail.value.text.clone()),
        value_format: InputFormat::Json,
        ..Default::default()
    };
    produce::produce(&cluster, request).await.expect("re-send");
    let read = kcat_read(&bootstrap, &topic);
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].value.as_deref(), Some(sent.as_bytes()), "kcat reads the original as sent");
    assert_eq!(read[1].value, read[0].value, "the re-sent value is byte-identical");
}

fn jsonl_file(dir: &std::path::Path, n: usize) -> String {
    let path = dir.join("in.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    for i in 0..n {
        let kind = ["order", "refund", "audit"][i % 3];
        writeln!(f, r#"{{"key":"k{i}","value":{{"id":{i},"kind":"{kind}","note":"n{}"}},"headers":{{"src":"s{}"}}}}"#, i % 7, i % 5)
            .unwrap();
    }
    f.flush().unwrap();
    path.to_string_lossy().to_string()
}

/// A plain-lines file is sent as it is read, in pieces: every line arrives once, in order,
/// byte for byte, lines longer than a piece and lines cut between pieces included, and the
/// total the progress ends on is exact.
#[tokio::test]
async fn a_plain_lines_file_is_sent_line_by_line_as_it_is_read() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-lines");
    create_topic(&bootstrap, &topic, 1, &[("max.message.bytes", "4194304")]).await;
    let cluster = connect(&bootstrap);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("in.txt");
    let mut want: Vec<Vec<u8>> = Vec::new();
    let mut file = Vec::new();
    for i in 0..40_000usize {
        let line = match i {
            // Longer than the 1 MiB pieces the file is read in.
            7 => vec![b'L'; 3 << 20],
            9 => Vec::new(),
            11 => b"caf\xe9 \xff\x00 not UTF-8".to_vec(),
            _ => format!("line {i} {}", "x".repeat(i % 97)).into_bytes(),
        };
        file.extend_from_slice(&line);
        // Windows line ends are lines too, their \r dropped.
        file.extend_from_slice(if i % 5 == 0 { b"\r\n" } else { b"\n" });
        want.push(line);
    }
    // The last line has no line end.
    file.extend_from_slice(b"the end");
    want.push(b"the end".to_vec());
    std::fs::write(&path, &file).unwrap();

    let last = Arc::new(std::sync::Mutex::new(None));
    let seen = Arc::clone(&last);
    let report = produce::produce_file(
        &cluster,
        FileProduceRequest { topic: topic.clone(), path: path.to_string_lossy().into(), format: FileFormat::Lines },
        Arc::new(AtomicBool::new(false)),
        move |p| *seen.lock().unwrap() = Some(p),
    )
    .await
    .expect("bulk lines");
    let n = want.len() as u64;
    assert_eq!((report.sent, report.failed, report.total, report.total_estimated), (n, 0, n, false), "{:?}", report.errors);
    let last = last.lock().unwrap().expect("a progress report");
    assert_eq!((last.sent, last.total, last.total_estimated), (n, n, false));
    let got: Vec<Vec<u8>> = kcat_read(&bootstrap, &topic).into_iter().map(|r| r.value.expect("a value")).collect();
    assert_eq!(got.len(), want.len());
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(g == w, "line {} differs: {} bytes arrived, {} written", i + 1, g.len(), w.len());
    }
}

#[tokio::test]
async fn filters_and_whole_topic_search_match_an_independent_computation() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-filter");
    create_topic(&bootstrap, &topic, 3, &[]).await;
    let cluster = connect(&bootstrap);
    let dir = tempfile::tempdir().unwrap();
    let path = jsonl_file(dir.path(), 3000);
    let cancel = Arc::new(AtomicBool::new(false));
    let report = produce::produce_file(
        &cluster,
        FileProduceRequest { topic: topic.clone(), path, format: FileFormat::Jsonl },
        Arc::clone(&cancel),
        |_| {},
    )
    .await
    .expect("bulk");
    assert_eq!((report.sent, report.failed, report.total), (3000, 0, 3000));

    let truth = kcat_read(&bootstrap, &topic);
    assert_eq!(truth.len(), 3000);
    let session = browse_all(&cluster, &topic, None).await;
    let t0 = truth.iter().map(|r| r.timestamp).min().unwrap();
    let t1 = truth.iter().map(|r| r.timestamp).max().unwrap();
    let mid = t0 + (t1 - t0) / 2;
    let json = |r: &Record| serde_json::from_slice::<serde_json::Value>(r.value.as_deref().unwrap()).unwrap();
    let cases: Vec<(Filter, Box<dyn Fn(&Record) -> bool>)> = vec![
        (Filter { value_contains: Some("refund".into()), ..Default::default() }, Box::new(|r| json(r)["kind"] == "refund")),
        (Filter { key_contains: Some("k12".into()), ..Default::default() }, Box::new(|r| r.key.as_deref().unwrap().starts_with(b"k12"))),
        (Filter { header_contains: Some("s3".into()), ..Default::default() }, Box::new(|r| r.headers == "src=s3")),
        (
            Filter { regex: Some(r#""note":"n[25]""#.into()), partitions: Some(vec![0, 2]), ..Default::default() },
            Box::new(|r| [2, 5].contains(&(json(r)["id"].as_i64().unwrap() % 7)) && r.partition != 1),
        ),
        (
            Filter { json_pointer: Some("/id".into()), json_equals: Some("1234".into()), ..Default::default() },
            Box::new(|r| json(r)["id"] == 1234),
        ),
        (
            Filter { json_pointer: Some("/kind".into()), json_equals: Some("audit".into()), to_timestamp: Some(mid as f64), ..Default::default() },
            Box::new(move |r| json(r)["kind"] == "audit" && r.timestamp <= mid),
        ),
    ];
    for (filter, expect) in cases {
        let want: BTreeSet<(i32, i64)> = truth.iter().filter(|r| expect(r)).map(|r| (r.partition, r.offset)).collect();
        assert!(!want.is_empty(), "{filter:?} should match something");
        let count = messages::apply_filter(&session, &filter, &cancel, |_| {}).expect("filter");
        let got: BTreeSet<(i32, i64)> = desk_records(&session).iter().map(|r| (r.partition, r.offset)).collect();
        assert_eq!((count as usize, &got), (want.len(), &want), "{filter:?}");
        // Search whole topic: a session that keeps only matches finds the same set.
        let search = browse_all(&cluster, &topic, Some(filter.clone())).await;
        let found: BTreeSet<(i32, i64)> = desk_records(&search).iter().map(|r| (r.partition, r.offset)).collect();
        assert_eq!(found, want, "whole-topic search {filter:?}");
        assert_eq!(search.status().unwrap().scanned, 3000);
    }
    // An empty filter shows everything again.
    assert_eq!(messages::apply_filter(&session, &Filter::default(), &cancel, |_| {}).unwrap(), 3000);

    // Export the refunds to JSONL and send the file to another topic: the same messages arrive.
    messages::apply_filter(&session, &Filter { value_contains: Some("refund".into()), ..Default::default() }, &cancel, |_| {})
        .unwrap();
    let out = dir.path().join("refunds.jsonl").to_string_lossy().to_string();
    let written = export::export(&session, &out, export::ExportFormat::Jsonl, &cancel, |_| {}).unwrap();
    assert_eq!(written, 1000);
    let copy = unique_topic("msg-refunds");
    create_topic(&bootstrap, &copy, 3, &[]).await;
    let report = produce::produce_file(
        &cluster,
        FileProduceRequest { topic: copy.clone(), path: out, format: FileFormat::Jsonl },
        Arc::clone(&cancel),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(report.sent, 1000);
    let strip = |rs: Vec<Record>| rs.into_iter().map(|r| (r.partition, r.key, r.value, r.headers)).collect::<BTreeSet<_>>();
    let refunds: Vec<Record> = truth.iter().filter(|r| json(r)["kind"] == "refund").cloned().collect();
    assert_eq!(strip(kcat_read(&bootstrap, &copy)), strip(refunds.clone()));

    // Copy a range (the same filtered view) to a third topic, keeping partitions.
    let third = unique_topic("msg-copy");
    create_topic(&bootstrap, &third, 3, &[]).await;
    let report = messages::copy_to_topic(&cluster, Arc::clone(&session), &third, true, Arc::clone(&cancel), |_| {}).await.unwrap();
    assert_eq!((report.sent, report.failed), (1000, 0));
    assert_eq!(strip(kcat_read(&bootstrap, &third)), strip(refunds));
}

#[tokio::test]
async fn start_positions_and_live_tail() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-pos");
    create_topic(&bootstrap, &topic, 2, &[]).await;
    let cluster = connect(&bootstrap);
    for i in 0..10 {
        let r = ProduceRequest { topic: topic.clone(), partition: Some(i % 2), value: Some(format!("v{i}")), ..Default::default() };
        produce::produce(&cluster, r).await.unwrap();
    }
    let start = |start: StartAt, stop: StopAt, partitions: Option<Vec<i32>>| BrowseRequest {
        topic: topic.clone(),
        start,
        stop,
        partitions,
        filter: None,
        max_messages: None,
        max_mib: None,
    };
    let values = |s: &Session| -> Vec<String> {
        s.window(0, 100, DecodeAs::Text, DecodeAs::Text).unwrap().rows.into_iter().map(|r| r.value.text).collect()
    };
    let last = browse::start(&cluster, "a".into(), start(StartAt::LastPerPartition { count: 2 }, StopAt::Now, None)).await.unwrap();
    wait_done(&last).await;
    let got: BTreeSet<String> = values(&last).into_iter().collect();
    assert_eq!(got, ["v6", "v7", "v8", "v9"].iter().map(|s| s.to_string()).collect());
    let from = browse::start(&cluster, "b".into(), start(StartAt::Offset { offset: 3 }, StopAt::Now, Some(vec![1]))).await.unwrap();
    wait_done(&from).await;
    assert_eq!(values(&from), vec!["v7", "v9"]);
    let count = browse::start(&cluster, "c".into(), start(StartAt::Earliest, StopAt::Count { count: 3 }, Some(vec![0]))).await.unwrap();
    wait_done(&count).await;
    assert_eq!(values(&count), vec!["v0", "v2", "v4"]);
    let future = browse::start(&cluster, "d".into(), start(StartAt::Timestamp { timestamp: i64::MAX / 2 }, StopAt::Now, None)).await.unwrap();
    wait_done(&future).await;
    assert!(values(&future).is_empty());
    let err = browse::start(&cluster, "e".into(), start(StartAt::Earliest, StopAt::Now, Some(vec![5]))).await.err().unwrap();
    assert_eq!((err.kind, err.detail.as_deref()), (ErrorKind::InvalidInput, Some("partitions")));

    // Tail: a message kcat produces after the session started shows up within 2 s.
    let tail = browse::start(&cluster, "f".into(), start(StartAt::Latest, StopAt::Follow, None)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    harness::kcat_produce(&bootstrap, &topic, None, "live-one\n").expect("kcat -P");
    let sent = Instant::now();
    while values(&tail) != vec!["live-one"] {
        assert!(sent.elapsed() < Duration::from_secs(2), "tail did not show the message: {:?}", tail.status());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tail.stop();

    // A small cap in tail mode drops the oldest, and says so.
    let capped = browse::start(
        &cluster,
        "g".into(),
        BrowseRequest { max_messages: Some(4), ..start(StartAt::Earliest, StopAt::Follow, None) },
    )
    .await
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while capped.status().unwrap().dropped < 7 {
        assert!(Instant::now() < deadline, "{:?}", capped.status());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let status = capped.status().unwrap();
    assert_eq!(status.stored, 4);
    assert!(status.notice.unwrap_or_default().contains("oldest 7 messages were dropped"));
    capped.stop();
}

#[tokio::test]
async fn bad_input_gets_precise_errors_and_sends_nothing() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-bad");
    create_topic(&bootstrap, &topic, 3, &[("max.message.bytes", "2000")]).await;
    let cluster = connect(&bootstrap);

    let bad_json = ProduceRequest {
        topic: topic.clone(),
        value: text("{\"a\": 1,\n \"b\": nope}"),
        value_format: InputFormat::Json,
        ..Default::default()
    };
    let e = produce::produce(&cluster, bad_json).await.unwrap_err();
    assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("value")));
    assert!(e.message.contains("line 2, column 8"), "{}", e.message);

    let bad_partition = ProduceRequest { topic: topic.clone(), partition: Some(3), value: text("x"), ..Default::default() };
    let e = produce::produce(&cluster, bad_partition).await.unwrap_err();
    assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("partition")));
    assert!(e.message.contains("partitions 0 to 2; there is no partition 3"), "{}", e.message);

    let too_big = ProduceRequest { topic: topic.clone(), value: Some("z".repeat(5000)), ..Default::default() };
    let started = Instant::now();
    let e = produce::produce(&cluster, too_big).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(15), "took {:?}", started.elapsed());
    assert!(e.message.contains("max.message.bytes"), "{e:?}");

    let missing = ProduceRequest { topic: unique_topic("msg-missing"), value: text("x"), ..Default::default() };
    let e = produce::produce(&cluster, missing.clone()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound, "{e:?}");
    assert!(e.message.contains("does not exist"));

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.jsonl");
    std::fs::write(&path, "{\"value\":\"ok\"}\n{\"value\":\"ok\"}\n{\"value\": \"unterminated}\n{\"key\":\"k\"}\n").unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let request = FileProduceRequest { topic: topic.clone(), path: path.to_string_lossy().into(), format: FileFormat::Jsonl };
    let e = produce::produce_file(&cluster, request, Arc::clone(&cancel), |_| {}).await.unwrap_err();
    assert_eq!((e.kind, e.detail.as_deref()), (ErrorKind::InvalidInput, Some("path")));
    assert!(e.message.starts_with("Nothing was sent. Line 3 "), "{}", e.message);
    assert!(e.message.contains("Line 4 has no \"value\""), "{}", e.message);

    assert!(kcat_read(&bootstrap, &topic).is_empty(), "nothing may have been sent");
    // The producer refused to create the misspelt topic.
    let out = Command::new("kcat").args(["-b", &bootstrap, "-L", "-t", &missing.topic]).output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains("partitions: 1"), "topic was auto-created");
}

/// The broker leading partition 0 of `topic`, from kcat's metadata.
fn leader_of(bootstrap: &str, topic: &str) -> i32 {
    let out = Command::new("kcat").args(["-b", bootstrap, "-L", "-t", topic, "-J"]).output().unwrap();
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    meta["topics"][0]["partitions"][0]["leader"].as_i64().unwrap() as i32
}

#[tokio::test]
async fn killing_the_leader_during_a_bulk_produce_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut kafka = harness::Cluster::start(ClusterSpec::new(3, dir.path().join("kafka"))).expect("own cluster");
    let bootstrap = kafka.bootstrap();
    let topic = unique_topic("msg-fault");
    create_topic(&bootstrap, &topic, 6, &[("min.insync.replicas", "2")]).await;
    let cluster = connect(&bootstrap);
    let n = 200_000;
    let path = jsonl_file(dir.path(), n);
    let cancel = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let job = {
        let (cluster, topic, cancel, sent) = (cluster.clone(), topic.clone(), Arc::clone(&cancel), Arc::clone(&sent));
        tokio::spawn(async move {
            let request = FileProduceRequest { topic, path, format: FileFormat::Jsonl };
            produce::produce_file(&cluster, request, cancel, move |p| sent.store(p.sent, std::sync::atomic::Ordering::Relaxed)).await
        })
    };
    // A browse session tailing the topic must survive the broker going away and coming back.
    let tail = browse::start(
        &cluster,
        "tail".into(),
        BrowseRequest {
            topic: topic.clone(),
            start: StartAt::Earliest,
            stop: StopAt::Follow,
            partitions: None,
            filter: None,
            max_messages: None,
            max_mib: None,
        },
    )
    .await
    .unwrap();
    while sent.load(std::sync::atomic::Ordering::Relaxed) < 20_000 {
        assert!(!job.is_finished(), "the produce ended early: {:?}", job.await);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let leader = leader_of(&bootstrap, &topic);
    kafka.kill_node(leader).expect("kill -9 the leader");
    let report = job.await.unwrap().expect("bulk produce");
    assert_eq!((report.sent, report.failed, report.cancelled), (n as u64, 0, false), "{:?}", report.errors);
    kafka.start_node(leader).expect("restart");

    let records = kcat_read(&bootstrap, &topic);
    let keys: BTreeMap<Vec<u8>, usize> = records.iter().fold(BTreeMap::new(), |mut m, r| {
        *m.entry(r.key.clone().unwrap()).or_default() += 1;
        m
    });
    assert_eq!(records.len(), n, "duplicates or losses");
    assert_eq!(keys.len(), n);
    assert!(keys.values().all(|c| *c == 1));
    assert!((0..n).all(|i| keys.contains_key(format!("k{i}").as_bytes())));

    let deadline = Instant::now() + Duration::from_secs(60);
    while tail.status().unwrap().stored < n as u32 {
        assert!(Instant::now() < deadline, "the tail session stalled: {:?}", tail.status());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(tail.status().unwrap().state, SessionState::Running);
    tail.stop();
    kafka.stop();
}

#[tokio::test]
async fn a_cancelled_bulk_produce_reports_exactly_what_arrived() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-cancel");
    create_topic(&bootstrap, &topic, 3, &[]).await;
    let cluster = connect(&bootstrap);
    let dir = tempfile::tempdir().unwrap();
    let path = jsonl_file(dir.path(), 300_000);
    let cancel = Arc::new(AtomicBool::new(false));
    let stopper = Arc::clone(&cancel);
    let request = FileProduceRequest { topic: topic.clone(), path, format: FileFormat::Jsonl };
    // Cancel as soon as the first progress report shows messages arriving.
    let report = produce::produce_file(&cluster, request, Arc::clone(&cancel), move |p| {
        if p.sent > 0 {
            stopper.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    })
    .await
    .expect("a cancelled job still reports");
    assert!(report.cancelled, "{report:?}");
    assert!(report.sent > 0 && report.sent < 300_000, "{report:?}");
    assert_eq!(report.failed, 0, "{:?}", report.errors);
    // Everything the report counts as sent is in Kafka, and nothing more.
    assert_eq!(kcat_read(&bootstrap, &topic).len() as u64, report.sent);
}

// ---- The batch consumer's edge cases and the exact bytes of a bulk produce (issue 10) ----

/// Produces `n` values `p<partition>-<i>` to one partition with kcat (one call).
fn kcat_fill(bootstrap: &str, topic: &str, partition: i32, n: usize) {
    let lines: String = (0..n).map(|i| format!("p{partition}-{i}\n")).collect();
    harness::kcat_produce(bootstrap, topic, Some(partition), &lines).expect("kcat -P");
}

/// (partition, offset) of every stored row, in store order.
fn positions(session: &Session) -> Vec<(i32, i64)> {
    let data = session.read().unwrap();
    data.store.iter().map(|(_, m)| (m.partition, m.offset)).collect()
}

/// Per partition, the offsets stored must be exactly `from..from+n` in order (no gap, no
/// duplicate, nothing past the end).
fn assert_contiguous(rows: &[(i32, i64)], partition: i32, from: i64, n: usize) {
    let got: Vec<i64> = rows.iter().filter(|(p, _)| *p == partition).map(|(_, o)| *o).collect();
    let want: Vec<i64> = (from..from + n as i64).collect();
    assert_eq!(got.len(), want.len(), "partition {partition}: {} rows, expected {}", got.len(), want.len());
    assert!(got == want, "partition {partition}: offsets not exactly {from}..{}", from + n as i64);
}

#[tokio::test]
async fn batch_reads_stop_exactly_at_each_partitions_end_including_empty_ones() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-ends");
    create_topic(&bootstrap, &topic, 4, &[]).await;
    // Uneven partitions: a long one, a short one whose end falls inside the first batch,
    // a one-message one and one with no data at all.
    kcat_fill(&bootstrap, &topic, 0, 30_000);
    kcat_fill(&bootstrap, &topic, 1, 3);
    kcat_fill(&bootstrap, &topic, 2, 1);
    let cluster = connect(&bootstrap);
    let session = browse_all(&cluster, &topic, None).await;
    let status = session.status().unwrap();
    assert_eq!((status.stored, status.scanned, status.expected), (30_004, 30_004, Some(30_004)));
    let rows = positions(&session);
    assert_contiguous(&rows, 0, 0, 30_000);
    assert_contiguous(&rows, 1, 0, 3);
    assert_contiguous(&rows, 2, 0, 1);
    assert_contiguous(&rows, 3, 0, 0);
    // Values arrive intact and in partition order. Partitions interleave in arrival order, so
    // partition 1's rows can be anywhere in the store: read every window.
    let mut p1 = Vec::new();
    for start in (0..30_004).step_by(1000) {
        let w = session.window(start, 1000, DecodeAs::Text, DecodeAs::Text).unwrap();
        p1.extend(w.rows.iter().filter(|r| r.partition == 1).map(|r| r.value.text.clone()));
    }
    assert_eq!(p1, vec!["p1-0", "p1-1", "p1-2"]);

    // Only the empty partition: done at once, nothing stored.
    let started = Instant::now();
    let empty = browse::start(
        &cluster,
        "empty".into(),
        BrowseRequest { partitions: Some(vec![3]), ..browse_request(&topic) },
    )
    .await
    .unwrap();
    wait_done(&empty).await;
    assert_eq!(empty.status().unwrap().stored, 0);
    assert!(started.elapsed() < Duration::from_secs(5), "an empty partition took {:?}", started.elapsed());

    // A count that ends inside a batch stores exactly that many, in partition order.
    let count = browse::start(
        &cluster,
        "count".into(),
        BrowseRequest { stop: StopAt::Count { count: 777 }, partitions: Some(vec![0]), ..browse_request(&topic) },
    )
    .await
    .unwrap();
    wait_done(&count).await;
    assert_contiguous(&positions(&count), 0, 0, 777);
}

fn browse_request(topic: &str) -> BrowseRequest {
    BrowseRequest {
        topic: topic.into(),
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter: None,
        max_messages: None,
        max_mib: None,
    }
}

#[tokio::test]
async fn messages_written_after_the_start_are_not_part_of_now() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-now");
    create_topic(&bootstrap, &topic, 2, &[]).await;
    kcat_fill(&bootstrap, &topic, 0, 50_000);
    kcat_fill(&bootstrap, &topic, 1, 50_000);
    let cluster = connect(&bootstrap);
    // A writer keeps adding to both partitions while the session reads.
    let writing = Arc::new(AtomicBool::new(true));
    let writer = {
        let (bootstrap, topic, writing) = (bootstrap.clone(), topic.clone(), Arc::clone(&writing));
        std::thread::spawn(move || {
            while writing.load(std::sync::atomic::Ordering::Relaxed) {
                kcat_fill(&bootstrap, &topic, 0, 2000);
                kcat_fill(&bootstrap, &topic, 1, 2000);
            }
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let session = browse::start(&cluster, "now".into(), browse_request(&topic)).await.unwrap();
    wait_done(&session).await;
    writing.store(false, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    let status = session.status().unwrap();
    let expected = status.expected.unwrap() as usize;
    assert!(expected >= 100_000);
    assert_eq!(status.stored as usize, expected, "stored what existed at the start, exactly");
    let rows = positions(&session);
    let in_p0 = rows.iter().filter(|(p, _)| *p == 0).count();
    assert_contiguous(&rows, 0, 0, in_p0);
    assert_contiguous(&rows, 1, 0, expected - in_p0);
}

#[tokio::test]
async fn stopping_mid_read_keeps_a_clean_prefix_and_ends_promptly() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-stop");
    create_topic(&bootstrap, &topic, 3, &[]).await;
    for p in 0..3 {
        kcat_fill(&bootstrap, &topic, p, 100_000);
    }
    let cluster = connect(&bootstrap);
    let session = browse::start(&cluster, "stop".into(), browse_request(&topic)).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while session.status().unwrap().stored == 0 {
        assert!(Instant::now() < deadline, "no rows: {:?}", session.status());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    session.stop();
    let stopped = Instant::now();
    loop {
        let status = session.status().unwrap();
        if status.state != SessionState::Running {
            assert_eq!(status.state, SessionState::Stopped, "{status:?}");
            break;
        }
        assert!(stopped.elapsed() < Duration::from_secs(2), "the reading thread did not stop: {status:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let status = session.status().unwrap();
    assert!(status.stored < 300_000, "stopped only after reading everything: {status:?}");
    // Whatever was read is a gap-free prefix of each partition, and stays put.
    let rows = positions(&session);
    for p in 0..3 {
        let n = rows.iter().filter(|(q, _)| *q == p).count();
        assert_contiguous(&rows, p, 0, n);
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(session.status().unwrap().stored, status.stored);
}

#[tokio::test]
async fn the_first_rows_are_pushed_before_the_read_ends() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-push");
    create_topic(&bootstrap, &topic, 3, &[]).await;
    for p in 0..3 {
        kcat_fill(&bootstrap, &topic, p, 100_000);
    }
    let cluster = connect(&bootstrap);
    let pushed = Arc::new(std::sync::Mutex::new(Vec::<browse::SessionStatus>::new()));
    let sink = Arc::clone(&pushed);
    let push = Box::new(move |s: browse::SessionStatus| sink.lock().unwrap().push(s));
    let session = browse::start_with(&cluster, "push".into(), browse_request(&topic), None, push).await.unwrap();
    wait_done(&session).await;
    // The final push comes from the reading thread right after it ends.
    let deadline = Instant::now() + Duration::from_secs(5);
    while pushed.lock().unwrap().last().is_none_or(|s| s.state == SessionState::Running) {
        assert!(Instant::now() < deadline, "no final push");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let pushed = pushed.lock().unwrap();
    let first = pushed.iter().find(|s| s.stored > 0).expect("a push with rows");
    assert_eq!(first.state, SessionState::Running, "the first rows came only with the end: {first:?}");
    assert!(first.stored < 300_000);
    let last = pushed.last().unwrap();
    assert_eq!((last.state, last.stored), (SessionState::Done, 300_000));
    // Stored counts only grow from push to push.
    assert!(pushed.windows(2).all(|w| w[0].stored <= w[1].stored));
}

#[tokio::test]
async fn bulk_jsonl_sends_json_values_exactly_as_written() {
    let bootstrap = test_cluster().bootstrap();
    let topic = unique_topic("msg-exact");
    create_topic(&bootstrap, &topic, 1, &[]).await;
    let cluster = connect(&bootstrap);
    // Spacing, key order, number forms, unicode escapes and nesting as a person wrote them.
    let values = [
        r#"{ "b" : 2,   "a":1 }"#,
        r#"[1.50, 2e3, -0.0, 1E+2]"#,
        r#"{"s":"tab\tand \u00e9 and \"quotes\"","n":null,"t":true}"#,
        r#"12345678901234567890123"#,
        r#"{"nested":{"deep":[{"x":[]}, {}]}}"#,
    ];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exact.jsonl");
    let mut text = String::new();
    for (i, v) in values.iter().enumerate() {
        text.push_str(&format!("{{\"key\":\"k{i}\",  \"value\": {v} ,\"headers\":{{\"h\":\"{i}\"}}}}\n"));
    }
    // A string value is sent as its text (escapes decoded), a null value as a tombstone.
    text.push_str(r#"{"key":"text","value":"plain \"quoted\" \u2713"}"#);
    text.push('\n');
    text.push_str(r#"{"key":"tomb","value":null}"#);
    text.push('\n');
    std::fs::write(&path, &text).unwrap();
    let cancel = Arc::new(AtomicBool::new(false));
    let request = FileProduceRequest { topic: topic.clone(), path: path.to_string_lossy().into(), format: FileFormat::Jsonl };
    let report = produce::produce_file(&cluster, request, cancel, |_| {}).await.unwrap();
    assert_eq!((report.sent, report.failed), (7, 0), "{:?}", report.errors);
    let records = kcat_read(&bootstrap, &topic);
    assert_eq!(records.len(), 7);
    for (i, v) in values.iter().enumerate() {
        assert_eq!(records[i].key.as_deref(), Some(format!("k{i}").as_bytes()));
        assert_eq!(String::from_utf8_lossy(records[i].value.as_deref().unwrap()), *v, "value {i} changed on the way");
        assert_eq!(records[i].headers, format!("h={i}"));
    }
    assert_eq!(records[5].value.as_deref(), Some("plain \"quoted\" ✓".as_bytes()));
    assert_eq!((records[6].key.as_deref(), records[6].value.as_deref()), (Some(b"tomb".as_slice()), None));
}

#[tokio::test]
async fn killing_a_broker_mid_read_loses_and_duplicates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut kafka = harness::Cluster::start(ClusterSpec::new(3, dir.path().join("kafka"))).expect("own cluster");
    let bootstrap = kafka.bootstrap();
    let topic = unique_topic("msg-read-fault");
    create_topic(&bootstrap, &topic, 3, &[]).await;
    for p in 0..3 {
        kcat_fill(&bootstrap, &topic, p, 300_000);
    }
    let cluster = connect(&bootstrap);
    let leader = leader_of(&bootstrap, &topic);
    let session = browse::start(&cluster, "fault".into(), browse_request(&topic)).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while session.status().unwrap().stored == 0 {
        assert!(Instant::now() < deadline, "no rows: {:?}", session.status());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    // Killed as soon as the first batch is in: the rest of the read crosses the fault.
    kafka.kill_node(leader).expect("kill -9 a leader");
    let killed_at = session.status().unwrap().stored;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let status = session.status().unwrap();
        match status.state {
            SessionState::Done => break,
            SessionState::Running => {
                assert!(Instant::now() < deadline, "the read never finished after the kill: {status:?}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("ended {other:?}: {status:?}"),
        }
    }
    kafka.start_node(leader).expect("restart");
    let rows = positions(&session);
    assert!((killed_at as usize) < rows.len(), "the kill came after the read ended");
    for p in 0..3 {
        assert_contiguous(&rows, p, 0, 300_000);
    }
    kafka.stop();
}
