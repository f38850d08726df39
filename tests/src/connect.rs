//! A real Kafka Connect worker on loopback, for integration and end-to-end tests.
//!
//! Like the brokers ([`crate::kafka`]), Connect comes from Maven Central as plain jars
//! (`tests/connect/pom.xml`: `connect-runtime` and `connect-file`, at the Kafka version of
//! the test cluster), cached once under `<cache root>/connect-<version>/libs`. A worker is
//! one `java … ConnectDistributed worker.properties` process in distributed mode against
//! a given cluster, with its own group id and internal topics (so several test runs can
//! share a cluster), its REST API on a free 127.0.0.1 port.
//!
//! The worker runs in its own session; a detached watchdog stops it once the test process
//! is gone, however that process died. Every wait is bounded and a failure carries the
//! tail of the worker's log.

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::kafka::{cache_root, test_cluster, HarnessError};

const POM: &str = include_str!("../connect/pom.xml");

/// The Kafka Connect version, pinned in tests/connect/pom.xml on its own: Connect's plugins
/// (connect-file) are not published for every Kafka release, and a worker of one 4.x release
/// runs against brokers of another.
pub fn connect_version() -> &'static str {
    POM.split_once("<kafka.version>")
        .and_then(|(_, rest)| rest.split_once("</kafka.version>"))
        .map_or("unknown", |(v, _)| v.trim())
}
/// Maven's first download of the Connect jars.
const FETCH_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// A worker scans its classpath for plugins and joins its group; slow on a busy machine.
const START_TIMEOUT: Duration = Duration::from_secs(240);
const STOP_GRACE: Duration = Duration::from_secs(15);

const LOG4J2: &str = "\
status = warn
name = kafkadesk-connect
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.reflections.name = org.reflections
logger.reflections.level = ERROR
";

/// Stops the worker once the watched process is gone: $1 watched pid, $2 worker pid, $3 dir.
const WATCHDOG_SH: &str = r#"
W="$1"; P="$2"; DIR="$3"
while kill -0 "$W" 2>/dev/null; do sleep 1; done
kill -TERM "$P" 2>/dev/null
i=0; while kill -0 "$P" 2>/dev/null && [ $i -lt 20 ]; do sleep 0.5; i=$((i+1)); done
kill -KILL "$P" 2>/dev/null
rm -rf "$DIR"
exit 0
"#;

/// The Connect classes every worker needs; their jars mark a finished download.
const REQUIRED_JARS: &[&str] = &["connect-runtime", "connect-file"];

/// This Kafka version's Connect jars in the cache, fetched with Maven on first use (into a
/// staging folder renamed into place, so an interrupted download is never taken as done).
pub fn ensure_connect_jars() -> Result<PathBuf, HarnessError> {
    let home = cache_root().join(format!("connect-{}", connect_version()));
    let libs = home.join("libs");
    if libs.join(".complete").is_file() {
        return Ok(libs);
    }
    let io = |what: String| move |e: std::io::Error| HarnessError::Io(format!("{what}: {e}"));
    fs::create_dir_all(&home).map_err(io(format!("creating {}", home.display())))?;
    let staging = home.join(format!("libs.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let pom = home.join(format!("pom-{}.xml", std::process::id()));
    fs::write(&pom, POM).map_err(io(format!("writing {}", pom.display())))?;
    let mvn = std::env::var_os("MVN").unwrap_or_else(|| "mvn".into());
    let mut child = Command::new(&mvn)
        .args(["-q", "-B", "-Dstyle.color=never", "-f"])
        .arg(&pom)
        .args(["dependency:copy-dependencies", "-DincludeScope=runtime"])
        .arg(format!("-DoutputDirectory={}", staging.display()))
        .current_dir(&home)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| HarnessError::Fetch(format!("could not run {} (install Maven): {e}", mvn.to_string_lossy())))?;
    let mut stderr = child.stderr.take();
    let reader = thread::spawn(move || {
        let mut text = String::new();
        if let Some(s) = stderr.as_mut() {
            let _ = s.read_to_string(&mut text);
        }
        text
    });
    let deadline = Instant::now() + FETCH_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(200)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let said = reader.join().unwrap_or_default();
    let _ = fs::remove_file(&pom);
    let has = |prefix: &str| {
        fs::read_dir(&staging)
            .map(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with(&format!("{prefix}-"))))
            .unwrap_or(false)
    };
    if !status.is_some_and(|s| s.success()) || !REQUIRED_JARS.iter().all(|j| has(j)) {
        let _ = fs::remove_dir_all(&staging);
        return Err(HarnessError::Fetch(format!(
            "Maven could not fetch Kafka Connect {} (is Maven Central reachable?){}\n{}",
            connect_version(),
            if status.is_none() { format!(" — stopped after {} s", FETCH_TIMEOUT.as_secs()) } else { String::new() },
            tail(&said, 30)
        )));
    }
    fs::write(staging.join(".complete"), format!("kafka connect {}\n", connect_version()))
        .map_err(io("marking the Connect download complete".into()))?;
    // Another process may have finished first: its folder is as good as ours.
    if fs::rename(&staging, &libs).is_err() {
        let _ = fs::remove_dir_all(&staging);
        if !libs.join(".complete").is_file() {
            return Err(HarnessError::Io(format!("could not move the Connect jars into {}", libs.display())));
        }
    }
    Ok(libs)
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

fn free_port() -> Result<u16, HarnessError> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| HarnessError::Io(format!("finding a free loopback port: {e}")))
}

