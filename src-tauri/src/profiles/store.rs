//! The profile store: `profiles.json` in the config directory.
//!
//! Writes are atomic (temp file, fsync, rename), and after every save the same bytes go to
//! `profiles.json.bak`: the backup is the last good state, never one save behind, so a
//! damaged main file loses no saved connection. A file that cannot be read never stops
//! the app: it is moved aside untouched (`profiles.json.corrupt-<unix seconds>`), the
//! backup is restored, and the user is told once what was kept and what was restored
//! through [`StoreWarning`]. A file of an older schema is kept as `profiles.json.v<N>`
//! before it is rewritten.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{Profile, SANDBOX_BOOTSTRAP, SANDBOX_NAME};
use crate::error::{Error, Result};
use crate::files;

const FILE_NAME: &str = "profiles.json";
/// 1: id, name, bootstrap servers, read-only. 2: security, TLS, extras, environment, notes
/// (every new field has a default, so a version-1 file reads as plain dev profiles).
const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoreFile {
    schema_version: u32,
    profiles: Vec<Profile>,
}

/// Something the user should know about how the store was loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StoreWarning {
    pub message: String,
    /// Where the unreadable file was kept.
    pub kept_at: String,
}

pub struct ProfileStore {
    path: PathBuf,
    profiles: Mutex<Vec<Profile>>,
    warning: Option<StoreWarning>,
}

