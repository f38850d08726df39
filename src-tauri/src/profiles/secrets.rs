//! Secrets in the OS keychain: macOS Keychain, Windows Credential Manager, or the Secret
//! Service on Linux (the platform store the `keyring` crate picks), through keyring-core.
//!
//! Entries are service `kafkadesk`, account `<profile-id>/<property>` (e.g.
//! `3f0c…/sasl.password`). Where no keychain is available (a headless Linux box without
//! a Secret Service), secrets are kept in memory for this run only, never on disk, and
//! [`SecretStorage`] says so to the user.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::Serialize;
use ts_rs::TS;

use crate::error::{Error, Result};

pub const SERVICE: &str = "kafkadesk";

/// Where secrets go on this machine, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecretStorage {
    /// Secrets are saved in the OS keychain.
    pub keychain: bool,
    /// Why not, and what that means; `None` while the keychain works.
    pub message: Option<String>,
}

pub struct Secrets {
    /// `None` once the keychain turned out to be unusable: memory only from then on.
    unavailable: Mutex<Option<String>>,
    memory: Mutex<HashMap<String, String>>,
}

fn account(profile_id: &str, field: &str) -> String {
    format!("{profile_id}/{field}")
}

/// Errors that mean "there is no usable keychain here", as opposed to a refused entry.
fn is_unavailable(e: &keyring_core::Error) -> bool {
    matches!(
        e,
        keyring_core::Error::NoDefaultStore
            | keyring_core::Error::NoStorageAccess(_)
            | keyring_core::Error::PlatformFailure(_)
    )
}

impl Secrets {
    /// The platform keychain; memory for this run when there is none.
    pub fn os() -> Secrets {
        match keyring::Entry::store_status() {
            Ok(()) => Secrets::default_store(),
            Err(e) => Secrets::memory_only(&e.to_string()),
        }
    }

    /// Whatever keyring-core's default store is (tests set keyring-core's mock store).
    pub fn default_store() -> Secrets {
        Secrets { unavailable: Mutex::new(None), memory: Mutex::new(HashMap::new()) }
    }

    /// No keychain at all: secrets live for this run only.
    pub fn memory_only(reason: &str) -> Secrets {
        let s = Secrets::default_store();
        s.fall_back(reason);
        s
    }

    pub fn status(&self) -> SecretStorage {
        match self.unavailable.lock().ok().and_then(|u| u.clone()) {
            None => SecretStorage { keychain: true, message: None },
            Some(reason) => SecretStorage {
                keychain: false,
                message: Some(format!(
                    "No OS keychain is available: {}. Passwords are kept in memory for this session only and must be entered again after a restart; they are never written to disk.",
                    in_words(&reason)
                )),
            },
        }
    }

    fn fall_back(&self, reason: &str) {
        if let Ok(mut u) = self.unavailable.lock() {
            if u.is_none() {
                log::warn!("no usable OS keychain, keeping secrets in memory for this run: {reason}");
                *u = Some(reason.to_string());
            }
        }
    }

    fn keychain_usable(&self) -> bool {
        self.unavailable.lock().map(|u| u.is_none()).unwrap_or(false)
    }

    fn memory(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>> {
        self.memory.lock().map_err(|_| Error::internal("The secret cache is unusable after an earlier fault."))
    }

    fn entry(profile_id: &str, field: &str) -> keyring_core::Result<keyring_core::Entry> {
        keyring_core::Entry::new(SERVICE, &account(profile_id, field))
    }

    /// Saves a secret of a profile. Errors name the field, never the value.
    pub fn set(&self, profile_id: &str, field: &str, value: &str) -> Result<()> {
        if self.keychain_usable() {
            match Self::entry(profile_id, field).and_then(|e| e.set_password(value)) {
                Ok(()) => {
                    self.memory()?.remove(&account(profile_id, field));
                    return Ok(());
                }
                Err(e) if is_unavailable(&e) => self.fall_back(&e.to_string()),
                Err(e) => {
                    return Err(Error::internal(format!("The OS keychain refused to save {field}: {}.", in_words(&e.to_string())))
                        .with_detail(e.to_string()));
                }
            }
        }
        self.memory()?.insert(account(profile_id, field), value.to_string());
        Ok(())
    }

    /// A saved secret; `None` when there is none (e.g. kept in memory by an earlier run).
    pub fn get(&self, profile_id: &str, field: &str) -> Result<Option<String>> {
        if let Some(v) = self.memory()?.get(&account(profile_id, field)) {
            return Ok(Some(v.clone()));
        }
        if !self.keychain_usable() {
            return Ok(None);
        }
        match Self::entry(profile_id, field).and_then(|e| e.get_password()) {
            Ok(v) => Ok(Some(v)),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(e) if is_unavailable(&e) => {
                self.fall_back(&e.to_string());
                Ok(None)
            }
            Err(e) => Err(Error::internal(format!("The OS keychain could not read {field}: {}.", in_words(&e.to_string())))
                .with_detail(e.to_string())),
        }
    }

    /// Forgets a secret; a secret that is not there is fine.
    pub fn delete(&self, profile_id: &str, field: &str) -> Result<()> {
        self.memory()?.remove(&account(profile_id, field));
        if !self.keychain_usable() {
            return Ok(());
        }
        match Self::entry(profile_id, field).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring_core::Error::NoEntry) => Ok(()),
            Err(e) if is_unavailable(&e) => Ok(()),
            Err(e) => Err(Error::internal(format!("The OS keychain could not delete {field}: {}.", in_words(&e.to_string())))
                .with_detail(e.to_string())),
        }
    }
}

