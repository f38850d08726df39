//! A real Apache Kafka cluster on loopback, for integration tests, end-to-end tests and the
//! `make run` sandbox.
//!
//! Why not a container or the rdkafka mock cluster: the app has to be proven against the
//! broker people run, and this machine (and CI) has Java and Maven but no Docker. So Kafka
//! comes from Maven Central as plain jars (`tests/kafka/pom.xml`, cached once under
//! [`kafka_home`]) and every node is one `java … kafka.Kafka server.properties` process: a
//! combined KRaft broker + controller with a static quorum, listening on 127.0.0.1 only.
//!
//! Lifecycle rules that keep a machine clean:
//! - every node runs in its own session (`setsid`), so Ctrl-C in a terminal reaches the test
//!   process, not the brokers; stopping them is this module's job;
//! - a cluster started with [`ClusterSpec::watch_pid`] gets a detached watchdog (`sh`) that
//!   stops the nodes as soon as that process is gone, however it died (panic, abort, SIGKILL);
//! - `<data dir>/cluster.json` records ports and pids, so another process can [`Cluster::attach`]
//!   to stop it or report on it (that is what `sandbox stop` / `sandbox status` do);
//! - before signalling a pid read back from disk we check, in `/proc`, that it still is a
//!   `kafka.Kafka` process of that very node; a recycled pid is never killed.
//!
//! Everything waits with a bound and fails with a [`HarnessError`] that says what to do and
//! carries the tail of each node's log.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::net::TcpListener;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Message, Offset, TopicPartitionList};
use serde::{Deserialize, Serialize};

/// The Maven project that pins the Kafka version; its `kafka.version` is the one truth.
const POM: &str = include_str!("../kafka/pom.xml");
/// Broker config with `{{placeholders}}`, rendered once per node.
const SERVER_PROPERTIES_TMPL: &str = include_str!("../kafka/server.properties.tmpl");
/// Broker logging: everything into `<node dir>/server.log`.
const BROKER_LOG4J2: &str = include_str!("../kafka/log4j2.properties");
/// Appended to a node's config by [`Cluster::start_secured`]: the SASL / TLS listeners.
const SECURED_PROPERTIES_TMPL: &str = include_str!("../kafka/secured.properties.tmpl");
/// Logging for short-lived tools (StorageTool, TopicCommand, …): warnings to stderr only,
/// like Kafka's own `tools-log4j2.yaml`.
const TOOLS_LOG4J2: &str = "\
status = warn
name = kafkadesk-tools
appender.stderr.type = Console
appender.stderr.name = STDERR
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.stderr.ref = STDERR
";

/// Stops the nodes listed in a pid file once the watched process is gone.
/// Arguments: $1 watched pid, $2 pid file (node pids, space separated), $3 dir to remove or "".
/// A cluster whose data dir is thrown away anyway is killed at once; others get SIGTERM and
/// 10 s (like `Cluster::stop`).
const WATCHDOG_SH: &str = r#"
W="$1"; PIDFILE="$2"; RMDIR="$3"
while kill -0 "$W" 2>/dev/null; do sleep 1; done
PIDS=$(cat "$PIDFILE" 2>/dev/null)
wait_gone() {
  i=0
  while [ $i -lt "$1" ]; do
    alive=""
    for p in $PIDS; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && return 0
    sleep 0.5; i=$((i+1))
  done
  return 1
}
if [ -n "$PIDS" ]; then
  if [ -z "$RMDIR" ]; then
    kill -TERM $PIDS 2>/dev/null
    wait_gone 20
  fi
  kill -KILL $PIDS 2>/dev/null
  wait_gone 10
fi
[ -n "$RMDIR" ] && rm -rf "$RMDIR"
exit 0
"#;

/// Default bound for a whole cluster to come up (override: `KAFKADESK_KAFKA_START_TIMEOUT`, seconds).
const START_TIMEOUT: Duration = Duration::from_secs(90);
/// Bound for one restarted node to be back in metadata.
const NODE_RESTART_TIMEOUT: Duration = Duration::from_secs(60);
/// How long SIGTERM gets before SIGKILL when one node stops (the others keep the quorum, so a
/// graceful stop takes about a second).
const STOP_GRACE: Duration = Duration::from_secs(20);
/// How long SIGTERM gets before SIGKILL when the whole cluster stops. All nodes get SIGTERM at
/// once, so every broker asks for its controlled shutdown while the quorum is still there; a
/// normal stop then takes ~6 s (the Raft leader waits 5 s for a successor before giving up).
/// On a loaded machine a broker may ask after the quorum is gone and would wait minutes for an
/// answer; SIGKILL ends that, and Kafka recovers its logs at the next start.
const CLUSTER_STOP_GRACE: Duration = Duration::from_secs(10);
/// How long a SIGKILLed process gets to disappear.
const KILL_WAIT: Duration = Duration::from_secs(10);
/// Formatting one node's storage (a JVM start plus a few file writes).
const FORMAT_TIMEOUT: Duration = Duration::from_secs(90);
/// A cold `mvn dependency:copy-dependencies` of ~55 MB.
const FETCH_TIMEOUT: Duration = Duration::from_secs(15 * 60);
/// A Kafka command-line tool run through [`kafka_java`].
const TOOL_TIMEOUT: Duration = Duration::from_secs(120);

const STATE_FILE: &str = "cluster.json";
const PID_FILE: &str = "pids";
const LOG_TAIL_LINES: usize = 40;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why the harness could not do what was asked. The message is meant for a person reading a
/// failed test: it says what went wrong, what to do, and for start failures includes the tail
/// of every node's log.
#[derive(Clone)]
pub enum HarnessError {
    /// A file or process operation failed (context, then the OS error).
    Io(String),
    /// Kafka's jars could not be fetched with Maven.
    Fetch(String),
    /// The cluster (or a node) did not start.
    Start(String),
    /// Something did not happen within its bound.
    Timeout(String),
    /// A Kafka client call failed.
    Kafka(String),
    /// The operation needs processes this handle does not manage (e.g. a cluster given by
    /// `KAFKADESK_TEST_BOOTSTRAP`), or an unknown node id.
    NotManaged(String),
    /// The arguments do not make sense (e.g. 2 ports for 3 nodes).
    InvalidSpec(String),
}