impl ProfileStore {
    /// Opens the store in `dir`, creating it with the "Local sandbox" profile on first start.
    pub fn open(dir: &Path) -> Result<Self> {
        fs::create_dir_all(dir)?;
        let path = dir.join(FILE_NAME);
        let (profiles, warning, fresh) = match fs::read(&path) {
            Ok(bytes) => match parse(&bytes) {
                // An older schema is rewritten at once; the old file is kept beside it.
                Ok((profiles, version)) => {
                    if version < SCHEMA_VERSION {
                        fs::copy(&path, path.with_extension(format!("json.v{version}")))?;
                    }
                    (profiles, None, version < SCHEMA_VERSION)
                }
                Err(reason) => {
                    let kept_at = files::keep_aside(&path)?;
                    let backup = backup_path(&path);
                    let from_backup = fs::read(&backup).ok().and_then(|b| parse(&b).ok()).map(|(p, _)| p);
                    let restored = match &from_backup {
                        Some(list) => format!(
                            "Restored the last good copy: {} {} from {}.",
                            list.len(),
                            if list.len() == 1 { "connection" } else { "connections" },
                            backup.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
                        ),
                        None => "There was no readable backup, so a fresh list was started.".to_string(),
                    };
                    let message = format!(
                        "Your saved connections could not be read ({reason}). {restored} The unreadable file is kept at {}.",
                        kept_at.display()
                    );
                    let warning = StoreWarning { message, kept_at: kept_at.display().to_string() };
                    (from_backup.unwrap_or_else(default_profiles), Some(warning), true)
                }
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => (default_profiles(), None, true),
            Err(e) => return Err(e.into()),
        };
        let store = ProfileStore { path, profiles: Mutex::new(profiles), warning };
        if fresh {
            let profiles = store.lock()?.clone();
            store.save(&profiles)?;
        }
        Ok(store)
    }

    pub fn warning(&self) -> Option<&StoreWarning> {
        self.warning.as_ref()
    }

    pub fn list(&self) -> Result<Vec<Profile>> {
        Ok(self.lock()?.clone())
    }

    pub fn get(&self, id: &str) -> Result<Profile> {
        self.lock()?
            .iter()
            .find(|p| p.id == id)
            .cloned()
            .ok_or_else(|| Error::not_found("That connection no longer exists."))
    }

    pub fn add(&self, profile: Profile) -> Result<Profile> {
        let mut profiles = self.lock()?;
        check_unique_name(&profiles, &profile)?;
        let mut next = profiles.clone();
        next.push(profile.clone());
        self.save(&next)?;
        *profiles = next;
        Ok(profile)
    }

    /// Replaces the saved profile with the same id.
    pub fn update(&self, profile: Profile) -> Result<Profile> {
        let mut profiles = self.lock()?;
        check_unique_name(&profiles, &profile)?;
        let mut next = profiles.clone();
        let slot = next
            .iter_mut()
            .find(|p| p.id == profile.id)
            .ok_or_else(|| Error::not_found("That connection no longer exists."))?;
        *slot = profile.clone();
        self.save(&next)?;
        *profiles = next;
        Ok(profile)
    }

    /// A name no saved profile has yet: `base`, else `base (2)`, `base (3)`, ...
    pub fn free_name(&self, base: &str) -> Result<String> {
        let profiles = self.lock()?;
        let taken = |n: &str| profiles.iter().any(|p| p.name.eq_ignore_ascii_case(n));
        if !taken(base) {
            return Ok(base.to_string());
        }
        Ok((2..).map(|i| format!("{base} ({i})")).find(|n| !taken(n)).unwrap_or_else(|| base.to_string()))
    }

    pub fn remove(&self, id: &str) -> Result<()> {
        let mut profiles = self.lock()?;
        let next: Vec<Profile> = profiles.iter().filter(|p| p.id != id).cloned().collect();
        if next.len() == profiles.len() {
            return Err(Error::not_found("That connection no longer exists."));
        }
        self.save(&next)?;
        *profiles = next;
        Ok(())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Vec<Profile>>> {
        self.profiles.lock().map_err(|_| Error::internal("The profile store is unusable after an earlier fault."))
    }

    /// Atomic replace, then the same bytes to the backup: the backup always holds the last
    /// state that was saved (a failed backup write is logged; the save itself succeeded).
    fn save(&self, profiles: &[Profile]) -> Result<()> {
        let file = StoreFile { schema_version: SCHEMA_VERSION, profiles: profiles.to_vec() };
        let bytes = serde_json::to_vec_pretty(&file)
            .map_err(|e| Error::internal("Could not encode the saved connections.").with_detail(e.to_string()))?;
        files::write_atomic(&self.path, &bytes, None).map_err(|e| {
            Error::internal(format!("Could not save your connections to {}: {e}", self.path.display()))
        })?;
        if let Err(e) = files::write_atomic(&backup_path(&self.path), &bytes, None) {
            log::warn!("could not refresh the backup of the saved connections: {e}");
        }
        Ok(())
    }
}

fn check_unique_name(profiles: &[Profile], profile: &Profile) -> Result<()> {
    if profiles.iter().any(|p| p.id != profile.id && p.name.eq_ignore_ascii_case(&profile.name)) {
        return Err(Error::invalid_input(
            "name",
            format!("Name: a connection called \"{}\" already exists.", profile.name),
        ));
    }
    Ok(())
}

fn parse(bytes: &[u8]) -> std::result::Result<(Vec<Profile>, u32), String> {
    let file: StoreFile = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if file.schema_version > SCHEMA_VERSION {
        return Err(format!(
            "it was written by a newer KafkaDesk (schema {}, this one reads {SCHEMA_VERSION})",
            file.schema_version
        ));
    }
    Ok((file.profiles, file.schema_version))
}

fn backup_path(path: &Path) -> PathBuf {
    path.with_extension("json.bak")
}

fn default_profiles() -> Vec<Profile> {
    vec![Profile::plaintext("local-sandbox", SANDBOX_NAME, SANDBOX_BOOTSTRAP)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profiles::tests::input;
    use crate::profiles::Environment;

    fn valid(name: &str, bootstrap: &str) -> Profile {
        input(name, bootstrap).validate(&crate::profiles::new_id(), None).unwrap().profile
    }

    #[test]
    fn first_start_has_the_sandbox_and_writes_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let list = store.list().unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].name, SANDBOX_NAME);
        assert_eq!(list[0].bootstrap_servers, SANDBOX_BOOTSTRAP);
        assert!(dir.path().join(FILE_NAME).exists());
    }

