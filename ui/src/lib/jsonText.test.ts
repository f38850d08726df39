import { describe, expect, it, vi } from 'vitest';
import { prettyJsonText } from './jsonText';
import { prettyJsonTextAsync } from './jsonTextAsync';

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

  it('falls back to slices on the page when the worker fails to load', async () => {
    class FailingWorker {
      onerror: ((e: unknown) => void) | null = null;
      onmessage: ((e: unknown) => void) | null = null;
      postMessage() {
        queueMicrotask(() => this.onerror?.(new Event('error')));
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', FailingWorker);
    try {
      const text = '{"b":1,"a":[2,3]}';
      expect(await prettyJsonTextAsync(text)).toBe(prettyJsonText(text));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await prettyJsonTextAsync('[1,2]', abort.signal)).toBeNull();
  });
});