impl HarnessError {
    pub fn message(&self) -> &str {
        match self {
            HarnessError::Io(m)
            | HarnessError::Fetch(m)
            | HarnessError::Start(m)
            | HarnessError::Timeout(m)
            | HarnessError::Kafka(m)
            | HarnessError::NotManaged(m)
            | HarnessError::InvalidSpec(m) => m,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            HarnessError::Io(_) => "I/O error",
            HarnessError::Fetch(_) => "could not fetch Kafka",
            HarnessError::Start(_) => "Kafka did not start",
            HarnessError::Timeout(_) => "timed out",
            HarnessError::Kafka(_) => "Kafka error",
            HarnessError::NotManaged(_) => "not managed by this handle",
            HarnessError::InvalidSpec(_) => "invalid cluster spec",
        }
    }
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

// Debug prints like Display so `.unwrap()` / `.expect()` in tests show log tails readably
// instead of one line of escaped `\n`s.
impl fmt::Debug for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for HarnessError {}

fn io_err(context: impl fmt::Display) -> impl FnOnce(io::Error) -> HarnessError {
    move |e| HarnessError::Io(format!("{context}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Where things live
// ---------------------------------------------------------------------------------------------

/// The Kafka version pinned by `tests/kafka/pom.xml` (its `kafka.version` property).
pub fn kafka_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        POM.split_once("<kafka.version>")
            .and_then(|(_, rest)| rest.split_once("</kafka.version>"))
            .map(|(v, _)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".to_string())
    })
}

/// The cache root: `$KAFKADESK_CACHE`, else `~/.cache/kafkadesk`.
pub fn cache_root() -> PathBuf {
    if let Some(dir) = std::env::var_os("KAFKADESK_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    match std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        Some(home) => PathBuf::from(home).join(".cache").join("kafkadesk"),
        None => std::env::temp_dir().join("kafkadesk-cache"),
    }
}

/// This Kafka version's folder in the cache: `<cache root>/kafka-<version>`. Its `libs/` holds
/// the jars once [`ensure_kafka_jars`] has run.
pub fn kafka_home() -> PathBuf {
    cache_root().join(format!("kafka-{}", kafka_version()))
}

fn java_bin() -> PathBuf {
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        let java = PathBuf::from(home).join("bin").join("java");
        if java.is_file() {
            return java;
        }
    }
    PathBuf::from("java")
}

fn classpath(libs: &Path) -> String {
    format!("{}/*", libs.display())
}

// ---------------------------------------------------------------------------------------------
// Fetching the jars
// ---------------------------------------------------------------------------------------------

/// Makes sure Kafka's jars are in `<kafka_home>/libs` and returns that folder.
///
/// The first call runs Maven (`dependency:copy-dependencies` of `tests/kafka/pom.xml`) into a
/// staging folder, marks it complete and renames it into place, all under a file lock: a
/// download that was interrupted is never taken for a finished one, and parallel test
/// processes wait for the one that is fetching.
pub fn ensure_kafka_jars() -> Result<PathBuf, HarnessError> {
    let home = kafka_home();
    let libs = home.join("libs");
    if jars_complete(&libs) {
        return Ok(libs);
    }
    fs::create_dir_all(&home).map_err(io_err(format!("creating {}", home.display())))?;
    let _lock = FileLock::acquire(
        &home.join(".fetch.lock"),
        FETCH_TIMEOUT + Duration::from_secs(60),
        "the Kafka jar download",
    )?;
    if jars_complete(&libs) {
        return Ok(libs);
    }

    let staging = home.join(format!("libs.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(io_err(format!("creating {}", staging.display())))?;
    let pom = home.join("pom.xml");
    write_atomically(&pom, POM.as_bytes())?;

    let mvn = std::env::var_os("MVN").unwrap_or_else(|| "mvn".into());
    let mut cmd = Command::new(&mvn);
    cmd.args(["-q", "-B", "-Dstyle.color=never", "-f"])
        .arg(&pom)
        .args(["dependency:copy-dependencies", "-DincludeScope=runtime"])
        .arg(format!("-DoutputDirectory={}", staging.display()))
        .current_dir(&home);
    let (out, timed_out) = run_with_timeout(&mut cmd, FETCH_TIMEOUT).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            HarnessError::Fetch(format!(
                "Maven (`{}`) is not installed; Kafka's jars come from Maven Central through it. \
                 Install it (Debian/Ubuntu: `apt-get install maven`) or set MVN to its path.",
                mvn.to_string_lossy()
            ))
        } else {
            HarnessError::Fetch(format!("could not run {}: {e}", mvn.to_string_lossy()))
        }
    })?;
    if timed_out || !out.status.success() {
        let _ = fs::remove_dir_all(&staging);
        return Err(HarnessError::Fetch(format!(
            "`mvn -f {} dependency:copy-dependencies` {} (is Maven Central reachable?)\n{}",
            pom.display(),
            if timed_out {
                format!("was stopped after {} s", FETCH_TIMEOUT.as_secs())
            } else {
                format!("failed ({})", out.status)
            },
            tail_text(&combined_output(&out), LOG_TAIL_LINES)
        )));
    }

    let v = kafka_version();
    for jar in [
        format!("kafka_2.13-{v}.jar"),
        format!("kafka-tools-{v}.jar"),
    ] {
        if !staging.join(&jar).is_file() {
            let _ = fs::remove_dir_all(&staging);
            return Err(HarnessError::Fetch(format!(
                "Maven finished but {jar} is missing from {}",
                staging.display()
            )));
        }
    }
    let count = fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    fs::write(
        staging.join(".complete"),
        format!("kafka {v}, {count} jars\n"),
    )
    .map_err(io_err("marking the jar download complete"))?;
    if libs.exists() {
        fs::remove_dir_all(&libs).map_err(io_err(format!("removing stale {}", libs.display())))?;
    }
    fs::rename(&staging, &libs).map_err(io_err(format!("moving jars into {}", libs.display())))?;
    Ok(libs)
}

fn jars_complete(libs: &Path) -> bool {
    libs.join(".complete").is_file()
}

fn tools_log4j_config() -> Result<PathBuf, HarnessError> {
    let path = kafka_home().join("tools-log4j2.properties");
    if fs::read_to_string(&path).ok().as_deref() != Some(TOOLS_LOG4J2) {
        write_atomically(&path, TOOLS_LOG4J2.as_bytes())?;
    }
    Ok(path)
}

/// A `java` command for a short-lived Kafka tool: small heap, fast start.
fn tool_command(libs: &Path, main_class: &str) -> Result<Command, HarnessError> {
    let log4j = tools_log4j_config()?;
    let mut cmd = Command::new(java_bin());
    cmd.args([
        "-Xms64m",
        "-Xmx512m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Djava.awt.headless=true",
    ])
    .arg(format!("-Dlog4j2.configurationFile={}", log4j.display()))
    .arg("-cp")
    .arg(classpath(libs))
    .arg(main_class);
    Ok(cmd)
}

