//! The app's saved local clusters: what the "Local clusters" view creates, starts, stops,
//! deletes and shows logs of. Each lives in `<root>/<id>/` (root: the app's data dir +
//! `local-clusters`): `local.json` (name, node count, ports, its connection profile) beside the
//! launcher's `cluster.json` and `node-<n>/` folders (data, `server.log`).
//!
//! No process handle is kept in memory: the state of a cluster is always read back from disk and
//! `/proc` ([`Cluster::attach`]), so the app finds its running clusters again after a restart,
//! and stop / delete act on whatever really runs. Calls are blocking (a start takes seconds);
//! the app runs them on `spawn_blocking`. One operation at a time per root.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::install::{self, Discovery, JavaFound, KafkaFound};
use super::launch::{io_err, Cluster, LaunchError, LaunchSpec};
use super::process;

/// Defaults like the classic docker-compose layout: node i on i9092 (PLAINTEXT), i9093 (CONTROLLER).
pub const DEFAULT_BROKER_PORTS: [u16; 3] = [19092, 29092, 39092];
pub const DEFAULT_CONTROLLER_PORTS: [u16; 3] = [19093, 29093, 39093];
const CONFIG_FILE: &str = "local.json";
const SETTINGS_FILE: &str = "settings.json";
/// A local cluster start: JVMs on a laptop, cold page cache.
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// A saved local cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalClusterConfig {
    pub id: String,
    pub name: String,
    pub broker_ports: Vec<u16>,
    pub controller_ports: Vec<u16>,
    /// The saved connection created for it.
    #[serde(default)]
    pub profile_id: Option<String>,
}

/// What the create form sends.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct LocalClusterInput {
    pub name: String,
    /// 1 or 3.
    pub nodes: u8,
    pub broker_ports: Vec<u16>,
    pub controller_ports: Vec<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum LocalClusterState {
    Stopped,
    Running,
    /// Some nodes run, some do not.
    Degraded,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalNode {
    pub id: i32,
    pub broker_port: u16,
    pub controller_port: u16,
    pub pid: Option<u32>,
}

/// A saved local cluster and what runs of it right now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalCluster {
    pub id: String,
    pub name: String,
    pub state: LocalClusterState,
    pub bootstrap: String,
    pub nodes: Vec<LocalNode>,
    pub profile_id: Option<String>,
    pub data_dir: String,
    /// The Kafka version it last ran (unknown before its first start).
    pub kafka_version: Option<String>,
}

/// Where Java and Kafka come from, for the view's "Setup" panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalSetup {
    pub java: Option<JavaFound>,
    /// Why no Java can be used and what to install.
    pub java_problem: Option<String>,
    pub kafka: Option<KafkaFound>,
    pub kafka_problem: Option<String>,
    /// The user's choices (else found automatically).
    pub chosen_java: Option<String>,
    pub chosen_kafka_dir: Option<String>,
    /// Where clusters keep their data and logs.
    pub data_root: String,
    /// Ports a new cluster gets unless changed: the defaults, or the next free set.
    pub suggested_broker_ports: Vec<u16>,
    pub suggested_controller_ports: Vec<u16>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Settings {
    java: Option<PathBuf>,
    kafka_dir: Option<PathBuf>,
}

pub struct LocalClusters {
    root: PathBuf,
    discovery: Discovery,
    /// Added to the default ports when suggesting ports for a new cluster.
    port_offset: u16,
    /// One create / start / stop / delete at a time.
    busy: Mutex<()>,
}

impl LocalClusters {
    /// The clusters under `root` (created on first use), finding Java and Kafka through `discovery`.
    pub fn new(root: impl Into<PathBuf>, discovery: Discovery) -> LocalClusters {
        LocalClusters { root: root.into(), discovery, port_offset: 0, busy: Mutex::new(()) }
    }

