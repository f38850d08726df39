/** Consumer groups: mirrors `src-tauri/src/commands/groups.rs`. */
import { command } from './invoke';
import type { GroupDetail } from './generated/GroupDetail';
import type { GroupSummary } from './generated/GroupSummary';
import type { Member } from './generated/Member';
import type { PartitionLag } from './generated/PartitionLag';
import type { ResetPlan } from './generated/ResetPlan';
import type { ResetRequest } from './generated/ResetRequest';
import type { ResetRow } from './generated/ResetRow';
import type { ResetScope } from './generated/ResetScope';
import type { ResetTarget } from './generated/ResetTarget';
import type { TopicLag } from './generated/TopicLag';

export type {
  GroupDetail,
  GroupSummary,
  Member,
  PartitionLag,
  ResetPlan,
  ResetRequest,
  ResetRow,
  ResetScope,
  ResetTarget,
  TopicLag,
};

export function listGroups(profileId: string): Promise<GroupSummary[]> {
  return command<GroupSummary[]>('groups_list', { profileId });
}

export function describeGroup(profileId: string, groupId: string): Promise<GroupDetail> {
  return command<GroupDetail>('groups_describe', { profileId, groupId });
}

/** The dry run: what a reset would do, changing nothing. */
export function previewReset(profileId: string, groupId: string, request: ResetRequest): Promise<ResetPlan> {
  return command<ResetPlan>('groups_reset_preview', { profileId, groupId, request });
}

export function applyReset(profileId: string, groupId: string, request: ResetRequest): Promise<ResetPlan> {
  return command<ResetPlan>('groups_reset_apply', { profileId, groupId, request });
}

export function deleteGroup(profileId: string, groupId: string): Promise<void> {
  return command<void>('groups_delete', { profileId, groupId });
}

/** Deletes the group's committed offsets on one topic; resolves with the partition count. */
export function deleteGroupOffsets(profileId: string, groupId: string, topic: string): Promise<number> {
  return command<number>('groups_delete_offsets', { profileId, groupId, topic });
}