/// Runs a Kafka command-line class (e.g. `org.apache.kafka.tools.TopicCommand`) from the same
/// jars as the brokers and returns what it printed. Meant as ground truth in tests.
///
/// Never panics: if the jars cannot be fetched or Java cannot start, the returned `Output` has
/// exit code 1 and the reason in `stderr`. The tool is killed after 120 s.
pub fn kafka_java(main_class: &str, args: &[&str]) -> Output {
    let failed = |msg: String| Output {
        status: ExitStatus::from_raw(1 << 8),
        stdout: Vec::new(),
        stderr: msg.into_bytes(),
    };
    let libs = match ensure_kafka_jars() {
        Ok(libs) => libs,
        Err(e) => return failed(e.to_string()),
    };
    let mut cmd = match tool_command(&libs, main_class) {
        Ok(cmd) => cmd,
        Err(e) => return failed(e.to_string()),
    };
    cmd.args(args);
    match run_with_timeout(&mut cmd, TOOL_TIMEOUT) {
        Ok((mut out, timed_out)) => {
            if timed_out {
                out.stderr.extend_from_slice(
                    format!(
                        "\n[kafkadesk harness] {main_class} killed after {} s\n",
                        TOOL_TIMEOUT.as_secs()
                    )
                    .as_bytes(),
                );
            }
            out
        }
        Err(e) => failed(format!(
            "could not run {} {main_class}: {e}",
            java_bin().display()
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------

/// What cluster to start.
#[derive(Debug, Clone)]
pub struct ClusterSpec {
    /// Number of combined broker+controller nodes (ids 1..=nodes); 1 or 3 in practice.
    pub nodes: usize,
    /// PLAINTEXT ports, one per node; `None` picks free loopback ports.
    pub broker_ports: Option<Vec<u16>>,
    /// CONTROLLER ports, one per node; `None` picks free loopback ports.
    pub controller_ports: Option<Vec<u16>>,
    /// Where node folders (`node-<id>/`), `cluster.json` and logs go.
    pub data_dir: PathBuf,
    /// Stop the nodes when this process is gone (a detached watchdog polls it every second).
    pub watch_pid: Option<u32>,
}

impl ClusterSpec {
    /// `nodes` nodes on free ports in `data_dir`, not watched.
    pub fn new(nodes: usize, data_dir: impl Into<PathBuf>) -> ClusterSpec {
        ClusterSpec {
            nodes,
            broker_ports: None,
            controller_ports: None,
            data_dir: data_dir.into(),
            watch_pid: None,
        }
    }
}

#[derive(Debug, Clone)]
struct NodeInfo {
    id: i32,
    broker_port: u16,
    controller_port: u16,
    dir: PathBuf,
}

impl NodeInfo {
    fn props(&self) -> PathBuf {
        self.dir.join("server.properties")
    }
    fn server_log(&self) -> PathBuf {
        self.dir.join("server.log")
    }
    fn stdout_log(&self) -> PathBuf {
        self.dir.join("stdout.log")
    }
    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct NodeState {
    id: i32,
    broker_port: u16,
    controller_port: u16,
    pid: Option<u32>,
}

/// `<data dir>/cluster.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StateFile {
    kafka_version: String,
    libs: PathBuf,
    cluster_id: String,
    bootstrap: String,
    nodes: Vec<NodeState>,
    watchdog_pid: Option<u32>,
}

#[derive(Default)]
struct Procs {
    /// Running node pids by node id.
    pids: BTreeMap<i32, u32>,
    /// Nodes this process spawned (so exits are reaped and never confused with live pids).
    children: HashMap<i32, Child>,
    watchdog_pid: Option<u32>,
    watchdog_child: Option<Child>,
}

struct Managed {
    data_dir: PathBuf,
    libs: PathBuf,
    cluster_id: String,
    nodes: Vec<NodeInfo>,
    procs: Mutex<Procs>,
    /// Started by this handle (stop on drop) vs. attached (leave running on drop).
    stop_on_drop: AtomicBool,
    /// The data dir is ours to delete when the cluster stops (test clusters in temp dirs).
    remove_data_dir: bool,
}

/// A running Kafka cluster on loopback: node processes, their ports and data dir.
///
/// Three kinds of handle:
/// - [`Cluster::start`]: owns its nodes; dropping it (or [`Cluster::stop`]) stops them.
/// - [`Cluster::attach`]: re-opened from `cluster.json`; dropping it leaves the nodes running,
///   [`Cluster::stop`] stops them.
/// - [`Cluster::external`] (and [`test_cluster`] with `KAFKADESK_TEST_BOOTSTRAP`): only knows a
///   bootstrap string; stop does nothing and node control returns [`HarnessError::NotManaged`].
pub struct Cluster {
    bootstrap: String,
    broker_ports: Vec<u16>,
    managed: Option<Managed>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cluster")
            .field("bootstrap", &self.bootstrap)
            .field("data_dir", &self.managed.as_ref().map(|m| &m.data_dir))
            .finish()
    }
}

impl Cluster {
    /// Starts a cluster as `spec` says and returns once every broker is in metadata and a probe
    /// message has gone through a topic replicated on min(3, nodes) brokers (bounded: 90 s, or
    /// `KAFKADESK_KAFKA_START_TIMEOUT` seconds). Fetches the jars first if needed.
    ///
    /// If `data_dir` holds a stopped cluster with the same node count and ports, its data is
    /// kept (the sandbox keeps its topics across `make run`s); otherwise node folders are wiped
    /// and formatted anew. On failure every started node is stopped and the error carries the
    /// tail of each node's log.
    pub fn start(spec: ClusterSpec) -> Result<Cluster, HarnessError> {
        Self::start_inner(spec, false, None)
    }

    /// Starts one node with a listener per client security mode beside PLAINTEXT (see
    /// `tests/kafka/secured.properties.tmpl`): SCRAM users, a test CA and certificates are
    /// made fresh in `data_dir`. The returned handle stops the node when dropped.
    pub fn start_secured(data_dir: impl Into<PathBuf>) -> Result<SecuredCluster, HarnessError> {
        Self::start_secured_inner(ClusterSpec::new(1, data_dir), false, "", &[])
    }

    /// `extra_properties` are appended to each node's config and `extra_scram` users added at
    /// format time (the authorizing broker of `crate::authz` uses both).
    pub(crate) fn start_secured_inner(
        spec: ClusterSpec,
        remove_data_dir: bool,
        extra_properties: &str,
        extra_scram: &[(&str, &str, &str)],
    ) -> Result<SecuredCluster, HarnessError> {
        fs::create_dir_all(&spec.data_dir).map_err(io_err(format!("creating {}", spec.data_dir.display())))?;
        let tls = TestPki::generate(&spec.data_dir.join("tls"))?;
        let mut held = Vec::new();
        let mut ports = [0u16; 5];
        for port in &mut ports {
            let l = TcpListener::bind(("127.0.0.1", 0)).map_err(io_err("binding 127.0.0.1:0 to pick a free port"))?;
            *port = l.local_addr().map_err(io_err("reading a picked port"))?.port();
            held.push(l);
        }
        drop(held);
        let [sasl_plaintext, ssl, sasl_ssl, mtls, badhost] = ports;
        let listeners = SecuredListeners { sasl_plaintext, ssl, sasl_ssl, mtls, badhost };
        let extra_scram = extra_scram.iter().flat_map(|&(mech, name, pw)| SecuredCluster::scram_arg(mech, name, pw)).collect();
        let setup = SecuredSetup { listeners: listeners.clone(), tls: tls.clone(), extra_properties: extra_properties.to_string(), extra_scram };
        let cluster = Self::start_inner(spec, remove_data_dir, Some(&setup))?;
        Ok(SecuredCluster { cluster, listeners, tls })
    }

    fn start_inner(spec: ClusterSpec, remove_data_dir: bool, secured: Option<&SecuredSetup>) -> Result<Cluster, HarnessError> {
        let n = spec.nodes;
        if n == 0 || n > 9 {
            return Err(HarnessError::InvalidSpec(format!(
                "nodes must be 1..=9, got {n}"
            )));
        }
        for (what, ports) in [
            ("broker_ports", &spec.broker_ports),
            ("controller_ports", &spec.controller_ports),
        ] {
            if let Some(p) = ports {
                if p.len() != n {
                    return Err(HarnessError::InvalidSpec(format!(
                        "{what} has {} ports for {n} nodes",
                        p.len()
                    )));
                }
            }
        }
        // The start bound counts from here: a cold jar download has its own bound.
        let libs = ensure_kafka_jars()?;
        let started = Instant::now();
        let data_dir = spec.data_dir.clone();
        fs::create_dir_all(&data_dir)
            .map_err(io_err(format!("creating {}", data_dir.display())))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_err(format!("resolving {}", data_dir.display())))?;
        let _lock = FileLock::acquire(
            &data_dir.join(".cluster.lock"),
            START_TIMEOUT * 2,
            "another start in this data dir",
        )?;

        let previous = read_state(&data_dir);
        if let Some(prev) = &previous {
            let running: Vec<String> = prev
                .nodes
                .iter()
                .filter_map(|s| {
                    s.pid
                        .filter(|&pid| {
                            pid_is_node(pid, &node_dir(&data_dir, s.id).join("server.properties"))
                        })
                        .map(|pid| format!("node {} (pid {pid})", s.id))
                })
                .collect();
            if !running.is_empty() {
                return Err(HarnessError::Start(format!(
                    "a cluster is already running in {}: {}. Stop it first (`sandbox stop --dir {}`).",
                    data_dir.display(),
                    running.join(", "),
                    data_dir.display()
                )));
            }
        }

        let (broker_ports, controller_ports) = choose_ports(&spec)?;
        let nodes: Vec<NodeInfo> = (0..n)
            .map(|i| {
                let id = i as i32 + 1;
                NodeInfo {
                    id,
                    broker_port: broker_ports[i],
                    controller_port: controller_ports[i],
                    dir: node_dir(&data_dir, id),
                }
            })
            .collect();

        // Keep the data of a stopped cluster with the same shape; otherwise start clean.
        let reuse = previous.as_ref().filter(|prev| {
            prev.nodes.len() == n
                && prev.nodes.iter().zip(&nodes).all(|(s, node)| {
                    s.id == node.id
                        && s.broker_port == node.broker_port
                        && s.controller_port == node.controller_port
                        && node.data().join("meta.properties").is_file()
                })
        });
        let cluster_id = match reuse {
            Some(prev) => prev.cluster_id.clone(),
            None => {
                for entry in fs::read_dir(&data_dir)
                    .map_err(io_err(format!("listing {}", data_dir.display())))?
                    .flatten()
                {
                    let name = entry.file_name();
                    if name.to_string_lossy().starts_with("node-") {
                        fs::remove_dir_all(entry.path())
                            .map_err(io_err(format!("removing {}", entry.path().display())))?;
                    }
                }
                new_cluster_id()
            }
        };

        let voters = nodes
            .iter()
            .map(|nd| format!("{}@127.0.0.1:{}", nd.id, nd.controller_port))
            .collect::<Vec<_>>()
            .join(",");
        let internal_rf = n.min(3);
        for node in &nodes {
            fs::create_dir_all(node.data())
                .map_err(io_err(format!("creating {}", node.data().display())))?;
            let vars = [
                ("node_id", node.id.to_string()),
                ("quorum_voters", voters.clone()),
                ("broker_port", node.broker_port.to_string()),
                ("controller_port", node.controller_port.to_string()),
                ("log_dir", node.data().display().to_string()),
                ("internal_rf", internal_rf.to_string()),
                ("internal_min_isr", internal_rf.min(2).to_string()),
            ];
            let mut props = render(SERVER_PROPERTIES_TMPL, &vars)?;
            if let Some(setup) = secured {
                let mut all = vars.to_vec();
                all.extend(setup.vars());
                props.push('\n');
                props.push_str(&render(SECURED_PROPERTIES_TMPL, &all)?);
                props.push_str(&setup.extra_properties);
            }
            write_atomically(&node.props(), props.as_bytes())?;
            write_atomically(
                &node.dir.join("log4j2.properties"),
                BROKER_LOG4J2.as_bytes(),
            )?;
        }
        if reuse.is_none() {
            let scram: Vec<String> =
                secured.map(|s| [SecuredCluster::scram_args(), s.extra_scram.clone()].concat()).unwrap_or_default();
            format_storage(&libs, &cluster_id, &nodes, &scram)?;
        }

        let cluster = Cluster {
            bootstrap: bootstrap_of(&nodes),
            broker_ports: broker_ports.clone(),
            managed: Some(Managed {
                data_dir: data_dir.clone(),
                libs,
                cluster_id,
                nodes,
                procs: Mutex::new(Procs::default()),
                stop_on_drop: AtomicBool::new(true),
                remove_data_dir,
            }),
        };
        let m = cluster.managed()?;
        // Record the state before anything runs, so a crash mid-start can still be cleaned up;
        // the watchdog goes first so that no node ever runs unwatched.
        m.save_state(&m.lock());
        let spawned = (|| {
            if let Some(watch) = spec.watch_pid {
                m.spawn_watchdog(watch)?;
            }
            m.nodes.iter().try_for_each(|node| m.spawn_node(node))
        })();
        if let Err(e) = spawned {
            let tails = m.log_tails();
            drop(cluster); // stops whatever did start
            return Err(HarnessError::Start(format!("{e}\n{tails}")));
        }

        let deadline = started + start_timeout();
        if let Err(e) = cluster.wait_ready(deadline) {
            let tails = m.log_tails();
            drop(cluster);
            return Err(HarnessError::Start(format!(
                "{n}-node cluster in {} not ready after {:.0} s: {e}\n{tails}",
                data_dir.display(),
                started.elapsed().as_secs_f64()
            )));
        }
        Ok(cluster)
    }

    /// A handle on a cluster someone else runs (e.g. `KAFKADESK_TEST_BOOTSTRAP`). It has no
    /// processes: [`Cluster::stop`] does nothing and node control returns `NotManaged`.
    pub fn external(bootstrap: &str) -> Cluster {
        let bootstrap = bootstrap.trim().to_string();
        let broker_ports = bootstrap
            .split(',')
            .filter_map(|hp| hp.trim().rsplit_once(':').and_then(|(_, p)| p.parse().ok()))
            .collect();
        Cluster {
            bootstrap,
            broker_ports,
            managed: None,
        }
    }

    /// Re-opens the cluster recorded in `<data_dir>/cluster.json` if at least one of its nodes
    /// is still running. The handle does NOT stop the nodes when dropped; call
    /// [`Cluster::stop`] for that.
    pub fn attach(data_dir: impl AsRef<Path>) -> Option<Cluster> {
        let data_dir = data_dir.as_ref().canonicalize().ok()?;
        let state = read_state(&data_dir)?;
        let nodes: Vec<NodeInfo> = state
            .nodes
            .iter()
            .map(|s| NodeInfo {
                id: s.id,
                broker_port: s.broker_port,
                controller_port: s.controller_port,
                dir: node_dir(&data_dir, s.id),
            })
            .collect();
        let mut procs = Procs::default();
        for (s, node) in state.nodes.iter().zip(&nodes) {
            if let Some(pid) = s.pid.filter(|&pid| pid_is_node(pid, &node.props())) {
                procs.pids.insert(s.id, pid);
            }
        }
        procs.watchdog_pid = state.watchdog_pid.filter(|&pid| pid_is_watchdog(pid));
        if procs.pids.is_empty() {
            return None;
        }
        Some(Cluster {
            bootstrap: bootstrap_of(&nodes),
            broker_ports: nodes.iter().map(|nd| nd.broker_port).collect(),
            managed: Some(Managed {
                data_dir,
                libs: state.libs,
                cluster_id: state.cluster_id,
                nodes,
                procs: Mutex::new(procs),
                stop_on_drop: AtomicBool::new(false),
                remove_data_dir: false,
            }),
        })
    }

    /// `"127.0.0.1:p1,127.0.0.1:p2,…"`
    pub fn bootstrap(&self) -> String {
        self.bootstrap.clone()
    }

    /// PLAINTEXT ports, node 1 first.
    pub fn broker_ports(&self) -> &[u16] {
        &self.broker_ports
    }

    /// Node ids (1..=n); empty for an external cluster.
    pub fn node_ids(&self) -> Vec<i32> {
        self.managed
            .as_ref()
            .map(|m| m.nodes.iter().map(|nd| nd.id).collect())
            .unwrap_or_default()
    }

    /// The data dir; `None` for an external cluster.
    pub fn data_dir(&self) -> Option<&Path> {
        self.managed.as_ref().map(|m| m.data_dir.as_path())
    }

    /// The KRaft cluster id; `None` for an external cluster.
    pub fn cluster_id(&self) -> Option<&str> {
        self.managed.as_ref().map(|m| m.cluster_id.as_str())
    }

    /// `<data dir>/node-<id>/server.log`, the broker's log.
    pub fn node_log(&self, node_id: i32) -> Option<PathBuf> {
        self.managed
            .as_ref()?
            .node(node_id)
            .ok()
            .map(|nd| nd.server_log())
    }

    /// Whether node `node_id`'s process is running (not whether it is healthy).
    pub fn is_node_running(&self, node_id: i32) -> bool {
        match &self.managed {
            Some(m) => m
                .node(node_id)
                .map(|nd| m.alive(&mut m.lock(), nd))
                .unwrap_or(false),
            None => false,
        }
    }

    /// The pid of node `node_id`, if it is running.
    pub fn node_pid(&self, node_id: i32) -> Option<u32> {
        let m = self.managed.as_ref()?;
        let node = m.node(node_id).ok()?;
        let mut procs = m.lock();
        if m.alive(&mut procs, node) {
            procs.pids.get(&node_id).copied()
        } else {
            None
        }
    }

    /// The last lines of every node's `server.log` and `stdout.log`, for error messages.
    pub fn log_tails(&self) -> String {
        self.managed
            .as_ref()
            .map(|m| m.log_tails())
            .unwrap_or_default()
    }

    /// Checks, within `timeout`, that metadata lists every node as a broker (for an external
    /// cluster: that metadata answers at all).
    pub fn check_health(&self, timeout: Duration) -> Result<(), HarnessError> {
        let want = self.managed.as_ref().map(|m| m.nodes.len());
        let deadline = Instant::now() + timeout;
        let mut last;
        loop {
            match broker_ids(&self.bootstrap, Duration::from_secs(3)) {
                Ok(ids) if want.is_none_or(|n| ids.len() >= n) => return Ok(()),
                Ok(ids) => {
                    last = format!(
                        "metadata lists brokers {ids:?}, expected {}",
                        want.unwrap_or(0)
                    )
                }
                Err(e) => last = e.to_string(),
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(format!(
                    "{} not healthy after {:?}: {last}",
                    self.bootstrap, timeout
                )));
            }
            thread::sleep(Duration::from_millis(300));
        }
    }

    /// Stops node `node_id` gracefully: SIGTERM, then SIGKILL if it is still running after
    /// 20 s. Returns once the process is gone. Stopping a stopped node is fine.
    pub fn stop_node(&self, node_id: i32) -> Result<(), HarnessError> {
        let m = self.managed()?;
        let node = m.node(node_id)?;
        m.terminate(&[node], STOP_GRACE)?;
        m.save_state(&m.lock());
        Ok(())
    }

    /// Kills node `node_id` with SIGKILL (a crash, for failure tests). Returns once it is gone.
    pub fn kill_node(&self, node_id: i32) -> Result<(), HarnessError> {
        let m = self.managed()?;
        let node = m.node(node_id)?;
        m.terminate(&[node], Duration::ZERO)?;
        m.save_state(&m.lock());
        Ok(())
    }

    /// Starts a stopped node again (same config and data) and waits until it serves metadata
    /// that lists itself (bounded: 60 s). A running node is left alone.
    pub fn start_node(&self, node_id: i32) -> Result<(), HarnessError> {
        let m = self.managed()?;
        let node = m.node(node_id)?;
        if !m.alive(&mut m.lock(), node) {
            m.spawn_node(node)?;
        }
        let deadline = Instant::now() + NODE_RESTART_TIMEOUT;
        let own = format!("127.0.0.1:{}", node.broker_port);
        let mut last;
        loop {
            if !m.alive(&mut m.lock(), node) {
                return Err(HarnessError::Start(format!(
                    "node {node_id} exited while restarting\n{}",
                    m.node_tail(node)
                )));
            }
            match broker_ids(&own, Duration::from_secs(2)) {
                Ok(ids) if ids.contains(&node_id) => return Ok(()),
                Ok(ids) => last = format!("its metadata lists brokers {ids:?}"),
                Err(e) => last = e.to_string(),
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(format!(
                    "node {node_id} not back in metadata after {} s: {last}\n{}",
                    NODE_RESTART_TIMEOUT.as_secs(),
                    m.node_tail(node)
                )));
            }
            thread::sleep(Duration::from_millis(300));
        }
    }

    /// Stops every node (SIGTERM to all, up to 10 s, then SIGKILL) and the watchdog. Safe to
    /// call twice; does nothing for an external cluster.
    pub fn stop(&mut self) {
        if let Some(m) = &self.managed {
            m.stop_all();
        }
    }

    /// Lets the nodes outlive this handle (no stop on drop); `Cluster::attach` finds them
    /// again. Used by `sandbox start`.
    pub fn detach(self) {
        if let Some(m) = &self.managed {
            m.stop_on_drop.store(false, Ordering::SeqCst);
        }
    }

    fn managed(&self) -> Result<&Managed, HarnessError> {
        self.managed.as_ref().ok_or_else(|| {
            HarnessError::NotManaged(format!(
                "the cluster at {} was not started by this harness (KAFKADESK_TEST_BOOTSTRAP?); it cannot stop or start nodes",
                self.bootstrap
            ))
        })
    }

    fn wait_ready(&self, deadline: Instant) -> Result<(), HarnessError> {
        let m = self.managed()?;
        let n = m.nodes.len();
        let mut last;
        loop {
            for node in &m.nodes {
                if !m.alive(&mut m.lock(), node) {
                    return Err(HarnessError::Start(format!(
                        "node {} exited during startup",
                        node.id
                    )));
                }
            }
            let remaining = deadline.saturating_duration_since(Instant::now());
            match broker_ids(&self.bootstrap, remaining.min(Duration::from_secs(3))) {
                Ok(ids) if ids.len() >= n => break,
                Ok(ids) => last = format!("metadata lists brokers {ids:?} of {n}"),
                Err(e) => last = e.to_string(),
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(last));
            }
            thread::sleep(Duration::from_millis(300));
        }
        let bootstrap = self.bootstrap.clone();
        let rf = n.min(3) as i32;
        run_async(move || probe_round_trip(bootstrap, rf, deadline))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(m) = &self.managed {
            if m.stop_on_drop.load(Ordering::SeqCst) {
                m.stop_all();
            }
        }
    }
}