    #[test]
    fn added_profiles_survive_a_reopen_and_leave_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let p = valid("Staging", "s:9092");
        store.add(p.clone()).unwrap();
        let reopened = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(reopened.get(&p.id).unwrap(), p);
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert!(names.iter().all(|n| !n.to_string_lossy().ends_with(".tmp")), "{names:?}");
        assert!(dir.path().join("profiles.json.bak").exists());
    }

    #[test]
    fn duplicate_names_are_refused_and_nothing_changes() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let dup = valid("local SANDBOX", "x:1");
        let err = store.add(dup).unwrap_err();
        assert_eq!(err.detail.as_deref(), Some("name"));
        assert_eq!(ProfileStore::open(dir.path()).unwrap().list().unwrap().len(), 1);
    }

    #[test]
    fn a_corrupt_file_is_kept_aside_and_the_newest_save_restored() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        store.add(valid("A", "a:1")).unwrap();
        let newest = store.add(valid("B", "b:1")).unwrap();
        fs::write(dir.path().join(FILE_NAME), b"{ not json").unwrap();

        let reopened = ProfileStore::open(dir.path()).unwrap();
        let warning = reopened.warning().expect("a warning about the corrupt file");
        assert!(warning.message.contains("Restored the last good copy: 3 connections from profiles.json.bak"), "{}", warning.message);
        assert_eq!(warning.message.matches(&warning.kept_at).count(), 1, "the kept file is named once: {}", warning.message);
        assert_eq!(fs::read(&warning.kept_at).unwrap(), b"{ not json");
        assert_eq!(reopened.get(&newest.id).unwrap(), newest, "the newest saved connection survives");
        assert_eq!(reopened.list().unwrap().len(), 3);
    }

    #[test]
    fn a_corrupt_file_without_a_backup_starts_fresh_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(FILE_NAME), b"[").unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let warning = store.warning().expect("warning");
        assert!(warning.message.contains("no readable backup"), "{}", warning.message);
        assert_eq!(store.list().unwrap().len(), 1);
    }

    #[test]
    fn a_version_1_file_is_migrated_and_kept_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let v1 = br#"{"schemaVersion":1,"profiles":[{"id":"a","name":"Old","bootstrapServers":"o:9092","readOnly":true}]}"#;
        fs::write(dir.path().join(FILE_NAME), v1).unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        assert!(store.warning().is_none());
        let p = store.get("a").unwrap();
        assert!(p.read_only);
        assert_eq!(p.environment, Environment::Dev);
        assert!(p.tls.verify_hostname);
        let saved: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join(FILE_NAME)).unwrap()).unwrap();
        assert_eq!(saved["schemaVersion"], SCHEMA_VERSION);
        assert_eq!(fs::read(dir.path().join("profiles.json.v1")).unwrap(), v1);
    }

    #[test]
    fn a_newer_schema_is_kept_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let future = br#"{"schemaVersion":99,"profiles":[]}"#;
        fs::write(dir.path().join(FILE_NAME), future).unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let warning = store.warning().expect("warning");
        assert!(warning.message.contains("newer KafkaDesk"), "{}", warning.message);
        assert_eq!(fs::read(&warning.kept_at).unwrap(), future);
    }

    #[test]
    fn update_replaces_and_refuses_a_taken_name() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        let mut p = store.add(valid("B", "b:1")).unwrap();
        p.notes = "changed".into();
        store.update(p.clone()).unwrap();
        assert_eq!(ProfileStore::open(dir.path()).unwrap().get(&p.id).unwrap().notes, "changed");
        p.name = SANDBOX_NAME.into();
        assert_eq!(store.update(p).unwrap_err().detail.as_deref(), Some("name"));
        assert_eq!(store.free_name("B").unwrap(), "B (2)");
    }

    #[test]
    fn removing_an_unknown_profile_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = ProfileStore::open(dir.path()).unwrap();
        assert_eq!(store.remove("nope").unwrap_err().kind, crate::error::ErrorKind::NotFound);
    }
}