    /// Suggests ports from `defaults + offset` up (tests use it to stay off the defaults).
    pub fn with_port_offset(mut self, offset: u16) -> LocalClusters {
        self.port_offset = offset;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn busy(&self) -> MutexGuard<'_, ()> {
        self.busy.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn settings(&self) -> Settings {
        fs::read(self.root.join(SETTINGS_FILE)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
    }

    fn ensure_root(&self) -> Result<(), LaunchError> {
        fs::create_dir_all(&self.root).map_err(io_err(format!("creating {}", self.root.display())))
    }

    /// Which Java and Kafka a start would use, or what is missing.
    pub fn setup(&self) -> LocalSetup {
        let settings = self.settings();
        let java = install::find_java(settings.java.as_deref(), &self.discovery);
        let kafka = install::find_kafka(settings.kafka_dir.as_deref(), &self.discovery);
        let (suggested_broker_ports, suggested_controller_ports) = self.suggested_ports();
        LocalSetup {
            java_problem: java.as_ref().err().map(|e| e.message().to_string()),
            java: java.ok(),
            kafka_problem: kafka.as_ref().err().map(|e| e.message().to_string()),
            kafka: kafka.ok(),
            chosen_java: settings.java.map(|p| p.display().to_string()),
            chosen_kafka_dir: settings.kafka_dir.map(|p| p.display().to_string()),
            data_root: self.root.display().to_string(),
            suggested_broker_ports,
            suggested_controller_ports,
        }
    }

    /// Remembers the user's Java (a `java` executable or a JDK folder) and Kafka folder; `None`
    /// goes back to finding them automatically. A choice that does not work is refused.
    pub fn choose_install(&self, java: Option<&str>, kafka_dir: Option<&str>) -> Result<LocalSetup, LaunchError> {
        let _busy = self.busy();
        let clean = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(PathBuf::from);
        let settings = Settings { java: clean(java), kafka_dir: clean(kafka_dir) };
        if let Some(j) = &settings.java {
            install::find_java(Some(j), &Discovery::default())?;
        }
        if let Some(k) = &settings.kafka_dir {
            install::find_kafka(Some(k), &Discovery::default())?;
        }
        self.ensure_root()?;
        let json = serde_json::to_vec_pretty(&settings).map_err(|e| LaunchError::Io(e.to_string()))?;
        let path = self.root.join(SETTINGS_FILE);
        process::write_atomically(&path, &json).map_err(io_err(format!("writing {}", path.display())))?;
        drop(_busy);
        Ok(self.setup())
    }

    fn configs(&self) -> Vec<LocalClusterConfig> {
        let Ok(entries) = fs::read_dir(&self.root) else { return Vec::new() };
        let mut out: Vec<LocalClusterConfig> = entries
            .flatten()
            .filter_map(|e| fs::read(e.path().join(CONFIG_FILE)).ok())
            .filter_map(|b| serde_json::from_slice(&b).ok())
            .collect();
        out.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()));
        out
    }

