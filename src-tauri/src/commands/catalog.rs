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
    ("groups_list", Access::Read),
    ("groups_describe", Access::Read),
    ("groups_reset_preview", Access::Read),
    ("groups_reset_apply", Access::Write),
    ("groups_delete", Access::Write),
    ("groups_delete_offsets", Access::Write),
    ("messages_key_partition", Access::Read),
    ("messages_produce", Access::Write),
    ("messages_produce_file", Access::Write),
    ("messages_cancel", Access::Read),
    ("messages_browse_start", Access::Read),
    ("messages_browse_status", Access::Read),
    ("messages_browse_stop", Access::Read),
    ("messages_browse_close", Access::Read),
    ("messages_window", Access::Read),
    ("messages_detail", Access::Read),
    ("messages_filter", Access::Read),
    ("messages_export", Access::Local),
    ("messages_copy", Access::Write),
    ("messages_library", Access::Read),
    ("messages_template_save", Access::Local),
    ("messages_template_delete", Access::Local),
    ("topics_list", Access::Read),
    ("topic_detail", Access::Read),
    ("topic_create", Access::Write),
    ("topic_delete", Access::Write),
    ("topic_add_partitions", Access::Write),
    ("topic_purge", Access::Write),
    ("topic_configs", Access::Read),
    ("topic_alter_configs", Access::Write),
    ("broker_configs", Access::Read),
    ("registry_test", Access::Read),
    ("registry_subjects", Access::Read),
    ("registry_subject", Access::Read),
    ("registry_diff", Access::Read),
    ("registry_check", Access::Read),
    ("registry_register", Access::Write),
    ("registry_compatibility_set", Access::Write),
    ("registry_delete", Access::Write),
    ("registry_local_proto", Access::Read),
    ("registry_local_proto_save", Access::Local),
];
