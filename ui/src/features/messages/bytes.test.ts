import { describe, expect, it } from 'vitest';
import { base64ToBytes, hexDump, hexDumpLine } from './bytes';

describe('bytes', () => {
  it('makes a hex dump with an ASCII column', () => {
    const dump = hexDump(base64ToBytes('3q2+7wBBQg=='));
    expect(dump).toBe('00000000  de ad be ef 00 41 42' + ' '.repeat(27) + '  |.....AB|');
  });
  it('dumps any line by its offset', () => {
    const bytes = new Uint8Array(40).map((_, i) => i);
    expect(hexDumpLine(bytes, 32)).toMatch(/^00000020  20 21 22 23 24 25 26 27 {26}\| !"#\$%&'\|$/);
  });
});