    fn config(&self, id: &str) -> Result<LocalClusterConfig, LaunchError> {
        self.configs()
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| LaunchError::NotManaged(format!("there is no local cluster with id {id}")))
    }

    fn save_config(&self, config: &LocalClusterConfig) -> Result<(), LaunchError> {
        let dir = self.dir(&config.id);
        fs::create_dir_all(&dir).map_err(io_err(format!("creating {}", dir.display())))?;
        let json = serde_json::to_vec_pretty(config).map_err(|e| LaunchError::Io(e.to_string()))?;
        let path = dir.join(CONFIG_FILE);
        process::write_atomically(&path, &json).map_err(io_err(format!("writing {}", path.display())))
    }

    fn dir(&self, id: &str) -> PathBuf {
        self.root.join(id)
    }

    fn describe(&self, config: LocalClusterConfig) -> LocalCluster {
        let dir = self.dir(&config.id);
        let attached = Cluster::attach(&dir);
        let nodes: Vec<LocalNode> = config
            .broker_ports
            .iter()
            .zip(&config.controller_ports)
            .enumerate()
            .map(|(i, (&broker_port, &controller_port))| {
                let id = i as i32 + 1;
                LocalNode { id, broker_port, controller_port, pid: attached.as_ref().and_then(|c| c.node_pid(id)) }
            })
            .collect();
        let running = nodes.iter().filter(|n| n.pid.is_some()).count();
        let state = match running {
            0 => LocalClusterState::Stopped,
            r if r == nodes.len() => LocalClusterState::Running,
            _ => LocalClusterState::Degraded,
        };
        let kafka_version = attached
            .as_ref()
            .and_then(|c| c.install().map(|i| i.version.clone()))
            .or_else(|| last_version(&dir));
        LocalCluster {
            bootstrap: bootstrap(&config.broker_ports),
            id: config.id,
            name: config.name,
            state,
            nodes,
            profile_id: config.profile_id,
            data_dir: dir.display().to_string(),
            kafka_version,
        }
    }

    /// Every saved local cluster with what runs of it (after an app restart too).
    pub fn list(&self) -> Vec<LocalCluster> {
        self.configs().into_iter().map(|c| self.describe(c)).collect()
    }

    pub fn get(&self, id: &str) -> Result<LocalCluster, LaunchError> {
        Ok(self.describe(self.config(id)?))
    }

    /// The default ports, or the first set (+100, +200, …) that no saved cluster and no
    /// running program uses.
    fn suggested_ports(&self) -> (Vec<u16>, Vec<u16>) {
        let used: Vec<u16> =
            self.configs().iter().flat_map(|c| c.broker_ports.iter().chain(&c.controller_ports).copied()).collect();
        let free = |p: &u16| !used.contains(p) && std::net::TcpListener::bind(("127.0.0.1", *p)).is_ok();
        for offset in (0..200u16).map(|k| self.port_offset.saturating_add(k * 100)) {
            let b: Vec<u16> = DEFAULT_BROKER_PORTS.iter().map(|p| p.saturating_add(offset)).collect();
            let c: Vec<u16> = DEFAULT_CONTROLLER_PORTS.iter().map(|p| p.saturating_add(offset)).collect();
            if b.iter().chain(&c).all(free) {
                return (b, c);
            }
        }
        (DEFAULT_BROKER_PORTS.to_vec(), DEFAULT_CONTROLLER_PORTS.to_vec())
    }

    /// Saves a new (stopped) cluster after checking name, node count and ports.
    pub fn create(&self, input: &LocalClusterInput) -> Result<LocalCluster, LaunchError> {
        let _busy = self.busy();
        let name = input.name.trim();
        if name.is_empty() {
            return Err(LaunchError::InvalidSpec("name: give the cluster a name".into()));
        }
        if self.configs().iter().any(|c| c.name.eq_ignore_ascii_case(name)) {
            return Err(LaunchError::InvalidSpec(format!("name: a local cluster named “{name}” already exists")));
        }
        let n = input.nodes as usize;
        if n != 1 && n != 3 {
            return Err(LaunchError::InvalidSpec(format!("nodes: a local cluster has 1 or 3 nodes, not {n}")));
        }
        for (field, ports) in [("brokerPorts", &input.broker_ports), ("controllerPorts", &input.controller_ports)] {
            if ports.len() != n {
                return Err(LaunchError::InvalidSpec(format!("{field}: {n} ports are needed, one per node")));
            }
            if let Some(p) = ports.iter().find(|&&p| p < 1024) {
                return Err(LaunchError::InvalidSpec(format!("{field}: port {p} is reserved; use 1024–65535")));
            }
        }
        let mut all: Vec<u16> = input.broker_ports.iter().chain(&input.controller_ports).copied().collect();
        all.sort_unstable();
        if let Some(w) = all.windows(2).find(|w| w[0] == w[1]) {
            return Err(LaunchError::InvalidSpec(format!("brokerPorts: port {} is given twice", w[0])));
        }
        for other in self.configs() {
            if let Some(p) = other.broker_ports.iter().chain(&other.controller_ports).find(|p| all.contains(p)) {
                return Err(LaunchError::InvalidSpec(format!(
                    "brokerPorts: port {p} belongs to the local cluster “{}”",
                    other.name
                )));
            }
        }
        self.ensure_root()?;
        let config = LocalClusterConfig {
            id: uuid::Uuid::new_v4().simple().to_string()[..12].to_string(),
            name: name.to_string(),
            broker_ports: input.broker_ports.clone(),
            controller_ports: input.controller_ports.clone(),
            profile_id: None,
        };
        self.save_config(&config)?;
        Ok(self.describe(config))
    }

    /// Records the connection profile made for cluster `id`.
    pub fn set_profile(&self, id: &str, profile_id: Option<&str>) -> Result<LocalCluster, LaunchError> {
        let _busy = self.busy();
        let mut config = self.config(id)?;
        config.profile_id = profile_id.map(str::to_string);
        self.save_config(&config)?;
        Ok(self.describe(config))
    }

    /// Starts cluster `id` and returns once every broker serves and a probe message went
    /// through. Already running: nothing to do. A port in use fails before anything starts.
    pub fn start(&self, id: &str) -> Result<LocalCluster, LaunchError> {
        let _busy = self.busy();
        let config = self.config(id)?;
        let dir = self.dir(id);
        if let Some(mut running) = Cluster::attach(&dir) {
            if running.node_ids().iter().all(|&n| running.is_node_running(n)) {
                return Ok(self.describe(config));
            }
            // Half a cluster: stop the rest, then start it whole.
            running.stop();
        }
        let settings = self.settings();
        let install = install::find_install(settings.java.as_deref(), settings.kafka_dir.as_deref(), &self.discovery)?;
        let mut spec = LaunchSpec::new(config.broker_ports.len(), &dir, install);
        spec.broker_ports = Some(config.broker_ports.clone());
        spec.controller_ports = Some(config.controller_ports.clone());
        spec.start_timeout = START_TIMEOUT;
        Cluster::start(spec)?.detach();
        Ok(self.describe(config))
    }

    /// Stops every node of cluster `id` (SIGTERM, then SIGKILL) and checks none is left.
    pub fn stop(&self, id: &str) -> Result<LocalCluster, LaunchError> {
        let _busy = self.busy();
        let config = self.config(id)?;
        self.stop_dir(&self.dir(id))?;
        Ok(self.describe(config))
    }

    fn stop_dir(&self, dir: &Path) -> Result<(), LaunchError> {
        if let Some(mut cluster) = Cluster::attach(dir) {
            cluster.stop();
            let left: Vec<String> = cluster
                .node_ids()
                .into_iter()
                .filter_map(|n| cluster.node_pid(n).map(|pid| format!("node {n} (pid {pid})")))
                .collect();
            if !left.is_empty() {
                return Err(LaunchError::Timeout(format!("could not stop {}", left.join(", "))));
            }
        }
        Ok(())
    }

    /// Stops cluster `id` and removes its folder (data and logs). Returns its profile id, for
    /// the caller to remove the connection too.
    pub fn delete(&self, id: &str) -> Result<Option<String>, LaunchError> {
        let _busy = self.busy();
        let config = self.config(id)?;
        let dir = self.dir(id);
        self.stop_dir(&dir)?;
        fs::remove_dir_all(&dir).map_err(io_err(format!("removing {}", dir.display())))?;
        Ok(config.profile_id)
    }

    /// The last `lines` lines of node `node`'s `server.log`.
    pub fn log(&self, id: &str, node: i32, lines: usize) -> Result<String, LaunchError> {
        let config = self.config(id)?;
        if node < 1 || node as usize > config.broker_ports.len() {
            return Err(LaunchError::InvalidSpec(format!("node: this cluster has nodes 1–{}", config.broker_ports.len())));
        }
        let path = self.dir(id).join(format!("node-{node}")).join("server.log");
        match process::tail_file(&path, lines.clamp(1, 5000)) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(e) => Err(LaunchError::Io(format!("reading {}: {e}", path.display()))),
        }
    }
}

