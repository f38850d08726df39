//! Writing KafkaDesk's own JSON files safely: shared by the profile store and the message
//! library, so neither can leave half a file or silently lose an unreadable one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Replaces `path` with `bytes` atomically: temp file, fsync, (backup of the old file when
/// `backup` is given), rename, and a best-effort fsync of the directory.
pub fn write_atomic(path: &Path, bytes: &[u8], backup: Option<&Path>) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        if let Some(backup) = backup.filter(|_| path.exists()) {
            fs::copy(path, backup)?;
        }
        fs::rename(&tmp, path)?;
        // Make the rename itself durable (a no-op where directories cannot be opened).
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Moves an unreadable file aside, untouched, as `<name>.corrupt-<unix seconds>`.
pub fn keep_aside(path: &Path) -> std::io::Result<PathBuf> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let aside = path.with_file_name(format!("{name}.corrupt-{secs}"));
    fs::rename(path, &aside)?;
    Ok(aside)
}
