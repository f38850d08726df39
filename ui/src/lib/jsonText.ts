/**
 * JSON as text, never as values: re-indenting copies every token (string, number, literal)
 * exactly as written, so key order, `\u00e9` escapes and numbers beyond 2^53 survive. A
 * JSON.parse round trip would sort nothing but would round big numbers and unescape strings.
 */

export interface IndentState {
  depth: number;
  inString: boolean;
  escape: boolean;
  /** A container just opened: the next token decides between `{}` and a new line. */
  opened: boolean;
  out: string[];
}

const PADS: string[] = [''];
function pad(depth: number, indent: number): string {
  while (PADS.length <= depth) PADS.push(' '.repeat(PADS.length * indent));
  return PADS[Math.max(0, depth)];
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

function isStructural(c: number): boolean {
  return c === 123 || c === 125 || c === 91 || c === 93 || c === 44 || c === 58 || c === 34;
}

/** Indents `text[from, to)` into `s.out`; the state carries over between slices. */
export function indentSlice(text: string, from: number, to: number, s: IndentState, indent: number): void {
  let i = from;
  while (i < to) {
    if (s.inString) {
      let j = i;
      while (j < to) {
        const c = text.charCodeAt(j++);
        if (s.escape) s.escape = false;
        else if (c === 92) s.escape = true;
        else if (c === 34) {
          s.inString = false;
          break;
        }
      }
      s.out.push(text.slice(i, j));
      i = j;
      continue;
    }
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (s.opened) {
      s.opened = false;
      if (c === 125 || c === 93) {
        s.depth--;
        s.out.push(text[i]);
        i++;
        continue;
      }
      s.out.push('\n' + pad(s.depth, indent));
    }
    if (c === 123 || c === 91) {
      s.out.push(text[i]);
      s.depth++;
      s.opened = true;
    } else if (c === 125 || c === 93) {
      s.depth--;
      s.out.push('\n' + pad(s.depth, indent) + text[i]);
    } else if (c === 44) {
      s.out.push(',\n' + pad(s.depth, indent));
    } else if (c === 58) {
      s.out.push(': ');
    } else if (c === 34) {
      s.out.push('"');
      s.inString = true;
    } else {
      // A number or literal: copied as one run, as written.
      let j = i + 1;
      while (j < to && !isSpace(text.charCodeAt(j)) && !isStructural(text.charCodeAt(j))) j++;
      s.out.push(text.slice(i, j));
      i = j;
      continue;
    }
    i++;
  }
}

export function newState(): IndentState {
  return { depth: 0, inString: false, escape: false, opened: false, out: [] };
}

/** Re-indents JSON text (assumed valid) keeping every token byte for byte. */
export function prettyJsonText(text: string, indent = 2): string {
  const s = newState();
  indentSlice(text, 0, text.length, s, indent);
  return s.out.join('');
}

/** Why JSON.parse failed, with line and column when the engine gives a position (valid
 * JSON with big numbers parses fine: only the check uses JSON.parse, never the text). */
export function jsonErrorAt(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(message);
    if (!pos) return `Not valid JSON yet: ${message}`;
    const before = text.slice(0, Number(pos[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `Not valid JSON at line ${line}, column ${column}.`;
  }
}
