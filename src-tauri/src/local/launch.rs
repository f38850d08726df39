//! Starting, watching and stopping a KRaft cluster of combined broker + controller nodes on
//! loopback: the one launcher behind the app's "Local clusters", the test harness
//! (`tests/src/kafka.rs`) and the `make run` sandbox.
//!
//! Every node is one `java … kafka.Kafka server.properties` process listening on 127.0.0.1
//! only, with a static quorum. Its config comes from `server.properties.tmpl` next to this
//! file, its data and `server.log` go to `<data dir>/node-<id>/`.
//!
//! Lifecycle rules that keep a machine clean:
//! - every node runs in its own session, so Ctrl-C in a terminal reaches the caller, not the
//!   brokers; stopping them is this module's job;
//! - a cluster started with [`LaunchSpec::watch_pid`] gets a detached watchdog that stops the
//!   nodes as soon as that process is gone, however it died (panic, abort, SIGKILL);
//! - `<data dir>/cluster.json` records ports and pids, so another process (or the app after a
//!   restart) can [`Cluster::attach`] to stop it or report on it;
//! - before signalling a pid read back from disk we check that it still is a `kafka.Kafka`
//!   process of that very node; a recycled pid is never killed.
//!
//! Everything waits with a bound and fails with a [`LaunchError`] that says what to do and,
//! for start failures, carries the tail of each node's log.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::probe::{self, broker_ids};
use super::process::{self, combined_output, detach_session, run_with_timeout, tail_file, tail_text, FileLock, LockError};

/// Broker config with `{{placeholders}}`, rendered once per node.
pub const SERVER_PROPERTIES_TMPL: &str = include_str!("server.properties.tmpl");
/// Broker logging: everything into `<node dir>/server.log`.
const BROKER_LOG4J2: &str = include_str!("log4j2.properties");
/// The same for Kafka 3.x, which logs through log4j 1 (reload4j). Every JVM gets both files:
/// each Kafka reads the one of its logging library and ignores the other property.
const BROKER_LOG4J1: &str = include_str!("log4j.properties");
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
/// [`TOOLS_LOG4J2`] for Kafka 3.x (log4j 1), like Kafka 3's `tools-log4j.properties`.
const TOOLS_LOG4J1: &str = "\
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
";

/// Default bound for a whole cluster to come up.
pub const START_TIMEOUT: Duration = Duration::from_secs(90);
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

const STATE_FILE: &str = "cluster.json";
const PID_FILE: &str = "pids";
const LOG_TAIL_LINES: usize = 40;


// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a cluster could not be started, stopped or found. The message is meant for a person:
/// it says what went wrong and what to do, and for start failures includes the tail of every
/// node's log. (The test harness calls this `LaunchError`.)
#[derive(Clone)]
pub enum LaunchError {
    /// A file or process operation failed (context, then the OS error).
    Io(String),
    /// Kafka's jars could not be fetched (the test harness fetches them with Maven).
    Fetch(String),
    /// Java 17+ or an Apache Kafka installation is missing; the message says what to install.
    Missing(String),
    /// A port the cluster needs is taken; the message names it. Nothing was started.
    PortInUse(String),
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

impl LaunchError {
    pub fn message(&self) -> &str {
        match self {
            LaunchError::Io(m)
            | LaunchError::Fetch(m)
            | LaunchError::Missing(m)
            | LaunchError::PortInUse(m)
            | LaunchError::Start(m)
            | LaunchError::Timeout(m)
            | LaunchError::Kafka(m)
            | LaunchError::NotManaged(m)
            | LaunchError::InvalidSpec(m) => m,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            LaunchError::Io(_) => "I/O error",
            LaunchError::Fetch(_) => "could not fetch Kafka",
            LaunchError::Missing(_) => "missing software",
            LaunchError::PortInUse(_) => "port in use",
            LaunchError::Start(_) => "Kafka did not start",
            LaunchError::Timeout(_) => "timed out",
            LaunchError::Kafka(_) => "Kafka error",
            LaunchError::NotManaged(_) => "not managed by this handle",
            LaunchError::InvalidSpec(_) => "invalid cluster spec",
        }
    }
}

impl fmt::Display for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind(), self.message())
    }
}

