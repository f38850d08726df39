//! The messages benchmark (issue 10): KafkaDesk's own code paths against kcat on the same
//! real cluster, the same topic layout and the same input, in the same run. Run by
//! `make bench-messages` (bench/messages.sh); writes bench/results.json and the Messages
//! section of bench/RESULTS.md.
//!
//! Fair pairings, each run RUNS times, interleaved (the side that goes first alternates),
//! medians reported, with CPU-seconds per million messages:
//! - produce_lines_vs_kcat: bulk produce of a plain-lines file vs
//!   `kcat -F none -P -l -X enable.idempotence=true` on the same file.
//! - produce_jsonl_vs_kcat: bulk produce of a JSONL file with keys vs the same keys and
//!   values as a key<TAB>value file through `kcat -F none -P -l -K '\t'
//!   -X enable.idempotence=true -X partitioner=murmur2_random`.
//! - browse_vs_kcat: a browse session from earliest to now filling its store vs
//!   `kcat -F none -C -e -q -o beginning` to /dev/null, on the same topic.
//! - store_bytes_per_payload_byte: RSS growth of a fresh process while a session loads the
//!   topic, divided by the key + value bytes loaded.
//! - first_rows_ms: start of a browse of the 1M-message topic to the first status pushed
//!   with rows (the push the UI's channel receives).
//! - filter_1m_ms: a value-substring filter over the 1,000,000 stored messages.
//!
//! Kafka's own ProducerPerformance / ConsumerPerformance run once each as a second reference.
//!
//! With `KAFKADESK_BENCH_KCAT_SAME` naming a kcat built against KafkaDesk's own librdkafka
//! (bench/messages.sh builds one), each kcat run is paired with the same command through
//! it: the system's kcat may link another librdkafka, and the version alone moves the
//! figures; the `*_vs_kcat_same_librdkafka` ratios compare KafkaDesk's code alone.

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kafkadesk::kafka::messages::bulk::FileIndex;
use kafkadesk::kafka::messages::browse::{self, BrowseRequest, Session, SessionState, SessionStatus, StartAt, StopAt};
use kafkadesk::kafka::messages::filter::Filter;
use kafkadesk::kafka::messages::produce::{self, FileFormat, FileProduceRequest};
use kafkadesk::kafka::messages::{self};
use kafkadesk::kafka::{Cluster, ConnectedCluster, Connection};
use kafkadesk_tests::kafka::{test_cluster, unique_topic};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};

const N: usize = 1_000_000;
const VALUE_BYTES: usize = 200;
const PARTITIONS: i32 = 6;
const RUNS: usize = 5;

/// CPU seconds used so far by this process (all its threads) and by its waited-for children.
fn cpu_seconds() -> (f64, f64) {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<f64> = rest.split_whitespace().map(|v| v.parse().unwrap_or(0.0)).collect();
    // SAFETY: sysconf has no preconditions.
    let tick = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let at = |i: usize| f.get(i).copied().unwrap_or(0.0) / tick;
    // utime, stime, cutime, cstime are fields 14..17 of the line, 12..15 after the name.
    (at(11) + at(12), at(13) + at(14))
}

fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0);
    kb / 1024.0
}

/// One timed run: seconds and CPU seconds.
#[derive(Debug, Clone, Copy)]
struct Run {
    secs: f64,
    cpu: f64,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return f64::NAN;
    }
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

#[derive(Default)]
struct Side {
    runs: Vec<Run>,
}

impl Side {
    fn rate(&self) -> f64 {
        median(self.runs.iter().map(|r| N as f64 / r.secs).collect())
    }
    fn cpu_per_million(&self) -> f64 {
        median(self.runs.iter().map(|r| r.cpu * 1_000_000.0 / N as f64).collect())
    }
    fn rates(&self) -> Vec<f64> {
        self.runs.iter().map(|r| (N as f64 / r.secs).round()).collect()
    }
}

/// Runs a kcat command to completion, its output discarded: wall and CPU seconds.
fn kcat(program: &str, args: &[&str]) -> Run {
    let (_, before) = cpu_seconds();
    let started = Instant::now();
    let out = Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).output().expect("kcat");
    let secs = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "{program} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    let (_, after) = cpu_seconds();
    Run { secs, cpu: after - before }
}

/// The librdkafka version a kcat links, from its `-V` text ("... librdkafka 2.0.2 ...").
fn kcat_librdkafka(program: &str) -> String {
    let out = Command::new(program).arg("-V").output().map(|o| String::from_utf8_lossy(&o.stdout).to_string()).unwrap_or_default();
    out.split_once("librdkafka ").and_then(|(_, v)| v.split_whitespace().next()).unwrap_or("?").to_string()
}

