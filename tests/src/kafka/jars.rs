//! Apache Kafka for the tests and the sandbox: its jars from Maven Central (`tests/kafka/pom.xml`,
//! cached once under [`kafka_home`]), the Java that runs them, and Kafka's command-line tools
//! as ground truth ([`kafka_java`]). The app finds these same cached jars as a Kafka
//! installation (`kafkadesk::local::install`).

use std::fs;
use std::io;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
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

/// The Kafka version the harness runs: `KAFKADESK_KAFKA_VERSION` if set (the version matrix,
/// `make test-matrix`), else the one pinned by `tests/kafka/pom.xml` ([`pom_kafka_version`]).
pub fn kafka_version() -> &'static str {
    static VERSION: OnceLock<String> = OnceLock::new();
    VERSION.get_or_init(|| {
        std::env::var(VERSION_ENV)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| pom_kafka_version().to_string())
    })
}

/// Picks another Kafka version than the pom's (e.g. `3.9.1`).
pub const VERSION_ENV: &str = "KAFKADESK_KAFKA_VERSION";

/// The Kafka version pinned by `tests/kafka/pom.xml` (its `kafka.version` property).
pub fn pom_kafka_version() -> &'static str {
    pom_property("kafka.version").unwrap_or("unknown")
}

fn pom_property(name: &str) -> Option<&'static str> {
    POM.split_once(&format!("<{name}>"))
        .and_then(|(_, rest)| rest.split_once(&format!("</{name}>")))
        .map(|(v, _)| v.trim())
}

/// `(3, 9)` of `3.9.1`, if the version starts with two numbers.
pub fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.split(['.', '-']).map(|p| p.parse::<u32>().ok());
    Some((parts.next()??, parts.next()??))
}

/// The major version (`3` of `3.9.1`), if the version starts with one.
pub fn major_version(version: &str) -> Option<u32> {
    version.split('.').next()?.parse().ok()
}

/// Checks a version given through [`VERSION_ENV`] before it reaches a command line or a path:
/// `<digits>.<digits>[.<digits>][-suffix]`, e.g. `3.9.1` or `4.2.0-rc1`.
fn checked_version(version: &str) -> Result<&str, HarnessError> {
    let (numbers, suffix) = version.split_once('-').unwrap_or((version, ""));
    let parts: Vec<&str> = numbers.split('.').collect();
    let numbers_ok = (2..=4).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
    let suffix_ok = suffix.chars().all(|c| c.is_ascii_alphanumeric() || c == '.');
    match major_version(version) {
        Some(major) if numbers_ok && suffix_ok && major >= 3 => Ok(version),
        _ => Err(HarnessError::InvalidSpec(format!(
            "{VERSION_ENV}={version:?} is not an Apache Kafka version the harness can run: expected e.g. 3.9.1 or 4.1.1 (3.x or newer)"
        ))),
    }
}

/// Kafka's ConfigCommand: `kafka.admin.ConfigCommand` until Kafka 4.1, moved to the tools
/// module (`org.apache.kafka.tools.ConfigCommand`) in 4.2.
pub fn config_command() -> &'static str {
    if major_minor(kafka_version()).is_some_and(|v| v >= (4, 2)) {
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

    let v = checked_version(kafka_version())?;
    let logging = match logging_properties(v, &home, &pom) {
        Ok(props) => props,
        Err(e) => {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    let mut cmd = mvn_command(&pom, &home);
    cmd.args(["dependency:copy-dependencies", "-DincludeScope=runtime"])
        .arg(format!("-DoutputDirectory={}", staging.display()))
        .arg(format!("-Dkafka.version={v}"))
        .args(&logging);
    let (out, timed_out) = run_mvn(&mut cmd)?;
    if timed_out || !out.status.success() {
        let _ = fs::remove_dir_all(&staging);
        return Err(HarnessError::Fetch(format!(
            "`mvn -f {} dependency:copy-dependencies` {} (is Maven Central reachable?)\n{}",
            pom.display(),
            if timed_out { format!("was stopped after {} s", FETCH_TIMEOUT.as_secs()) } else { format!("failed ({})", out.status) },
            tail_text(&combined_output(&out), LOG_TAIL_LINES)
        )));
    }

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

/// `mvn -q -B -f <pom>` run in `dir` (`$MVN` if set).
fn mvn_command(pom: &Path, dir: &Path) -> Command {
    let mvn = std::env::var_os("MVN").unwrap_or_else(|| "mvn".into());
    let mut cmd = Command::new(mvn);
    cmd.args(["-q", "-B", "-Dstyle.color=never", "-f"]).arg(pom).current_dir(dir);
    cmd
}

/// Runs Maven with [`FETCH_TIMEOUT`]; a missing `mvn` says how to install it.
fn run_mvn(cmd: &mut Command) -> Result<(Output, bool), HarnessError> {
    let mvn = cmd.get_program().to_string_lossy().into_owned();
    run_with_timeout(cmd, FETCH_TIMEOUT).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            HarnessError::Fetch(format!(
                "Maven (`{mvn}`) is not installed; Kafka's jars come from Maven Central through it. \
                 Install it (Debian/Ubuntu: `apt-get install maven`) or set MVN to its path."
            ))
        } else {
            HarnessError::Fetch(format!("could not run {mvn}: {e}"))
        }
    })
}

