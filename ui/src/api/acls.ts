/** Security administration: mirrors `src-tauri/src/commands/acls.rs`. */
import { command } from './invoke';
import type { AclBinding } from './generated/AclBinding';
import type { AclBindingInput } from './generated/AclBindingInput';
import type { AclFileFormat } from './generated/AclFileFormat';
import type { AclFilter } from './generated/AclFilter';
import type { AclListing } from './generated/AclListing';
import type { CreateOutcome } from './generated/CreateOutcome';
import type { DecisionReason } from './generated/DecisionReason';
import type { EffectivePermissions } from './generated/EffectivePermissions';
import type { EffectiveQuery } from './generated/EffectiveQuery';
import type { Operation } from './generated/Operation';
import type { OperationDecision } from './generated/OperationDecision';
import type { PatternFilter } from './generated/PatternFilter';
import type { PatternType } from './generated/PatternType';
import type { Permission } from './generated/Permission';
import type { ResourceType } from './generated/ResourceType';
import type { ScramMechanism } from './generated/ScramMechanism';
import type { ScramUpsert } from './generated/ScramUpsert';
import type { ScramUser } from './generated/ScramUser';
import type { Wizard } from './generated/Wizard';

export type {
  AclBinding,
  AclBindingInput,
  AclFileFormat,
  AclFilter,
  AclListing,
  CreateOutcome,
  DecisionReason,
  EffectivePermissions,
  EffectiveQuery,
  Operation,
  OperationDecision,
  PatternFilter,
  PatternType,
  Permission,
  ResourceType,
  ScramMechanism,
  ScramUpsert,
  ScramUser,
  Wizard,
};

export const RESOURCE_TYPES: ResourceType[] = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'];
export const OPERATIONS: Operation[] = [
  'ALL',
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'CLUSTER_ACTION',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
  'IDEMPOTENT_WRITE',
];
export const SCRAM_MECHANISMS: ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

export const EMPTY_FILTER: AclFilter = {
  principal: null,
  host: null,
  operation: null,
  permission: null,
  resourceType: null,
  resourceName: null,
  patternType: null,
};

export function listAcls(profileId: string, filter: AclFilter): Promise<AclListing> {
  return command<AclListing>('acls_list', { profileId, filter });
}

export function createAcls(profileId: string, bindings: AclBindingInput[]): Promise<CreateOutcome> {
  return command<CreateOutcome>('acls_create', { profileId, bindings });
}

/** The bindings a wizard would create; changes nothing. */
export function previewWizard(wizard: Wizard): Promise<AclBinding[]> {
  return command<AclBinding[]>('acls_wizard_preview', { wizard });
}

export function applyWizard(profileId: string, wizard: Wizard): Promise<CreateOutcome> {
  return command<CreateOutcome>('acls_wizard_apply', { profileId, wizard });
}

/** What deleting by `filter` would delete; changes nothing. */
export function previewDelete(profileId: string, filter: AclFilter): Promise<AclBinding[]> {
  return command<AclBinding[]>('acls_delete_preview', { profileId, filter });
}

/** Deletes exactly `bindings`; resolves with what the broker deleted. */
export function deleteAcls(profileId: string, bindings: AclBinding[]): Promise<AclBinding[]> {
  return command<AclBinding[]>('acls_delete', { profileId, bindings });
}

export function exportAcls(profileId: string, filter: AclFilter, format: AclFileFormat, path: string): Promise<number> {
  return command<number>('acls_export', { profileId, filter, format, path });
}

export function previewImport(path: string): Promise<AclBinding[]> {
  return command<AclBinding[]>('acls_import_preview', { path });
}

export function importAcls(profileId: string, path: string): Promise<CreateOutcome> {
  return command<CreateOutcome>('acls_import', { profileId, path });
}

export function effectivePermissions(profileId: string, query: EffectiveQuery): Promise<EffectivePermissions> {
  return command<EffectivePermissions>('acls_effective', { profileId, query });
}

export function listScramUsers(profileId: string): Promise<ScramUser[]> {
  return command<ScramUser[]>('acls_users', { profileId });
}

/** Creates a user or rotates its password; the password goes to the broker only. */
export function upsertScramUser(profileId: string, request: ScramUpsert): Promise<void> {
  return command<void>('acls_user_upsert', { profileId, request });
}

/** Deletes one mechanism, or (`mechanism` null) every credential of the user. */
export function deleteScramUser(profileId: string, user: string, mechanism: ScramMechanism | null): Promise<void> {
  return command<void>('acls_user_delete', { profileId, user, mechanism });
}

/** One binding in Kafka's words, for lists and confirmations. */
export function describeBinding(b: AclBinding): string {
  const pattern = b.patternType === 'PREFIXED' ? `${b.resourceName}*` : b.resourceName;
  return `${b.permission} ${b.principal} ${b.operation} on ${b.resourceType} ${pattern}${b.host === '*' ? '' : ` from ${b.host}`}`;
}

/** A stable key for one binding. */
export function bindingKey(b: AclBinding): string {
  return [b.principal, b.host, b.operation, b.permission, b.resourceType, b.resourceName, b.patternType].join('\u0000');
}