/// A minimal HTTP/1.0 GET on loopback: (status, body). Enough to wait for the REST API
/// without an HTTP client in the harness.
pub fn http_get(port: u16, path: &str, timeout: Duration) -> std::io::Result<(u16, String)> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\r\n")?;
    let mut raw = String::new();
    stream.read_to_string(&mut raw)?;
    let status = raw.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

/// A running distributed Connect worker.
pub struct ConnectWorker {
    port: u16,
    dir: PathBuf,
    group_id: String,
    child: Mutex<Option<Child>>,
}

impl std::fmt::Debug for ConnectWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectWorker").field("url", &self.url()).field("dir", &self.dir).finish()
    }
}

impl ConnectWorker {
    /// Starts a worker against `bootstrap` with its files in `dir` (removed on stop) and
    /// waits until its REST API lists the FileStream connectors. `watch_pid`: stop the
    /// worker once that process is gone.
    pub fn start(bootstrap: &str, dir: &Path, watch_pid: Option<u32>) -> Result<ConnectWorker, HarnessError> {
        let libs = ensure_connect_jars()?;
        fs::create_dir_all(dir).map_err(|e| HarnessError::Io(format!("creating {}: {e}", dir.display())))?;
        let port = free_port()?;
        let id = uuid::Uuid::new_v4().simple().to_string()[..10].to_string();
        let group_id = format!("kafkadesk-connect-{id}");
        let props = format!(
            "bootstrap.servers={bootstrap}
group.id={group_id}
config.storage.topic={group_id}-configs
offset.storage.topic={group_id}-offsets
status.storage.topic={group_id}-status
config.storage.replication.factor=-1
offset.storage.replication.factor=-1
status.storage.replication.factor=-1
offset.storage.partitions=3
status.storage.partitions=3
key.converter=org.apache.kafka.connect.storage.StringConverter
value.converter=org.apache.kafka.connect.storage.StringConverter
offset.flush.interval.ms=500
listeners=http://127.0.0.1:{port}
rest.advertised.host.name=127.0.0.1
rest.advertised.port={port}
scheduled.rebalance.max.delay.ms=0
task.shutdown.graceful.timeout.ms=3000
"
        );
        let write = |name: &str, text: &str| {
            fs::write(dir.join(name), text).map_err(|e| HarnessError::Io(format!("writing {name}: {e}")))
        };
        write("worker.properties", &props)?;
        write("log4j2.properties", LOG4J2)?;
        let log_path = dir.join("connect.log");
        let log = fs::File::create(&log_path).map_err(|e| HarnessError::Io(format!("creating {}: {e}", log_path.display())))?;
        let log_err = log.try_clone().map_err(|e| HarnessError::Io(format!("duplicating the log handle: {e}")))?;
        let java = std::env::var_os("JAVA_HOME")
            .map(|h| PathBuf::from(h).join("bin/java"))
            .filter(|j| j.is_file())
            .unwrap_or_else(|| PathBuf::from("java"));
        let mut cmd = Command::new(&java);
        cmd.args(["-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"])
            .arg(format!("-Dlog4j2.configurationFile={}", dir.join("log4j2.properties").display()))
            .arg("-cp")
            .arg(format!("{}/*", libs.display()))
            .arg("org.apache.kafka.connect.cli.ConnectDistributed")
            .arg(dir.join("worker.properties"))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .map_err(|e| HarnessError::Start(format!("could not start Kafka Connect with {}: {e}", java.display())))?;
        let pid = child.id();
        let worker = ConnectWorker { port, dir: dir.to_path_buf(), group_id, child: Mutex::new(Some(child)) };
        if let Some(watch) = watch_pid {
            let mut dog = Command::new("sh");
            dog.arg("-c")
                .arg(WATCHDOG_SH)
                .arg("kafkadesk-connect-watchdog")
                .arg(watch.to_string())
                .arg(pid.to_string())
                .arg(dir)
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // SAFETY: as above.
            unsafe {
                dog.pre_exec(|| {
                    libc::setsid();
                    Ok(())
                });
            }
            dog.spawn().map_err(|e| HarnessError::Start(format!("could not start the Connect watchdog (sh): {e}")))?;
        }
        worker.wait_ready()?;
        Ok(worker)
    }

