import type { DecodeAs } from '../../api/messages';

/** Byte helpers for the message views: base64 to bytes and a classic hex dump, a line at a time. */

type WithFromBase64 = typeof Uint8Array & { fromBase64?: (text: string) => Uint8Array };

export function base64ToBytes(text: string): Uint8Array {
  const native = (Uint8Array as WithFromBase64).fromBase64;
  if (native) return native(text);
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

/** How many bytes base64 `text` holds (padded or not). */
export function base64ByteLength(text: string): number {
  let chars = text.length;
  while (chars > 0 && text[chars - 1] === '=') chars--;
  return Math.floor((chars * 3) / 4);
}

/**
 * Bytes `from` up to `to` of base64 `text`, decoding only the characters that hold them:
 * a hex dump line of a 5 MB value without decoding the other 5 MB on the page's thread.
 */
export function base64Bytes(text: string, from: number, to: number): Uint8Array {
  const firstGroup = Math.floor(from / 3);
  const groups = text.slice(firstGroup * 4, Math.ceil(to / 3) * 4);
  const skip = from - firstGroup * 3;
  return base64ToBytes(groups).subarray(skip, skip + (to - from));
}

export const HEX_LINE_BYTES = 16;

/** One hex dump line of `chunk` (at most a line's bytes) at `offset`: `00000010  de ad be ef ...  |....|`. */
export function hexDumpLine(chunk: Uint8Array, offset: number): string {
  let hex = '';
  let ascii = '';
  for (let i = 0; i < chunk.length; i++) {
    const b = chunk[i];
    hex += (i ? ' ' : '') + (b < 16 ? '0' : '') + b.toString(16);
    ascii += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
  }
  return `${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  |${ascii}|`;
}

/** The ways a key or value can be shown, for selects. */
export const DECODE_CHOICES: { value: DecodeAs; label: string }[] = [
  { value: 'auto', label: 'Auto' },
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Hex' },
  { value: 'base64', label: 'Base64' },
];

/** What a table cell's text is, when it is not plain text: said next to the cell. */
export function renderingLabel(shown: string): string | null {
  if (shown === 'base64') return 'b64';
  if (shown === 'hex') return 'hex';
  return null;
}