// Debug prints like Display so `.unwrap()` / `.expect()` in tests show log tails readably
// instead of one line of escaped `\n`s.
impl fmt::Debug for LaunchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for LaunchError {}

/// Maps an OS error to [`LaunchError::Io`] with what was being done.
pub fn io_err(context: impl fmt::Display) -> impl FnOnce(io::Error) -> LaunchError {
    move |e| LaunchError::Io(format!("{context}: {e}"))
}

/// Takes an exclusive lock file, mapping failures to [`LaunchError`].
pub fn lock(path: &Path, timeout: Duration, what: &str) -> Result<FileLock, LaunchError> {
    FileLock::acquire(path, timeout).map_err(|e| match e {
        LockError::Io(e) => LaunchError::Io(format!("locking {}: {e}", path.display())),
        LockError::TimedOut => LaunchError::Timeout(format!(
            "waited {} s for {what} (lock {}) to finish",
            timeout.as_secs(),
            path.display()
        )),
    })
}

// ---------------------------------------------------------------------------------------------
// Java tools
// ---------------------------------------------------------------------------------------------

/// Which Java runs which Kafka: the `java` executable and the folder of Kafka's jars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KafkaInstall {
    pub java: PathBuf,
    pub libs: PathBuf,
    /// The Kafka version of those jars, e.g. `4.1.1`.
    pub version: String,
}

/// `<libs>/*` as a Java class path.
fn classpath(libs: &Path) -> String {
    libs.join("*").display().to_string()
}

/// A `java` command for a short-lived Kafka tool (StorageTool, TopicCommand, …): small heap,
/// fast start, warnings to stderr. Its logging config is written into `log4j_dir`.
pub fn tool_command(install: &KafkaInstall, log4j_dir: &Path, main_class: &str) -> Result<Command, LaunchError> {
    let log4j = log4j_dir.join("tools-log4j2.properties");
    let log4j1 = log4j_dir.join("tools-log4j.properties");
    for (path, text) in [(&log4j, TOOLS_LOG4J2), (&log4j1, TOOLS_LOG4J1)] {
        if fs::read_to_string(path).ok().as_deref() != Some(text) {
            process::write_atomically(path, text.as_bytes()).map_err(io_err(format!("writing {}", path.display())))?;
        }
    }
    let mut cmd = Command::new(&install.java);
    cmd.args(["-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"])
        .arg(format!("-Dlog4j2.configurationFile={}", log4j.display()))
        .arg(format!("-Dlog4j.configuration=file:{}", log4j1.display()))
        .arg("-cp")
        .arg(classpath(&install.libs))
        .arg(main_class);
    Ok(cmd)
}

// ---------------------------------------------------------------------------------------------
// Cluster
// ---------------------------------------------------------------------------------------------

/// What cluster to start, and with which Java and Kafka.
#[derive(Debug, Clone)]
pub struct LaunchSpec {
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
    pub install: KafkaInstall,
    /// Delete `data_dir` when the cluster stops (throwaway test clusters).
    pub remove_data_dir: bool,
    /// More broker config appended to every node's `server.properties`, with the same
    /// `{{placeholders}}` as the main template plus [`LaunchSpec::extra_vars`].
    pub extra_properties: Option<String>,
    pub extra_vars: Vec<(String, String)>,
    /// More arguments for `StorageTool format` (e.g. `--add-scram`).
    pub format_args: Vec<String>,
    /// Bound for the whole cluster to be up (every broker in metadata, probe message through).
    pub start_timeout: Duration,
}