impl Managed {
    fn lock(&self) -> MutexGuard<'_, Procs> {
        self.procs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn node(&self, node_id: i32) -> Result<&NodeInfo, HarnessError> {
        self.nodes
            .iter()
            .find(|nd| nd.id == node_id)
            .ok_or_else(|| {
                HarnessError::NotManaged(format!(
                    "no node {node_id}; this cluster has nodes 1..={}",
                    self.nodes.len()
                ))
            })
    }

    /// Whether the node's process runs; forgets it (and reaps it) if it does not.
    fn alive(&self, procs: &mut Procs, node: &NodeInfo) -> bool {
        if let Some(child) = procs.children.get_mut(&node.id) {
            if let Ok(None) = child.try_wait() {
                return true;
            }
            procs.children.remove(&node.id);
            procs.pids.remove(&node.id);
            return false;
        }
        match procs.pids.get(&node.id) {
            Some(&pid) if pid_is_node(pid, &node.props()) => true,
            Some(_) => {
                procs.pids.remove(&node.id);
                false
            }
            None => false,
        }
    }

    fn spawn_node(&self, node: &NodeInfo) -> Result<(), HarnessError> {
        let mut stdout = OpenOptions::new()
            .create(true)
            .append(true)
            .open(node.stdout_log())
            .map_err(io_err(format!("opening {}", node.stdout_log().display())))?;
        let _ = writeln!(
            stdout,
            "=== kafkadesk harness: starting node {} (kafka {}) ===",
            node.id,
            kafka_version()
        );
        let stderr = stdout
            .try_clone()
            .map_err(io_err("duplicating the stdout log handle"))?;
        let mut cmd = Command::new(java_bin());
        cmd.args([
            "-Xms256m",
            "-Xmx768m",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:+ExplicitGCInvokesConcurrent",
            "-Djava.awt.headless=true",
        ])
        .arg(format!("-Dkafka.logs.dir={}", node.dir.display()))
        .arg(format!(
            "-Dlog4j2.configurationFile={}",
            node.dir.join("log4j2.properties").display()
        ))
        .arg("-cp")
        .arg(classpath(&self.libs))
        .arg("kafka.Kafka")
        .arg(node.props())
        .current_dir(&node.dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
        detach_session(&mut cmd);
        let child = cmd.spawn().map_err(|e| {
            HarnessError::Start(format!(
                "could not start node {} with {}: {e} (is Java 17+ installed?)",
                node.id,
                java_bin().display()
            ))
        })?;
        let mut procs = self.lock();
        procs.pids.insert(node.id, child.id());
        procs.children.insert(node.id, child);
        self.save_state(&procs);
        Ok(())
    }

    fn spawn_watchdog(&self, watch_pid: u32) -> Result<(), HarnessError> {
        let rm = if self.remove_data_dir {
            self.data_dir.display().to_string()
        } else {
            String::new()
        };
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(WATCHDOG_SH)
            .arg("kafkadesk-watchdog")
            .arg(watch_pid.to_string())
            .arg(self.data_dir.join(PID_FILE))
            .arg(rm)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        detach_session(&mut cmd);
        let child = cmd
            .spawn()
            .map_err(|e| HarnessError::Start(format!("could not start the watchdog (sh): {e}")))?;
        let mut procs = self.lock();
        procs.watchdog_pid = Some(child.id());
        procs.watchdog_child = Some(child);
        self.save_state(&procs);
        Ok(())
    }

    /// Sends SIGTERM (or SIGKILL when `grace` is zero) to the given nodes, escalates to
    /// SIGKILL after `grace`, and waits until they are gone.
    fn terminate(&self, nodes: &[&NodeInfo], grace: Duration) -> Result<(), HarnessError> {
        let first = if grace.is_zero() {
            libc::SIGKILL
        } else {
            libc::SIGTERM
        };
        {
            let mut procs = self.lock();
            for node in nodes {
                if self.alive(&mut procs, node) {
                    if let Some(&pid) = procs.pids.get(&node.id) {
                        signal(pid, first);
                    }
                }
            }
        }
        if !grace.is_zero() && !self.wait_gone(nodes, grace) {
            let mut procs = self.lock();
            for node in nodes {
                if self.alive(&mut procs, node) {
                    if let Some(&pid) = procs.pids.get(&node.id) {
                        signal(pid, libc::SIGKILL);
                    }
                }
            }
        }
        if self.wait_gone(nodes, KILL_WAIT) {
            Ok(())
        } else {
            let ids: Vec<i32> = nodes.iter().map(|nd| nd.id).collect();
            Err(HarnessError::Timeout(format!(
                "nodes {ids:?} still running {} s after SIGKILL",
                KILL_WAIT.as_secs()
            )))
        }
    }

    fn wait_gone(&self, nodes: &[&NodeInfo], bound: Duration) -> bool {
        let deadline = Instant::now() + bound;
        loop {
            let any_alive = {
                let mut procs = self.lock();
                nodes.iter().any(|nd| self.alive(&mut procs, nd))
            };
            if !any_alive {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop_all(&self) {
        let nodes: Vec<&NodeInfo> = self.nodes.iter().collect();
        let _ = self.terminate(&nodes, CLUSTER_STOP_GRACE);
        let mut procs = self.lock();
        if let Some(mut child) = procs.watchdog_child.take() {
            let _ = child.kill();
            let _ = child.wait();
        } else if let Some(pid) = procs.watchdog_pid {
            if pid_is_watchdog(pid) {
                signal(pid, libc::SIGKILL);
            }
        }
        procs.watchdog_pid = None;
        self.save_state(&procs);
        drop(procs);
        if self.remove_data_dir {
            let _ = fs::remove_dir_all(&self.data_dir);
        }
    }

    /// Writes `cluster.json` and the watchdog's pid file. Best effort: a failure to record
    /// state must not stop a cluster from stopping.
    fn save_state(&self, procs: &Procs) {
        let state = StateFile {
            kafka_version: kafka_version().to_string(),
            libs: self.libs.clone(),
            cluster_id: self.cluster_id.clone(),
            bootstrap: bootstrap_of(&self.nodes),
            nodes: self
                .nodes
                .iter()
                .map(|nd| NodeState {
                    id: nd.id,
                    broker_port: nd.broker_port,
                    controller_port: nd.controller_port,
                    pid: procs.pids.get(&nd.id).copied(),
                })
                .collect(),
            watchdog_pid: procs.watchdog_pid,
        };
        if let Ok(json) = serde_json::to_vec_pretty(&state) {
            let _ = write_atomically(&self.data_dir.join(STATE_FILE), &json);
        }
        let pids: Vec<String> = procs.pids.values().map(|p| p.to_string()).collect();
        let _ = write_atomically(
            &self.data_dir.join(PID_FILE),
            format!("{}\n", pids.join(" ")).as_bytes(),
        );
    }

    fn node_tail(&self, node: &NodeInfo) -> String {
        let mut out = String::new();
        for (path, lines) in [(node.server_log(), LOG_TAIL_LINES), (node.stdout_log(), 15)] {
            out.push_str(&format!(
                "--- node {} {} (last {lines} lines) ---\n",
                node.id,
                path.display()
            ));
            match tail_file(&path, lines) {
                Ok(t) if t.trim().is_empty() => out.push_str("(empty)\n"),
                Ok(t) => out.push_str(&t),
                Err(e) => out.push_str(&format!("(unreadable: {e})\n")),
            }
        }
        out
    }

    fn log_tails(&self) -> String {
        self.nodes.iter().map(|nd| self.node_tail(nd)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The shared test cluster
// ---------------------------------------------------------------------------------------------

/// The one 3-node cluster of this test process, started on first use.
///
/// With `KAFKADESK_TEST_BOOTSTRAP` set (by `make test`, via `sandbox start-test`), it is a
/// handle on that cluster instead. Otherwise the cluster runs on free ports in a fresh temp
/// dir, watched by a watchdog that stops it and removes the dir once this process exits
/// (statics are never dropped). Panics with the node logs if the cluster cannot start; the
/// start is tried once per process, not once per test.
pub fn test_cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    let cluster = CLUSTER.get_or_init(|| {
        if let Some(bootstrap) = std::env::var("KAFKADESK_TEST_BOOTSTRAP")
            .ok()
            .filter(|b| !b.trim().is_empty())
        {
            return Ok(Cluster::external(&bootstrap));
        }
        let dir = std::env::temp_dir().join(format!(
            "kafkadesk-test-{}-{}",
            std::process::id(),
            short_id()
        ));
        let spec = ClusterSpec {
            nodes: 3,
            broker_ports: None,
            controller_ports: None,
            data_dir: dir,
            watch_pid: Some(std::process::id()),
        };
        let started = Instant::now();
        eprintln!(
            "[kafkadesk harness] starting a 3-node Kafka {} cluster for this test run…",
            kafka_version()
        );
        let result = Cluster::start_inner(spec, true, None).map_err(|e| e.to_string());
        if let Ok(c) = &result {
            eprintln!(
                "[kafkadesk harness] Kafka ready at {} in {:.1} s",
                c.bootstrap,
                started.elapsed().as_secs_f64()
            );
        }
        result
    });
    match cluster {
        Ok(c) => c,
        Err(e) => panic!("the test Kafka cluster could not start:\n{e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Secured cluster: SASL / TLS / mTLS listeners
// ---------------------------------------------------------------------------------------------

/// SCRAM users created when a secured node's storage is formatted: (mechanism, name, password).
pub const SCRAM_USERS: &[(&str, &str, &str)] = &[
    ("SCRAM-SHA-256", "alice", "alice-Pa55-256"),
    ("SCRAM-SHA-512", "bob", "bob-Pa55-512"),
];

/// The client-facing ports of a secured node.
#[derive(Debug, Clone)]
pub struct SecuredListeners {
    pub sasl_plaintext: u16,
    pub ssl: u16,
    pub sasl_ssl: u16,
    /// SSL requiring a client certificate.
    pub mtls: u16,
    /// SSL with a certificate for another host name.
    pub badhost: u16,
}

/// The PEM files of a test PKI, all made fresh by `openssl`.
#[derive(Debug, Clone)]
pub struct TestPki {
    /// The CA that signed every certificate below.
    pub ca: PathBuf,
    /// A CA that signed nothing the broker uses (for "unknown CA" tests).
    pub other_ca: PathBuf,
    /// Key + certificate for 127.0.0.1 / localhost, and for the wrong host.
    pub server: PathBuf,
    pub badhost: PathBuf,
    /// Client certificate and key for the mTLS listener.
    pub client_cert: PathBuf,
    pub client_key: PathBuf,
}

struct SecuredSetup {
    listeners: SecuredListeners,
    tls: TestPki,
    extra_properties: String,
    extra_scram: Vec<String>,
}

impl SecuredSetup {
    fn vars(&self) -> Vec<(&'static str, String)> {
        let l = &self.listeners;
        vec![
            ("sasl_plaintext_port", l.sasl_plaintext.to_string()),
            ("ssl_port", l.ssl.to_string()),
            ("sasl_ssl_port", l.sasl_ssl.to_string()),
            ("mtls_port", l.mtls.to_string()),
            ("badhost_port", l.badhost.to_string()),
            ("server_pem", self.tls.server.display().to_string()),
            ("badhost_pem", self.tls.badhost.display().to_string()),
            ("ca_pem", self.tls.ca.display().to_string()),
        ]
    }
}

fn openssl(dir: &Path, args: &[&str]) -> Result<(), HarnessError> {
    let (out, timed_out) = run_with_timeout(Command::new("openssl").args(args).current_dir(dir), TOOL_TIMEOUT)
        .map_err(io_err("running openssl (is it installed?)"))?;
    if out.status.success() && !timed_out {
        Ok(())
    } else {
        Err(HarnessError::Start(format!("openssl {} failed:\n{}", args.join(" "), combined_output(&out))))
    }
}

impl TestPki {
    /// A CA, a second unrelated CA, server certificates (right and wrong host) and a client
    /// certificate, as unencrypted PKCS#8 PEM in `dir`.
    pub fn generate(dir: &Path) -> Result<TestPki, HarnessError> {
        fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
        let days = "3";
        for (name, cn) in [("ca", "KafkaDesk Test CA"), ("other-ca", "Some Other CA")] {
            openssl(dir, &[
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", days, "-subj", &format!("/CN={cn}"),
                "-keyout", &format!("{name}.key"), "-out", &format!("{name}.pem"),
            ])?;
        }
        let leaf = |name: &str, cn: &str, ext: &str| -> Result<(), HarnessError> {
            openssl(dir, &[
                "req", "-newkey", "rsa:2048", "-nodes", "-subj", &format!("/CN={cn}"),
                "-keyout", &format!("{name}.key"), "-out", &format!("{name}.csr"),
            ])?;
            fs::write(dir.join(format!("{name}.ext")), ext).map_err(io_err("writing a certificate extension file"))?;
            openssl(dir, &[
                "x509", "-req", "-in", &format!("{name}.csr"), "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", days, "-extfile", &format!("{name}.ext"), "-out", &format!("{name}.crt"),
            ])?;
            // Kafka's PEM keystore: the key and its certificate chain in one file.
            let key = fs::read_to_string(dir.join(format!("{name}.key"))).map_err(io_err("reading a key"))?;
            let crt = fs::read_to_string(dir.join(format!("{name}.crt"))).map_err(io_err("reading a certificate"))?;
            fs::write(dir.join(format!("{name}.pem")), format!("{key}{crt}")).map_err(io_err("writing a keystore"))
        };
        leaf("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")?;
        leaf("badhost", "wrong.example.invalid", "subjectAltName=DNS:wrong.example.invalid\nextendedKeyUsage=serverAuth\n")?;
        leaf("client", "kafkadesk-client", "extendedKeyUsage=clientAuth\n")?;
        Ok(TestPki {
            ca: dir.join("ca.pem"),
            other_ca: dir.join("other-ca.pem"),
            server: dir.join("server.pem"),
            badhost: dir.join("badhost.pem"),
            client_cert: dir.join("client.crt"),
            client_key: dir.join("client.key"),
        })
    }
}

/// A one-node cluster with SASL, TLS and mTLS listeners ([`Cluster::start_secured`]).
#[derive(Debug)]
pub struct SecuredCluster {
    /// The node itself; its `bootstrap()` is the PLAINTEXT listener.
    pub cluster: Cluster,
    pub listeners: SecuredListeners,
    pub tls: TestPki,
}

impl SecuredCluster {
    /// `127.0.0.1:<port>` of a listener.
    pub fn bootstrap(port: u16) -> String {
        format!("127.0.0.1:{port}")
    }

    /// The password of a [`SCRAM_USERS`] user.
    pub fn password(user: &str) -> &'static str {
        SCRAM_USERS.iter().find(|(_, u, _)| *u == user).map(|(_, _, p)| *p).unwrap_or("")
    }

    fn scram_args() -> Vec<String> {
        SCRAM_USERS.iter().flat_map(|(mech, name, pw)| Self::scram_arg(mech, name, pw)).collect()
    }

    fn scram_arg(mech: &str, name: &str, pw: &str) -> [String; 2] {
        ["--add-scram".to_string(), format!("{mech}=[name={name},password={pw}]")]
    }
}

/// One secured node per test process, started on first use and stopped (its temp dir
/// removed) by a watchdog when the process exits. Panics with the node log if it cannot start.
pub fn test_secured_cluster() -> &'static SecuredCluster {
    static SECURED: OnceLock<Result<SecuredCluster, String>> = OnceLock::new();
    let secured = SECURED.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("kafkadesk-secured-{}-{}", std::process::id(), short_id()));
        let mut spec = ClusterSpec::new(1, dir);
        spec.watch_pid = Some(std::process::id());
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting a secured 1-node Kafka {}…", kafka_version());
        let result = Cluster::start_secured_inner(spec, true, "", &[]).map_err(|e| e.to_string());
        if let Ok(s) = &result {
            eprintln!("[kafkadesk harness] secured Kafka ready in {:.1} s: {:?}", started.elapsed().as_secs_f64(), s.listeners);
        }
        result
    });
    match secured {
        Ok(s) => s,
        Err(e) => panic!("the secured test Kafka could not start:\n{e}"),
    }
}

/// A topic name no other test (or earlier run) uses: `<prefix>-<12 hex chars>`, with
/// characters Kafka does not allow in names replaced by `_`.
pub fn unique_topic(prefix: &str) -> String {
    let clean: String = prefix
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .take(200)
        .collect();
    let clean = if clean.is_empty() {
        "t".to_string()
    } else {
        clean
    };
    format!("{clean}-{}", short_id())
}

fn short_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()[..12].to_string()
}

// ---------------------------------------------------------------------------------------------
// Kafka client checks
// ---------------------------------------------------------------------------------------------

fn client_config(bootstrap: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new();
    cfg.set("bootstrap.servers", bootstrap)
        .set("broker.address.family", "v4")
        .set("socket.connection.setup.timeout.ms", "5000")
        .set("reconnect.backoff.max.ms", "1000");
    cfg
}

/// Broker ids in the metadata `bootstrap` answers with.
fn broker_ids(bootstrap: &str, timeout: Duration) -> Result<Vec<i32>, HarnessError> {
    let consumer: BaseConsumer = client_config(bootstrap)
        .create()
        .map_err(|e| HarnessError::Kafka(format!("creating a metadata client: {e}")))?;
    let md = consumer
        .fetch_metadata(None, timeout.max(Duration::from_millis(200)))
        .map_err(|e| HarnessError::Kafka(format!("metadata from {bootstrap}: {e}")))?;
    let mut ids: Vec<i32> = md.brokers().iter().map(|b| b.id()).collect();
    ids.sort_unstable();
    Ok(ids)
}

/// Creates a probe topic (RF `rf`), sends a message with acks=all, reads it back with a
/// consumer group and commits (which also creates `__consumer_offsets`), then deletes the
/// topic and the group.
async fn probe_round_trip(
    bootstrap: String,
    rf: i32,
    deadline: Instant,
) -> Result<(), HarnessError> {
    let topic = format!("kafkadesk-probe-{}", short_id());
    let group = format!("kafkadesk-probe-{}", short_id());
    let admin: AdminClient<DefaultClientContext> = client_config(&bootstrap)
        .create()
        .map_err(|e| HarnessError::Kafka(format!("creating an admin client: {e}")))?;
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
            return Err(HarnessError::Timeout(last));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }

    let result = probe_messages(&bootstrap, &topic, &group, deadline).await;

    // 3. Clean up (best effort, bounded by the admin timeouts).
    let _ = admin.delete_groups(&[group.as_str()], &opts).await;
    let _ = admin.delete_topics(&[topic.as_str()], &opts).await;
    result
}

async fn probe_messages(
    bootstrap: &str,
    topic: &str,
    group: &str,
    deadline: Instant,
) -> Result<(), HarnessError> {
    let left = || deadline.saturating_duration_since(Instant::now());
    let token = format!("probe-{}", short_id());

    // 2a. Produce with acks=all until delivered (leaders may still be moving in).
    let producer: FutureProducer = client_config(bootstrap)
        .set("acks", "all")
        .set("message.timeout.ms", "10000")
        .create()
        .map_err(|e| HarnessError::Kafka(format!("creating the probe producer: {e}")))?;
    loop {
        let record = FutureRecord::to(topic)
            .key("probe")
            .payload(token.as_str())
            .partition(0);
        let last = match producer.send(record, Duration::from_secs(5)).await {
            Ok(_) => break,
            Err((e, _)) => format!("producing to probe topic {topic}: {e}"),
        };
        if left().is_zero() {
            return Err(HarnessError::Timeout(last));
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
        .map_err(|e| HarnessError::Kafka(format!("creating the probe consumer: {e}")))?;
    let mut tpl = TopicPartitionList::new();
    tpl.add_partition_offset(topic, 0, Offset::Beginning)
        .map_err(|e| HarnessError::Kafka(format!("probe assignment: {e}")))?;
    consumer
        .assign(&tpl)
        .map_err(|e| HarnessError::Kafka(format!("assigning the probe topic: {e}")))?;
    let mut last = String::from("no message yet");
    let next_offset = loop {
        if left().is_zero() {
            return Err(HarnessError::Timeout(format!(
                "reading the probe message back: {last}"
            )));
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
        .map_err(|e| HarnessError::Kafka(format!("probe commit list: {e}")))?;
    loop {
        let last = match consumer.commit(&commit, CommitMode::Sync) {
            Ok(()) => break,
            Err(e) => format!("committing the probe offset (group coordinator): {e}"),
        };
        if left().is_zero() {
            return Err(HarnessError::Timeout(last));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    Ok(())
}

/// Runs async client work on its own thread and runtime, so the harness's blocking API works
/// both from plain `#[test]`s and from inside a tokio runtime.
fn run_async<F, Fut, T>(make: F) -> Result<T, HarnessError>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Result<T, HarnessError>>,
    T: Send + 'static,
{
    thread::Builder::new()
        .name("kafkadesk-harness".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(io_err("building a tokio runtime"))?;
            rt.block_on(make())
        })
        .map_err(io_err("spawning a harness thread"))?
        .join()
        .unwrap_or_else(|_| Err(HarnessError::Kafka("the harness thread panicked".into())))
}

// ---------------------------------------------------------------------------------------------
// Setup helpers
// ---------------------------------------------------------------------------------------------

fn start_timeout() -> Duration {
    std::env::var("KAFKADESK_KAFKA_START_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(START_TIMEOUT)
}

fn node_dir(data_dir: &Path, id: i32) -> PathBuf {
    data_dir.join(format!("node-{id}"))
}

fn bootstrap_of(nodes: &[NodeInfo]) -> String {
    nodes
        .iter()
        .map(|nd| format!("127.0.0.1:{}", nd.broker_port))
        .collect::<Vec<_>>()
        .join(",")
}

/// A KRaft cluster id: 16 random bytes, base64url without padding (as `kafka-storage
/// random-uuid` prints). Like Kafka, never one starting with `-`, which a CLI would take for a flag.
fn new_cluster_id() -> String {
    use base64::Engine as _;
    loop {
        let id = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(uuid::Uuid::new_v4().as_bytes());
        if !id.starts_with('-') {
            return id;
        }
    }
}

/// Ports from the spec, checked free; or free loopback ports (all held open while picking, so
/// they are distinct).
fn choose_ports(spec: &ClusterSpec) -> Result<(Vec<u16>, Vec<u16>), HarnessError> {
    let n = spec.nodes;
    let mut held = Vec::new();
    let mut pick = |given: &Option<Vec<u16>>, what: &str| -> Result<Vec<u16>, HarnessError> {
        match given {
            Some(ports) => {
                for &p in ports {
                    if TcpListener::bind(("127.0.0.1", p)).is_err() {
                        return Err(HarnessError::Start(format!(
                            "{what} port 127.0.0.1:{p} is in use by another process (see `ss -ltnp 'sport = :{p}'`)"
                        )));
                    }
                }
                Ok(ports.clone())
            }
            None => (0..n)
                .map(|_| {
                    let l = TcpListener::bind(("127.0.0.1", 0))
                        .map_err(io_err("binding 127.0.0.1:0 to pick a free port"))?;
                    let port = l
                        .local_addr()
                        .map_err(io_err("reading a picked port"))?
                        .port();
                    held.push(l);
                    Ok(port)
                })
                .collect(),
        }
    };
    let brokers = pick(&spec.broker_ports, "broker")?;
    let controllers = pick(&spec.controller_ports, "controller")?;
    let mut all: Vec<u16> = brokers.iter().chain(&controllers).copied().collect();
    all.sort_unstable();
    all.dedup();
    if all.len() != 2 * n {
        return Err(HarnessError::InvalidSpec(format!(
            "ports must all differ: brokers {brokers:?}, controllers {controllers:?}"
        )));
    }
    Ok((brokers, controllers))
}

fn render(template: &str, vars: &[(&str, String)]) -> Result<String, HarnessError> {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    match out.find("{{") {
        Some(at) => Err(HarnessError::InvalidSpec(format!(
            "server.properties.tmpl has an unknown placeholder near: {}",
            out[at..].lines().next().unwrap_or_default()
        ))),
        None => Ok(out),
    }
}

/// `kafka.tools.StorageTool format` on every node at once (each is a JVM start).
fn format_storage(libs: &Path, cluster_id: &str, nodes: &[NodeInfo], extra: &[String]) -> Result<(), HarnessError> {
    let mut cmds = Vec::new();
    for node in nodes {
        let mut cmd = tool_command(libs, "kafka.tools.StorageTool")?;
        cmd.args(["format", "--cluster-id", cluster_id, "--config"])
            .arg(node.props())
            .args(extra);
        cmds.push((node.id, cmd));
    }
    let handles: Vec<_> = cmds
        .into_iter()
        .map(|(id, mut cmd)| {
            (
                id,
                thread::spawn(move || run_with_timeout(&mut cmd, FORMAT_TIMEOUT)),
            )
        })
        .collect();
    let mut errors = Vec::new();
    for (id, handle) in handles {
        match handle.join() {
            Ok(Ok((out, false))) if out.status.success() => {}
            Ok(Ok((out, timed_out))) => errors.push(format!(
                "node {id}: StorageTool format {}\n{}",
                if timed_out {
                    format!("stopped after {} s", FORMAT_TIMEOUT.as_secs())
                } else {
                    format!("failed ({})", out.status)
                },
                tail_text(&combined_output(&out), 20)
            )),
            Ok(Err(e)) => errors.push(format!(
                "node {id}: could not run {} (is Java 17+ installed?): {e}",
                java_bin().display()
            )),
            Err(_) => errors.push(format!("node {id}: the format thread panicked")),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(HarnessError::Start(format!(
            "formatting storage failed:\n{}",
            errors.join("\n")
        )))
    }
}

fn read_state(data_dir: &Path) -> Option<StateFile> {
    let bytes = fs::read(data_dir.join(STATE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), HarnessError> {
    let tmp = path.with_extension(format!("tmp-{}-{}", std::process::id(), short_id()));
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(io_err(format!("writing {}", path.display())))
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// Puts the child in a session of its own: no terminal signals, no shared process group.
fn detach_session(cmd: &mut Command) {
    // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
}

fn signal(pid: u32, sig: libc::c_int) {
    if let Ok(pid) = libc::pid_t::try_from(pid) {
        if pid > 1 {
            // SAFETY: plain syscall on a pid we checked belongs to our node.
            unsafe {
                libc::kill(pid, sig);
            }
        }
    }
}

fn proc_cmdline(pid: u32) -> Option<Vec<String>> {
    let raw = fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    Some(
        raw.split(|&b| b == 0)
            .map(|s| String::from_utf8_lossy(s).into_owned())
            .collect(),
    )
}

/// Whether `pid` is a live `kafka.Kafka` process started with `props` (a recycled pid is not).
fn pid_is_node(pid: u32, props: &Path) -> bool {
    if !Path::new("/proc/self").exists() {
        // No procfs (macOS): best effort.
        // SAFETY: signal 0 only checks existence.
        return libc::pid_t::try_from(pid)
            .map(|p| unsafe { libc::kill(p, 0) } == 0)
            .unwrap_or(false);
    }
    let props = props.display().to_string();
    match proc_cmdline(pid) {
        Some(args) => args.iter().any(|a| a == "kafka.Kafka") && args.contains(&props),
        None => false,
    }
}

fn pid_is_watchdog(pid: u32) -> bool {
    proc_cmdline(pid).is_some_and(|args| args.iter().any(|a| a == "kafkadesk-watchdog"))
}

/// Runs `cmd` with captured output, killing it after `timeout`. Returns (output, timed_out).
fn run_with_timeout(cmd: &mut Command, timeout: Duration) -> io::Result<(Output, bool)> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut out_pipe = child.stdout.take();
    let mut err_pipe = child.stderr.take();
    let out_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(p) = out_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    });
    let err_reader = thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(p) = err_pipe.as_mut() {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    });
    let deadline = Instant::now() + timeout;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait()?;
        }
        thread::sleep(Duration::from_millis(50));
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    Ok((
        Output {
            status,
            stdout,
            stderr,
        },
        timed_out,
    ))
}

fn combined_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn tail_text(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut out = all[all.len().saturating_sub(lines)..].join("\n");
    out.push('\n');
    out
}

/// The last `lines` lines of a (possibly large) file.
fn tail_file(path: &Path, lines: usize) -> io::Result<String> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let start = len.saturating_sub(64 * 1024);
    f.seek(SeekFrom::Start(start))?;
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(tail_text(&String::from_utf8_lossy(&buf), lines))
}

/// An exclusive `flock` on a file, waited for with a bound; released on drop or process death.
struct FileLock {
    file: File,
}

impl FileLock {
    fn acquire(path: &Path, timeout: Duration, what: &str) -> Result<FileLock, HarnessError> {
        use std::os::unix::io::AsRawFd;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path)
            .map_err(io_err(format!("opening lock file {}", path.display())))?;
        let deadline = Instant::now() + timeout;
        loop {
            // SAFETY: flock on a descriptor we own.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(FileLock { file });
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::WouldBlock {
                return Err(HarnessError::Io(format!(
                    "locking {}: {err}",
                    path.display()
                )));
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(format!(
                    "waited {} s for {what} (lock {}) to finish",
                    timeout.as_secs(),
                    path.display()
                )));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor we own.
        unsafe {
            libc::flock(self.file.as_raw_fd(), libc::LOCK_UN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_pom() {
        assert_eq!(kafka_version(), "4.1.1");
        assert!(kafka_home().ends_with("kafka-4.1.1"));
    }

    #[test]
    fn template_renders_every_placeholder() {
        let vars: Vec<(&str, String)> = [
            "node_id",
            "quorum_voters",
            "broker_port",
            "controller_port",
            "log_dir",
            "internal_rf",
            "internal_min_isr",
        ]
        .iter()
        .map(|k| (*k, "X".to_string()))
        .collect();
        let out = render(SERVER_PROPERTIES_TMPL, &vars).expect("all placeholders known");
        assert!(out.contains("process.roles=broker,controller"));
        assert!(
            render(SERVER_PROPERTIES_TMPL, &vars[1..]).is_err(),
            "a missing value is reported"
        );
    }

    #[test]
    fn cluster_ids_look_like_kafkas() {
        for _ in 0..100 {
            let id = new_cluster_id();
            assert_eq!(id.len(), 22);
            assert!(!id.starts_with('-'));
            assert!(id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
    }

    #[test]
    fn unique_topics_are_unique_and_legal() {
        let a = unique_topic("my topic/ä");
        let b = unique_topic("my topic/ä");
        assert_ne!(a, b);
        assert!(a.starts_with("my_topic__-"), "{a}");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')));
    }

    #[test]
    fn external_cluster_parses_ports_and_refuses_node_control() {
        let mut c = Cluster::external("127.0.0.1:19092, 127.0.0.1:29092");
        assert_eq!(c.broker_ports(), &[19092, 29092]);
        assert!(matches!(c.stop_node(1), Err(HarnessError::NotManaged(_))));
        c.stop(); // no-op
    }

    #[test]
    fn free_ports_are_distinct() {
        let spec = ClusterSpec::new(3, "/nonexistent");
        let (b, c) = choose_ports(&spec).expect("ports");
        let mut all: Vec<u16> = b.iter().chain(&c).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn timeouts_kill_slow_commands() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let started = Instant::now();
        let (_, timed_out) =
            run_with_timeout(&mut cmd, Duration::from_millis(300)).expect("sleep runs");
        assert!(timed_out);
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}
