//! A real Apache Kafka cluster on loopback, for integration tests, end-to-end tests and the
//! `make run` sandbox.
//!
//! Why not a container or the rdkafka mock cluster: the app has to be proven against the
//! broker people run, and this machine (and CI) has Java and Maven but no Docker. So Kafka
//! comes from Maven Central as plain jars ([`jars`]) and the cluster is started by the app's
//! own launcher, `kafkadesk::local::launch` — the code behind the app's "Local clusters" —
//! so the harness, the sandbox and the app start Kafka the same way: combined KRaft broker +
//! controller nodes with a static quorum, on 127.0.0.1 only, each in its own session, with
//! `cluster.json` in the data dir for [`Cluster::attach`] and a watchdog for
//! [`ClusterSpec::watch_pid`].
//!
//! This file keeps the harness API tests use ([`test_cluster`], [`Cluster`], [`ClusterSpec`],
//! [`unique_topic`], [`kafka_java`], …); [`jars`] fetches Kafka, [`secured`] adds the SASL /
//! TLS node. Everything waits with a bound and fails with a [`HarnessError`] that says what to
//! do and carries the tail of each node's log.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use kafkadesk::local::launch::{self, LaunchSpec};
use kafkadesk::local::process;

mod jars;
mod secured;
mod zookeeper;

pub use jars::{cache_root, config_command, ensure_kafka_jars, harness_install, java_bin, kafka_home, kafka_java, kafka_version};
pub use jars::{major_version, pom_kafka_version, VERSION_ENV};
pub use zookeeper::{kafka_mode, KafkaMode, ZkCluster, MODE_ENV};
pub use kafkadesk::local::launch::io_err;
pub use secured::{test_secured_cluster, SecuredCluster, SecuredListeners, TestPki, SCRAM_USERS};

/// Why the harness could not do what was asked: the launcher's error, whose message says what
/// went wrong, what to do, and for start failures includes the tail of every node's log.
pub type HarnessError = kafkadesk::local::LaunchError;

/// A Kafka command-line tool run through [`kafka_java`].
const TOOL_TIMEOUT: Duration = Duration::from_secs(120);
const LOG_TAIL_LINES: usize = 40;

/// Produces `lines` (one message per line) to `topic` with kcat: to `partition`, or as kcat's
/// partitioner spreads them.
pub fn kcat_produce(bootstrap: &str, topic: &str, partition: Option<i32>, lines: &str) -> Result<(), HarnessError> {
    use std::io::Write as _;
    let mut cmd = std::process::Command::new("kcat");
    cmd.args(["-b", bootstrap, "-P", "-t", topic]);
    if let Some(p) = partition {
        cmd.args(["-p", &p.to_string()]);
    }
    let mut child = cmd.stdin(std::process::Stdio::piped()).spawn().map_err(io_err("starting kcat -P".to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(lines.as_bytes()).map_err(io_err("writing to kcat -P".to_string()))?;
    }
    let status = child.wait().map_err(io_err("waiting for kcat -P".to_string()))?;
    if !status.success() {
        return Err(HarnessError::Kafka(format!("kcat -P to {topic} failed ({status})")));
    }
    Ok(())
}

/// Kafka's console share consumer (KIP-932) reading `topic` as share group `group`: a real
/// share-group member for tests. Killed on drop.
pub struct ShareConsumer(std::process::Child);

impl ShareConsumer {
    pub fn start(bootstrap: &str, topic: &str, group: &str) -> Result<ShareConsumer, HarnessError> {
        let install = harness_install()?;
        let mut cmd = launch::tool_command(&install, &kafka_home(), "org.apache.kafka.tools.consumer.ConsoleShareConsumer")?;
        cmd.args(["--bootstrap-server", bootstrap, "--topic", topic, "--group", group])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let child = cmd.spawn().map_err(io_err("starting Kafka's console share consumer".to_string()))?;
        Ok(ShareConsumer(child))
    }
}

impl Drop for ShareConsumer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
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
        ClusterSpec { nodes, broker_ports: None, controller_ports: None, data_dir: data_dir.into(), watch_pid: None }
    }
}

