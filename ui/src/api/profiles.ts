/** Saved connections: mirrors `src-tauri/src/commands/profiles.rs`. */
import { command } from './invoke';
import type { ConnectionTest } from './generated/ConnectionTest';
import type { Environment } from './generated/Environment';
import type { ImportReport } from './generated/ImportReport';
import type { Profile } from './generated/Profile';
import type { ProfileInput } from './generated/ProfileInput';
import type { ProfileList } from './generated/ProfileList';
import type { SaslMechanism } from './generated/SaslMechanism';
import type { SecretStorage } from './generated/SecretStorage';
import type { SecurityProtocol } from './generated/SecurityProtocol';
import type { StoreWarning } from './generated/StoreWarning';

export type {
  ConnectionTest,
  Environment,
  ImportReport,
  Profile,
  ProfileInput,
  ProfileList,
  SaslMechanism,
  SecretStorage,
  SecurityProtocol,
  StoreWarning,
};

export function listProfiles(): Promise<ProfileList> {
  return command<ProfileList>('profiles_list');
}

export function createProfile(input: ProfileInput): Promise<Profile> {
  return command<Profile>('profiles_create', { input });
}

export function updateProfile(id: string, input: ProfileInput): Promise<Profile> {
  return command<Profile>('profiles_update', { id, input });
}

export function duplicateProfile(id: string): Promise<Profile> {
  return command<Profile>('profiles_duplicate', { id });
}

export function deleteProfile(id: string): Promise<void> {
  return command<void>('profiles_delete', { id });
}

/** Tests the editor's settings; `id` lets secrets left empty come from the saved profile. */
export function testProfile(input: ProfileInput, id: string | null): Promise<ConnectionTest> {
  return command<ConnectionTest>('profiles_test', { id, input });
}

export function importProfiles(path: string): Promise<ImportReport> {
  return command<ImportReport>('profiles_import', { path });
}

export function exportProfiles(path: string): Promise<number> {
  return command<number>('profiles_export', { path });
}

/** The input of an empty "New connection" form. */
export function emptyInput(): ProfileInput {
  return {
    name: '',
    bootstrapServers: '',
    securityProtocol: 'PLAINTEXT',
    saslMechanism: null,
    saslUsername: null,
    saslPassword: null,
    tls: { caFile: null, verifyHostname: true, clientCertFile: null, clientKeyFile: null },
    sslKeyPassword: null,
    extraProperties: {},
    environment: 'dev',
    color: null,
    readOnly: null,
    notes: '',
  };
}

/** The editor's starting values for a saved profile; secret fields start empty ("keep"). */
export function inputOf(profile: Profile): ProfileInput {
  return {
    ...emptyInput(),
    name: profile.name,
    bootstrapServers: profile.bootstrapServers,
    securityProtocol: profile.securityProtocol,
    saslMechanism: profile.saslMechanism,
    saslUsername: profile.saslUsername,
    tls: { ...profile.tls },
    extraProperties: {
      ...profile.extraProperties,
      ...Object.fromEntries(
        profile.secretFields.filter((f) => f !== 'sasl.password' && f !== 'ssl.key.password').map((f) => [f, '']),
      ),
    },
    environment: profile.environment,
    color: profile.color,
    readOnly: profile.readOnly,
    notes: profile.notes,
  };
}
