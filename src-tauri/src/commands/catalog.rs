//! Every command the webview may call, and whether it changes anything.
//!
//! One list serves three masters: `build.rs` turns it into Tauri's ACL (the capability
//! grants `allow-<command>` for each), `lib.rs` registers the same handlers (a test checks
//! the two agree), and read-only profiles are enforced against the `Write` entries.
//! This file is also compiled into build.rs, so it must stay dependency-free.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads only; allowed on read-only profiles.
    Read,
    /// Changes the cluster; refused with `ReadOnly` on a read-only profile.
    Write,
    /// Changes only KafkaDesk's own saved settings, never a cluster.
    Local,
}

pub const CATALOG: &[(&str, Access)] = &[
    ("app_startup", Access::Read),
    ("profiles_list", Access::Read),
    ("profiles_create", Access::Local),
    ("profiles_update", Access::Local),
    ("profiles_duplicate", Access::Local),
    ("profiles_delete", Access::Local),
    ("profiles_test", Access::Read),
    ("profiles_import", Access::Local),
    ("profiles_export", Access::Local),
    ("cluster_connect", Access::Read),
    ("cluster_overview", Access::Read),
    ("cluster_disconnect", Access::Read),
];
