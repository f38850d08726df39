/**
 * Client-side checks for the connection editor, mirroring the backend's
 * (`profiles::ProfileInput::validate`) for the fields that need no files or
 * keychain: name, bootstrap servers, SASL fields, colour. The backend stays
 * the authority (it also checks files and extra properties against
 * librdkafka); this only shows the error under the field as the user types.
 */
import type { ProfileInput } from '../../api/profiles';

/** Form field names: the `detail` the backend puts on InvalidInput errors. */
export const PROFILE_FIELDS = [
  'name',
  'bootstrapServers',
  'saslMechanism',
  'saslUsername',
  'saslPassword',
  'tlsCaFile',
  'tlsClientCertFile',
  'tlsClientKeyFile',
  'sslKeyPassword',
  'extraProperties',
  'color',
  'notes',
  'schemaRegistryUrls',
  'schemaRegistryUsername',
  'schemaRegistryPassword',
  'schemaRegistryToken',
  'schemaRegistryCaFile',
  'schemaRegistryCertFile',
  'schemaRegistryKeyFile',
] as const;

export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type FieldErrors = Partial<Record<ProfileField, string>>;

export function isProfileField(value: string | undefined): value is ProfileField {
  return value !== undefined && (PROFILE_FIELDS as readonly string[]).includes(value);
}

/** Trims the name and each bootstrap entry, dropping empty ones: what the backend stores. */
export function normalizeProfileInput(input: ProfileInput): ProfileInput {
  return {
    ...input,
    name: input.name.trim(),
    bootstrapServers: bootstrapEntries(input.bootstrapServers).join(','),
  };
}

function bootstrapEntries(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

export const NAME_MAX_LENGTH = 100;

export function validateName(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Enter a name for this connection.';
  if ([...trimmed].length > NAME_MAX_LENGTH) return `Use at most ${NAME_MAX_LENGTH} characters.`;
  return undefined;
}

export function validateBootstrapServers(value: string): string | undefined {
  const entries = bootstrapEntries(value);
  if (entries.length === 0) return 'Enter at least one host:port.';
  for (const entry of entries) {
    const problem = checkHostPort(entry);
    if (problem) return problem;
  }
  return undefined;
}

/** One `host:port` entry; an optional listener prefix (`PLAINTEXT://`) and `[ipv6]` brackets are allowed. */
function checkHostPort(entry: string): string | undefined {
  const schemeEnd = entry.lastIndexOf('://');
  const hostPort = schemeEnd >= 0 ? entry.slice(schemeEnd + 3) : entry;
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) return `"${entry}" has no port; write it as host:port.`;
  const host = hostPort.slice(0, colon).replace(/^\[+/, '').replace(/\]+$/, '');
  const port = hostPort.slice(colon + 1);
  if (host === '' || /\s/.test(host)) return `"${entry}" has no valid host name.`;
  const portNumber = /^\+?\d+$/.test(port) ? Number(port) : Number.NaN;
  if (!(portNumber >= 1 && portNumber <= 65535)) {
    return `The port in "${entry}" must be a number from 1 to 65535.`;
  }
  return undefined;
}

export function usesSasl(input: Pick<ProfileInput, 'securityProtocol'>): boolean {
  return input.securityProtocol === 'SASL_PLAINTEXT' || input.securityProtocol === 'SASL_SSL';
}

export function usesTls(input: Pick<ProfileInput, 'securityProtocol'>): boolean {
  return input.securityProtocol === 'SSL' || input.securityProtocol === 'SASL_SSL';
}

/**
 * @param hasSavedPassword the profile being edited already has a SASL password in the keychain
 */
export function validateProfileInput(input: ProfileInput, hasSavedPassword = false): FieldErrors {
  const errors: FieldErrors = {};
  const name = validateName(input.name);
  if (name) errors.name = name;
  const bootstrapServers = validateBootstrapServers(input.bootstrapServers);
  if (bootstrapServers) errors.bootstrapServers = bootstrapServers;
  if (usesSasl(input)) {
    if (!input.saslMechanism) errors.saslMechanism = 'Choose PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512.';
    if (!input.saslUsername?.trim()) errors.saslUsername = 'Enter the SASL user name.';
    if (!input.saslPassword && !hasSavedPassword) errors.saslPassword = 'Enter the SASL password.';
  }
  if (input.color && !/^#[0-9a-fA-F]{6}$/.test(input.color.trim())) errors.color = 'Use a #rrggbb colour.';
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return PROFILE_FIELDS.some((field) => !!errors[field]);
}

/** `key=value` lines to a property map (blank lines and `#` comments skipped). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    if (at < 0) out[line] = '';
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}

export function formatProperties(props: Record<string, string>): string {
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
}
