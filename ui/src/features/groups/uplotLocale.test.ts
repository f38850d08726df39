import { describe, expect, it } from 'vitest';
import { ensureUsableLanguage } from './uplotLocale';

describe('uPlot locale guard', () => {
  it('replaces a language tag Intl rejects (LANG=C in WebKitGTK) and keeps a valid one', () => {
    const posix = { language: 'C' } as Navigator;
    expect(() => new Intl.NumberFormat(posix.language)).toThrow(RangeError);
    ensureUsableLanguage(posix);
    expect(posix.language).toBe('en-US');

    const german = { language: 'de-DE' } as Navigator;
    ensureUsableLanguage(german);
    expect(german.language).toBe('de-DE');
  });
});