fn admin(bootstrap: &str) -> AdminClient<DefaultClientContext> {
    ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("admin client")
}

async fn create_topic(bootstrap: &str, topic: &str) {
    let new = NewTopic::new(topic, PARTITIONS, TopicReplication::Fixed(1));
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    for r in admin(bootstrap).create_topics([&new], &opts).await.expect("create topic") {
        r.expect("topic created");
    }
    // Wait until every partition has a leader.
    let consumer: BaseConsumer = ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("consumer");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ok = consumer
            .fetch_metadata(Some(topic), Duration::from_secs(5))
            .ok()
            .and_then(|m| m.topics().first().map(|t| t.partitions().len() == PARTITIONS as usize && t.partitions().iter().all(|p| p.leader() >= 0)))
            .unwrap_or(false);
        if ok {
            return;
        }
        assert!(Instant::now() < deadline, "topic {topic} never got its leaders");
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn delete_topic(bootstrap: &str, topic: &str) {
    let opts = AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)));
    let _ = admin(bootstrap).delete_topics(&[topic], &opts).await;
}

/// Messages in a topic: the sum of its partitions' high watermarks (every topic starts empty).
fn count(bootstrap: &str, topic: &str) -> i64 {
    let consumer: BaseConsumer = ClientConfig::new().set("bootstrap.servers", bootstrap).create().expect("consumer");
    (0..PARTITIONS).map(|p| consumer.fetch_watermarks(topic, p, Duration::from_secs(10)).expect("watermarks").1).sum()
}

async fn desk_produce(cluster: &kafkadesk::kafka::Write, topic: &str, path: &str, format: FileFormat) -> Run {
    let never = Arc::new(AtomicBool::new(false));
    let (before, _) = cpu_seconds();
    let started = Instant::now();
    let request = FileProduceRequest { topic: topic.into(), path: path.into(), format };
    let report = produce::produce_file(cluster, request, never, |_| {}).await.expect("bulk produce");
    let secs = started.elapsed().as_secs_f64();
    let (after, _) = cpu_seconds();
    assert_eq!((report.sent, report.failed), (N as u64, 0), "{:?}", report.errors);
    Run { secs, cpu: after - before }
}

fn browse_request(topic: &str) -> BrowseRequest {
    BrowseRequest {
        topic: topic.into(),
        start: StartAt::Earliest,
        stop: StopAt::Now,
        partitions: None,
        filter: None,
        max_messages: None,
        max_mib: Some(4096),
    }
}

async fn wait_done(session: &Session) {
    loop {
        let status = session.status().expect("status");
        match status.state {
            SessionState::Running => tokio::time::sleep(Duration::from_millis(2)).await,
            SessionState::Done => return,
            other => panic!("browse ended {other:?}: {status:?}"),
        }
    }
}

async fn desk_browse(cluster: &Arc<Cluster>, topic: &str) -> (Run, Arc<Session>) {
    let (before, _) = cpu_seconds();
    let started = Instant::now();
    let session = browse::start(cluster, "bench".into(), browse_request(topic)).await.expect("browse");
    wait_done(&session).await;
    let secs = started.elapsed().as_secs_f64();
    let (after, _) = cpu_seconds();
    assert_eq!(session.status().expect("status").stored as usize, N);
    (Run { secs, cpu: after - before }, session)
}

/// Start of a browse to the first status pushed with rows in it.
async fn first_rows(cluster: &Arc<Cluster>, topic: &str) -> f64 {
    let (tx, rx) = std::sync::mpsc::channel::<Instant>();
    let tx = std::sync::Mutex::new(tx);
    let started = Instant::now();
    let push = Box::new(move |s: SessionStatus| {
        if s.stored > 0 {
            if let Ok(tx) = tx.lock() {
                let _ = tx.send(Instant::now());
            }
        }
    });
    let session = browse::start_with(cluster, "first".into(), browse_request(topic), None, push).await.expect("browse");
    let at = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(30)).expect("first rows")).await.expect("wait");
    session.stop();
    (at - started).as_secs_f64() * 1000.0
}

/// Per-run rates for the report, in run order: "519k, 668k, ...".
fn runs(rates: &serde_json::Value) -> String {
    let rates = rates.as_array().map(Vec::as_slice).unwrap_or_default();
    rates.iter().filter_map(serde_json::Value::as_f64).map(|r| format!("{:.0}k", r / 1000.0)).collect::<Vec<_>>().join(", ")
}