/// A running Kafka cluster on loopback: the launcher's [`launch::Cluster`] (every method of it
/// is available through `Deref`) plus the harness's ways to get one.
///
/// Three kinds of handle:
/// - [`Cluster::start`]: owns its nodes; dropping it (or `stop()`) stops them.
/// - [`Cluster::attach`]: re-opened from `cluster.json`; dropping it leaves the nodes running,
///   `stop()` stops them.
/// - [`Cluster::external`] (and [`test_cluster`] with `KAFKADESK_TEST_BOOTSTRAP`): only knows a
///   bootstrap string; stop does nothing and node control returns [`HarnessError::NotManaged`].
pub struct Cluster {
    inner: launch::Cluster,
    /// A ZooKeeper-mode cluster (version matrix) behind `inner`, which then only knows its
    /// bootstrap; stopped when this handle drops.
    zookeeper: Option<ZkCluster>,
}

impl fmt::Debug for Cluster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl Deref for Cluster {
    type Target = launch::Cluster;
    fn deref(&self) -> &launch::Cluster {
        &self.inner
    }
}

impl DerefMut for Cluster {
    fn deref_mut(&mut self) -> &mut launch::Cluster {
        &mut self.inner
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
        Self::launch(spec, false, |_| {})
    }

    /// Like [`Cluster::start`], with `properties` appended to every node's config.
    pub fn start_with_properties(spec: ClusterSpec, properties: &str) -> Result<Cluster, HarnessError> {
        Self::launch(spec, false, |launch| launch.extra_properties = Some(format!("\n{properties}\n")))
    }

    /// Starts through the app's launcher with the harness's Java and jars; `customize` adds to
    /// the launch (extra listeners, SCRAM users).
    pub(crate) fn launch(
        spec: ClusterSpec,
        remove_data_dir: bool,
        customize: impl FnOnce(&mut LaunchSpec),
    ) -> Result<Cluster, HarnessError> {
        // One start at a time per test process: several JVMs booting at once on a small CI machine
        // starve each other past the start bound, while running side by side afterwards is cheap.
        static STARTING: Mutex<()> = Mutex::new(());
        let _one_at_a_time = STARTING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        // The start bound counts from after the jars are there: a cold download has its own bound.
        let mut launch = LaunchSpec::new(spec.nodes, spec.data_dir, harness_install()?);
        launch.broker_ports = spec.broker_ports;
        launch.controller_ports = spec.controller_ports;
        launch.watch_pid = spec.watch_pid;
        launch.remove_data_dir = remove_data_dir;
        launch.start_timeout = start_timeout();
        customize(&mut launch);
        launch::Cluster::start(launch).map(|inner| Cluster { inner, zookeeper: None })
    }

    /// A handle on a cluster someone else runs (e.g. `KAFKADESK_TEST_BOOTSTRAP`). It has no
    /// processes: `stop()` does nothing and node control returns `NotManaged`.
    pub fn external(bootstrap: &str) -> Cluster {
        Cluster { inner: launch::Cluster::external(bootstrap), zookeeper: None }
    }

    /// Re-opens the cluster recorded in `<data_dir>/cluster.json` if at least one of its nodes
    /// is still running. The handle does NOT stop the nodes when dropped; call `stop()` for that.
    pub fn attach(data_dir: impl AsRef<Path>) -> Option<Cluster> {
        launch::Cluster::attach(data_dir).map(|inner| Cluster { inner, zookeeper: None })
    }

    /// A ZooKeeper-mode cluster of the harness's Kafka (3.x only): ZooKeeper plus `nodes`
    /// brokers in a fresh `data_dir`, awaited like [`Cluster::start`]. Node control is not
    /// supported on it (`NotManaged`); dropping the handle stops everything.
    pub fn start_zookeeper(nodes: usize, data_dir: &Path, watch_pid: Option<u32>, remove_data_dir: bool) -> Result<Cluster, HarnessError> {
        let install = harness_install()?;
        let zk = ZkCluster::start(&install, nodes, data_dir, watch_pid, remove_data_dir, start_timeout())?;
        Ok(Cluster { inner: launch::Cluster::external(zk.bootstrap()), zookeeper: Some(zk) })
    }

    /// The ZooKeeper behind a ZooKeeper-mode cluster, `None` for KRaft.
    pub fn zookeeper(&self) -> Option<&ZkCluster> {
        self.zookeeper.as_ref()
    }

    /// Lets the nodes outlive this handle (no stop on drop); [`Cluster::attach`] finds them
    /// again. Used by `sandbox start`.
    pub fn detach(self) {
        self.inner.detach()
    }
}

