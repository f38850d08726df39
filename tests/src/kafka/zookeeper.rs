//! Kafka 3.x in ZooKeeper mode, for the version matrix (`make test-matrix`,
//! `KAFKADESK_KAFKA_MODE=zookeeper`): one ZooKeeper and `nodes` brokers with
//! `zookeeper.connect`, on free loopback ports. Test code only: the app's Local clusters are
//! KRaft (`kafkadesk::local::launch`); people still run ZooKeeper clusters, so the app is
//! tested against one.
//!
//! ZooKeeper comes from the same jars as the brokers: `kafka_2.13:3.9.x` pulls in
//! `org.apache.zookeeper:zookeeper` (3.8.4 for Kafka 3.9.1), whose `QuorumPeerMain` runs a
//! standalone server from a `zoo.cfg` with no `server.N` lines. Every process runs in its own
//! session, a watchdog stops them all when the watched process is gone, and
//! [`ZkCluster`] stops them on drop (brokers first, while ZooKeeper can still take their
//! controlled shutdown). Every wait has a bound; a start failure carries the log tails.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use kafkadesk::local::probe::wait_for_brokers;
use kafkadesk::local::process::{self, detach_session, tail_file};
use kafkadesk::local::KafkaInstall;

use super::jars::major_version;
use super::{io_err, write_atomically, HarnessError, LOG_TAIL_LINES};

/// Kafka 3's log4j 1 config for the brokers and ZooKeeper: all into `<dir>/server.log`.
const LOG4J1: &str = include_str!("../../../src-tauri/src/local/log4j.properties");
/// SIGTERM to SIGKILL for the brokers (a controlled shutdown through ZooKeeper takes ~1 s).
const STOP_GRACE: Duration = Duration::from_secs(15);
const KILL_WAIT: Duration = Duration::from_secs(10);

/// Selects the cluster kind the harness starts: `kraft` (default) or `zookeeper`.
pub const MODE_ENV: &str = "KAFKADESK_KAFKA_MODE";

/// How the shared test cluster runs its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KafkaMode {
    Kraft,
    ZooKeeper,
}

/// [`MODE_ENV`], checked: unset or empty is KRaft.
pub fn kafka_mode() -> Result<KafkaMode, HarnessError> {
    match std::env::var(MODE_ENV).unwrap_or_default().trim().to_ascii_lowercase().as_str() {
        "" | "kraft" => Ok(KafkaMode::Kraft),
        "zookeeper" | "zk" => Ok(KafkaMode::ZooKeeper),
        other => Err(HarnessError::InvalidSpec(format!("{MODE_ENV}={other:?}: expected kraft or zookeeper"))),
    }
}

/// A running ZooKeeper-mode cluster: ZooKeeper plus brokers 1..=n.
pub struct ZkCluster {
    dir: PathBuf,
    bootstrap: String,
    zookeeper_port: u16,
    zookeeper: Option<Child>,
    brokers: Vec<(i32, Child)>,
    watchdog: Option<Child>,
    remove_dir: bool,
}

impl std::fmt::Debug for ZkCluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ZkCluster").field("bootstrap", &self.bootstrap).field("zookeeper_port", &self.zookeeper_port).finish()
    }
}

