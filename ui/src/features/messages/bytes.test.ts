import { describe, expect, it } from 'vitest';
import { base64ToBytes, hexDump, jsonErrorAt, prettyJson } from './bytes';

describe('bytes', () => {
  it('dumps bytes as hex with printable ASCII', () => {
    const dump = hexDump(base64ToBytes('3q2+7wBBQg=='));
    expect(dump).toBe(`00000000  de ad be ef 00 41 42${' '.repeat(27)}  |.....AB|`);
  });

  it('pretty-prints JSON and says where it is broken', () => {
    expect(prettyJson('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(prettyJson('nope')).toBeNull();
    expect(jsonErrorAt('{"a":1}')).toBeNull();
    expect(jsonErrorAt('{\n "a": }')).toMatch(/not valid JSON/i);
  });
});