fn start_timeout() -> Duration {
    std::env::var("KAFKADESK_KAFKA_START_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
        .unwrap_or(launch::START_TIMEOUT)
}

// ---------------------------------------------------------------------------------------------
// The shared test cluster
// ---------------------------------------------------------------------------------------------

/// The one 3-node cluster of this test process, started on first use.
///
/// With `KAFKADESK_TEST_BOOTSTRAP` set (by `make test`, via `sandbox start-test`), it is a
/// handle on that cluster instead. The Kafka version is [`kafka_version`]
/// (`KAFKADESK_KAFKA_VERSION`); `KAFKADESK_KAFKA_MODE=zookeeper` starts a ZooKeeper-mode
/// cluster of a 3.x version instead of KRaft (the version matrix, `make test-matrix`). Otherwise the cluster runs on free ports in a fresh temp
/// dir, watched by a watchdog that stops it and removes the dir once this process exits
/// (statics are never dropped). Panics with the node logs if the cluster cannot start; the
/// start is tried once per process, not once per test.
pub fn test_cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
    let cluster = CLUSTER.get_or_init(|| {
        if let Some(bootstrap) = std::env::var("KAFKADESK_TEST_BOOTSTRAP").ok().filter(|b| !b.trim().is_empty()) {
            return Ok(Cluster::external(&bootstrap));
        }
        let dir = std::env::temp_dir().join(format!("kafkadesk-test-{}-{}", std::process::id(), short_id()));
        let mode = kafka_mode().map_err(|e| e.to_string())?;
        let mut spec = ClusterSpec::new(3, dir);
        spec.watch_pid = Some(std::process::id());
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting a 3-node Kafka {} cluster ({mode:?}) for this test run…", kafka_version());
        let result = match mode {
            KafkaMode::Kraft => Cluster::launch(spec, true, |_| {}),
            KafkaMode::ZooKeeper => Cluster::start_zookeeper(3, &spec.data_dir, spec.watch_pid, true),
        }
        .map_err(|e| e.to_string());
        if let Ok(c) = &result {
            eprintln!("[kafkadesk harness] Kafka ready at {} in {:.1} s", c.bootstrap(), started.elapsed().as_secs_f64());
        }
        result
    });
    match cluster {
        Ok(c) => c,
        Err(e) => panic!("the test Kafka cluster could not start:\n{e}"),
    }
}

/// Whether the test Kafka ([`kafka_version`]) is older than `since` (major, minor), which
/// `feature` needs; if so, prints why the calling test skips itself (the version matrix,
/// `make test-matrix`, lists these lines). Use as `if version_lacks((4, 2), "…") { return; }`.
pub fn version_lacks(since: (u32, u32), feature: &str) -> bool {
    let lacks = jars::major_minor(kafka_version()).is_some_and(|running| running < since);
    if lacks {
        eprintln!(
            "[version matrix] skipped: {feature} needs Kafka {}.{} or newer; this cluster runs Kafka {}",
            since.0,
            since.1,
            kafka_version()
        );
    }
    lacks
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
// Helpers for harness code (here and in the files beside this one)
// ---------------------------------------------------------------------------------------------

/// [`process::write_atomically`] with the harness's error.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), HarnessError> {
    process::write_atomically(path, bytes).map_err(io_err(format!("writing {}", path.display())))
}

/// An exclusive lock file, waited for with a bound (the launcher's, with the harness's error).
pub(crate) struct FileLock;

impl FileLock {
    pub(crate) fn acquire(path: &Path, timeout: Duration, what: &str) -> Result<process::FileLock, HarnessError> {
        launch::lock(path, timeout, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_comes_from_the_pom() {
        assert_eq!(kafka_version(), "4.4.0");
        assert!(kafka_home().ends_with("kafka-4.4.0"));
    }

    #[test]
    fn unique_topics_are_unique_and_legal() {
        let a = unique_topic("my topic/ä");
        let b = unique_topic("my topic/ä");
        assert_ne!(a, b);
        assert!(a.starts_with("my_topic__-"), "{a}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')));
    }

    #[test]
    fn external_cluster_refuses_node_control() {
        let mut c = Cluster::external("127.0.0.1:19092, 127.0.0.1:29092");
        assert_eq!(c.broker_ports(), &[19092, 29092]);
        assert!(matches!(c.stop_node(1), Err(HarnessError::NotManaged(_))));
        c.stop(); // no-op
    }
}
