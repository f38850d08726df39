/**
 * Client-side checks for a new connection, mirroring the backend's
 * (`profiles::validate`): a non-empty name, and bootstrap servers given as
 * comma-separated `host:port` entries with a port in 1–65535. The backend
 * stays the authority; this only saves a round trip and shows the error
 * under the field as the user types.
 */
import type { ProfileInput } from '../../api/profiles';

export type ProfileField = keyof ProfileInput;
export type FieldErrors = Partial<Record<ProfileField, string>>;

export const PROFILE_FIELDS: readonly ProfileField[] = ['name', 'bootstrapServers'];

export function isProfileField(value: string | undefined): value is ProfileField {
  return value !== undefined && (PROFILE_FIELDS as readonly string[]).includes(value);
}

/** Trims the name and each bootstrap entry, dropping empty ones: what the backend stores. */
export function normalizeProfileInput(input: ProfileInput): ProfileInput {
  return {
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

export function validateProfileInput(input: ProfileInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = validateName(input.name);
  if (name) errors.name = name;
  const bootstrapServers = validateBootstrapServers(input.bootstrapServers);
  if (bootstrapServers) errors.bootstrapServers = bootstrapServers;
  return errors;
}

export function hasErrors(errors: FieldErrors): boolean {
  return PROFILE_FIELDS.some((field) => !!errors[field]);
}
