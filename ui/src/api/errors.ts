/**
 * The one error shape the backend sends (`Error { kind, message, detail }`)
 * and the few helpers the views need around it.
 *
 * Every rejected `invoke` is normalised here, so views never see anything
 * else: a well-formed backend error passes through untouched (its `message`
 * is written for the user and is shown as-is), and anything else — a string,
 * a JS `Error`, a bridge failure — becomes kind `Internal` carrying its text.
 */
import type { Error as AppError } from './generated/Error';
import type { ErrorKind } from './generated/ErrorKind';

export type { AppError, ErrorKind };

/** Every kind the backend may send; the type check below keeps it in step with the generated union. */
export const ERROR_KINDS = [
  'InvalidInput',
  'Unreachable',
  'Auth',
  'Tls',
  'Kafka',
  'ReadOnly',
  'NotFound',
  'Timeout',
  'Cancelled',
  'Internal',
] as const satisfies readonly ErrorKind[];

// Fails to compile if the generated ErrorKind gains a variant missing above.
type MissingKinds = Exclude<ErrorKind, (typeof ERROR_KINDS)[number]>;
const _allKindsListed: [MissingKinds] extends [never] ? true : MissingKinds = true;
void _allKindsListed;

const KNOWN_KINDS: ReadonlySet<string> = new Set(ERROR_KINDS);

/** True when `value` has the backend error's shape. */
export function isAppError(value: unknown): value is AppError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate.kind === 'string' &&
    KNOWN_KINDS.has(candidate.kind) &&
    typeof candidate.message === 'string' &&
    (candidate.detail === undefined || candidate.detail === null || typeof candidate.detail === 'string')
  );
}

/** Turns anything a promise may reject with into an `AppError`. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) {
    const { kind, message, detail } = value;
    return detail == null ? { kind, message } : { kind, message, detail };
  }
  return { kind: 'Internal', message: describeUnknown(value) };
}

function describeUnknown(value: unknown): string {
  if (typeof value === 'string') return value || 'Unknown error';
  if (value instanceof Error) return value.message || value.name;
  if (typeof value === 'object' && value !== null) {
    const message = (value as { message?: unknown }).message;
    if (typeof message === 'string' && message) return message;
    try {
      return JSON.stringify(value);
    } catch {
      return String(value);
    }
  }
  return String(value ?? 'Unknown error');
}

/** A short, human title for the banner that names the cause. The `message` itself is shown verbatim below it. */
export function errorTitle(kind: ErrorKind): string {
  switch (kind) {
    case 'InvalidInput':
      return 'Invalid input';
    case 'Unreachable':
      return 'Cluster unreachable';
    case 'Auth':
      return 'Authentication failed';
    case 'Tls':
      return 'TLS error';
    case 'Kafka':
      return 'Kafka error';
    case 'ReadOnly':
      return 'Read-only connection';
    case 'NotFound':
      return 'Not found';
    case 'Timeout':
      return 'Timed out';
    case 'Cancelled':
      return 'Cancelled';
    case 'Internal':
      return 'Unexpected error';
  }
}

/** For `InvalidInput` errors: the form field the backend named in `detail`, if any. */
export function invalidField(error: AppError): string | undefined {
  return error.kind === 'InvalidInput' && error.detail ? error.detail : undefined;
}
