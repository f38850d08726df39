//! Cluster operations commands: leader election, partition reassignment, client quotas and
//! transactions.

use tauri::State;

use crate::error::Result;
use crate::kafka::operations::election::{self, ElectionKind, ElectionResult, ElectionScope, LeaderSkew, PartitionRef};
use crate::kafka::operations::quotas::{self, QuotaAlteration, QuotaEntityPart, QuotaEntry};
use crate::kafka::operations::reassignment::{
    self, OngoingMove, PartitionMove, PartitionOutcome, PlanGoal, ReassignmentPlan, ReassignmentProgress,
};
use crate::kafka::operations::transactions::{self, TopicProducers, TransactionList};
use crate::state::AppState;

/// Partitions in `scope` not led by their preferred replica; changes nothing.
#[tauri::command]
pub async fn operations_leader_preview(state: State<'_, AppState>, profile_id: String, scope: ElectionScope) -> Result<Vec<LeaderSkew>> {
    election::preview(&*state.cluster(&profile_id)?, scope).await
}

#[tauri::command]
pub async fn operations_elect_leaders(
    state: State<'_, AppState>,
    profile_id: String,
    kind: ElectionKind,
    scope: ElectionScope,
) -> Result<Vec<ElectionResult>> {
    election::elect(&state.cluster_for_write(&profile_id)?, kind, scope).await
}

/// The moves a goal needs, with their reassignment JSON; changes nothing.
#[tauri::command]
pub async fn operations_reassign_preview(state: State<'_, AppState>, profile_id: String, goal: PlanGoal) -> Result<ReassignmentPlan> {
    reassignment::plan(&*state.cluster(&profile_id)?, goal).await
}

/// Reads a `kafka-reassign-partitions.sh` JSON into a plan; changes nothing.
#[tauri::command]
pub async fn operations_reassign_import_preview(state: State<'_, AppState>, profile_id: String, json: String) -> Result<ReassignmentPlan> {
    reassignment::import(&*state.cluster(&profile_id)?, json).await
}

#[tauri::command]
pub async fn operations_reassign_execute(
    state: State<'_, AppState>,
    profile_id: String,
    moves: Vec<PartitionMove>,
    throttle_bytes_per_sec: Option<u64>,
) -> Result<Vec<PartitionOutcome>> {
    reassignment::execute(&state.cluster_for_write(&profile_id)?, moves, throttle_bytes_per_sec).await
}

/// Progress of a plan; at the end it removes the throttle (a config change: Write).
#[tauri::command]
pub async fn operations_reassign_progress(
    state: State<'_, AppState>,
    profile_id: String,
    moves: Vec<PartitionMove>,
    remove_throttle_when_done: bool,
) -> Result<ReassignmentProgress> {
    reassignment::progress(&state.cluster_for_write(&profile_id)?, moves, remove_throttle_when_done).await
}

#[tauri::command]
pub async fn operations_reassignments_list(state: State<'_, AppState>, profile_id: String) -> Result<Vec<OngoingMove>> {
    reassignment::list(&*state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn operations_reassign_cancel(
    state: State<'_, AppState>,
    profile_id: String,
    partitions: Vec<PartitionRef>,
) -> Result<Vec<PartitionOutcome>> {
    let partitions = partitions.into_iter().map(|p| (p.topic, p.partition)).collect();
    reassignment::cancel(&state.cluster_for_write(&profile_id)?, partitions).await
}

#[tauri::command]
pub async fn operations_quotas_list(state: State<'_, AppState>, profile_id: String) -> Result<Vec<QuotaEntry>> {
    quotas::list(&*state.cluster(&profile_id)?).await
}

#[tauri::command]
pub async fn operations_quotas_alter(state: State<'_, AppState>, profile_id: String, alteration: QuotaAlteration) -> Result<()> {
    quotas::alter(&state.cluster_for_write(&profile_id)?, alteration).await
}

/// Removes every quota of one entity.
#[tauri::command]
pub async fn operations_quotas_remove(state: State<'_, AppState>, profile_id: String, entity: Vec<QuotaEntityPart>) -> Result<()> {
    quotas::remove(&state.cluster_for_write(&profile_id)?, entity).await
}

#[tauri::command]
pub async fn operations_transactions_list(state: State<'_, AppState>, profile_id: String, hanging_after_ms: u64) -> Result<TransactionList> {
    transactions::list(&*state.cluster(&profile_id)?, hanging_after_ms).await
}

#[tauri::command]
pub async fn operations_transaction_producers(
    state: State<'_, AppState>,
    profile_id: String,
    topic: String,
    hanging_after_ms: u64,
) -> Result<TopicProducers> {
    transactions::producers(&*state.cluster(&profile_id)?, topic, hanging_after_ms).await
}

#[tauri::command]
pub async fn operations_transaction_abort(state: State<'_, AppState>, profile_id: String, partition: PartitionRef, producer_id: i64) -> Result<()> {
    transactions::abort(&state.cluster_for_write(&profile_id)?, partition, producer_id).await
}
