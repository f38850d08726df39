//! Finding what a local cluster runs on: a Java 17+ and an Apache Kafka installation.
//!
//! Java: the user's choice, `JAVA_HOME`, every `java` on `PATH`, then the usual install folders
//! of each OS; the first that reports version 17 or newer wins. Kafka: the user's chosen folder,
//! `KAFKA_HOME`, then the jars the test harness fetches from Maven Central into KafkaDesk's
//! cache (`<cache>/kafka-<version>/libs`). A Kafka folder is either a distribution (with
//! `libs/kafka_2.13-<version>.jar`) or a folder of its jars. When nothing fits, the error says
//! exactly what to install and where to get it.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use serde::Serialize;
use ts_rs::TS;

use super::launch::{KafkaInstall, LaunchError};
use super::process::{combined_output, run_with_timeout};

/// The oldest Java Kafka 4 runs on.
pub const MIN_JAVA: u32 = 17;
/// The Kafka release the app suggests downloading.
pub const SUGGESTED_KAFKA: &str = "4.1.1";

/// Where to look. [`Discovery::from_env`] reads the process environment; tests build one by
/// hand (an empty one finds nothing: "Java missing").
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub java_home: Option<PathBuf>,
    /// `PATH` as the OS gives it.
    pub path: Option<OsString>,
    /// Folders whose subfolders are JDKs (`/usr/lib/jvm`, …).
    pub jvm_roots: Vec<PathBuf>,
    pub kafka_home: Option<PathBuf>,
    /// KafkaDesk's cache folders holding `kafka-<version>/libs` from Maven.
    pub kafka_caches: Vec<PathBuf>,
}

impl Discovery {
    pub fn from_env() -> Discovery {
        let non_empty = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
        let mut jvm_roots = vec![
            PathBuf::from("/usr/lib/jvm"),
            PathBuf::from("/usr/java"),
            PathBuf::from("/opt/java"),
            PathBuf::from("/Library/Java/JavaVirtualMachines"),
            PathBuf::from("/opt/homebrew/opt"),
            PathBuf::from("/usr/local/opt"),
        ];
        for var in ["ProgramFiles", "ProgramW6432"] {
            if let Some(pf) = non_empty(var) {
                for vendor in ["Java", "Eclipse Adoptium", "Microsoft", "Zulu", "Amazon Corretto"] {
                    jvm_roots.push(PathBuf::from(&pf).join(vendor));
                }
            }
        }
        let mut kafka_caches = Vec::new();
        if let Some(cache) = non_empty("KAFKADESK_CACHE") {
            kafka_caches.push(PathBuf::from(cache));
        }
        if let Some(home) = non_empty("HOME").or_else(|| non_empty("USERPROFILE")) {
            kafka_caches.push(PathBuf::from(home).join(".cache").join("kafkadesk"));
        }
        Discovery {
            java_home: non_empty("JAVA_HOME").map(PathBuf::from),
            path: non_empty("PATH"),
            jvm_roots,
            kafka_home: non_empty("KAFKA_HOME").map(PathBuf::from),
            kafka_caches,
        }
    }
}

/// A Java that can run Kafka.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct JavaFound {
    pub path: String,
    pub major: u32,
    /// The first line `java -version` printed.
    pub description: String,
}

/// An Apache Kafka installation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KafkaFound {
    /// The folder of its jars.
    pub libs: String,
    pub version: String,
}

fn exe(name: &str) -> String {
    if cfg!(windows) {
        format!("{name}.exe")
    } else {
        name.to_string()
    }
}

/// `java` candidates in the order they are tried.
fn java_candidates(chosen: Option<&Path>, d: &Discovery) -> Vec<PathBuf> {
    let java = exe("java");
    let mut out = Vec::new();
    if let Some(c) = chosen {
        out.push(if c.is_dir() { c.join("bin").join(&java) } else { c.to_path_buf() });
    }
    if let Some(home) = &d.java_home {
        out.push(home.join("bin").join(&java));
    }
    if let Some(path) = &d.path {
        out.extend(std::env::split_paths(path).map(|dir| dir.join(&java)));
    }
    for root in &d.jvm_roots {
        let Ok(entries) = fs::read_dir(root) else { continue };
        let mut homes: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        // Newest-looking first (jdk-21 before jdk-17).
        homes.sort();
        homes.reverse();
        for home in homes {
            out.push(home.join("bin").join(&java));
            out.push(home.join("Contents").join("Home").join("bin").join(&java));
            out.push(home.join("libexec").join("openjdk.jdk").join("Contents").join("Home").join("bin").join(&java));
        }
    }
    out.retain(|p| p.is_file());
    out.dedup();
    out
}

