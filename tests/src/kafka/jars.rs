//! Apache Kafka for the tests and the sandbox: its jars from Maven Central (`tests/kafka/pom.xml`,
//! cached once under [`kafka_home`]), the Java that runs them, and Kafka's command-line tools
//! as ground truth ([`kafka_java`]). The app finds these same cached jars as a Kafka
//! installation (`kafkadesk::local::install`).

use std::fs;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Output};
use std::sync::OnceLock;
use std::time::Duration;

use kafkadesk::local::process::{combined_output, run_with_timeout, tail_text};
use kafkadesk::local::KafkaInstall;

use super::{io_err, write_atomically, HarnessError, FileLock, LOG_TAIL_LINES, TOOL_TIMEOUT};

/// The Maven project that pins the Kafka version; its `kafka.version` is the one truth.
const POM: &str = include_str!("../../kafka/pom.xml");
/// A cold `mvn dependency:copy-dependencies` of ~55 MB.
const FETCH_TIMEOUT: Duration = Duration::from_secs(15 * 60);

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

/// Kafka's ConfigCommand: `kafka.admin.ConfigCommand` until Kafka 4.1, moved to the tools
/// module (`org.apache.kafka.tools.ConfigCommand`) in 4.2.
pub fn config_command() -> &'static str {
    let mut parts = kafka_version().split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if (major, minor) >= (4, 2) {
        "org.apache.kafka.tools.ConfigCommand"
    } else {
        "kafka.admin.ConfigCommand"
    }
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

/// `$JAVA_HOME/bin/java` if there is one, else `java` from `PATH`.
pub fn java_bin() -> PathBuf {
    if let Some(home) = std::env::var_os("JAVA_HOME").filter(|h| !h.is_empty()) {
        let java = PathBuf::from(home).join("bin").join("java");
        if java.is_file() {
            return java;
        }
    }
    PathBuf::from("java")
}

/// The jars (fetched if needed) and the Java the harness runs Kafka with.
pub fn harness_install() -> Result<KafkaInstall, HarnessError> {
    Ok(KafkaInstall { java: java_bin(), libs: ensure_kafka_jars()?, version: kafka_version().to_string() })
}

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
    let _lock = FileLock::acquire(&home.join(".fetch.lock"), FETCH_TIMEOUT + Duration::from_secs(60), "the Kafka jar download")?;
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
            if timed_out { format!("was stopped after {} s", FETCH_TIMEOUT.as_secs()) } else { format!("failed ({})", out.status) },
            tail_text(&combined_output(&out), LOG_TAIL_LINES)
        )));
    }

    let v = kafka_version();
    for jar in [format!("kafka_2.13-{v}.jar"), format!("kafka-tools-{v}.jar")] {
        if !staging.join(&jar).is_file() {
            let _ = fs::remove_dir_all(&staging);
            return Err(HarnessError::Fetch(format!("Maven finished but {jar} is missing from {}", staging.display())));
        }
    }
    let count = fs::read_dir(&staging).map(|d| d.count()).unwrap_or(0);
    fs::write(staging.join(".complete"), format!("kafka {v}, {count} jars\n")).map_err(io_err("marking the jar download complete"))?;
    if libs.exists() {
        fs::remove_dir_all(&libs).map_err(io_err(format!("removing stale {}", libs.display())))?;
    }
    fs::rename(&staging, &libs).map_err(io_err(format!("moving jars into {}", libs.display())))?;
    Ok(libs)
}

fn jars_complete(libs: &std::path::Path) -> bool {
    libs.join(".complete").is_file()
}

/// Runs a Kafka command-line class (e.g. `org.apache.kafka.tools.TopicCommand`) from the same
/// jars as the brokers and returns what it printed. Meant as ground truth in tests.
///
/// Never panics: if the jars cannot be fetched or Java cannot start, the returned `Output` has
/// exit code 1 and the reason in `stderr`. The tool is killed after 120 s.
pub fn kafka_java(main_class: &str, args: &[&str]) -> Output {
    let failed = |msg: String| Output { status: ExitStatus::from_raw(1 << 8), stdout: Vec::new(), stderr: msg.into_bytes() };
    let install = match harness_install() {
        Ok(install) => install,
        Err(e) => return failed(e.to_string()),
    };
    let mut cmd = match kafkadesk::local::launch::tool_command(&install, &kafka_home(), main_class) {
        Ok(cmd) => cmd,
        Err(e) => return failed(e.to_string()),
    };
    cmd.args(args);
    match run_with_timeout(&mut cmd, TOOL_TIMEOUT) {
        Ok((mut out, timed_out)) => {
            if timed_out {
                out.stderr.extend_from_slice(
                    format!("\n[kafkadesk harness] {main_class} killed after {} s\n", TOOL_TIMEOUT.as_secs()).as_bytes(),
                );
            }
            out
        }
        Err(e) => failed(format!("could not run {} {main_class}: {e}", install.java.display())),
    }
}
