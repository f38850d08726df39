//! The responsiveness probe: a trivial command's round trip through the real IPC of the
//! real app window, sent every 50 ms while heavy work runs:
//! (a) a filter over 1,000,000 loaded messages, (b) a disconnect of a cluster with a live
//! Follow session, (c) a connect to a black-hole bootstrap (accepts, never answers),
//! (d) a topic list on a cluster whose partition leader is SIGSTOPped.
//!
//! A figure, not a `make test` check: `make bench-responsiveness` runs it (it is ignored
//! otherwise) and writes bench/responsiveness.json, which bench/RESULTS.md quotes. It fails
//! only on a real freeze (a round trip over 1 s), not on a slow figure.

use std::io::Read;
use std::time::{Duration, Instant};

use kafkadesk_tests::e2e::E2eError;
use kafkadesk_tests::kafka::{self, unique_topic, Cluster as Kafka, ClusterSpec};
use serde_json::{json, Value};

use crate::{fresh_config_dir, launch_fresh, one_window, KAFKA};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Installs the probe and a way to start commands whose answers are kept for later polls.
const HELPERS: &str = r#"
if (!window.__kd) {
  const inv = window.__TAURI_INTERNALS__.invoke;
  window.__kd = { samples: [], timer: null, calls: {} };
  window.__kdCall = (name, cmd, args) => {
    const c = (window.__kd.calls[name] = { done: false });
    inv(cmd, args).then((v) => { c.done = true; c.ok = true; c.value = v; }, (e) => { c.done = true; c.ok = false; c.error = e; });
  };
  window.__kdChannel = () => '__CHANNEL__:' + window.__TAURI_INTERNALS__.transformCallback(() => {});
  window.__kdProbeStart = () => {
    window.__kd.samples = [];
    window.__kd.timer = setInterval(() => {
      const t0 = performance.now();
      inv('messages_cancel', { jobId: 'probe' }).finally(() => window.__kd.samples.push(performance.now() - t0));
    }, 50);
  };
  window.__kdProbeStop = () => { clearInterval(window.__kd.timer); return window.__kd.samples; };
}
return true;
"#;

/// Starts `cmd` in the page under `name`; poll with [`answer`].
async fn call(app: &kafkadesk_tests::e2e::App, name: &str, cmd: &str, args: Value) -> Result<(), E2eError> {
    app.eval(&format!("window.__kdCall({}, {}, {}); return true;", json!(name), json!(cmd), args)).await?;
    Ok(())
}

/// Starts `cmd` whose arguments need a fresh channel in field `channel_field`.
async fn call_with_channel(app: &kafkadesk_tests::e2e::App, name: &str, cmd: &str, args: Value, channel_field: &str) -> Result<(), E2eError> {
    app.eval(&format!(
        "const a = {}; a[{}] = window.__kdChannel(); window.__kdCall({}, {}, a); return true;",
        args,
        json!(channel_field),
        json!(name),
        json!(cmd)
    ))
    .await?;
    Ok(())
}

