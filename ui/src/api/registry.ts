/** Schema Registry: mirrors `src-tauri/src/commands/registry.rs`. */
import { command } from './invoke';
import type { CheckResult } from './generated/CheckResult';
import type { DiffRow } from './generated/DiffRow';
import type { NewSchema } from './generated/NewSchema';
import type { RegistryAuth } from './generated/RegistryAuth';
import type { RegistryInput } from './generated/RegistryInput';
import type { RegistrySettings } from './generated/RegistrySettings';
import type { RegistryTest } from './generated/RegistryTest';
import type { SchemaChoice } from './generated/SchemaChoice';
import type { SchemaKind } from './generated/SchemaKind';
import type { SchemaTag } from './generated/SchemaTag';
import type { SchemaVersion } from './generated/SchemaVersion';
import type { SubjectDetail } from './generated/SubjectDetail';
import type { SubjectList } from './generated/SubjectList';
import type { SubjectSummary } from './generated/SubjectSummary';

export type {
  CheckResult,
  DiffRow,
  NewSchema,
  RegistryAuth,
  RegistryInput,
  RegistrySettings,
  RegistryTest,
  SchemaChoice,
  SchemaKind,
  SchemaTag,
  SchemaVersion,
  SubjectDetail,
  SubjectList,
  SubjectSummary,
};

export const COMPATIBILITY_LEVELS = ['NONE', 'BACKWARD', 'BACKWARD_TRANSITIVE', 'FORWARD', 'FORWARD_TRANSITIVE', 'FULL', 'FULL_TRANSITIVE'];

export const testRegistry = (id: string | null, input: RegistryInput) => command<RegistryTest>('registry_test', { id, input });
export const listSubjects = (profileId: string) => command<SubjectList>('registry_subjects', { profileId });
export const subjectDetail = (profileId: string, subject: string, version?: number | null) =>
  command<SubjectDetail>('registry_subject', { profileId, subject, version: version ?? null });
export const diffVersions = (profileId: string, subject: string, left: number, right: number) =>
  command<DiffRow[]>('registry_diff', { profileId, subject, left, right });
export const checkSchema = (profileId: string, schema: NewSchema) => command<CheckResult>('registry_check', { profileId, schema });
export const registerSchema = (profileId: string, schema: NewSchema) => command<number>('registry_register', { profileId, schema });
export const setCompatibility = (profileId: string, subject: string | null, level: string) =>
  command<string>('registry_compatibility_set', { profileId, subject, level });
export const deleteSchema = (profileId: string, subject: string, version: number | null, permanent: boolean) =>
  command<void>('registry_delete', { profileId, subject, version, permanent });

/** The editor's registry fields for a saved profile (secrets empty: kept). */
export function registryInputOf(settings: RegistrySettings | undefined | null): RegistryInput {
  return {
    urls: settings?.urls.join(', ') ?? '',
    auth: settings?.auth ?? 'none',
    username: settings?.username ?? null,
    password: null,
    token: null,
    tls: settings?.tls ?? { caFile: null, clientCertFile: null, clientKeyFile: null, skipHostnameCheck: false },
  };
}

import type { ProtoTypes } from './generated/ProtoTypes';
import type { TopicProto } from './generated/TopicProto';
export type { ProtoTypes, TopicProto };

/** The local Protobuf types (no registry) chosen for a topic, if any. */
export const localProto = (profileId: string, topic: string) => command<TopicProto | null>('registry_local_proto', { profileId, topic });
/** Loads .proto files / a descriptor set for a topic and remembers the message types; empty files forget. */
export const saveLocalProto = (profileId: string, topic: string, choice: TopicProto) =>
  command<ProtoTypes>('registry_local_proto_save', { profileId, topic, choice });