fn bootstrap(ports: &[u16]) -> String {
    ports.iter().map(|p| format!("127.0.0.1:{p}")).collect::<Vec<_>>().join(",")
}

/// The Kafka version recorded in `cluster.json` by the last start.
fn last_version(dir: &Path) -> Option<String> {
    let bytes = fs::read(dir.join("cluster.json")).ok()?;
    let json: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    json.get("kafka_version")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, nodes: u8, base: u16) -> LocalClusterInput {
        LocalClusterInput {
            name: name.into(),
            nodes,
            broker_ports: (0..nodes as u16).map(|i| base + i * 10).collect(),
            controller_ports: (0..nodes as u16).map(|i| base + 1 + i * 10).collect(),
        }
    }

    #[test]
    fn create_checks_its_input_and_lists_stopped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let local = LocalClusters::new(dir.path(), Discovery::default());
        let c = local.create(&input("Dev", 3, 40000)).expect("created");
        assert_eq!(c.state, LocalClusterState::Stopped);
        assert_eq!(c.bootstrap, "127.0.0.1:40000,127.0.0.1:40010,127.0.0.1:40020");
        assert_eq!(local.list(), vec![c.clone()]);
        let err = |i: LocalClusterInput| local.create(&i).expect_err("refused").to_string();
        assert!(err(input("dev", 1, 41000)).contains("already exists"));
        assert!(err(input("Two", 2, 41000)).contains("1 or 3 nodes"));
        assert!(err(input("Clash", 1, 40010)).contains("belongs to the local cluster “Dev”"));
        assert!(err(input("", 1, 41000)).contains("name"));
        let mut twice = input("Twice", 1, 41000);
        twice.controller_ports = twice.broker_ports.clone();
        assert!(err(twice).contains("given twice"));
        // 40000.. is not near the defaults, so the suggestion is the defaults (plus the offset).
        let local = local.with_port_offset(1500);
        assert_eq!(local.setup().suggested_broker_ports, vec![20592, 30592, 40592]);
        assert!(local.setup().java_problem.is_some(), "an empty discovery finds no Java");
    }

    #[test]
    fn suggestions_skip_ports_in_use_by_saved_clusters() {
        let dir = tempfile::tempdir().expect("tempdir");
        let local = LocalClusters::new(dir.path(), Discovery::default()).with_port_offset(2300);
        let mut i = input("Default", 3, 0);
        i.broker_ports = DEFAULT_BROKER_PORTS.iter().map(|p| p + 2300).collect();
        i.controller_ports = DEFAULT_CONTROLLER_PORTS.iter().map(|p| p + 2300).collect();
        local.create(&i).expect("created");
        let next = local.setup().suggested_broker_ports;
        assert_eq!(next[0] % 100, 92, "{next:?}");
        assert!(next[0] >= 21492, "skips the saved cluster's ports: {next:?}");
    }

    #[test]
    fn start_without_java_explains_and_starts_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let local = LocalClusters::new(dir.path(), Discovery::default());
        let c = local.create(&input("NoJava", 1, 42000)).expect("created");
        let err = local.start(&c.id).expect_err("no Java");
        assert!(matches!(err, LaunchError::Missing(_)), "{err}");
        assert!(!dir.path().join(&c.id).join("node-1").exists());
    }
}
