//! What the Subjects view shows and does: subjects with their type, latest version and
//! compatibility; versions; a side-by-side diff; checks before registering.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::client::{RegistryClient, SchemaReference, SchemaVersion};
use super::codec::{self, SchemaKind};
use crate::error::{Error, Result};

/// Subjects asked about at once when listing.
const PARALLEL: usize = 8;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubjectSummary {
    pub subject: String,
    pub kind: Option<SchemaKind>,
    pub latest_version: Option<i32>,
    pub latest_id: Option<u32>,
    /// The subject's own compatibility; `None`: the global one applies.
    pub compatibility: Option<String>,
    /// Why the details could not be read, if they could not.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubjectList {
    pub subjects: Vec<SubjectSummary>,
    pub global_compatibility: Option<String>,
}

pub async fn list(client: &Arc<RegistryClient>) -> Result<SubjectList> {
    let names = client.subjects().await?;
    let global_compatibility = client.compatibility(None).await.unwrap_or(None);
    let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, subject) in names.into_iter().enumerate() {
        let client = Arc::clone(client);
        let limit = Arc::clone(&limit);
        tasks.spawn(async move {
            let _permit = limit.acquire().await;
            let latest = client.version(&subject, "latest").await;
            let compatibility = client.compatibility(Some(&subject)).await.unwrap_or(None);
            let summary = match latest {
                Ok(v) => SubjectSummary {
                    subject,
                    kind: Some(v.schema_type),
                    latest_version: Some(v.version),
                    latest_id: Some(v.id),
                    compatibility,
                    error: None,
                },
                Err(e) => SubjectSummary { subject, kind: None, latest_version: None, latest_id: None, compatibility, error: Some(e.message) },
            };
            (i, summary)
        });
    }
    let mut subjects = Vec::new();
    while let Some(done) = tasks.join_next().await {
        subjects.push(done?);
    }
    subjects.sort_by_key(|(i, _)| *i);
    let mut subjects: Vec<SubjectSummary> = subjects.into_iter().map(|(_, s)| s).collect();
    subjects.sort_by(|a, b| a.subject.cmp(&b.subject));
    Ok(SubjectList { subjects, global_compatibility })
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SubjectDetail {
    pub subject: String,
    pub versions: Vec<i32>,
    pub compatibility: Option<String>,
    pub global_compatibility: Option<String>,
    /// The version asked for (the latest by default), schema pretty-printed.
    pub schema: SchemaVersion,
}

pub async fn detail(client: &RegistryClient, subject: &str, version: Option<i32>) -> Result<SubjectDetail> {
    let versions = client.versions(subject).await?;
    let mut schema = client.version(subject, &version.map_or_else(|| "latest".into(), |v| v.to_string())).await?;
    schema.schema = pretty(schema.schema_type, &schema.schema);
    Ok(SubjectDetail {
        subject: subject.to_string(),
        versions,
        compatibility: client.compatibility(Some(subject)).await.unwrap_or(None),
        global_compatibility: client.compatibility(None).await.unwrap_or(None),
        schema,
    })
}

/// JSON-based schemas indented, so versions compare line by line; Protobuf as written.
pub fn pretty(kind: SchemaKind, text: &str) -> String {
    match kind {
        SchemaKind::Protobuf => text.to_string(),
        _ => serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| serde_json::to_string_pretty(&v).ok())
            .unwrap_or_else(|| text.to_string()),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum DiffChange {
    Same,
    Removed,
    Added,
    Changed,
}

/// One line of a side-by-side diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DiffRow {
    pub change: DiffChange,
    pub left: Option<String>,
    pub right: Option<String>,
    pub left_line: Option<u32>,
    pub right_line: Option<u32>,
}

