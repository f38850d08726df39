import { describe, expect, it } from 'vitest';
import { humanConfigValue } from './configUnits';

describe('config values for humans', () => {
  it('reads milliseconds, hours and bytes from the name', () => {
    expect(humanConfigValue('retention.ms', '604800000')).toBe('7 d');
    expect(humanConfigValue('log.retention.hours', '168')).toBe('7 d');
    expect(humanConfigValue('segment.ms', '90000')).toBe('1 min 30 s');
    expect(humanConfigValue('log.retention.check.interval.ms', '300000')).toBe('5 min');
    expect(humanConfigValue('segment.bytes', '1073741824')).toBe('1 GiB');
    expect(humanConfigValue('max.message.bytes', '1048588')).toBe('1 MiB');
    expect(humanConfigValue('retention.bytes', '-1')).toBe('unlimited');
    expect(humanConfigValue('delete.retention.ms', '9223372036854775807')).toBe('never');
  });
  it('leaves alone what needs no translation', () => {
    expect(humanConfigValue('retention.ms', '250')).toBeNull();
    expect(humanConfigValue('cleanup.policy', 'delete')).toBeNull();
    expect(humanConfigValue('num.partitions', '3')).toBeNull();
    expect(humanConfigValue('segment.bytes', '512')).toBeNull();
  });
});
