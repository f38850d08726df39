//! `make bench-window`: how light the app window is, measured on the release build.
//!
//! - `cold_start_ms`: from the app process's start to the start screen listing the saved
//!   connections (the UI marks that moment), median of 3 launches (warm file cache).
//! - `idle_rss_mb`: resident memory of all the window's processes together (the app and the
//!   WebKit web and network processes) 5 s after the start screen, median of 3; PSS beside it.
//! - `rss_10k_topics_mb`: the same with the Topics tab listing the 10,000 topics of the
//!   bench cluster (`bench/topics.sh` makes and keeps it).
//! - `detail_5mb_longest_task_ms`: the longest webview main-thread task while opening 5 MiB
//!   values of each shape in the message detail and loading them in full (worst shape, a
//!   shape's figure the median of its opens).
//!
//! Needs the release app in `KAFKADESK_APP` and the bench-topics cluster running; writes
//! the figures into `bench/results.json` and a section of `bench/RESULTS.md`.

use std::path::Path;
use std::time::{Duration, Instant};

use kafkadesk_tests::e2e::{by_testid, App, LaunchOptions};
use kafkadesk_tests::kafka::{cache_root, unique_topic, Cluster};
use kafkadesk_tests::probe;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{FutureProducer, FutureRecord};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const RUNS: usize = 3;
/// Opens of each 5 MiB shape.
const DETAIL_ROUNDS: usize = 5;
const WAIT: Duration = Duration::from_secs(60);

fn main() -> Res<()> {
    let runtime = tokio::runtime::Runtime::new()?;
    let app_bin = std::env::var("KAFKADESK_APP").map_err(|_| "set KAFKADESK_APP to the release build (bench/window.sh does)")?;
    let kafka = Cluster::attach(cache_root().join("bench-topics"))
        .ok_or("the bench-topics cluster is not running: run bench/topics.sh first (bench/window.sh does)")?;
    let bootstrap = kafka.bootstrap();
    kafka.detach();
    runtime.block_on(run(&app_bin, &bootstrap))
}

