//! `make bench` (topics): KafkaDesk's topics listing of 10,000 topics / 20,000 partitions
//! against `kcat -L` on the same 3-broker cluster, in the same run.
//!
//! The bench cluster lives in `$KAFKADESK_CACHE/bench-topics` on fixed ports and is left
//! running with its topics, so the next run reuses it. Three brokers, because a broker keeps
//! every partition's log open: one broker holding 20,000 partitions (Kafka 4.4 with its ~150
//! other descriptors) runs out where the limit is 20,000, as on the dev machine. Once stopped
//! it is made anew (a restart opens every log at once), which takes a few minutes. Stop it with `sandbox stop --dir ~/.cache/kafkadesk/bench-topics`.
//!
//! Writes `topics_10k_list_ms` and `topics_10k_kcat_ms` (plus the metadata-only time and the
//! partition count) into `bench/results.json`, other keys kept, and a line to `bench/RESULTS.md`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kafkadesk::kafka::{topics, Cluster as Desk, Connection};
use kafkadesk_tests::kafka::{cache_root, Cluster, ClusterSpec};
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;

const TOPICS: usize = 10_000;
const PARTITIONS_PER_TOPIC: i32 = 2;
const BATCH: usize = 250;
const RUNS: usize = 5;
/// Not the sandbox's 19092: the bench cluster may run beside it.
const BROKER_PORTS: [u16; 3] = [49_092, 49_094, 49_096];
const CONTROLLER_PORTS: [u16; 3] = [49_093, 49_095, 49_097];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    let dir = cache_root().join("bench-topics");
    let kafka = match Cluster::attach(&dir) {
        Some(k) if k.check_health(Duration::from_secs(20)).is_ok() => k,
        stale => {
            if let Some(mut unhealthy) = stale {
                unhealthy.stop();
            }
            eprintln!("bench: starting a fresh 3-broker bench cluster in {} …", dir.display());
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
            let mut spec = ClusterSpec::new(BROKER_PORTS.len(), &dir);
            spec.broker_ports = Some(BROKER_PORTS.to_vec());
            spec.controller_ports = Some(CONTROLLER_PORTS.to_vec());
            Cluster::start(spec)?
        }
    };
    let bootstrap = kafka.bootstrap();
    // Kept for the next run: the topics are the expensive part.
    kafka.detach();

    runtime.block_on(ensure_topics(&bootstrap))?;
    let desk = Desk::connect(&Connection::plain("bench", &bootstrap))?;

    // Each broker learns of new topics on its own schedule, and a listing may ask any of
    // them: wait until as many listings in a row as there are brokers know them all (one
    // full answer was not enough: the timed listings after it could still ask a broker behind).
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut full_in_a_row = 0;
    let warm = loop {
        let listed = runtime.block_on(topics::list(&desk))?;
        full_in_a_row = if listed.topics.len() >= TOPICS { full_in_a_row + 1 } else { 0 };
        if full_in_a_row >= BROKER_PORTS.len() {
            break listed;
        }
        if full_in_a_row > 0 {
            continue;
        }
        if Instant::now() > deadline {
            return Err(format!("only {} of {TOPICS} topics listed after 5 min", listed.topics.len()).into());
        }
        std::thread::sleep(Duration::from_secs(2));
    };
    let bench_topics = warm.topics.iter().filter(|t| t.name.starts_with("bench-")).count();
    let partitions: u32 = warm.topics.iter().map(|t| t.partitions).sum();
    let messages_known = warm.watermarks_error.is_none();
    eprintln!("bench: {} topics ({bench_topics} bench), {partitions} partitions", warm.topics.len());

    let desk_ms = median((0..RUNS).map(|_| {
        let started = Instant::now();
        let list = runtime.block_on(topics::list(&desk)).expect("list");
        assert!(list.topics.len() >= TOPICS);
        ms(started)
    }));
    // The metadata half of KafkaDesk's listing alone, through the same librdkafka: where the time goes.
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", &bootstrap).create()?;
    let md_ms = median((0..RUNS).map(|_| {
        let started = Instant::now();
        let md = admin.inner().fetch_metadata(None, Duration::from_secs(30)).expect("metadata");
        let n: usize = md.topics().iter().map(|t| t.partitions().len()).sum();
        assert!(n > 0);
        ms(started)
    }));
    let kcat_ms = median((0..RUNS).map(|_| {
        let started = Instant::now();
        let status = Command::new("kcat")
            .args(["-L", "-b", &bootstrap, "-m", "30"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("kcat (apt install kcat)");
        assert!(status.success(), "kcat -L failed");
        ms(started)
    }));
    println!(
        "KafkaDesk topics list (metadata + low/high watermarks of every partition): {desk_ms:.0} ms; \
         kcat -L (metadata only): {kcat_ms:.0} ms; ratio {:.2}; librdkafka metadata alone: {md_ms:.0} ms",
        desk_ms / kcat_ms
    );

    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench");
    write_results(&bench.join("results.json"), &[("topics_10k_list_ms", desk_ms), ("topics_10k_kcat_ms", kcat_ms), ("topics_10k_metadata_ms", md_ms), ("topics_10k_partitions", f64::from(partitions))])?;
    let line = format!(
        "| {} | topics list, {} topics / {partitions} partitions, 3 brokers | KafkaDesk {desk_ms:.0} ms (with watermarks: {messages_known}) | kcat -L {kcat_ms:.0} ms | {:.2}× | `make bench` |\n",
        utc_now(),
        warm.topics.len(),
        desk_ms / kcat_ms
    );
    append(&bench.join("RESULTS.md"), &line)?;
    Ok(())
}

/// Creates the bench topics that are missing, in batches, until there are 10,000.
async fn ensure_topics(bootstrap: &str) -> Result<(), Box<dyn std::error::Error>> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", bootstrap).create()?;
    let missing = missing_topics(&admin)?;
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("bench: creating {} topics ({PARTITIONS_PER_TOPIC} partitions each) …", missing.len());
    let started = Instant::now();
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(120)));
    for batch in missing.chunks(BATCH) {
        let new: Vec<NewTopic> =
            batch.iter().map(|n| NewTopic::new(n, PARTITIONS_PER_TOPIC, TopicReplication::Fixed(1))).collect();
        for result in admin.create_topics(&new, &options).await? {
            if let Err((name, code)) = result {
                if code != rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists {
                    return Err(format!("creating {name}: {code}").into());
                }
            }
        }
    }
    // The controller answers before the broker has made every log: wait until all are served.
    let deadline = Instant::now() + Duration::from_secs(1200);
    loop {
        let left = missing_topics(&admin)?.len();
        if left == 0 {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!("{left} bench topics still missing from metadata after 20 min").into());
        }
        tokio::time::sleep(Duration::from_secs(3)).await;
    }
    eprintln!("bench: created in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn missing_topics(admin: &AdminClient<DefaultClientContext>) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let metadata = admin.inner().fetch_metadata(None, Duration::from_secs(30))?;
    let existing: std::collections::HashSet<&str> = metadata.topics().iter().map(|t| t.name()).collect();
    Ok((0..TOPICS).map(|i| format!("bench-{i:05}")).filter(|n| !existing.contains(n.as_str())).collect())
}

fn write_results(path: &PathBuf, figures: &[(&str, f64)]) -> std::io::Result<()> {
    let mut results: serde_json::Map<String, serde_json::Value> = std::fs::read_to_string(path)
        .ok()
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default();
    for (key, value) in figures {
        results.insert((*key).into(), serde_json::json!(value.round()));
    }
    std::fs::write(path, serde_json::to_string_pretty(&results)? + "\n")
}

fn append(path: &Path, line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let new = !path.exists();
    let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    if new {
        writeln!(file, "# Benchmarks\n\nEach line: when, what, KafkaDesk, the reference tool, ratio, command.\n")?;
        writeln!(file, "| when (UTC) | what | KafkaDesk | reference | ratio | command |\n|---|---|---|---|---|---|")?;
    }
    file.write_all(line.as_bytes())
}

fn ms(started: Instant) -> f64 {
    started.elapsed().as_secs_f64() * 1000.0
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn utc_now() -> String {
    Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}