/// The major version in `java -version` output: `"17.0.15"` → 17, `"1.8.0_402"` → 8.
pub fn parse_java_major(output: &str) -> Option<u32> {
    let line = output.lines().find(|l| l.contains("version \""))?;
    let quoted = line.split('"').nth(1)?;
    let mut parts = quoted.split(['.', '-', '+', '_']);
    let first: u32 = parts.next()?.parse().ok()?;
    if first == 1 {
        parts.next()?.parse().ok()
    } else {
        Some(first)
    }
}

fn java_version(java: &Path) -> Option<(u32, String)> {
    let mut cmd = Command::new(java);
    cmd.arg("-version");
    let (out, timed_out) = run_with_timeout(&mut cmd, Duration::from_secs(20)).ok()?;
    if timed_out {
        return None;
    }
    let text = combined_output(&out);
    let major = parse_java_major(&text)?;
    let first = text.lines().find(|l| l.contains("version")).unwrap_or_default().trim().to_string();
    Some((major, first))
}

/// What to install when no suitable Java is found.
fn java_help() -> String {
    format!(
        "Install a Java {MIN_JAVA} or newer runtime: on Debian/Ubuntu `sudo apt install openjdk-17-jre-headless`, \
         on Fedora `sudo dnf install java-17-openjdk-headless`, on macOS `brew install openjdk@17`, on Windows \
         Eclipse Temurin 17 from https://adoptium.net. Then restart KafkaDesk, or set JAVA_HOME to its folder."
    )
}

/// The first Java ≥ 17 among the candidates.
pub fn find_java(chosen: Option<&Path>, d: &Discovery) -> Result<JavaFound, LaunchError> {
    let mut too_old = Vec::new();
    for java in java_candidates(chosen, d) {
        match java_version(&java) {
            Some((major, description)) if major >= MIN_JAVA => {
                return Ok(JavaFound { path: java.display().to_string(), major, description })
            }
            Some((major, _)) => too_old.push(format!("Java {major} at {}", java.display())),
            None => too_old.push(format!("{} (does not run)", java.display())),
        }
    }
    let found = if too_old.is_empty() {
        "No Java was found (looked at JAVA_HOME, PATH and the usual install folders).".to_string()
    } else {
        format!("Only {} found, and Kafka needs Java {MIN_JAVA} or newer.", too_old.join(", "))
    };
    Err(LaunchError::Missing(format!("Java {MIN_JAVA}+ is needed to run a local Kafka. {found} {}", java_help())))
}

/// The Kafka version of a folder of jars (from `kafka_2.13-<version>.jar`), if it is one.
pub fn kafka_jars_version(libs: &Path) -> Option<String> {
    let entries = fs::read_dir(libs).ok()?;
    entries.flatten().find_map(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let version = name.strip_prefix("kafka_2.13-")?.strip_suffix(".jar")?;
        // Not the -sources / -test / -javadoc jars.
        version.chars().next().filter(|c| c.is_ascii_digit())?;
        (!version.contains("-test") && !version.contains("-sources") && !version.contains("-javadoc"))
            .then(|| version.to_string())
    })
}

/// A distribution folder (`<dir>/libs/…`) or a folder of jars; returns its jars folder.
pub fn kafka_at(dir: &Path) -> Option<KafkaFound> {
    for libs in [dir.join("libs"), dir.to_path_buf()] {
        if let Some(version) = kafka_jars_version(&libs) {
            let major: u32 = version.split('.').next()?.parse().ok()?;
            if major >= 3 {
                return Some(KafkaFound { libs: libs.display().to_string(), version });
            }
        }
    }
    None
}

fn kafka_help() -> String {
    format!(
        "Download the Apache Kafka binary release (kafka_2.13-{SUGGESTED_KAFKA}.tgz) from https://kafka.apache.org/downloads, \
         unpack it anywhere, and choose that folder under “Kafka installation” (or set KAFKA_HOME to it)."
    )
}

