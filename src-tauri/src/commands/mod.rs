//! `#[tauri::command]` adapters, one file per feature: parse, call, map errors. No Kafka logic.

pub mod cluster;
pub mod profiles;
