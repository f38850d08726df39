/** Cluster operations: mirrors `src-tauri/src/commands/operations.rs`. */
import { command } from './invoke';
import type { ElectionKind } from './generated/ElectionKind';
import type { ElectionResult } from './generated/ElectionResult';
import type { ElectionScope } from './generated/ElectionScope';
import type { ElectionStatus } from './generated/ElectionStatus';
import type { LeaderSkew } from './generated/LeaderSkew';
import type { OngoingMove } from './generated/OngoingMove';
import type { PartitionMove } from './generated/PartitionMove';
import type { PartitionOutcome } from './generated/PartitionOutcome';
import type { PartitionRef } from './generated/PartitionRef';
import type { PlanGoal } from './generated/PlanGoal';
import type { ProducerInfo } from './generated/ProducerInfo';
import type { QuotaAlteration } from './generated/QuotaAlteration';
import type { QuotaEntityPart } from './generated/QuotaEntityPart';
import type { QuotaEntityType } from './generated/QuotaEntityType';
import type { QuotaEntry } from './generated/QuotaEntry';
import type { QuotaValue } from './generated/QuotaValue';
import type { ReassignmentPlan } from './generated/ReassignmentPlan';
import type { ReassignmentProgress } from './generated/ReassignmentProgress';
import type { TopicProducers } from './generated/TopicProducers';
import type { TransactionInfo } from './generated/TransactionInfo';
import type { TransactionList } from './generated/TransactionList';

export type {
  ElectionKind,
  ElectionResult,
  ElectionScope,
  ElectionStatus,
  LeaderSkew,
  OngoingMove,
  PartitionMove,
  PartitionOutcome,
  PartitionRef,
  PlanGoal,
  ProducerInfo,
  QuotaAlteration,
  QuotaEntityPart,
  QuotaEntityType,
  QuotaEntry,
  QuotaValue,
  ReassignmentPlan,
  ReassignmentProgress,
  TopicProducers,
  TransactionInfo,
  TransactionList,
};

export function leaderPreview(profileId: string, scope: ElectionScope): Promise<LeaderSkew[]> {
  return command<LeaderSkew[]>('operations_leader_preview', { profileId, scope });
}

export function electLeaders(profileId: string, kind: ElectionKind, scope: ElectionScope): Promise<ElectionResult[]> {
  return command<ElectionResult[]>('operations_elect_leaders', { profileId, kind, scope });
}

export function reassignPlan(profileId: string, goal: PlanGoal): Promise<ReassignmentPlan> {
  return command<ReassignmentPlan>('operations_reassign_preview', { profileId, goal });
}

export function reassignImport(profileId: string, json: string): Promise<ReassignmentPlan> {
  return command<ReassignmentPlan>('operations_reassign_import_preview', { profileId, json });
}

export function reassignExecute(profileId: string, moves: PartitionMove[], throttleBytesPerSec: number | null): Promise<PartitionOutcome[]> {
  return command<PartitionOutcome[]>('operations_reassign_execute', { profileId, moves, throttleBytesPerSec });
}

export function reassignProgress(profileId: string, moves: PartitionMove[], removeThrottleWhenDone: boolean): Promise<ReassignmentProgress> {
  return command<ReassignmentProgress>('operations_reassign_progress', { profileId, moves, removeThrottleWhenDone });
}

export function reassignList(profileId: string): Promise<OngoingMove[]> {
  return command<OngoingMove[]>('operations_reassignments_list', { profileId });
}

export function reassignCancel(profileId: string, partitions: PartitionRef[]): Promise<PartitionOutcome[]> {
  return command<PartitionOutcome[]>('operations_reassign_cancel', { profileId, partitions });
}

export function quotasList(profileId: string): Promise<QuotaEntry[]> {
  return command<QuotaEntry[]>('operations_quotas_list', { profileId });
}

export function quotasAlter(profileId: string, alteration: QuotaAlteration): Promise<void> {
  return command<void>('operations_quotas_alter', { profileId, alteration });
}

/** Removes every quota of one entity. */
export function quotasRemove(profileId: string, entity: QuotaEntityPart[]): Promise<void> {
  return command<void>('operations_quotas_remove', { profileId, entity });
}

export function transactionsList(profileId: string, hangingAfterMs: number): Promise<TransactionList> {
  return command<TransactionList>('operations_transactions_list', { profileId, hangingAfterMs });
}

export function transactionProducers(profileId: string, topic: string, hangingAfterMs: number): Promise<TopicProducers> {
  return command<TopicProducers>('operations_transaction_producers', { profileId, topic, hangingAfterMs });
}

export function transactionAbort(profileId: string, partition: PartitionRef, producerId: number): Promise<void> {
  return command<void>('operations_transaction_abort', { profileId, partition, producerId });
}
