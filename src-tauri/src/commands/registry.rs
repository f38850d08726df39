//! Schema Registry commands: test settings, subjects, versions, diff, compatibility,
//! register, delete; and the decoder / encoder the messages commands use. Writes go
//! through `cluster_for_write`, so read-only profiles refuse them in the backend.

use std::collections::BTreeMap;
use std::sync::Arc;

use tauri::State;

use crate::error::{Error, Result};
use crate::profiles::Profile;
use crate::registry::client::{self, RegistryTest};
use crate::registry::encoder::{Encoder, SchemaChoice};
use crate::registry::local::{LocalProtos, ProtoTypes, TopicProto};
use crate::registry::subjects::{self, CheckResult, DiffRow, NewSchema, SubjectDetail, SubjectList};
use crate::registry::{Decoder, Registries, RegistryClient, RegistryInput};
use crate::state::AppState;

fn registry_secrets(state: &AppState, profile: &Profile) -> Result<BTreeMap<String, String>> {
    let mut secrets = BTreeMap::new();
    for field in profile.schema_registry.iter().flat_map(|r| r.secret_fields.iter()) {
        if let Some(value) = state.secrets.get(&profile.id, field)? {
            secrets.insert(field.clone(), value);
        }
    }
    Ok(secrets)
}

/// The profile's registry client; `Ok(None)` when the profile has no registry.
pub(crate) fn client_if_any(state: &AppState, registries: &Registries, profile_id: &str) -> Result<Option<Arc<RegistryClient>>> {
    let profile = state.profiles.get(profile_id)?;
    let Some(settings) = &profile.schema_registry else { return Ok(None) };
    let secrets = registry_secrets(state, &profile)?;
    registries.client(profile_id, settings, secrets).map(Some)
}

fn client(state: &AppState, registries: &Registries, profile_id: &str) -> Result<Arc<RegistryClient>> {
    client_if_any(state, registries, profile_id)?.ok_or_else(|| {
        Error::not_found("This connection has no Schema Registry; add its URL in the connection editor.").with_detail("schemaRegistryUrls")
    })
}

/// The decoder for a browse session of this profile's topic (its registry, the topic's
/// local Protobuf types), if any.
pub(crate) fn decoder(state: &AppState, registries: &Registries, locals: &LocalProtos, profile_id: &str, topic: &str) -> Result<Option<Decoder>> {
    let registry = client_if_any(state, registries, profile_id)?.map(|c| (c, tokio::runtime::Handle::current()));
    let (key, value) = locals.decoders(profile_id, topic)?;
    Ok(Decoder::new(topic, registry, key, value))
}

/// Schemas for a produce, resolved once; `None` when neither side uses one.
pub(crate) async fn encoder(
    state: &AppState,
    registries: &Registries,
    profile_id: &str,
    key: Option<&SchemaChoice>,
    value: Option<&SchemaChoice>,
) -> Result<Option<Encoder>> {
    if key.is_none() && value.is_none() {
        return Ok(None);
    }
    let c = client(state, registries, profile_id)?;
    Encoder::resolve(&c, key, value).await.map(Some)
}

/// Tests the editor's registry settings before they are saved (`id` given: the saved
/// profile's secrets fill in the fields left empty).
#[tauri::command]
pub async fn registry_test(state: State<'_, AppState>, id: Option<String>, input: RegistryInput) -> Result<RegistryTest> {
    let previous = match &id {
        Some(id) => Some(state.profiles.get(id)?),
        None => None,
    };
    let validated = input.validate(previous.as_ref().and_then(|p| p.schema_registry.as_ref()))?;
    let settings = validated
        .settings
        .ok_or_else(|| Error::invalid_input("schemaRegistryUrls", "Schema Registry URL: enter the registry's URL to test it."))?;
    let mut secrets = validated.set_secrets;
    if let Some(previous) = &previous {
        for field in &settings.secret_fields {
            if !secrets.contains_key(field) {
                if let Some(value) = state.secrets.get(&previous.id, field)? {
                    secrets.insert(field.clone(), value);
                }
            }
        }
    }
    let c = RegistryClient::new(&settings, &secrets)?;
    client::test(&c).await
}

#[tauri::command]
pub async fn registry_subjects(state: State<'_, AppState>, registries: State<'_, Registries>, profile_id: String) -> Result<SubjectList> {
    subjects::list(&client(&state, &registries, &profile_id)?).await
}

#[tauri::command]
pub async fn registry_subject(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    subject: String,
    version: Option<i32>,
) -> Result<SubjectDetail> {
    subjects::detail(&*client(&state, &registries, &profile_id)?, &subject, version).await
}

#[tauri::command]
pub async fn registry_diff(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    subject: String,
    left: i32,
    right: i32,
) -> Result<Vec<DiffRow>> {
    subjects::diff_versions(&*client(&state, &registries, &profile_id)?, &subject, left, right).await
}

/// Syntax, then compatibility with the subject's latest version; changes nothing.
#[tauri::command]
pub async fn registry_check(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    schema: NewSchema,
) -> Result<CheckResult> {
    subjects::check(&*client(&state, &registries, &profile_id)?, &schema).await
}

#[tauri::command]
pub async fn registry_register(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    schema: NewSchema,
) -> Result<u32> {
    state.cluster_for_write(&profile_id)?;
    subjects::register(&*client(&state, &registries, &profile_id)?, &schema).await
}

/// Global (`subject` absent) or per-subject compatibility level.
#[tauri::command]
pub async fn registry_compatibility_set(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    subject: Option<String>,
    level: String,
) -> Result<String> {
    state.cluster_for_write(&profile_id)?;
    client(&state, &registries, &profile_id)?.set_compatibility(subject.as_deref(), &level).await
}

/// Soft (or, after a soft one, permanent) delete of a version or a whole subject.
#[tauri::command]
pub async fn registry_delete(
    state: State<'_, AppState>,
    registries: State<'_, Registries>,
    profile_id: String,
    subject: String,
    version: Option<i32>,
    permanent: bool,
) -> Result<()> {
    state.cluster_for_write(&profile_id)?;
    client(&state, &registries, &profile_id)?.delete(&subject, version, permanent).await
}

/// The local Protobuf types chosen for a topic (no registry), if any.
#[tauri::command]
pub async fn registry_local_proto(locals: State<'_, Arc<LocalProtos>>, profile_id: String, topic: String) -> Result<Option<TopicProto>> {
    Ok(locals.get(&profile_id, &topic))
}

/// Loads `.proto` files or a descriptor set for a topic and remembers the message types
/// (KafkaDesk's own settings only). Compiling may read many files: off the main thread.
#[tauri::command]
pub async fn registry_local_proto_save(
    locals: State<'_, Arc<LocalProtos>>,
    profile_id: String,
    topic: String,
    choice: TopicProto,
) -> Result<ProtoTypes> {
    let locals = locals.inner().clone();
    tokio::task::spawn_blocking(move || locals.set(&profile_id, &topic, choice)).await?
}
