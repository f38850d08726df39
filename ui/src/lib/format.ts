/**
 * Human formatting for numbers shown in the UI.
 *
 * One rule everywhere: at most three significant-looking digits, one decimal
 * below 100 of a unit, and never a trailing ".0" — so 1234 reads "1.2K",
 * 12 345 reads "12.3K", 123 456 reads "123K" and 1000 reads "1K". Values
 * that are not finite numbers render as an em dash, the same placeholder the
 * tables use for missing data.
 */

export const MISSING = '—';
/** An offset (or a count or lag made from one) Kafka did not tell: its leader is offline or
 * did not answer. Shown in words — never as 0 or librdkafka's -1001. */
export const UNKNOWN = 'unknown';

const COUNT_UNITS = ['', 'K', 'M', 'B', 'T'] as const;
const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** Scales `value` by `base` until it fits, rounding the way the UI shows it. */
function scale(value: number, base: number, units: readonly string[]): { text: string; unit: string } {
  let unitIndex = 0;
  let scaled = Math.abs(value);
  while (scaled >= base && unitIndex < units.length - 1) {
    scaled /= base;
    unitIndex += 1;
  }
  let text = roundForDisplay(scaled, unitIndex > 0);
  // Rounding can carry into the next unit: 999 950 → "1000K" must read "1M".
  if (Number(text) >= base && unitIndex < units.length - 1) {
    scaled /= base;
    unitIndex += 1;
    text = roundForDisplay(scaled, true);
  }
  const sign = value < 0 ? '-' : '';
  return { text: sign + text, unit: units[unitIndex] };
}

function roundForDisplay(value: number, allowDecimal: boolean): string {
  if (!allowDecimal) return String(Math.round(value));
  if (value >= 100) return String(Math.round(value));
  const fixed = value.toFixed(1);
  return fixed.endsWith('.0') ? fixed.slice(0, -2) : fixed;
}

/** Counts: 999 → "999", 1234 → "1.2K", 1 200 000 → "1.2M", 3e9 → "3B". */
export function formatCount(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  const { text, unit } = scale(value, 1000, COUNT_UNITS);
  return text + unit;
}

/** Byte sizes in binary units: 512 → "512 B", 1536 → "1.5 KiB", 3.4·2³⁰ → "3.4 GiB". */
export function formatBytes(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  const { text, unit } = scale(value, 1024, BYTE_UNITS);
  return `${text} ${unit}`;
}

/**
 * Durations from milliseconds: 0.4 → "<1 ms", 42 → "42 ms", 1530 → "1.5 s",
 * 42 000 → "42 s", 125 000 → "2m 05s", 3 720 000 → "1h 02m".
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return MISSING;
  if (ms < 0) return '-' + formatDuration(-ms);
  if (ms < 1) return ms === 0 ? '0 ms' : '<1 ms';
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 59.5) {
    return `${seconds < 10 ? roundForDisplay(seconds, true) : Math.round(seconds)} s`;
  }
  const totalSeconds = Math.round(seconds);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const secs = totalSeconds % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, '0')}m`;
  return `${minutes}m ${String(secs).padStart(2, '0')}s`;
}

/** Exact integers with thousands separators, for places where precision matters. */
export function formatInteger(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return MISSING;
  return Math.round(value).toLocaleString('en-US');
}

/** Like formatCount, but a missing value is an unknown offset-derived number. */
export function formatCountOrUnknown(value: number | null | undefined): string {
  return value == null ? UNKNOWN : formatCount(value);
}

/** Like formatInteger, but a missing value is an unknown offset. */
export function formatIntegerOrUnknown(value: number | null | undefined): string {
  return value == null ? UNKNOWN : formatInteger(value);
}
