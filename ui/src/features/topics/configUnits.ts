/**
 * Config values for humans: milliseconds, hours and bytes beside the raw number
 * (`604800000` → `7 d`, `1073741824` → `1 GiB`). Kafka names say the unit.
 */
import { formatBytes } from '../../lib/format';

const MS_PER: Record<string, number> = { ms: 1, seconds: 1000, minutes: 60_000, hours: 3_600_000 };
const LONG_MAX = '9223372036854775807';

/** `604800000` → `7 d`, `90000` → `1 min 30 s`, `250` → `250 ms`. */
export function humanMs(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)} ${unit}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}

/** The human reading of a config value, or null when the raw value says it already. */
export function humanConfigValue(name: string, value: string | null): string | null {
  if (value === null || !/^-?\d+$/.test(value)) return null;
  const unit = /[.](ms|seconds|minutes|hours)$/.exec(name)?.[1] ?? (/ms$/.test(name) ? 'ms' : null);
  const bytes = /bytes$/.test(name);
  if (!unit && !bytes) return null;
  if (value === '-1' || value === LONG_MAX) return unit ? 'never' : 'unlimited';
  const n = Number(value);
  if (n < 0) return null;
  const human = unit ? humanMs(n * MS_PER[unit]) : formatBytes(n);
  return human === `${value} ms` || human === `${value} B` ? null : human;
}
