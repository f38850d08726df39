import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount, formatDuration, formatInteger, MISSING } from './format';

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1K'],
    [1234, '1.2K'],
    [1250, '1.3K'],
    [12_345, '12.3K'],
    [123_456, '123K'],
    [999_499, '999K'],
    [999_950, '1M'],
    [1_200_000, '1.2M'],
    [3_400_000_000, '3.4B'],
    [5e12, '5T'],
    [-1234, '-1.2K'],
  ])('%d → %s', (input, expected) => {
    expect(formatCount(input)).toBe(expected);
  });

  it('renders missing values as a dash', () => {
    expect(formatCount(null)).toBe(MISSING);
    expect(formatCount(undefined)).toBe(MISSING);
    expect(formatCount(Number.NaN)).toBe(MISSING);
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe(MISSING);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [200 * 1024, '200 KiB'],
    [1024 * 1024 - 1, '1 MiB'],
    [5.25 * 1024 ** 2, '5.3 MiB'],
    [3.4 * 1024 ** 3, '3.4 GiB'],
    [2 * 1024 ** 4, '2 TiB'],
  ])('%d → %s', (input, expected) => {
    expect(formatBytes(input)).toBe(expected);
  });

  it('renders missing values as a dash', () => {
    expect(formatBytes(null)).toBe(MISSING);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 ms'],
    [0.4, '<1 ms'],
    [42, '42 ms'],
    [999, '999 ms'],
    [1000, '1 s'],
    [1530, '1.5 s'],
    [42_000, '42 s'],
    [125_000, '2m 05s'],
    [3_720_000, '1h 02m'],
  ])('%d ms → %s', (input, expected) => {
    expect(formatDuration(input)).toBe(expected);
  });

  it('renders missing values as a dash', () => {
    expect(formatDuration(undefined)).toBe(MISSING);
  });
});

describe('formatInteger', () => {
  it('groups thousands', () => {
    expect(formatInteger(1234567)).toBe('1,234,567');
    expect(formatInteger(12)).toBe('12');
  });
});
