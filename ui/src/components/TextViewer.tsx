/**
 * Read-only text of any size, virtualized: only the lines on screen are in the DOM, and
 * long lines are cut into rows of a fixed number of monospace characters (counted, never
 * measured), so a 5 MB one-line base64 blob opens as fast as a short one. `lineCount` +
 * `line(i)` render anything line-shaped (a hex dump computes its lines on demand).
 */
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { VirtualRows } from './VirtualTable';

const ROW = 18;
/**
 * Lines drawn together as one virtual row: the virtualizer keeps a record per row, so a
 * 5 MB hex dump (327,680 lines) would cost it ~25 ms on every change; blocks cut that 32×.
 */
const BLOCK = 32;
/** Columns used before the box has been laid out (and in jsdom). */
const FALLBACK_COLUMNS = 100;

export interface LinesViewerProps {
  lineCount: number;
  line: (index: number) => string;
  height?: number | string;
  'data-testid'?: string;
}

/** Line-shaped content on the virtual rows, a block of lines per row. */
export function LinesViewer({ lineCount, line, height = 360, ...rest }: LinesViewerProps) {
  const blocks = Math.ceil(lineCount / BLOCK);
  const lastLines = lineCount - (blocks - 1) * BLOCK;
  return (
    <VirtualRows
      count={blocks}
      rowHeight={BLOCK * ROW}
      lastRowHeight={lastLines * ROW}
      overscan={1}
      height={height}
      className="kd-mono kd-text-viewer"
      data-testid={rest['data-testid']}
      data-lines={lineCount}
      style={{ fontSize: 12, lineHeight: `${ROW}px`, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
      renderRow={(block, style) => {
        const lines = [];
        for (let i = block * BLOCK; i < Math.min((block + 1) * BLOCK, lineCount); i++) {
          // Each line its own fixed-height box, so one holding a stray \r cannot shift the rest.
          lines.push(
            <div key={i} style={{ height: ROW }}>
              {line(i)}
            </div>,
          );
        }
        return (
          <div key={block} style={{ ...style, whiteSpace: 'pre', padding: '0 8px' }}>
            {lines}
          </div>
        );
      }}
    />
  );
}

/** Row starts: each `\n` starts a line, and a line longer than `columns` continues on more rows. */
export function wrapRows(text: string, columns: number): Int32Array {
  let starts = new Int32Array(1024);
  let count = 0;
  const push = (at: number) => {
    if (count === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = at;
  };
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const end = nl === -1 ? text.length : nl;
    push(from);
    for (let at = from + columns; at < end; at += columns) push(at);
    if (nl === -1) break;
    from = nl + 1;
  }
  return starts.subarray(0, count);
}

export interface TextViewerProps {
  text: string;
  height?: number | string;
  'data-testid'?: string;
}

export function TextViewer({ text, height, ...rest }: TextViewerProps) {
  const columns = useColumns();
  const rows = useMemo(() => wrapRows(text, columns.count), [text, columns.count]);
  const line = (i: number) => {
    const end = i + 1 < rows.length ? rows[i + 1] : text.length;
    const row = text.slice(rows[i], end);
    return row.endsWith('\n') ? row.slice(0, -1) : row;
  };
  return (
    <div ref={columns.ref}>
      <LinesViewer lineCount={rows.length} line={line} height={height} data-testid={rest['data-testid']} />
    </div>
  );
}

/** How many monospace characters fit the box's width (from one measured character). */
function useColumns() {
  const ref = useRef<HTMLDivElement>(null);
  const [count, setCount] = useState(FALLBACK_COLUMNS);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const probe = document.createElement('span');
    probe.className = 'kd-mono';
    probe.style.cssText = 'position:absolute;visibility:hidden;font-size:12px;white-space:pre';
    probe.textContent = '0'.repeat(50);
    el.appendChild(probe);
    const charWidth = probe.getBoundingClientRect().width / 50;
    probe.remove();
    const measure = () => {
      // 16 px padding, 14 px for a scrollbar.
      const width = el.clientWidth - 30;
      if (charWidth > 0 && width > 0) setCount(Math.max(20, Math.floor(width / charWidth)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, count };
}