impl ZkCluster {
    /// Starts ZooKeeper, then `nodes` brokers, in a fresh `dir` (wiped first), and returns once
    /// metadata lists every broker and a probe message went through a topic replicated on
    /// min(3, nodes) brokers, all within `timeout`. `watch_pid`: stop everything when that
    /// process is gone; `remove_dir`: delete `dir` when stopped.
    pub fn start(
        install: &KafkaInstall,
        nodes: usize,
        dir: &Path,
        watch_pid: Option<u32>,
        remove_dir: bool,
        timeout: Duration,
    ) -> Result<ZkCluster, HarnessError> {
        if !(1..=9).contains(&nodes) {
            return Err(HarnessError::InvalidSpec(format!("nodes must be 1..=9, got {nodes}")));
        }
        if major_version(&install.version).is_none_or(|major| major >= 4) {
            return Err(HarnessError::InvalidSpec(format!(
                "Kafka {} has no ZooKeeper mode (Kafka 4 removed it); pick a 3.x version with KAFKADESK_KAFKA_VERSION",
                install.version
            )));
        }
        let started = Instant::now();
        let deadline = started + timeout;
        let _ = fs::remove_dir_all(dir);
        fs::create_dir_all(dir).map_err(io_err(format!("creating {}", dir.display())))?;
        let dir = dir.canonicalize().map_err(io_err(format!("resolving {}", dir.display())))?;
        let ports = free_ports(nodes + 1)?;
        let zookeeper_port = ports[0];
        let broker_ports = &ports[1..];
        let bootstrap = broker_ports.iter().map(|p| format!("127.0.0.1:{p}")).collect::<Vec<_>>().join(",");
        let mut cluster = ZkCluster {
            dir: dir.clone(),
            bootstrap,
            zookeeper_port,
            zookeeper: None,
            brokers: Vec::new(),
            watchdog: None,
            remove_dir,
        };

        let zk_dir = dir.join("zookeeper");
        fs::create_dir_all(zk_dir.join("data")).map_err(io_err(format!("creating {}", zk_dir.display())))?;
        let zoo_cfg = zk_dir.join("zoo.cfg");
        write_atomically(
            &zoo_cfg,
            format!(
                "# Standalone ZooKeeper for a KafkaDesk test cluster (Kafka {}).\n\
                 dataDir={}\nclientPort={zookeeper_port}\nclientPortAddress=127.0.0.1\n\
                 tickTime=2000\nmaxClientCnxns=0\nadmin.enableServer=false\n4lw.commands.whitelist=srvr\n",
                install.version,
                zk_dir.join("data").display()
            )
            .as_bytes(),
        )?;
        write_atomically(&zk_dir.join("log4j.properties"), LOG4J1.as_bytes())?;
        let zk = spawn_java(install, &zk_dir, "org.apache.zookeeper.server.quorum.QuorumPeerMain", &zoo_cfg, "256m")?;
        cluster.zookeeper = Some(zk);
        cluster.spawn_watchdog(watch_pid)?;
        if let Err(e) = cluster.wait_zookeeper(deadline) {
            return Err(cluster.fail(e, started));
        }

        for (i, port) in broker_ports.iter().enumerate() {
            let id = i as i32 + 1;
            let node_dir = dir.join(format!("node-{id}"));
            fs::create_dir_all(node_dir.join("data")).map_err(io_err(format!("creating {}", node_dir.display())))?;
            let props = node_dir.join("server.properties");
            write_atomically(&props, broker_properties(id, *port, zookeeper_port, &node_dir, nodes).as_bytes())?;
            write_atomically(&node_dir.join("log4j.properties"), LOG4J1.as_bytes())?;
            match spawn_java(install, &node_dir, "kafka.Kafka", &props, "768m") {
                Ok(child) => cluster.brokers.push((id, child)),
                Err(e) => return Err(cluster.fail(e, started)),
            }
        }
        cluster.spawn_watchdog(watch_pid)?;
        if let Err(e) = cluster.wait_brokers(nodes, deadline) {
            return Err(cluster.fail(e, started));
        }
        Ok(cluster)
    }

    /// `"127.0.0.1:p1,127.0.0.1:p2,…"`
    pub fn bootstrap(&self) -> &str {
        &self.bootstrap
    }

    /// `127.0.0.1:<port>` of ZooKeeper (what the brokers' `zookeeper.connect` says).
    pub fn zookeeper_connect(&self) -> String {
        format!("127.0.0.1:{}", self.zookeeper_port)
    }