/// Lines of `left` and `right` side by side: equal, removed, added, or changed in place.
pub fn diff(left: &str, right: &str) -> Vec<DiffRow> {
    use similar::{DiffOp, TextDiff};
    let d = TextDiff::from_lines(left, right);
    let l: Vec<&str> = d.old_slices().to_vec();
    let r: Vec<&str> = d.new_slices().to_vec();
    let line = |s: &str| s.trim_end_matches(['\n', '\r']).to_string();
    let mut rows = Vec::new();
    for op in d.ops() {
        match *op {
            DiffOp::Equal { old_index, new_index, len } => {
                for i in 0..len {
                    rows.push(DiffRow {
                        change: DiffChange::Same,
                        left: Some(line(l[old_index + i])),
                        right: Some(line(r[new_index + i])),
                        left_line: Some((old_index + i + 1) as u32),
                        right_line: Some((new_index + i + 1) as u32),
                    });
                }
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                for i in 0..old_len {
                    rows.push(DiffRow { change: DiffChange::Removed, left: Some(line(l[old_index + i])), right: None, left_line: Some((old_index + i + 1) as u32), right_line: None });
                }
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                for i in 0..new_len {
                    rows.push(DiffRow { change: DiffChange::Added, left: None, right: Some(line(r[new_index + i])), left_line: None, right_line: Some((new_index + i + 1) as u32) });
                }
            }
            DiffOp::Replace { old_index, old_len, new_index, new_len } => {
                for i in 0..old_len.max(new_len) {
                    rows.push(DiffRow {
                        change: DiffChange::Changed,
                        left: (i < old_len).then(|| line(l[old_index + i])),
                        right: (i < new_len).then(|| line(r[new_index + i])),
                        left_line: (i < old_len).then_some((old_index + i + 1) as u32),
                        right_line: (i < new_len).then_some((new_index + i + 1) as u32),
                    });
                }
            }
        }
    }
    rows
}

pub async fn diff_versions(client: &RegistryClient, subject: &str, left: i32, right: i32) -> Result<Vec<DiffRow>> {
    let a = client.version(subject, &left.to_string()).await?;
    let b = client.version(subject, &right.to_string()).await?;
    Ok(diff(&pretty(a.schema_type, &a.schema), &pretty(b.schema_type, &b.schema)))
}

/// A schema typed in the editor.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewSchema {
    pub subject: String,
    pub kind: SchemaKind,
    pub schema: String,
    #[serde(default)]
    pub references: Vec<SchemaReference>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CheckResult {
    /// Parses (with its references).
    pub syntax_ok: bool,
    pub compatible: bool,
    /// The parser's error, or the registry's reasons for incompatibility.
    pub messages: Vec<String>,
}

fn check_subject(subject: &str) -> Result<()> {
    if subject.trim().is_empty() {
        return Err(Error::invalid_input("subject", "Subject: enter a subject name (e.g. orders-value)."));
    }
    Ok(())
}

/// Syntax (locally, references fetched), then compatibility (by the registry).
pub async fn check(client: &RegistryClient, new: &NewSchema) -> Result<CheckResult> {
    check_subject(&new.subject)?;
    let refs = client.with_references(&new.references).await?;
    if let Err(e) = codec::check_syntax(new.kind, &new.schema, &refs) {
        return Ok(CheckResult { syntax_ok: false, compatible: false, messages: vec![e.message] });
    }
    match client.check_compatibility(&new.subject, new.kind, &new.schema, &new.references).await? {
        Ok(()) => Ok(CheckResult { syntax_ok: true, compatible: true, messages: vec![] }),
        Err(messages) => Ok(CheckResult { syntax_ok: true, compatible: false, messages }),
    }
}

/// Registers after a local syntax check; the registry's refusal (incompatible, invalid)
/// comes back as its own message.
pub async fn register(client: &RegistryClient, new: &NewSchema) -> Result<u32> {
    check_subject(&new.subject)?;
    let refs = client.with_references(&new.references).await?;
    codec::check_syntax(new.kind, &new.schema, &refs)?;
    client.register(new.subject.trim(), new.kind, &new.schema, &new.references).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_pairs_lines_side_by_side() {
        let rows = diff("a\nb\nc\n", "a\nB\nc\nd\n");
        let changes: Vec<DiffChange> = rows.iter().map(|r| r.change).collect();
        assert_eq!(changes, vec![DiffChange::Same, DiffChange::Changed, DiffChange::Same, DiffChange::Added]);
        assert_eq!((rows[1].left.as_deref(), rows[1].right.as_deref()), (Some("b"), Some("B")));
        assert_eq!(rows[3].right_line, Some(4));
    }
}
