import { describe, expect, it } from 'vitest';
import { prettyJsonText, prettyJsonTextAsync } from './jsonText';

const SENT = '{"zeta":1,  "alpha":"caf\\u00e9 \\ud83d\\ude00 \\"q\\" {[,:]}","big":123456789012345678901234567890,"id":9007199254740993,"f":1.50,"e":1E+2,"empty":{},"list":[],"n":null,"nested":{"b":[true,false],"a":{"x":-0.0}}}';

describe('JSON as text', () => {
  it('indents without touching a token: key order, escapes, big numbers and spelling stay', () => {
    const pretty = prettyJsonText(SENT);
    expect(pretty).toBe(
      [
        '{',
        '  "zeta": 1,',
        '  "alpha": "caf\\u00e9 \\ud83d\\ude00 \\"q\\" {[,:]}",',
        '  "big": 123456789012345678901234567890,',
        '  "id": 9007199254740993,',
        '  "f": 1.50,',
        '  "e": 1E+2,',
        '  "empty": {},',
        '  "list": [],',
        '  "n": null,',
        '  "nested": {',
        '    "b": [',
        '      true,',
        '      false',
        '    ],',
        '    "a": {',
        '      "x": -0.0',
        '    }',
        '  }',
        '}',
      ].join('\n'),
    );
  });

  it('gives the same text in slices as at once, for large values', async () => {
    const big = '[' + Array.from({ length: 20000 }, (_, i) => `{"id":${i},"s":"a\\"b,c:{d}"}`).join(',') + ']';
    expect(big.length).toBeGreaterThan(128 * 1024 * 2);
    expect(await prettyJsonTextAsync(big)).toBe(prettyJsonText(big));
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await prettyJsonTextAsync('[1,2]', abort.signal)).toBeNull();
  });
});