/// The Maven properties that pick Kafka `version`'s logging binding (see the pom's profiles).
/// Kafka 3.x logs through reload4j (`-Dkafka.reload4j`). Kafka 4.x logs through log4j2, and the
/// SLF4J binding must match the log4j-core its `kafka-server` pulls in: the pom's own version
/// has it pinned; for another one it is read from that version's `kafka-server` pom, copied
/// from Maven Central into `home`.
fn logging_properties(version: &str, home: &Path, pom: &Path) -> Result<Vec<String>, HarnessError> {
    if major_version(version).is_some_and(|major| major < 4) {
        return Ok(vec!["-Dkafka.reload4j=true".into()]);
    }
    if version == pom_kafka_version() {
        return Ok(Vec::new());
    }
    let server_pom = home.join(format!("kafka-server-{version}.pom"));
    if !server_pom.is_file() {
        let mut cmd = mvn_command(pom, home);
        cmd.arg("org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy")
            .arg(format!("-Dartifact=org.apache.kafka:kafka-server:{version}:pom"))
            .arg(format!("-DoutputDirectory={}", home.display()));
        let (out, timed_out) = run_mvn(&mut cmd)?;
        if timed_out || !out.status.success() || !server_pom.is_file() {
            return Err(HarnessError::Fetch(format!(
                "could not fetch org.apache.kafka:kafka-server:{version}:pom to find its log4j version \
                 (is {version} on Maven Central?)\n{}",
                tail_text(&combined_output(&out), LOG_TAIL_LINES)
            )));
        }
    }
    let text = fs::read_to_string(&server_pom).map_err(io_err(format!("reading {}", server_pom.display())))?;
    match log4j_core_version(&text) {
        Some(log4j) => Ok(vec![format!("-Dlog4j2.version={log4j}")]),
        None => Err(HarnessError::Fetch(format!(
            "{} names no log4j-core version; Kafka {version}'s logging binding is unknown",
            server_pom.display()
        ))),
    }
}

/// The `<version>` of the `log4j-core` dependency in a Maven pom.
fn log4j_core_version(pom: &str) -> Option<&str> {
    let (_, after) = pom.split_once("<artifactId>log4j-core</artifactId>")?;
    let dependency = after.split("</dependency>").next()?;
    let (_, rest) = dependency.split_once("<version>")?;
    let (version, _) = rest.split_once("</version>")?;
    Some(version.trim()).filter(|v| !v.is_empty() && !v.contains('$'))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_from_the_environment_are_checked() {
        for good in ["3.9.1", "4.4.0", "4.2.0-rc1", "3.9"] {
            assert!(checked_version(good).is_ok(), "{good}");
        }
        for bad in ["", "latest", "2.8.1", "4.1.1; rm -rf /", "../4.1.1", "4..1", "4.1.1-rc/1"] {
            let err = checked_version(bad).expect_err(bad).to_string();
            assert!(err.contains(VERSION_ENV), "{err}");
        }
    }

    #[test]
    fn log4j_core_version_is_read_from_a_kafka_server_pom() {
        let pom = "<dependency><artifactId>log4j-api</artifactId><version>1</version></dependency>\n\
                   <dependency>\n<groupId>org.apache.logging.log4j</groupId>\n<artifactId>log4j-core</artifactId>\n\
                   <version>2.25.5</version>\n<scope>runtime</scope>\n</dependency>";
        assert_eq!(log4j_core_version(pom), Some("2.25.5"));
        assert_eq!(log4j_core_version("<artifactId>log4j-core</artifactId></dependency><version>9</version>"), None);
        assert_eq!(log4j_core_version("<artifactId>log4j-core</artifactId><version>${v}</version>"), None);
    }

    #[test]
    fn kafka_3_logs_through_reload4j() {
        let none = Path::new("/nonexistent");
        assert_eq!(logging_properties("3.9.1", none, none).expect("no fetch for 3.x"), vec!["-Dkafka.reload4j=true"]);
        assert!(logging_properties(pom_kafka_version(), none, none).expect("pinned").is_empty());
    }
}