/// The chosen folder, else `KAFKA_HOME`, else the newest Maven-fetched jars in the cache.
pub fn find_kafka(chosen: Option<&Path>, d: &Discovery) -> Result<KafkaFound, LaunchError> {
    if let Some(dir) = chosen {
        return kafka_at(dir).ok_or_else(|| {
            LaunchError::Missing(format!(
                "{} is not an Apache Kafka installation (no libs/kafka_2.13-<version>.jar in it). {}",
                dir.display(),
                kafka_help()
            ))
        });
    }
    if let Some(found) = d.kafka_home.as_deref().and_then(kafka_at) {
        return Ok(found);
    }
    let mut cached: Vec<KafkaFound> = d
        .kafka_caches
        .iter()
        .filter_map(|cache| fs::read_dir(cache).ok())
        .flat_map(|entries| entries.flatten())
        .filter(|e| e.file_name().to_string_lossy().starts_with("kafka-"))
        .filter(|e| e.path().join("libs").join(".complete").is_file())
        .filter_map(|e| kafka_at(&e.path()))
        .collect();
    cached.sort_by(|a, b| version_key(&a.version).cmp(&version_key(&b.version)));
    if let Some(found) = cached.pop() {
        return Ok(found);
    }
    let looked = match &d.kafka_home {
        Some(home) => format!("KAFKA_HOME ({}) holds no Kafka jars", home.display()),
        None => "KAFKA_HOME is not set".to_string(),
    };
    Err(LaunchError::Missing(format!("Apache Kafka was not found: {looked}. {}", kafka_help())))
}

fn version_key(v: &str) -> Vec<u32> {
    v.split(['.', '-']).map(|p| p.parse().unwrap_or(0)).collect()
}

/// Java and Kafka together, ready for [`super::launch::LaunchSpec`].
pub fn find_install(java: Option<&Path>, kafka: Option<&Path>, d: &Discovery) -> Result<KafkaInstall, LaunchError> {
    let java = find_java(java, d)?;
    let kafka = find_kafka(kafka, d)?;
    Ok(KafkaInstall { java: PathBuf::from(java.path), libs: PathBuf::from(kafka.libs), version: kafka.version })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_versions_parse() {
        assert_eq!(parse_java_major("openjdk version \"17.0.15\" 2025-04-15\n"), Some(17));
        assert_eq!(parse_java_major("java version \"1.8.0_402\"\n"), Some(8));
        assert_eq!(parse_java_major("openjdk version \"25\" 2025-09-16\n"), Some(25));
        assert_eq!(parse_java_major("openjdk version \"21-ea\"\n"), Some(21));
        assert_eq!(parse_java_major("garbage"), None);
    }

    #[test]
    fn nothing_to_find_says_what_to_install() {
        let err = find_java(None, &Discovery::default()).expect_err("no Java in an empty discovery");
        assert!(matches!(err, LaunchError::Missing(_)));
        assert!(err.message().contains("adoptium.net") && err.message().contains("JAVA_HOME"), "{err}");
        let err = find_kafka(None, &Discovery::default()).expect_err("no Kafka");
        assert!(err.message().contains("kafka.apache.org/downloads"), "{err}");
    }

    #[test]
    fn kafka_folders_are_recognised_both_ways() {
        let dir = tempfile::tempdir().expect("tempdir");
        let dist = dir.path().join("kafka_2.13-4.1.1");
        fs::create_dir_all(dist.join("libs")).expect("mkdir");
        fs::write(dist.join("libs").join("kafka_2.13-4.1.1.jar"), b"").expect("jar");
        fs::write(dist.join("libs").join("kafka_2.13-4.1.1-test.jar"), b"").expect("jar");
        let found = kafka_at(&dist).expect("a distribution");
        assert_eq!(found.version, "4.1.1");
        assert!(found.libs.ends_with("libs"));
        let jars = kafka_at(&dist.join("libs")).expect("a folder of jars");
        assert_eq!(jars.libs, found.libs);
        assert!(kafka_at(dir.path()).is_none());
        let err = find_kafka(Some(dir.path()), &Discovery::default()).expect_err("not Kafka");
        assert!(err.message().contains("is not an Apache Kafka installation"), "{err}");
    }
}