/// Waits for the answer of call `name` (`Ok(value)` or the command's error as JSON).
async fn answer(app: &kafkadesk_tests::e2e::App, name: &str, bound: Duration) -> Result<Result<Value, Value>, E2eError> {
    let deadline = Instant::now() + bound;
    loop {
        let c = app.eval(&format!("return window.__kd.calls[{}];", json!(name))).await?;
        if c["done"] == Value::Bool(true) {
            return Ok(if c["ok"] == Value::Bool(true) { Ok(c["value"].clone()) } else { Err(c["error"].clone()) });
        }
        if Instant::now() > deadline {
            return Err(E2eError::new(format!("{name} did not answer within {bound:?}")));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn must(app: &kafkadesk_tests::e2e::App, name: &str, cmd: &str, args: Value, bound: Duration) -> Result<Value, E2eError> {
    call(app, name, cmd, args).await?;
    answer(app, name, bound).await?.map_err(|e| E2eError::new(format!("{cmd} failed: {e}")))
}

/// Starts a browse session (its status channel left unread: the probe polls) and returns its status.
async fn browse(app: &kafkadesk_tests::e2e::App, name: &str, profile_id: &str, request: Value) -> Result<Value, E2eError> {
    call_with_channel(app, name, "messages_browse_start", json!({"profileId": profile_id, "request": request}), "onStatus").await?;
    answer(app, name, KAFKA).await?.map_err(|e| E2eError::new(format!("messages_browse_start failed: {e}")))
}

/// The probe's round trips while `work` runs: (count, median ms, worst ms).
async fn probed<F: std::future::Future<Output = Result<(), E2eError>>>(
    app: &kafkadesk_tests::e2e::App,
    work: F,
) -> Result<(usize, f64, f64), E2eError> {
    app.eval("window.__kdProbeStart(); return true;").await?;
    work.await?;
    // A last probe after the work: it must come back too.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let samples = app.eval("return window.__kdProbeStop();").await?;
    let mut ms: Vec<f64> = samples.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    ms.sort_by(f64::total_cmp);
    if ms.is_empty() {
        return Err(E2eError::new("the probe got no answer at all"));
    }
    Ok((ms.len(), ms[ms.len() / 2], ms[ms.len() - 1]))
}

fn profile(name: &str, bootstrap: &str) -> Value {
    json!({"input": {
        "name": name, "bootstrapServers": bootstrap, "securityProtocol": "PLAINTEXT", "saslMechanism": null,
        "saslUsername": null, "saslPassword": null, "tls": null, "sslKeyPassword": null, "extraProperties": {},
        "environment": "dev", "color": null, "readOnly": null, "notes": ""
    }})
}

fn produce(bootstrap: &str, topic: &str, partitions: &str, records: &str) -> Result<(), E2eError> {
    let out = kafka::kafka_java(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", bootstrap, "--create", "--topic", topic, "--partitions", partitions, "--replication-factor", "1"],
    );
    if !out.status.success() {
        return Err(E2eError::new(format!("create {topic}: {}", String::from_utf8_lossy(&out.stderr))));
    }
    let props = format!("bootstrap.servers={bootstrap}");
    let out = kafka::kafka_java(
        "org.apache.kafka.tools.ProducerPerformance",
        &["--topic", topic, "--num-records", records, "--record-size", "100", "--throughput", "-1", "--producer-props", &props],
    );
    if !out.status.success() {
        return Err(E2eError::new(format!("produce {topic}: {}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(())
}

/// A listener that accepts connections and never says a word.
fn black_hole() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            let mut s = stream;
            let mut buf = [0u8; 1024];
            let _ = s.set_read_timeout(Some(Duration::from_millis(1)));
            let _ = s.read(&mut buf);
            held.push(s);
        }
    });
    port
}

#[tokio::test]
#[ignore = "a measurement: make bench-responsiveness"]
async fn a_trivial_command_answers_promptly_while_heavy_work_runs() -> TestResult {
    let _window = one_window().await;
    let shared = tokio::task::spawn_blocking(kafka::test_cluster).await?;
    let bootstrap = shared.bootstrap();
    let config = fresh_config_dir("responsiveness");
    let app = launch_fresh(&config).await?;
    app.eval(HELPERS).await?;
    let mut results = serde_json::Map::new();

    // (a) A filter over 1,000,000 loaded messages.
    let million = unique_topic("probe-million");
    {
        let (b, t) = (bootstrap.clone(), million.clone());
        tokio::task::spawn_blocking(move || produce(&b, &t, "6", "1000000")).await??;
    }
    let p = must(&app, "create", "profiles_create", profile("Probe", &bootstrap), KAFKA).await?;
    let id = p["id"].as_str().unwrap_or_default().to_string();
    must(&app, "connect", "cluster_connect", json!({"profileId": id}), KAFKA).await?;
    let request = json!({"topic": million, "start": {"kind": "earliest"}, "stop": {"kind": "now"}});
    let session = browse(&app, "browse", &id, request).await?;
    let session_id = session["id"].as_str().unwrap_or_default().to_string();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let s = must(&app, "status", "messages_browse_status", json!({"sessionId": session_id}), KAFKA).await?;
        if s["state"] != "Running" {
            assert_eq!(s["stored"], 1_000_000, "{s}");
            break;
        }
        assert!(Instant::now() < deadline, "loading 1M messages took too long: {s}");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let filter = probed(&app, async {
        let args = json!({"sessionId": session_id, "jobId": "probe-filter", "filter": {"regex": "[A-Z]{5}"}});
        call_with_channel(&app, "filter", "messages_filter", args, "onProgress").await?;
        answer(&app, "filter", Duration::from_secs(300)).await?.map_err(|e| E2eError::new(format!("filter: {e}")))?;
        Ok(())
    })
    .await?;
    results.insert("filter_1m".into(), figures(filter));

    // (b) A disconnect of a cluster with a live Follow session.
    let follow = json!({"topic": million, "start": {"kind": "latest"}, "stop": {"kind": "follow"}});
    browse(&app, "follow", &id, follow).await?;
    let disconnect = probed(&app, async {
        must(&app, "disconnect", "cluster_disconnect", json!({"profileId": id}), KAFKA).await?;
        // The close runs on: keep probing through it.
        tokio::time::sleep(Duration::from_secs(2)).await;
        Ok(())
    })
    .await?;
    results.insert("disconnect_with_follow".into(), figures(disconnect));

    // (c) A connect to a black-hole bootstrap.
    let hole = black_hole();
    let p = must(&app, "create-hole", "profiles_create", profile("Black hole", &format!("127.0.0.1:{hole}")), KAFKA).await?;
    let hole_id = p["id"].as_str().unwrap_or_default().to_string();
    let connect_hole = probed(&app, async {
        call(&app, "connect-hole", "cluster_connect", json!({"profileId": hole_id})).await?;
        let answered = answer(&app, "connect-hole", Duration::from_secs(30)).await?;
        assert!(answered.is_err(), "a black hole cannot be connected to: {answered:?}");
        Ok(())
    })
    .await?;
    results.insert("connect_black_hole".into(), figures(connect_hole));

    // (d) A topic list on a cluster whose partition leader is SIGSTOPped.
    let dir = tempfile::tempdir()?;
    let mut own = tokio::task::spawn_blocking({
        let d = dir.path().join("kafka");
        move || Kafka::start(ClusterSpec::new(3, d))
    })
    .await??;
    let own_bootstrap = own.bootstrap();
    let frozen_topic = unique_topic("probe-frozen");
    {
        let (b, t) = (own_bootstrap.clone(), frozen_topic.clone());
        tokio::task::spawn_blocking(move || produce(&b, &t, "6", "1000")).await??;
    }
    let p = must(&app, "create-own", "profiles_create", profile("Frozen", &own_bootstrap), KAFKA).await?;
    let own_id = p["id"].as_str().unwrap_or_default().to_string();
    must(&app, "connect-own", "cluster_connect", json!({"profileId": own_id}), KAFKA).await?;
    must(&app, "list-own", "topics_list", json!({"profileId": own_id}), KAFKA).await?;
    let pid = own.node_pid(1).ok_or_else(|| E2eError::new("no pid for node 1"))?;
    // SAFETY: kill(2) on a child of the harness.
    unsafe { libc::kill(pid as i32, libc::SIGSTOP) };
    let frozen = probed(&app, async {
        call(&app, "list-frozen", "topics_list", json!({"profileId": own_id})).await?;
        let _ = answer(&app, "list-frozen", Duration::from_secs(60)).await?;
        Ok(())
    })
    .await;
    // SAFETY: as above.
    unsafe { libc::kill(pid as i32, libc::SIGCONT) };
    results.insert("topics_list_frozen_leader".into(), figures(frozen?));
    own.stop();
    app.close().await?;

    let out = json!({"command": "make bench-responsiveness", "probe": "messages_cancel every 50 ms via __TAURI_INTERNALS__.invoke", "results": results});
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("bench").join("responsiveness.json");
    std::fs::write(&path, serde_json::to_string_pretty(&out)? + "\n")?;
    eprintln!("{}", serde_json::to_string_pretty(&out)?);
    for (name, r) in &results {
        let worst = r["worst_ms"].as_f64().unwrap_or(f64::MAX);
        assert!(worst < 1000.0, "{name}: the window froze ({worst} ms)");
    }
    Ok(())
}

fn figures((count, median, worst): (usize, f64, f64)) -> Value {
    json!({"probes": count, "median_ms": (median * 10.0).round() / 10.0, "worst_ms": (worst * 10.0).round() / 10.0})
}
