import { describe, expect, it } from 'vitest';
import { base64ByteLength, base64Bytes, base64ToBytes, hexDumpLine } from './bytes';

describe('bytes', () => {
  it('makes a hex dump with an ASCII column', () => {
    const dump = hexDumpLine(base64ToBytes('3q2+7wBBQg=='), 0);
    expect(dump).toBe('00000000  de ad be ef 00 41 42' + ' '.repeat(27) + '  |.....AB|');
  });
  it('dumps any line by its offset', () => {
    const bytes = new Uint8Array(40).map((_, i) => i);
    expect(hexDumpLine(bytes.subarray(32, 48), 32)).toMatch(/^00000020  20 21 22 23 24 25 26 27 {26}\| !"#\$%&'\|$/);
  });
  it('decodes any byte range of base64 from the characters that hold it', () => {
    const bytes = new Uint8Array(100).map((_, i) => (i * 37) & 0xff);
    const text = btoa(String.fromCharCode(...bytes));
    for (const cut of [text, text.replace(/=+$/, '')]) {
      expect(base64ByteLength(cut)).toBe(100);
      for (const [from, to] of [[0, 16], [16, 32], [1, 2], [95, 100], [96, 112], [0, 100]]) {
        expect(Array.from(base64Bytes(cut, from, to))).toEqual(Array.from(bytes.subarray(from, Math.min(to, 100))));
      }
    }
    expect(base64ByteLength('')).toBe(0);
  });
});