/// A keychain failure in words a user can act on; the raw text (D-Bus names, zbus errors)
/// goes to the log and the error's detail, not the sentence.
pub fn in_words(raw: &str) -> String {
    let r = raw.to_ascii_lowercase();
    let said = if r.contains("serviceunknown") || r.contains("org.freedesktop.secrets") || r.contains("was not provided") {
        "no Secret Service is running in this desktop session (start GNOME Keyring or KWallet, or log in to a full desktop session)"
    } else if r.contains("dbus_session_bus_address") || r.contains("session bus") || r.contains("no such file") || r.contains("connection refused") {
        "there is no D-Bus session bus to reach a keychain through (are you logged in to a desktop session?)"
    } else if r.contains("locked") || r.contains("dismissed") || r.contains("prompt") {
        "the keychain is locked or its unlock prompt was dismissed; unlock it and try again"
    } else if r.contains("denied") || r.contains("not allowed") || r.contains("access") {
        "the keychain refused KafkaDesk access; allow it in your keychain settings"
    } else {
        "the keychain did not answer as expected (details are in the log)"
    };
    said.to_string()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::Once;

    /// keyring-core's mock store as the default store, once per test process.
    pub(crate) fn mock_store() {
        static INIT: Once = Once::new();
        INIT.call_once(|| keyring_core::set_default_store(keyring_core::mock::Store::new().expect("mock store")));
    }

    #[test]
    fn round_trips_through_the_keychain_store() {
        mock_store();
        let s = Secrets::default_store();
        s.set("p1", "sasl.password", "pw-1").unwrap();
        assert_eq!(s.get("p1", "sasl.password").unwrap().as_deref(), Some("pw-1"));
        assert!(s.memory().unwrap().is_empty(), "a working keychain keeps nothing in our memory");
        // What the store holds is under service kafkadesk, account <id>/<field>.
        let raw = keyring_core::Entry::new(SERVICE, "p1/sasl.password").unwrap().get_password().unwrap();
        assert_eq!(raw, "pw-1");
        s.delete("p1", "sasl.password").unwrap();
        assert_eq!(s.get("p1", "sasl.password").unwrap(), None);
        s.delete("p1", "sasl.password").unwrap();
        assert!(s.status().keychain);
    }

    #[test]
    fn without_a_keychain_secrets_live_in_memory_and_the_user_is_told() {
        let s = Secrets::memory_only("no Secret Service on the session bus");
        s.set("p2", "sasl.password", "pw-2").unwrap();
        assert_eq!(s.get("p2", "sasl.password").unwrap().as_deref(), Some("pw-2"));
        let status = s.status();
        assert!(!status.keychain);
        assert!(status.message.unwrap().contains("this session only"));
    }

    #[test]
    fn keychain_failures_are_said_in_words_not_dbus_names() {
        let zbus = "Platform secure storage failure: zbus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files";
        let s = Secrets::memory_only(zbus);
        let message = s.status().message.unwrap();
        assert!(message.contains("no Secret Service is running"), "{message}");
        assert!(!message.contains("org.freedesktop") && !message.contains("zbus"), "{message}");
        assert!(in_words("Couldn't access platform secure storage: prompt dismissed").contains("locked"));
    }
}