async fn run(app_bin: &str, bootstrap: &str) -> Res<()> {
    // Load moves every figure here: the section says what it was.
    let load_at_start = std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(String::from)).unwrap_or_else(|| "unknown".into());
    let mut cold = Vec::new();
    let mut idle = Vec::new();
    for _ in 0..RUNS {
        let config = tempfile::tempdir()?;
        let app = App::launch(LaunchOptions::new(config.path())).await?;
        let pid = app_pid(&app, app_bin)?;
        let started = probe::start_time_epoch_ms(pid).ok_or("no start time")?;
        let deadline = Instant::now() + WAIT;
        let shown = loop {
            if let Some(at) = app.eval(probe::START_SCREEN_AT).await?.as_f64() {
                break at;
            }
            if Instant::now() > deadline {
                return Err("the start screen never showed".into());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        cold.push(shown - started);
        tokio::time::sleep(Duration::from_secs(5)).await;
        idle.push(probe::memory(&probe::process_tree(pid)));
        eprintln!("bench: cold start {:.0} ms, idle {:?}", shown - started, idle.last());
        app.close().await?;
    }

    // One window for the rest: 10k topics listed, then the 5 MiB values.
    let config = tempfile::tempdir()?;
    let app = App::launch(LaunchOptions::new(config.path())).await?;
    let pid = app_pid(&app, app_bin)?;
    app.click(&by_testid("new-connection-open"), WAIT).await?;
    app.fill(&by_testid("new-connection-name"), "Bench", WAIT).await?;
    app.fill(&by_testid("new-connection-bootstrap"), bootstrap, WAIT).await?;
    app.click(&by_testid("new-connection-submit"), WAIT).await?;
    app.wait_for(&by_testid("cluster-overview"), WAIT).await?;
    app.click(&by_testid("tab-topics"), WAIT).await?;
    app.wait_for_text(&by_testid("topics-count"), "10,0", Duration::from_secs(180)).await?;
    tokio::time::sleep(Duration::from_secs(5)).await;
    let topics = probe::memory(&probe::process_tree(pid));
    eprintln!("bench: 10k topics listed: {topics:?}");

    let topic = unique_topic("bench-large");
    let large = probe::large_values();
    send_large(bootstrap, &topic, &large).await?;
    app.click(&by_testid("tab-messages"), WAIT).await?;
    app.wait_for(&by_testid("messages-view"), WAIT).await?;
    app.pick_searchable("browse-topic", &topic, WAIT).await?;
    app.click(&by_testid("browse-start"), WAIT).await?;
    app.click("[data-combobox-option][value=\"earliest\"]", WAIT).await?;
    app.click(&by_testid("browse-go"), WAIT).await?;
    app.wait_for_text(&by_testid("browse-status"), &format!("{} kept", large.len()), WAIT).await?;
    // Each shape opened DETAIL_ROUNDS times, the shapes in turn: one open's longest task
    // swings with whatever else the two cores run (brokers, GC), so a shape's figure is the
    // median of its opens; the single worst open is kept beside it.
    let mut opens: Vec<Vec<f64>> = vec![Vec::new(); large.len()];
    for _ in 0..DETAIL_ROUNDS {
        for (i, (shape, _)) in large.iter().enumerate() {
            let longest = probe::detail_longest_task(&app, i as i64).await?;
            eprintln!("bench: 5 MiB {shape}: longest task {longest:.0} ms");
            opens[i].push(longest);
        }
    }
    let mut shapes = serde_json::Map::new();
    let mut worst: f64 = 0.0;
    let mut worst_open: f64 = 0.0;
    for ((shape, _), runs) in large.iter().zip(&opens) {
        let median_ms = median(runs.clone());
        shapes.insert(shape.to_string(), serde_json::json!(median_ms.round()));
        worst = worst.max(median_ms);
        worst_open = runs.iter().copied().fold(worst_open, f64::max);
    }
    app.close().await?;

    let cold_ms = median(cold.clone());
    let idle_rss = median(idle.iter().map(|m| m.rss_mib).collect());
    let idle_pss = median(idle.iter().map(|m| m.pss_mib).collect());
    let processes = idle.first().map_or(0, |m| m.processes);
    let bench = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bench");
    let path = bench.join("results.json");
    let mut results: serde_json::Map<String, serde_json::Value> =
        std::fs::read_to_string(&path).ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default();
    for (key, value) in [
        ("cold_start_ms", cold_ms),
        ("idle_rss_mb", idle_rss),
        ("idle_pss_mb", idle_pss),
        ("rss_10k_topics_mb", topics.rss_mib),
        ("pss_10k_topics_mb", topics.pss_mib),
        ("detail_5mb_longest_task_ms", worst),
        ("detail_5mb_longest_task_worst_open_ms", worst_open),
    ] {
        results.insert(key.into(), serde_json::json!(value.round()));
    }
    results.insert("detail_5mb_longest_task_ms_by_shape".into(), serde_json::Value::Object(shapes.clone()));
    std::fs::write(&path, serde_json::to_string_pretty(&results)? + "\n")?;

    let by_shape: Vec<String> = shapes.iter().map(|(k, v)| format!("{k} {v} ms")).collect();
    let section = format!(
        "<!-- window:start -->\n## The window (issue 16)\n\n\
Command: `make bench-window` (`bench/window.sh`: the release build as `tauri build` makes it, here \
`{app_bin}`, driven under Xvfb by tauri-driver). Memory is summed over the app process and every \
process it starts ({processes} at rest: the app, WebKit's web and network processes); RSS counts shared pages \
in each process, PSS splits them.\n\n\
| figure | value | target |\n|---|---|---|\n\
| cold_start_ms (process start → start screen listed, median of {RUNS}, warm file cache) | {cold_ms:.0} ms (runs: {}) | ≤ 1500 ms |\n\
| idle_rss_mb (start screen, 5 s after, median of {RUNS}) | {idle_rss:.0} MiB RSS ({idle_pss:.0} MiB PSS) | ≤ 250 MB |\n\
| rss_10k_topics_mb (Topics tab listing 10,000 topics) | {:.0} MiB RSS ({:.0} MiB PSS) | — |\n\
| detail_5mb_longest_task_ms (worst shape; a shape: median of its {DETAIL_ROUNDS} opens) | {worst:.0} ms | ≤ 100 ms |\n\
| the single worst open of all | {worst_open:.0} ms | — |\n\n\
Longest webview task per 5 MiB shape (open, load in full, drawn; median of {DETAIL_ROUNDS} opens, shapes taken in turn): {}.\n\
Measured {} on a {}-core machine, load average {} when the run started.\n<!-- window:end -->\n",
        cold.iter().map(|c| format!("{c:.0}")).collect::<Vec<_>>().join(", "),
        topics.rss_mib,
        topics.pss_mib,
        by_shape.join(", "),
        utc_now(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load_at_start,
    );
    let md_path = bench.join("RESULTS.md");
    let md = std::fs::read_to_string(&md_path).unwrap_or_default();
    let md = match (md.find("<!-- window:start -->"), md.find("<!-- window:end -->")) {
        (Some(a), Some(b)) => format!("{}{}{}", &md[..a], section.trim_end_matches('\n'), &md[b + "<!-- window:end -->".len()..]),
        _ => format!("{}\n{section}", md.trim_end()),
    };
    std::fs::write(&md_path, md)?;
    println!("cold start {cold_ms:.0} ms · idle {idle_rss:.0} MiB RSS ({idle_pss:.0} PSS) · 10k topics {:.0} MiB RSS · 5 MiB detail longest task {worst:.0} ms (worst open {worst_open:.0} ms)", topics.rss_mib);
    Ok(())
}

fn app_pid(app: &App, app_bin: &str) -> Res<u32> {
    let driver = app.driver_pid().ok_or("no tauri-driver")?;
    Ok(probe::find_exe_under(driver, Path::new(app_bin)).ok_or("the app process was not found under tauri-driver")?)
}

async fn send_large(bootstrap: &str, topic: &str, values: &[(&str, Vec<u8>)]) -> Res<()> {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", bootstrap).create()?;
    let new = NewTopic::new(topic, 1, TopicReplication::Fixed(1)).set("max.message.bytes", "16000000");
    for r in admin.create_topics([&new], &AdminOptions::new().operation_timeout(Some(Duration::from_secs(30)))).await? {
        r.map_err(|(t, e)| format!("creating {t}: {e}"))?;
    }
    let producer: FutureProducer =
        ClientConfig::new().set("bootstrap.servers", bootstrap).set("message.max.bytes", "20000000").create()?;
    for (_, v) in values {
        producer
            .send(FutureRecord::<(), [u8]>::to(topic).partition(0).payload(v.as_slice()), Duration::from_secs(30))
            .await
            .map_err(|(e, _)| e)?;
    }
    Ok(())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

fn utc_now() -> String {
    let out = std::process::Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]).output();
    out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default()
}
