/**
 * uPlot builds `new Intl.NumberFormat(navigator.language)` as soon as it loads. WebKitGTK
 * reports the POSIX locale "C" when the app runs under LANG=C, Intl rejects that tag, and
 * the throw would stop the whole UI from loading. Imported before uPlot: it swaps a tag
 * Intl rejects for en-US (the locale our own number formatting uses anyway).
 */
export function ensureUsableLanguage(nav: Navigator = navigator): void {
  try {
    new Intl.NumberFormat(nav.language);
  } catch {
    Object.defineProperty(nav, 'language', { value: 'en-US', configurable: true });
  }
}

ensureUsableLanguage();
