//! The only file paths the app reads or writes for the webview: those the native file
//! dialog returned to the user's pick. The webview never names a path itself; a path it
//! sends that no dialog returned is refused, so script in the webview cannot read
//! `~/.ssh/id_rsa` into a topic or write over a file the user never chose.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};

/// What a picked path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathUse {
    /// Picked in an Open dialog: may be read.
    Read,
    /// Picked in a Save dialog: may be written (created or replaced).
    Write,
    /// Picked in a folder dialog: its files may be read (and, for a Kafka folder, run).
    Folder,
}

/// Paths the native dialog returned during this run, with the use they were picked for.
#[derive(Default)]
pub struct DialogPaths {
    picked: Mutex<HashMap<PathBuf, PathUse>>,
}

impl DialogPaths {
    /// Records a path the dialog returned.
    pub fn allow(&self, path: &Path, usage: PathUse) {
        if let Ok(mut picked) = self.picked.lock() {
            picked.insert(path.to_path_buf(), usage);
        }
    }

    /// `path` when the dialog returned it for `usage`; an error naming the `path` field otherwise.
    pub fn check(&self, path: &str, usage: PathUse) -> Result<PathBuf> {
        let wanted = PathBuf::from(path);
        let allowed = self.picked.lock().map(|picked| picked.get(&wanted) == Some(&usage)).unwrap_or(false);
        if allowed {
            Ok(wanted)
        } else {
            let verb = match usage {
                PathUse::Read => "Choose the file to read",
                PathUse::Write => "Choose where to save",
                PathUse::Folder => "Choose the folder",
            };
            Err(Error::invalid_input("path", format!("{verb} with the file dialog; KafkaDesk only uses files picked there.")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_picked_paths_pass_and_only_for_their_use() {
        let paths = DialogPaths::default();
        assert_eq!(paths.check("/etc/passwd", PathUse::Read).unwrap_err().detail.as_deref(), Some("path"));
        paths.allow(Path::new("/home/me/orders.jsonl"), PathUse::Read);
        assert!(paths.check("/home/me/orders.jsonl", PathUse::Read).is_ok());
        // Opened for reading is not leave to overwrite.
        assert!(paths.check("/home/me/orders.jsonl", PathUse::Write).is_err());
        assert!(paths.check("/home/me/../me/orders.jsonl", PathUse::Read).is_err());
    }
}