    /// A handle on a worker someone else runs on this machine (never stopped by us).
    pub fn external(url: &str, dir: &Path) -> Result<ConnectWorker, HarnessError> {
        let port = url
            .trim()
            .trim_end_matches('/')
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse().ok())
            .ok_or_else(|| HarnessError::InvalidSpec(format!("KAFKADESK_TEST_CONNECT_URL {url} has no port")))?;
        fs::create_dir_all(dir).map_err(|e| HarnessError::Io(format!("creating {}: {e}", dir.display())))?;
        let worker = ConnectWorker { port, dir: dir.to_path_buf(), group_id: String::new(), child: Mutex::new(None) };
        worker.wait_ready()?;
        Ok(worker)
    }

    fn wait_ready(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok((200, body)) = http_get(self.port, "/connector-plugins", Duration::from_secs(5)) {
                if body.contains("FileStreamSourceConnector") {
                    return Ok(());
                }
            }
            if let Some(status) = self.child.lock().ok().and_then(|mut c| c.as_mut().and_then(|c| c.try_wait().ok().flatten())) {
                return Err(HarnessError::Start(format!("Kafka Connect exited ({status}):\n{}", self.log_tail())));
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(format!(
                    "Kafka Connect did not answer on port {} within {} s:\n{}",
                    self.port,
                    START_TIMEOUT.as_secs(),
                    self.log_tail()
                )));
            }
            thread::sleep(Duration::from_millis(500));
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The worker's group id; its internal topics are `<group id>-configs|offsets|status`.
    pub fn group_id(&self) -> &str {
        &self.group_id
    }

    /// A scratch folder for this worker's test files (source inputs, sink outputs).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The last lines of the worker's log, for failure messages.
    pub fn log_tail(&self) -> String {
        tail(&fs::read_to_string(self.dir.join("connect.log")).unwrap_or_default(), 40)
    }

    /// Stops the worker (SIGTERM, then SIGKILL after a grace period) and removes its folder.
    pub fn stop(&self) {
        let Some(mut child) = self.child.lock().ok().and_then(|mut c| c.take()) else { return };
        if let Ok(pid) = libc::pid_t::try_from(child.id()) {
            // SAFETY: plain syscall on the pid of the child we spawned and have not reaped.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
        let deadline = Instant::now() + STOP_GRACE;
        while Instant::now() < deadline {
            if matches!(child.try_wait(), Ok(Some(_))) {
                break;
            }
            thread::sleep(Duration::from_millis(100));
        }
        let _ = child.kill();
        let _ = child.wait();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

impl Drop for ConnectWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The Connect worker of this test process, against [`test_cluster`]: started on first
/// use, stopped by its watchdog when the process exits (statics are never dropped).
/// With `KAFKADESK_TEST_CONNECT_URL` set (`http://127.0.0.1:<port>` of a worker against the
/// same cluster, on this machine), a handle on that worker instead.
/// Panics with the worker's log if it cannot start; tried once per process.
pub fn test_connect() -> &'static ConnectWorker {
    static WORKER: OnceLock<Result<ConnectWorker, String>> = OnceLock::new();
    let worker = WORKER.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kafkadesk-connect-{}", std::process::id()));
        if let Some(url) = std::env::var("KAFKADESK_TEST_CONNECT_URL").ok().filter(|u| !u.trim().is_empty()) {
            return ConnectWorker::external(&url, &dir).map_err(|e| e.to_string());
        }
        let bootstrap = test_cluster().bootstrap();
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting a Kafka Connect {} worker…", connect_version());
        let result = ConnectWorker::start(&bootstrap, &dir, Some(std::process::id())).map_err(|e| e.to_string());
        if let Ok(w) = &result {
            eprintln!("[kafkadesk harness] Kafka Connect ready at {} in {:.1} s", w.url(), started.elapsed().as_secs_f64());
        }
        result
    });
    match worker {
        Ok(w) => w,
        Err(e) => panic!("the test Kafka Connect worker could not start:\n{e}"),
    }
}