/// The memory figure, in a fresh process (this one's allocator holds what earlier runs
/// freed): RSS growth while one session loads the topic, and the key + value bytes loaded.
async fn memory_child(bootstrap: &str, topic: &str) {
    let cluster = Cluster::connect(&Connection::plain("bench", bootstrap)).expect("client");
    let before = rss_mb();
    let session = browse::start(&cluster, "memory".into(), browse_request(topic)).await.expect("browse");
    wait_done(&session).await;
    // librdkafka's own buffers are gone with the consumer once the session is done.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_mb();
    let data = session.read().expect("store");
    let payload: usize =
        data.store.iter().map(|(_, m)| m.key().map_or(0, <[u8]>::len) + m.value().map_or(0, <[u8]>::len)).sum();
    let figures = serde_json::json!({
        "rss_before_mb": before,
        "rss_after_mb": after,
        "payload_bytes": payload,
        "store_bytes": data.store.bytes(),
        "messages": data.store.len(),
    });
    println!("{figures}");
}

/// Kafka's own perf tools, once each: messages/s as they report it.
fn kafka_perf(bootstrap: &str, topic: &str) -> (f64, f64) {
    let n = N.to_string();
    let size = VALUE_BYTES.to_string();
    let props = format!("bootstrap.servers={bootstrap}");
    let out = kafkadesk_tests::kafka::kafka_java(
        "org.apache.kafka.tools.ProducerPerformance",
        &["--topic", topic, "--num-records", &n, "--record-size", &size, "--throughput", "-1", "--producer-props", &props, "acks=all", "enable.idempotence=true"],
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // "... 1000000 records sent, 123456.7 records/sec (...)" on the last line.
    let produce = text
        .lines()
        .rev()
        .find_map(|l| l.split(" records/sec").next().filter(|_| l.contains(" records sent, "))?.rsplit(", ").next()?.trim().parse().ok())
        .unwrap_or(f64::NAN);
    let out = kafkadesk_tests::kafka::kafka_java(
        "org.apache.kafka.tools.ConsumerPerformance",
        &["--bootstrap-server", bootstrap, "--topic", topic, "--messages", &n, "--timeout", "60000"],
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, ...
    let consume = text
        .lines()
        .filter(|l| l.contains(','))
        .last()
        .and_then(|l| l.split(',').nth(5)?.trim().parse().ok())
        .unwrap_or(f64::NAN);
    (produce, consume)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").unwrap_or_default().split_whitespace().take(3).collect::<Vec<_>>().join(" ")
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("memory") {
        memory_child(&args[2], &args[3]).await;
        return;
    }
    let kafka = test_cluster();
    let bootstrap = kafka.bootstrap();
    let dir = tempfile::tempdir().expect("temp dir");
    let lines_path = dir.path().join("values.txt");
    let jsonl_path = dir.path().join("keyed.jsonl");
    let tsv_path = dir.path().join("keyed.tsv");
    {
        let mut lines = std::io::BufWriter::new(std::fs::File::create(&lines_path).expect("input"));
        let mut jsonl = std::io::BufWriter::new(std::fs::File::create(&jsonl_path).expect("input"));
        let mut tsv = std::io::BufWriter::new(std::fs::File::create(&tsv_path).expect("input"));
        for i in 0..N {
            // A 200-byte value; every 1000th carries the needle the filter looks for.
            let marker = if i % 1000 == 0 { "needle" } else { "hay---" };
            let value = format!("{marker}-{i:012}-{}", "x".repeat(VALUE_BYTES));
            let value = &value[..VALUE_BYTES];
            writeln!(lines, "{value}").expect("write");
            writeln!(jsonl, r#"{{"key":"k{i}","value":"{value}"}}"#).expect("write");
            writeln!(tsv, "k{i}\t{value}").expect("write");
        }
    }
    let (lines_path, jsonl_path, tsv_path) =
        (lines_path.to_string_lossy().to_string(), jsonl_path.to_string_lossy().to_string(), tsv_path.to_string_lossy().to_string());
    let cluster = ConnectedCluster::open(&Connection::plain("bench", &bootstrap)).expect("client").write("bench").expect("writable");
    let load_start = load_average();
    eprintln!("load average at start: {load_start}");

    // The part of a JSONL send done before its first message: read the file, check every line.
    let (mut check_ms, mut check_cpu) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let (before, _) = cpu_seconds();
        let started = Instant::now();
        let index = FileIndex::read(&jsonl_path, PARTITIONS, "bench", None, &AtomicBool::new(false)).expect("check");
        check_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        check_cpu.push(cpu_seconds().0 - before);
        assert_eq!(index.len(), N as u64);
    }
    let (check_ms, check_cpu) = (median(check_ms), median(check_cpu));
    eprintln!("JSONL read + check: {check_ms:.0} ms, {check_cpu:.2} CPU-s");

    // Produce, interleaved: each run to fresh topics, deleted after they are counted.
    let (mut desk_lines, mut kcat_lines, mut desk_jsonl, mut kcat_jsonl) = (Side::default(), Side::default(), Side::default(), Side::default());
    // The same kcat commands through a kcat built on KafkaDesk's librdkafka, when given.
    let same = std::env::var("KAFKADESK_BENCH_KCAT_SAME").ok().filter(|p| !p.is_empty());
    let (mut same_lines, mut same_jsonl, mut same_browse) = (Side::default(), Side::default(), Side::default());
    let kcats: Vec<&str> = std::iter::once("kcat").chain(same.as_deref()).collect();
    let mut browse_topic = None;
    for run in 0..RUNS {
        let topics: Vec<String> = (0..2 + 2 * kcats.len()).map(|i| unique_topic(&format!("bench-p{run}-{i}"))).collect();
        for t in &topics {
            create_topic(&bootstrap, t).await;
        }
        let desk_first = run % 2 == 0;
        for turn in 0..2 {
            if (turn == 0) == desk_first {
                desk_lines.runs.push(desk_produce(&cluster, &topics[0], &lines_path, FileFormat::Lines).await);
                desk_jsonl.runs.push(desk_produce(&cluster, &topics[topics.len() - 1], &jsonl_path, FileFormat::Jsonl).await);
            } else {
                // The two kcats take turns going first too.
                for k in 0..kcats.len() {
                    let k = (k + run) % kcats.len();
                    let (lines_topic, jsonl_topic) = (&topics[1 + 2 * k], &topics[2 + 2 * k]);
                    let lines = kcat(kcats[k], &["-b", &bootstrap, "-F", "none", "-P", "-t", lines_topic, "-l", "-X", "enable.idempotence=true", &lines_path]);
                    let jsonl = kcat(kcats[k], &[
                        "-b", &bootstrap, "-F", "none", "-P", "-t", jsonl_topic, "-l", "-K", "\t",
                        "-X", "enable.idempotence=true", "-X", "partitioner=murmur2_random", &tsv_path,
                    ]);
                    let (l, j) = if k == 0 { (&mut kcat_lines, &mut kcat_jsonl) } else { (&mut same_lines, &mut same_jsonl) };
                    l.runs.push(lines);
                    j.runs.push(jsonl);
                }
            }
        }
        for t in &topics {
            assert_eq!(count(&bootstrap, t), N as i64, "topic {t} did not get every message");
        }
        eprintln!(
            "produce run {run}: lines desk {:.0}/s kcat {:.0}/s; jsonl desk {:.0}/s kcat {:.0}/s",
            N as f64 / desk_lines.runs[run].secs,
            N as f64 / kcat_lines.runs[run].secs,
            N as f64 / desk_jsonl.runs[run].secs,
            N as f64 / kcat_jsonl.runs[run].secs
        );
        for (i, t) in topics.iter().enumerate() {
            // The keyed topic KafkaDesk produced is the one browsed.
            if i == topics.len() - 1 && browse_topic.is_none() {
                browse_topic = Some(t.clone());
            } else {
                delete_topic(&bootstrap, t).await;
            }
        }
    }
    let browse_topic = browse_topic.expect("a topic to browse");

    // Browse, interleaved, on the keyed topic KafkaDesk produced.
    let (mut desk_browse_side, mut kcat_browse) = (Side::default(), Side::default());
    let mut kept: Option<Arc<Session>> = None;
    for run in 0..RUNS {
        let desk_first = run % 2 == 0;
        for turn in 0..2 {
            if (turn == 0) == desk_first {
                // The previous session is freed first, as the UI closes it on a new Read.
                drop(kept.take());
                let (r, session) = desk_browse(&cluster, &browse_topic).await;
                desk_browse_side.runs.push(r);
                kept = Some(session);
            } else {
                for k in 0..kcats.len() {
                    let k = (k + run) % kcats.len();
                    let r = kcat(kcats[k], &["-b", &bootstrap, "-F", "none", "-C", "-t", &browse_topic, "-e", "-q", "-o", "beginning"]);
                    if k == 0 { &mut kcat_browse } else { &mut same_browse }.runs.push(r);
                }
            }
        }
        eprintln!(
            "browse run {run}: desk {:.0}/s kcat {:.0}/s",
            N as f64 / desk_browse_side.runs[run].secs,
            N as f64 / kcat_browse.runs[run].secs
        );
    }

    // Filter over the stored million.
    let session = kept.take().expect("a loaded session");
    let never = AtomicBool::new(false);
    let mut filter_runs = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let filter = Filter { value_contains: Some("needle".into()), ..Default::default() };
        let matches = messages::apply_filter(&session, &filter, &never, |_| {}).expect("filter");
        filter_runs.push(started.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(matches as usize, N / 1000);
    }
    drop(session);

    // First rows.
    let mut first = Vec::new();
    for _ in 0..RUNS {
        first.push(first_rows(&cluster, &browse_topic).await);
    }

    // Memory, in a fresh process.
    let out = Command::new(std::env::current_exe().expect("own path"))
        .args(["memory", &bootstrap, &browse_topic])
        .output()
        .expect("memory run");
    let memory: serde_json::Value = serde_json::from_slice(
        out.stdout.split(|b| *b == b'\n').find(|l| l.starts_with(b"{")).unwrap_or(b"{}"),
    )
    .expect("memory figures");
    let payload = memory["payload_bytes"].as_f64().unwrap_or(f64::NAN);
    let growth_mb = memory["rss_after_mb"].as_f64().unwrap_or(f64::NAN) - memory["rss_before_mb"].as_f64().unwrap_or(f64::NAN);
    let store_ratio = growth_mb * 1024.0 * 1024.0 / payload;

    // Kafka's own tools, once, as a second reference.
    let perf_topic = unique_topic("bench-perf");
    create_topic(&bootstrap, &perf_topic).await;
    let (perf_produce, perf_consume) = kafka_perf(&bootstrap, &perf_topic);
    delete_topic(&bootstrap, &perf_topic).await;
    delete_topic(&bootstrap, &browse_topic).await;
    let load_end = load_average();

    let mut figures = serde_json::json!({
        "messages": N,
        "value_bytes": VALUE_BYTES,
        "partitions": PARTITIONS,
        "runs": RUNS,
        "load_average_start": load_start,
        "load_average_end": load_end,
        "produce_lines_kafkadesk_msgs_per_s": desk_lines.rate(),
        "produce_lines_kcat_msgs_per_s": kcat_lines.rate(),
        "produce_lines_kafkadesk_runs": desk_lines.rates(),
        "produce_lines_kcat_runs": kcat_lines.rates(),
        "produce_lines_kafkadesk_cpu_s_per_million": desk_lines.cpu_per_million(),
        "produce_lines_kcat_cpu_s_per_million": kcat_lines.cpu_per_million(),
        "produce_jsonl_kafkadesk_msgs_per_s": desk_jsonl.rate(),
        "produce_jsonl_kcat_msgs_per_s": kcat_jsonl.rate(),
        "produce_jsonl_kafkadesk_runs": desk_jsonl.rates(),
        "produce_jsonl_kcat_runs": kcat_jsonl.rates(),
        "produce_jsonl_kafkadesk_cpu_s_per_million": desk_jsonl.cpu_per_million(),
        "produce_jsonl_kcat_cpu_s_per_million": kcat_jsonl.cpu_per_million(),
        "produce_jsonl_kafkadesk_check_ms": check_ms,
        "produce_jsonl_kafkadesk_check_cpu_s": check_cpu,
        "browse_kafkadesk_msgs_per_s": desk_browse_side.rate(),
        "browse_kcat_msgs_per_s": kcat_browse.rate(),
        "browse_kafkadesk_runs": desk_browse_side.rates(),
        "browse_kcat_runs": kcat_browse.rates(),
        "browse_kafkadesk_cpu_s_per_million": desk_browse_side.cpu_per_million(),
        "browse_kcat_cpu_s_per_million": kcat_browse.cpu_per_million(),
        "store_rss_growth_mb": growth_mb,
        "store_payload_mb": payload / (1024.0 * 1024.0),
        "store_counted_mb": memory["store_bytes"].as_f64().unwrap_or(f64::NAN) / (1024.0 * 1024.0),
        "first_rows_runs_ms": first.clone(),
        "filter_runs_ms": filter_runs.clone(),
        "kafka_producer_performance_msgs_per_s": perf_produce,
        "kafka_consumer_performance_msgs_per_s": perf_consume,
        "kcat_librdkafka": kcat_librdkafka("kcat"),
        "kafkadesk_librdkafka": rdkafka::util::get_rdkafka_version().1,
    });
    let mut headline = serde_json::json!({
        "browse_vs_kcat": desk_browse_side.rate() / kcat_browse.rate(),
        "produce_lines_vs_kcat": desk_lines.rate() / kcat_lines.rate(),
        "produce_jsonl_vs_kcat": desk_jsonl.rate() / kcat_jsonl.rate(),
        "store_bytes_per_payload_byte": store_ratio,
        "first_rows_ms": median(first),
        "filter_1m_ms": median(filter_runs),
    });
    let mut same_rows = String::new();
    if let Some(same) = &same {
        let sides = [("produce_lines", &same_lines, &desk_lines), ("produce_jsonl", &same_jsonl, &desk_jsonl), ("browse", &same_browse, &desk_browse_side)];
        for (what, side, desk) in sides {
            figures[format!("{what}_kcat_same_librdkafka_msgs_per_s")] = side.rate().into();
            figures[format!("{what}_kcat_same_librdkafka_runs")] = side.rates().into();
            figures[format!("{what}_kcat_same_librdkafka_cpu_s_per_million")] = side.cpu_per_million().into();
            headline[format!("{what}_vs_kcat_same_librdkafka")] = (desk.rate() / side.rate()).into();
            same_rows.push_str(&format!(
                "| {what}_vs_kcat_same_librdkafka | {:.0} msg/s | {:.0} msg/s, {:.2} CPU-s/M (the same command) | **{:.2}** | — |\n",
                desk.rate(),
                side.rate(),
                side.cpu_per_million(),
                desk.rate() / side.rate()
            ));
        }
        figures["kcat_same_librdkafka"] = kcat_librdkafka(same).into();
    }
    println!("{}", serde_json::to_string_pretty(&headline).expect("json"));
    println!("{}", serde_json::to_string_pretty(&figures).expect("json"));

    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench");
    let results = bench.join("results.json");
    let mut all: serde_json::Value = std::fs::read_to_string(&results)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_else(|| serde_json::json!({}));
    all["messages"] = figures.clone();
    if let (Some(all), Some(h)) = (all.as_object_mut(), headline.as_object()) {
        for (k, v) in h {
            all.insert(k.clone(), v.clone());
        }
    }
    std::fs::write(&results, serde_json::to_string_pretty(&all).expect("json") + "\n").expect("results.json");

    let h = |k: &str| headline[k].as_f64().unwrap_or(f64::NAN);
    let f = |k: &str| figures[k].as_f64().unwrap_or(f64::NAN);
    let when = chrono_free_now();
    let table = format!(
        "| figure | KafkaDesk | reference | value | target |\n|---|---|---|---|---|\n\
         | browse_vs_kcat (store fill, earliest→now) | {:.0} msg/s, {:.2} CPU-s/M | {:.0} msg/s, {:.2} CPU-s/M (`kcat -F none -C -e -q -o beginning`) | **{:.2}** | ≥ 1.0 (aim 1.5) |\n\
         | produce_lines_vs_kcat (plain lines) | {:.0} msg/s, {:.2} CPU-s/M | {:.0} msg/s, {:.2} CPU-s/M (`kcat -F none -P -l -X enable.idempotence=true`) | **{:.2}** | ≥ 1.0 |\n\
         | produce_jsonl_vs_kcat (JSONL with keys) | {:.0} msg/s, {:.2} CPU-s/M | {:.0} msg/s, {:.2} CPU-s/M (`kcat -F none -P -l -K '\\t' -X enable.idempotence=true -X partitioner=murmur2_random`, key<TAB>value) | **{:.2}** | ≥ 1.0 |\n\
         | store_bytes_per_payload_byte | RSS +{:.0} MiB for {:.0} MiB of keys + values | — | **{:.2}** | ≤ 1.3 |\n\
         | first_rows_ms (start → first pushed status with rows) | {:.0} ms | — | **{:.0} ms** | ≤ 250 |\n\
         | filter_1m_ms (value contains) | {:.0} ms | — | **{:.0} ms** | ≤ 300 |\n\
         {same_rows}\
         | Kafka's own tools, once (second reference) | — | ProducerPerformance {:.0} msg/s (acks=all, idempotent), ConsumerPerformance {:.0} msg/s | — | — |\n",
        f("browse_kafkadesk_msgs_per_s"), f("browse_kafkadesk_cpu_s_per_million"),
        f("browse_kcat_msgs_per_s"), f("browse_kcat_cpu_s_per_million"), h("browse_vs_kcat"),
        f("produce_lines_kafkadesk_msgs_per_s"), f("produce_lines_kafkadesk_cpu_s_per_million"),
        f("produce_lines_kcat_msgs_per_s"), f("produce_lines_kcat_cpu_s_per_million"), h("produce_lines_vs_kcat"),
        f("produce_jsonl_kafkadesk_msgs_per_s"), f("produce_jsonl_kafkadesk_cpu_s_per_million"),
        f("produce_jsonl_kcat_msgs_per_s"), f("produce_jsonl_kcat_cpu_s_per_million"), h("produce_jsonl_vs_kcat"),
        growth_mb, payload / (1024.0 * 1024.0), store_ratio,
        h("first_rows_ms"), h("first_rows_ms"),
        h("filter_1m_ms"), h("filter_1m_ms"),
        perf_produce, perf_consume,
    );
    let section = format!(
        "<!-- messages:start -->\n## Messages (issue 10)\n\n\
         Command: `make bench-messages` (bench/messages.sh: a release build of everything, `cargo build --release -p kafkadesk-tests --example messages_bench`, then kcat 1.7.1 built against that build's librdkafka by bench/kcat-same-librdkafka.sh, then the bench). \
         Run {when}. {N} messages with {VALUE_BYTES}-byte values (keys `k0`…`k999999` where keyed), {PARTITIONS} partitions, replication factor 1, \
         on the harness's shared 3-broker Kafka cluster on loopback; {RUNS} interleaved runs per side (the side going first alternates), medians; \
         each produce run goes to fresh topics, counted by their watermarks. CPU-s/M: CPU seconds per million messages (KafkaDesk: this process, all threads; kcat: the child).\n\n\
         {table}\n\
         Load average (1/5/15 min) at start {load_start}, at end {load_end} (the 2-core machine runs the brokers, the client and kcat together, so absolute rates move with load; each ratio compares runs made back to back in the same run).\n\n\
         Per-run rates (msg/s): browse KafkaDesk {}, kcat {}; lines KafkaDesk {}, kcat {}; JSONL KafkaDesk {}, kcat {}.\n\n\
         Libraries: the system's kcat links librdkafka {}, KafkaDesk links librdkafka {}{}.\n\n\
         Of a KafkaDesk JSONL send, reading the file and checking every line (before the first message goes) took {:.0} ms and {:.2} CPU-s (median of 3, measured alone).\n\n\
         {}\
         <!-- messages:end -->\n",
        runs(&figures["browse_kafkadesk_runs"]), runs(&figures["browse_kcat_runs"]),
        runs(&figures["produce_lines_kafkadesk_runs"]), runs(&figures["produce_lines_kcat_runs"]),
        runs(&figures["produce_jsonl_kafkadesk_runs"]), runs(&figures["produce_jsonl_kcat_runs"]),
        figures["kcat_librdkafka"].as_str().unwrap_or("?"),
        figures["kafkadesk_librdkafka"].as_str().unwrap_or("?"),
        match figures["kcat_same_librdkafka"].as_str() {
            Some(v) => format!("; the `_same_librdkafka` rows are kcat 1.7.1 built against KafkaDesk's librdkafka ({v}) by bench/messages.sh"),
            None => String::new(),
        },
        check_ms, check_cpu,
        WHAT_MOVED,
    );
    let md = bench.join("RESULTS.md");
    let text = std::fs::read_to_string(&md).unwrap_or_else(|_| "# Benchmarks\n\n".into());
    let text = match (text.find("<!-- messages:start -->"), text.find("<!-- messages:end -->\n")) {
        (Some(a), Some(b)) => format!("{}{section}{}", &text[..a], &text[b + "<!-- messages:end -->\n".len()..]),
        _ => format!("{text}{section}"),
    };
    std::fs::write(&md, text).expect("RESULTS.md");
}

/// "YYYY-MM-DD HH:MM UTC" from the system clock (no date crate needed for one line).
fn chrono_free_now() -> String {
    let out = Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}

/// What moved each figure since issue 5's run (browse 0.45×, produce 0.22×, store 1.9×).
const WHAT_MOVED: &str = "What moved each figure:\n\n\
- browse_vs_kcat: librdkafka's flow control was the main brake. All partitions of a browse share one consumer queue; \
with `queued.min.messages` at its default 100,000 the queue counted as full for every partition as soon as 100,000 messages \
waited in it, and each partition's next fetch was then held back for `fetch.queue.backoff.ms` (1000 ms). The browse consumer now \
bounds its queue by bytes only (`queued.max.messages.kbytes` 64 MiB) with a 10 ms backoff. Then the per-message costs: \
messages come a batch at a time (`rd_kafka_consume_batch_queue`, wrapped once in `kafka/ffi/consume_batch.rs`, each message \
released by the batch's guard) instead of one `rd_kafka_queue_poll` per message; they are copied straight from librdkafka's buffers \
into the store's arena under one lock per batch (no allocation per message); headers are kept in a compact raw form; the stop \
offsets are looked up in a vector by partition (no hashing) and the clock is read once per batch.\n\
- produce_lines_vs_kcat / produce_jsonl_vs_kcat: the file is read once and checked in one pass that records where each \
message's bytes are (JSONL values borrowed, never parsed twice; a JSON value is sent exactly as written); a file of 4 MiB or \
more is checked in pieces cut at line ends, one per core, since the check is most of a JSONL send's CPU and kcat does no \
parsing at all; lines are found with memchr; plain lines are sent \
as they are; the send goes from that index through one topic handle per job (`rd_kafka_produceva` with `RD_KAFKA_MSG_F_BLOCK`, \
`kafka/ffi/produce.rs`) instead of the crate's per-message `CString` and topic lookup and a 1 ms sleep on a full queue; each \
message's delivery opaque is a plain integer (job number and line) and the per-job counters are written by the producer's poll \
thread alone (no `Box` + `Arc` per message, no lock per delivery). The producer stays idempotent with acks=all. \
The producer's queue holds 1,000,000 messages and a job keeps at most 100,000 of its own undelivered \
(`produce::MAX_IN_FLIGHT`, what a cancel cannot take back): at librdkafka's default of 100,000 the queue stayed full for \
the whole of a bulk send and the sender blocked and was woken for each delivery report (plain lines 1.74 CPU-s/M on \
2026-12-01, 0.82-1.08 since, kcat 0.77-0.95 in the same runs); a JSONL piece that is valid UTF-8 as a whole is parsed as \
text (no second check of each string). Since 2026-12-02 a plain-lines file is sent as it is read, in 1 MiB pieces \
through one reused buffer (it has nothing to check; the progress total is estimated until the end is read), so the \
send no longer waits for the 230 MiB file to be read into fresh memory; and a JSONL file is read in one range per core \
(page faults are most of reading it into fresh memory). Huge pages for that read were tried and dropped: in a running send, \
with the machine's memory in use, Linux compacted memory to make each one and 236 MiB took 300-330 ms to read instead of \
80-90 ms. The pieces of a JSONL check number their own lines and are kept as checked (no serial newline count over the \
whole file before the threads start, no copy of a million entries into one list): read + check inside a send went from \
400-510 ms to 175-180 ms. What is left \
for JSONL is the check of every line before the first send (the line above gives its time in this run), the price of \
\"a bad line sends nothing\", while kcat sends each line as it reads it; both senders then make the same librdkafka \
calls per message. On this 2-core machine the three brokers, the client and kcat share the cores (load 3-8 during a \
run) and single runs of the same side differ by up to 3x, more than the gaps measured: the two runs of 2026-12-02 (11:46 UTC, before the JSONL read in ranges, and 11:59 UTC) \
gave lines 1.21 and 0.96, JSONL 0.91 and 0.89. Measured producer settings (linger.ms 20 and 50) moved \
nothing beyond the noise and were left at 5 ms. The library's version moves more than any of that: the system's kcat \
(Debian bookworm) links librdkafka 2.0.2 and KafkaDesk 2.12.1 (rdkafka-sys 4.10, the newest released), and a producer \
loop in C like kcat's (getline, a copying rd_kafka_produce, poll), linked once to each, sent the 1M keyed messages in 0.92-1.09 s with 2.0.2 and 1.42-1.68 s with \
2.12.1 on the same cluster, 2026-12-02 (27% more CPU in the client, 37% more in its broker threads; the defaults that \
changed between them, Nagle off and metrics push, made no difference). Hence the `_same_librdkafka` rows: the same kcat \
built on KafkaDesk's librdkafka, so the ratio against it is KafkaDesk's own code. Two runs after these changes \
(2026-12-02 15:24 and 16:08 UTC) gave JSONL 0.89 and 0.74 against the system's kcat and 1.08 and 1.00 against the same \
kcat on KafkaDesk's librdkafka; plain lines 1.00 and 1.07, and 1.09 and 1.64.\n\
- store_bytes_per_payload_byte: keys, values and headers of many messages lie back to back in 8 MiB segments beside one \
40-byte entry per message, instead of one heap block per message plus a 72-byte struct in a doubling queue. When a read \
ends, the memory librdkafka's fetch buffers held (freed on its own threads, which glibc keeps mapped) is given back to the \
system (`malloc_trim`), so the window does not keep a finished read's queue.\n\
- first_rows_ms: the first batch is pushed to the UI over the session's channel the moment it is stored (the UI's 250 ms \
poll is gone; later pushes come at most every 100 ms), a partition with nothing to read is done before it starts, and a batch \
call never waits for a full batch (it takes what is queued, or waits for one message).\n\
- filter_1m_ms: the same filter code, now over the arena (the figure stays well under its budget).\n\n";