    /// Stops the brokers (SIGTERM, SIGKILL after 15 s), then ZooKeeper and the watchdog; waits
    /// until they are gone. Safe to call twice.
    pub fn stop(&mut self) {
        let brokers: Vec<Child> = self.brokers.drain(..).map(|(_, c)| c).collect();
        stop_children(brokers, STOP_GRACE);
        stop_children(self.zookeeper.take().into_iter().collect(), Duration::from_secs(5));
        if let Some(mut watchdog) = self.watchdog.take() {
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        if self.remove_dir {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }

    /// A watchdog over every process started so far (replaced as more start).
    fn spawn_watchdog(&mut self, watch_pid: Option<u32>) -> Result<(), HarnessError> {
        let Some(watched) = watch_pid else { return Ok(()) };
        let targets: Vec<String> =
            self.zookeeper.iter().chain(self.brokers.iter().map(|(_, c)| c)).map(|c| c.id().to_string()).collect();
        let remove = self.remove_dir.then_some(self.dir.as_path());
        let child = process::Watchdog {
            name: "kafkadesk-zk-watchdog",
            watched,
            targets,
            pid_file: None,
            grace: if remove.is_some() { Duration::ZERO } else { STOP_GRACE },
            remove_dir: remove,
        }
        .spawn()
        .map_err(|e| HarnessError::Start(format!("could not start the watchdog (sh): {e}")))?;
        if let Some(mut old) = self.watchdog.replace(child) {
            let _ = old.kill();
            let _ = old.wait();
        }
        Ok(())
    }

    /// ZooKeeper answers `srvr` with its mode.
    fn wait_zookeeper(&mut self, deadline: Instant) -> Result<(), HarnessError> {
        let mut last;
        loop {
            if let Some(zk) = self.zookeeper.as_mut() {
                if let Ok(Some(status)) = zk.try_wait() {
                    return Err(HarnessError::Start(format!("ZooKeeper exited during startup ({status})")));
                }
            }
            match four_letter_word(self.zookeeper_port, "srvr") {
                Ok(answer) if answer.contains("Mode:") => return Ok(()),
                Ok(answer) => last = format!("srvr answered {answer:?}"),
                Err(e) => last = e,
            }
            if Instant::now() >= deadline {
                return Err(HarnessError::Timeout(format!("ZooKeeper on 127.0.0.1:{} not serving: {last}", self.zookeeper_port)));
            }
            thread::sleep(Duration::from_millis(200));
        }
    }

    fn wait_brokers(&mut self, nodes: usize, deadline: Instant) -> Result<(), HarnessError> {
        let (bootstrap, brokers) = (&self.bootstrap, &mut self.brokers);
        wait_for_brokers(bootstrap, nodes, deadline, || {
            brokers.iter_mut().find_map(|(id, child)| match child.try_wait() {
                Ok(Some(status)) => Some(format!("broker {id} exited during startup ({status})")),
                _ => None,
            })
        })
    }

    /// Stops everything and returns the error with every log's tail.
    fn fail(&mut self, e: HarnessError, started: Instant) -> HarnessError {
        let mut tails = String::new();
        let mut logs = vec![("zookeeper".to_string(), self.dir.join("zookeeper"))];
        logs.extend(self.brokers.iter().map(|(id, _)| (format!("broker {id}"), self.dir.join(format!("node-{id}")))));
        for (what, dir) in logs {
            for (file, lines) in [("server.log", LOG_TAIL_LINES), ("stdout.log", 15)] {
                let path = dir.join(file);
                tails.push_str(&format!("--- {what} {} (last {lines} lines) ---\n", path.display()));
                match tail_file(&path, lines) {
                    Ok(t) if t.trim().is_empty() => tails.push_str("(empty)\n"),
                    Ok(t) => tails.push_str(&t),
                    Err(err) => tails.push_str(&format!("(unreadable: {err})\n")),
                }
            }
        }
        self.remove_dir = false; // keep the logs the message points at
        self.stop();
        HarnessError::Start(format!(
            "ZooKeeper-mode cluster in {} not ready after {:.0} s: {e}\n{tails}",
            self.dir.display(),
            started.elapsed().as_secs_f64()
        ))
    }
}

impl Drop for ZkCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A ZooKeeper-mode broker: close to Kafka 3.9's stock `config/server.properties`, sized like
/// the KRaft template (`src-tauri/src/local/server.properties.tmpl`).
fn broker_properties(id: i32, port: u16, zookeeper_port: u16, node_dir: &Path, nodes: usize) -> String {
    let rf = nodes.min(3);
    format!(
        "# KafkaDesk test broker {id} in ZooKeeper mode.\n\
         broker.id={id}\n\
         zookeeper.connect=127.0.0.1:{zookeeper_port}\n\
         zookeeper.connection.timeout.ms=18000\n\
         listeners=PLAINTEXT://127.0.0.1:{port}\n\
         advertised.listeners=PLAINTEXT://127.0.0.1:{port}\n\
         num.network.threads=2\nnum.io.threads=4\nnum.replica.fetchers=1\nbackground.threads=4\n\
         num.recovery.threads.per.data.dir=1\n\
         log.dirs={}\n\
         log.cleaner.dedupe.buffer.size=16777216\n\
         num.partitions=1\ndefault.replication.factor=1\nmin.insync.replicas=1\n\
         auto.create.topics.enable=true\ndelete.topic.enable=true\n\
         offsets.topic.replication.factor={rf}\noffsets.topic.num.partitions=10\n\
         transaction.state.log.replication.factor={rf}\ntransaction.state.log.min.isr={}\n\
         transaction.state.log.num.partitions=10\n\
         group.initial.rebalance.delay.ms=0\n",
        node_dir.join("data").display(),
        rf.min(2),
    )
}

/// `java … <main_class> <config>` in `dir`, logging through log4j 1 into `dir/server.log`,
/// stdout and stderr into `dir/stdout.log`, in a session of its own.
fn spawn_java(install: &KafkaInstall, dir: &Path, main_class: &str, config: &Path, heap: &str) -> Result<Child, HarnessError> {
    let stdout_log = dir.join("stdout.log");
    let stdout = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&stdout_log)
        .map_err(io_err(format!("opening {}", stdout_log.display())))?;
    let stderr = stdout.try_clone().map_err(io_err("duplicating the stdout log handle"))?;
    let mut cmd = Command::new(&install.java);
    cmd.args([format!("-Xms{heap}").as_str(), format!("-Xmx{heap}").as_str(), "-XX:+UseG1GC", "-Djava.awt.headless=true"])
        .arg(format!("-Dkafka.logs.dir={}", dir.display()))
        .arg(format!("-Dlog4j.configuration=file:{}", dir.join("log4j.properties").display()))
        .arg("-Dzookeeper.admin.enableServer=false")
        .arg("-cp")
        .arg(install.libs.join("*"))
        .arg(main_class)
        .arg(config)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    detach_session(&mut cmd);
    cmd.spawn().map_err(|e| {
        HarnessError::Start(format!("could not start {main_class} with {}: {e} (is Java 17+ installed?)", install.java.display()))
    })
}

/// SIGTERM to all, up to `grace` for them to exit, then SIGKILL; reaps them.
fn stop_children(mut children: Vec<Child>, grace: Duration) {
    for child in &children {
        process::signal(child.id(), false);
    }
    for (bound, force) in [(grace, true), (KILL_WAIT, false)] {
        let deadline = Instant::now() + bound;
        while Instant::now() < deadline {
            children.retain_mut(|c| !matches!(c.try_wait(), Ok(Some(_))));
            if children.is_empty() {
                return;
            }
            thread::sleep(Duration::from_millis(100));
        }
        if force {
            for child in &mut children {
                let _ = child.kill();
            }
        }
    }
}

/// `n` distinct free loopback ports (all held open while picking).
fn free_ports(n: usize) -> Result<Vec<u16>, HarnessError> {
    let held: Vec<TcpListener> = (0..n)
        .map(|_| TcpListener::bind(("127.0.0.1", 0)).map_err(io_err("binding 127.0.0.1:0 to pick a free port")))
        .collect::<Result<_, _>>()?;
    held.iter().map(|l| l.local_addr().map(|a| a.port()).map_err(io_err("reading a picked port"))).collect()
}

/// Sends a ZooKeeper four-letter word and returns the answer (2 s bounds).
fn four_letter_word(port: u16, word: &str) -> Result<String, String> {
    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(2)).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).map_err(|e| e.to_string())?;
    stream.write_all(word.as_bytes()).map_err(|e| format!("send: {e}"))?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| format!("read: {e}"))?;
    Ok(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_config_points_at_zookeeper_and_sizes_internal_topics() {
        let props = broker_properties(2, 40000, 40001, Path::new("/tmp/x/node-2"), 3);
        assert!(props.contains("broker.id=2\n"));
        assert!(props.contains("zookeeper.connect=127.0.0.1:40001\n"));
        assert!(props.contains("listeners=PLAINTEXT://127.0.0.1:40000\n"));
        assert!(props.contains("offsets.topic.replication.factor=3\n"));
        assert!(props.contains("transaction.state.log.min.isr=2\n"));
        assert!(!props.contains("process.roles"), "no KRaft settings in ZooKeeper mode");
    }

    #[test]
    fn kafka_4_has_no_zookeeper_mode() {
        let install = KafkaInstall { java: "java".into(), libs: "/nonexistent".into(), version: "4.1.1".into() };
        let err = ZkCluster::start(&install, 3, Path::new("/nonexistent/zk"), None, false, Duration::from_secs(1))
            .expect_err("4.x refused");
        assert!(err.to_string().contains("no ZooKeeper mode"), "{err}");
    }
}
