//! The app's log: a rotating file in the OS log folder, so a user with a problem has
//! something to send. Every `log::` line ends up here, librdkafka's included (our client
//! contexts forward its log and error callbacks to `log` under the target `librdkafka`).
//!
//! Secrets never reach the file: every line passes [`redact`] on its way out, which
//! blanks each secret value the app has loaded (registered with [`remember_secret`] when a
//! connection is built) and any `password=…`-like pair, whatever wrote it.
//!
//! This room imports neither Tauri nor Kafka; `lib.rs` starts it, `commands/app.rs` shows it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

use flexi_logger::{Cleanup, Criterion, DeferredNow, FileSpec, Logger, LoggerHandle, Naming, WriteMode};
use regex::Regex;

/// Overrides the log folder (tests point it at a temporary one).
pub const LOG_DIR_ENV: &str = "KAFKADESK_LOG_DIR";
/// Overrides the log level specification (`debug`, `info,librdkafka=debug`, ...).
pub const LOG_LEVEL_ENV: &str = "KAFKADESK_LOG";
/// Log files are `kafkadesk_rCURRENT.log`, then `kafkadesk_r00000.log`, ... when rotated.
const BASENAME: &str = "kafkadesk";
/// A file rotates at this size; this many rotated files are kept.
const ROTATE_BYTES: u64 = 5 << 20;
const KEEP_FILES: usize = 5;
/// Secrets shorter than this are not searched for (they would blank ordinary words).
const MIN_SECRET_LEN: usize = 3;
pub const REDACTED: &str = "[redacted]";

struct Started {
    handle: LoggerHandle,
    dir: PathBuf,
}

static STARTED: OnceLock<Started> = OnceLock::new();
static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Starts the file log in `dir` at `level` (a flexi_logger spec such as `info`). Once per
/// process: a second call returns the folder of the first.
pub fn init(dir: &Path, level: &str) -> Result<PathBuf, String> {
    if let Some(started) = STARTED.get() {
        return Ok(started.dir.clone());
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("could not create the log folder {}: {e}", dir.display()))?;
    let handle = Logger::try_with_str(level)
        .map_err(|e| format!("bad log level \"{level}\": {e}"))?
        .log_to_file(FileSpec::default().directory(dir).basename(BASENAME).suppress_timestamp())
        .rotate(Criterion::Size(ROTATE_BYTES), Naming::Numbers, Cleanup::KeepLogFiles(KEEP_FILES))
        .format(redacting_format)
        // Lines are buffered and written by flexi_logger's own thread: logging never waits on disk.
        .write_mode(WriteMode::BufferAndFlush)
        .start()
        .map_err(|e| format!("could not start the log: {e}"))?;
    let dir = dir.to_path_buf();
    let _ = STARTED.set(Started { handle, dir: dir.clone() });
    log::info!("KafkaDesk {} started; librdkafka {}", env!("CARGO_PKG_VERSION"), librdkafka_version());
    Ok(dir)
}

/// The folder the log is written to, once started.
pub fn dir() -> Option<PathBuf> {
    STARTED.get().map(|s| s.dir.clone())
}

/// Writes out buffered lines now.
pub fn flush() {
    if let Some(started) = STARTED.get() {
        started.handle.flush();
    }
}

/// Registers a secret value (a password, a key passphrase) so no log line ever shows it.
pub fn remember_secret(value: &str) {
    if value.len() < MIN_SECRET_LEN {
        return;
    }
    if let Ok(mut secrets) = SECRETS.write() {
        if !secrets.iter().any(|s| s == value) {
            secrets.push(value.to_string());
            // Longest first, so a secret that contains another is blanked whole.
            secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }
}

/// `key=value` pairs whose key names a secret, in properties, JAAS lines and URLs.
fn secret_pairs() -> &'static Regex {
    static PAIRS: OnceLock<Regex> = OnceLock::new();
    PAIRS.get_or_init(|| {
        Regex::new(r#"(?i)([\w.\-]*(?:password|passwd|passphrase|secret|token|credential)[\w.\-]*"?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;}&]+)"#)
            .expect("a valid pattern")
    })
}

/// `text` with every remembered secret and every secret-looking pair blanked.
pub fn redact(text: &str) -> String {
    let mut out = text.to_string();
    if let Ok(secrets) = SECRETS.read() {
        for secret in secrets.iter() {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
    }
    secret_pairs().replace_all(&out, format!("${{1}}{REDACTED}")).into_owned()
}

fn redacting_format(w: &mut dyn Write, now: &mut DeferredNow, record: &log::Record) -> std::io::Result<()> {
    let line = redact(&record.args().to_string());
    write!(w, "{} {:<5} {} {}", now.format_rfc3339(), record.level(), record.target(), line)
}

fn librdkafka_version() -> String {
    rdkafka::util::get_rdkafka_version().1
}

/// The log files in `dir`, newest last.
fn log_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(BASENAME) && n.ends_with(".log"))
        })
        .filter_map(|p| Some((p.metadata().ok()?.modified().ok()?, p)))
        .collect();
    files.sort();
    files.into_iter().map(|(_, p)| p).collect()
}

/// The last `lines` lines of the current log file (already redacted when written).
pub fn tail(lines: usize) -> String {
    flush();
    let Some(current) = dir().and_then(|d| log_files(&d).pop()) else { return String::new() };
    let text = std::fs::read_to_string(current).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// What a user pastes into a bug report: versions, platform, the log folder and the end of
/// the log. `extra` adds app state lines (connected clusters, ...). Redacted once more.
pub fn diagnostics(extra: &[(&str, String)]) -> String {
    let mut out = String::new();
    out.push_str(&format!("KafkaDesk {}\n", env!("CARGO_PKG_VERSION")));
    out.push_str(&format!("librdkafka {}\n", librdkafka_version()));
    out.push_str(&format!("OS {} ({})\n", std::env::consts::OS, std::env::consts::ARCH));
    out.push_str(&format!("Log folder {}\n", dir().map(|d| d.display().to_string()).unwrap_or_else(|| "(not started)".into())));
    for (name, value) in extra {
        out.push_str(&format!("{name} {value}\n"));
    }
    out.push_str("\n--- last log lines ---\n");
    out.push_str(&tail(200));
    out.push('\n');
    redact(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_secrets_and_secret_pairs_are_blanked() {
        remember_secret("hunter2-Pa55");
        let line = redact("connecting as bob with hunter2-Pa55 (sasl.password=hunter2-Pa55)");
        assert!(!line.contains("hunter2"), "{line}");
        assert!(line.contains("bob"));
        for text in [
            "ssl.key.password = s3cr3t-key",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"bob\" password=\"pw-in-jaas\";",
            "KAFKA_CLUSTERS_0_PROPERTIES_SASL_PASSWORD: env-secret",
            "sasl.oauthbearer.client.secret=abc123, next=1",
        ] {
            let out = redact(text);
            for secret in ["s3cr3t-key", "pw-in-jaas", "env-secret", "abc123"] {
                assert!(!out.contains(secret), "{out}");
            }
            assert!(out.contains(REDACTED), "{out}");
        }
        // Ordinary lines pass untouched; too-short values are never registered.
        remember_secret("ab");
        assert_eq!(redact("about a broker"), "about a broker");
    }
}
