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
import type { ReassignmentPlan } from './generated/ReassignmentPlan';
import type { ReassignmentProgress } from './generated/ReassignmentProgress';

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
  ReassignmentPlan,
  ReassignmentProgress,
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