impl LaunchSpec {
    /// `nodes` nodes on free ports in `data_dir`, not watched, data kept.
    pub fn new(nodes: usize, data_dir: impl Into<PathBuf>, install: KafkaInstall) -> LaunchSpec {
        LaunchSpec {
            nodes,
            broker_ports: None,
            controller_ports: None,
            data_dir: data_dir.into(),
            watch_pid: None,
            install,
            remove_data_dir: false,
            extra_properties: None,
            extra_vars: Vec::new(),
            format_args: Vec::new(),
            start_timeout: START_TIMEOUT,
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
    #[serde(default = "default_java")]
    java: PathBuf,
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
    install: KafkaInstall,
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
///   bootstrap string; stop does nothing and node control returns [`LaunchError::NotManaged`].
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
    /// message has gone through a topic replicated on min(3, nodes) brokers (bounded by
    /// `spec.start_timeout`).
    ///
    /// If `data_dir` holds a stopped cluster with the same node count and ports, its data is
    /// kept (a local cluster keeps its topics across starts); otherwise node folders are wiped
    /// and formatted anew. A port that is taken fails with [`LaunchError::PortInUse`] before
    /// anything starts or changes. On failure every started node is stopped and the error
    /// carries the tail of each node's log. The handle stops the nodes when dropped unless
    /// [`Cluster::detach`]ed.
    pub fn start(spec: LaunchSpec) -> Result<Cluster, LaunchError> {
        let n = spec.nodes;
        if n == 0 || n > 9 {
            return Err(LaunchError::InvalidSpec(format!(
                "nodes must be 1..=9, got {n}"
            )));
        }
        for (what, ports) in [
            ("broker_ports", &spec.broker_ports),
            ("controller_ports", &spec.controller_ports),
        ] {
            if let Some(p) = ports {
                if p.len() != n {
                    return Err(LaunchError::InvalidSpec(format!(
                        "{what} has {} ports for {n} nodes",
                        p.len()
                    )));
                }
            }
        }
        let started = Instant::now();
        let data_dir = spec.data_dir.clone();
        fs::create_dir_all(&data_dir)
            .map_err(io_err(format!("creating {}", data_dir.display())))?;
        let data_dir = data_dir
            .canonicalize()
            .map_err(io_err(format!("resolving {}", data_dir.display())))?;
        let _lock = lock(&data_dir.join(".cluster.lock"), spec.start_timeout * 2, "another start in this data dir")?;

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
                return Err(LaunchError::Start(format!(
                    "a cluster is already running in {}: {}. Stop it first.",
                    data_dir.display(),
                    running.join(", ")
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
            let mut vars: Vec<(&str, String)> = vec![
                ("node_id", node.id.to_string()),
                ("quorum_voters", voters.clone()),
                ("broker_port", node.broker_port.to_string()),
                ("controller_port", node.controller_port.to_string()),
                ("log_dir", node.data().display().to_string()),
                ("internal_rf", internal_rf.to_string()),
                ("internal_min_isr", internal_rf.min(2).to_string()),
            ];
            let mut props = render(SERVER_PROPERTIES_TMPL, &vars)?;
            if let Some(extra) = &spec.extra_properties {
                vars.extend(spec.extra_vars.iter().map(|(k, v)| (k.as_str(), v.clone())));
                props.push('\n');
                props.push_str(&render(extra, &vars)?);
            }
            write_file(&node.props(), props.as_bytes())?;
            write_file(&node.dir.join("log4j2.properties"), BROKER_LOG4J2.as_bytes())?;
            write_file(&node.dir.join("log4j.properties"), BROKER_LOG4J1.as_bytes())?;
        }
        if reuse.is_none() {
            format_storage(&spec.install, &data_dir, &cluster_id, &nodes, &spec.format_args)?;
        }

        let cluster = Cluster {
            bootstrap: bootstrap_of(&nodes),
            broker_ports: broker_ports.clone(),
            managed: Some(Managed {
                data_dir: data_dir.clone(),
                install: spec.install.clone(),
                cluster_id,
                nodes,
                procs: Mutex::new(Procs::default()),
                stop_on_drop: AtomicBool::new(true),
                remove_data_dir: spec.remove_data_dir,
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
            return Err(LaunchError::Start(format!("{e}\n{tails}")));
        }

        let deadline = started + spec.start_timeout;
        if let Err(e) = cluster.wait_ready(deadline) {
            let tails = m.log_tails();
            drop(cluster);
            return Err(LaunchError::Start(format!(
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
                install: KafkaInstall { java: state.java, libs: state.libs, version: state.kafka_version },
                cluster_id: state.cluster_id,
                nodes,
                procs: Mutex::new(procs),
                stop_on_drop: AtomicBool::new(false),
                remove_data_dir: false,
            }),
        })
    }

    /// The Java and Kafka this cluster runs on; `None` for an external cluster.
    pub fn install(&self) -> Option<&KafkaInstall> {
        self.managed.as_ref().map(|m| &m.install)
    }

    /// Controller (quorum) ports, node 1 first; empty for an external cluster.
    pub fn controller_ports(&self) -> Vec<u16> {
        self.managed.as_ref().map(|m| m.nodes.iter().map(|nd| nd.controller_port).collect()).unwrap_or_default()
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
    pub fn check_health(&self, timeout: Duration) -> Result<(), LaunchError> {
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
                return Err(LaunchError::Timeout(format!(
                    "{} not healthy after {:?}: {last}",
                    self.bootstrap, timeout
                )));
            }
            thread::sleep(Duration::from_millis(300));
        }
    }

    /// Stops node `node_id` gracefully: SIGTERM, then SIGKILL if it is still running after
    /// 20 s. Returns once the process is gone. Stopping a stopped node is fine.
    pub fn stop_node(&self, node_id: i32) -> Result<(), LaunchError> {
        let m = self.managed()?;
        let node = m.node(node_id)?;
        m.terminate(&[node], STOP_GRACE)?;
        m.save_state(&m.lock());
        Ok(())
    }

    /// Kills node `node_id` with SIGKILL (a crash, for failure tests). Returns once it is gone.
    pub fn kill_node(&self, node_id: i32) -> Result<(), LaunchError> {
        let m = self.managed()?;
        let node = m.node(node_id)?;
        m.terminate(&[node], Duration::ZERO)?;
        m.save_state(&m.lock());
        Ok(())
    }

    /// Starts a stopped node again (same config and data) and waits until it serves metadata
    /// that lists itself (bounded: 60 s). A running node is left alone.
    pub fn start_node(&self, node_id: i32) -> Result<(), LaunchError> {
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
                return Err(LaunchError::Start(format!(
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
                return Err(LaunchError::Timeout(format!(
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

    fn managed(&self) -> Result<&Managed, LaunchError> {
        self.managed.as_ref().ok_or_else(|| {
            LaunchError::NotManaged(format!(
                "the cluster at {} was not started by this harness (KAFKADESK_TEST_BOOTSTRAP?); it cannot stop or start nodes",
                self.bootstrap
            ))
        })
    }

    fn wait_ready(&self, deadline: Instant) -> Result<(), LaunchError> {
        let m = self.managed()?;
        probe::wait_for_brokers(&self.bootstrap, m.nodes.len(), deadline, || {
            m.nodes.iter().find(|node| !m.alive(&mut m.lock(), node)).map(|node| format!("node {} exited during startup", node.id))
        })
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

    fn node(&self, node_id: i32) -> Result<&NodeInfo, LaunchError> {
        self.nodes
            .iter()
            .find(|nd| nd.id == node_id)
            .ok_or_else(|| {
                LaunchError::NotManaged(format!(
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

    fn spawn_node(&self, node: &NodeInfo) -> Result<(), LaunchError> {
        let mut stdout = OpenOptions::new()
            .create(true)
            .append(true)
            .open(node.stdout_log())
            .map_err(io_err(format!("opening {}", node.stdout_log().display())))?;
        let _ = writeln!(
            stdout,
            "=== kafkadesk harness: starting node {} (kafka {}) ===",
            node.id,
            self.install.version
        );
        let stderr = stdout
            .try_clone()
            .map_err(io_err("duplicating the stdout log handle"))?;
        let mut cmd = Command::new(&self.install.java);
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
        .arg(format!("-Dlog4j.configuration=file:{}", node.dir.join("log4j.properties").display()))
        .arg("-cp")
        .arg(classpath(&self.install.libs))
        .arg("kafka.Kafka")
        .arg(node.props())
        .current_dir(&node.dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
        detach_session(&mut cmd);
        let child = cmd.spawn().map_err(|e| {
            LaunchError::Start(format!(
                "could not start node {} with {}: {e} (is Java 17+ installed?)",
                node.id,
                self.install.java.display()
            ))
        })?;
        let mut procs = self.lock();
        procs.pids.insert(node.id, child.id());
        procs.children.insert(node.id, child);
        self.save_state(&procs);
        Ok(())
    }

    #[cfg(unix)]
    fn spawn_watchdog(&self, watch_pid: u32) -> Result<(), LaunchError> {
        // A cluster whose data dir is thrown away anyway is killed at once; others get SIGTERM
        // and the same grace as `Cluster::stop`.
        let remove = self.remove_data_dir.then_some(self.data_dir.as_path());
        let child = process::Watchdog {
            name: WATCHDOG_NAME,
            watched: watch_pid,
            targets: Vec::new(),
            pid_file: Some(&self.data_dir.join(PID_FILE)),
            grace: if remove.is_some() { Duration::ZERO } else { CLUSTER_STOP_GRACE },
            remove_dir: remove,
        }
        .spawn()
        .map_err(|e| LaunchError::Start(format!("could not start the watchdog (sh): {e}")))?;
        let mut procs = self.lock();
        procs.watchdog_pid = Some(child.id());
        procs.watchdog_child = Some(child);
        self.save_state(&procs);
        Ok(())
    }

    #[cfg(not(unix))]
    fn spawn_watchdog(&self, _watch_pid: u32) -> Result<(), LaunchError> {
        Err(LaunchError::InvalidSpec("watching a process is only supported on Unix".into()))
    }

    /// Sends SIGTERM (or SIGKILL when `grace` is zero) to the given nodes, escalates to
    /// SIGKILL after `grace`, and waits until they are gone.
    fn terminate(&self, nodes: &[&NodeInfo], grace: Duration) -> Result<(), LaunchError> {
        let force_first = grace.is_zero();
        {
            let mut procs = self.lock();
            for node in nodes {
                if self.alive(&mut procs, node) {
                    if let Some(&pid) = procs.pids.get(&node.id) {
                        process::signal(pid, force_first);
                    }
                }
            }
        }
        if !grace.is_zero() && !self.wait_gone(nodes, grace) {
            let mut procs = self.lock();
            for node in nodes {
                if self.alive(&mut procs, node) {
                    if let Some(&pid) = procs.pids.get(&node.id) {
                        process::signal(pid, true);
                    }
                }
            }
        }
        if self.wait_gone(nodes, KILL_WAIT) {
            Ok(())
        } else {
            let ids: Vec<i32> = nodes.iter().map(|nd| nd.id).collect();
            Err(LaunchError::Timeout(format!(
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
                process::signal(pid, true);
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
            kafka_version: self.install.version.clone(),
            libs: self.install.libs.clone(),
            java: self.install.java.clone(),
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
            let _ = process::write_atomically(&self.data_dir.join(STATE_FILE), &json);
        }
        let pids: Vec<String> = procs.pids.values().map(|p| p.to_string()).collect();
        let _ = process::write_atomically(
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
// Setup helpers
// ---------------------------------------------------------------------------------------------

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
fn choose_ports(spec: &LaunchSpec) -> Result<(Vec<u16>, Vec<u16>), LaunchError> {
    let n = spec.nodes;
    let mut held = Vec::new();
    let mut pick = |given: &Option<Vec<u16>>, what: &str| -> Result<Vec<u16>, LaunchError> {
        match given {
            Some(ports) => {
                for &p in ports {
                    if TcpListener::bind(("127.0.0.1", p)).is_err() {
                        return Err(LaunchError::PortInUse(format!(
                            "{what} port {p} (127.0.0.1:{p}) is already in use by another program; choose another port or stop that program"
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
        return Err(LaunchError::InvalidSpec(format!(
            "ports must all differ: brokers {brokers:?}, controllers {controllers:?}"
        )));
    }
    Ok((brokers, controllers))
}

fn render(template: &str, vars: &[(&str, String)]) -> Result<String, LaunchError> {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{{{name}}}}}"), value);
    }
    match out.find("{{") {
        Some(at) => Err(LaunchError::InvalidSpec(format!(
            "server.properties.tmpl has an unknown placeholder near: {}",
            out[at..].lines().next().unwrap_or_default()
        ))),
        None => Ok(out),
    }
}

/// `kafka.tools.StorageTool format` on every node at once (each is a JVM start).
fn format_storage(install: &KafkaInstall, data_dir: &Path, cluster_id: &str, nodes: &[NodeInfo], extra: &[String]) -> Result<(), LaunchError> {
    let mut cmds = Vec::new();
    for node in nodes {
        let mut cmd = tool_command(install, data_dir, "kafka.tools.StorageTool")?;
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
                install.java.display()
            )),
            Err(_) => errors.push(format!("node {id}: the format thread panicked")),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(LaunchError::Start(format!(
            "formatting storage failed:\n{}",
            errors.join("\n")
        )))
    }
}

fn default_java() -> PathBuf {
    PathBuf::from("java")
}

/// The watchdog's `$0`, how [`pid_is_watchdog`] recognises it.
const WATCHDOG_NAME: &str = "kafkadesk-watchdog";

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), LaunchError> {
    process::write_atomically(path, bytes).map_err(io_err(format!("writing {}", path.display())))
}

fn read_state(data_dir: &Path) -> Option<StateFile> {
    let bytes = fs::read(data_dir.join(STATE_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether `pid` is a live `kafka.Kafka` process started with `props` (a recycled pid is not).
fn pid_is_node(pid: u32, props: &Path) -> bool {
    process::pid_runs(pid, &["kafka.Kafka", &props.display().to_string()])
}

fn pid_is_watchdog(pid: u32) -> bool {
    process::pid_runs(pid, &[WATCHDOG_NAME])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_renders_every_placeholder() {
        let vars: Vec<(&str, String)> =
            ["node_id", "quorum_voters", "broker_port", "controller_port", "log_dir", "internal_rf", "internal_min_isr"]
                .iter()
                .map(|k| (*k, "X".to_string()))
                .collect();
        let out = render(SERVER_PROPERTIES_TMPL, &vars).expect("all placeholders known");
        assert!(out.contains("process.roles=broker,controller"));
        assert!(render(SERVER_PROPERTIES_TMPL, &vars[1..]).is_err(), "a missing value is reported");
    }

    #[test]
    fn cluster_ids_look_like_kafkas() {
        for _ in 0..100 {
            let id = new_cluster_id();
            assert_eq!(id.len(), 22);
            assert!(!id.starts_with('-'));
            assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        }
    }

    fn spec(nodes: usize) -> LaunchSpec {
        let install = KafkaInstall { java: "java".into(), libs: "/nonexistent".into(), version: "4.1.1".into() };
        LaunchSpec::new(nodes, "/nonexistent", install)
    }

    #[test]
    fn free_ports_are_distinct() {
        let (b, c) = choose_ports(&spec(3)).expect("ports");
        let mut all: Vec<u16> = b.iter().chain(&c).copied().collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn a_taken_port_is_named() {
        let held = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = held.local_addr().expect("addr").port();
        let mut s = spec(1);
        s.broker_ports = Some(vec![port]);
        match choose_ports(&s) {
            Err(LaunchError::PortInUse(m)) => assert!(m.contains(&port.to_string()), "{m}"),
            other => panic!("expected PortInUse, got {other:?}"),
        }
    }

    #[test]
    fn external_cluster_parses_ports_and_refuses_node_control() {
        let mut c = Cluster::external("127.0.0.1:19092, 127.0.0.1:29092");
        assert_eq!(c.broker_ports(), &[19092, 29092]);
        assert!(matches!(c.stop_node(1), Err(LaunchError::NotManaged(_))));
        c.stop(); // no-op
    }
}
