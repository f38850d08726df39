/**
 * The one virtualized table of the app (TanStack Virtual): only the rows in view are in
 * the DOM, so a group with thousands of partitions, 10,000 topics, a million messages or
 * the lines of a 5 MB value stay fast. Two shapes over the same hook:
 * - `VirtualTable`: an HTML table (sticky header) whose rows above and below the window
 *   are stood in for by two spacer rows;
 * - `VirtualRows`: absolutely placed rows of a fixed height, for grid rows and text lines.
 */
import { useEffect, useRef, type CSSProperties, type ReactNode } from 'react';
import { Paper, Table } from '@mantine/core';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';

function useVirtualRows(count: number, rowHeight: number, overscan: number, fallbackHeight: number, lastRowHeight = rowHeight) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (index === count - 1 ? lastRowHeight : rowHeight),
    overscan,
    // A scroller with no layout yet (or in jsdom) counts as one screenful, not as empty.
    initialRect: { width: 800, height: fallbackHeight },
    observeElementRect: (instance, report) =>
      observeElementRect(instance, (rect) => report(rect.height > 0 ? rect : { width: rect.width, height: fallbackHeight })),
  });
  return { scroller, virtualizer, items: virtualizer.getVirtualItems() };
}

const ROW_HEIGHT = 34;

export interface VirtualTableProps<T> {
  rows: T[];
  head: ReactNode;
  row: (item: T) => ReactNode;
  maxHeight: number;
  testId: string;
  striped?: boolean;
}

export function VirtualTable<T>({ rows, head, row, maxHeight, testId, striped }: VirtualTableProps<T>) {
  const { scroller, virtualizer, items } = useVirtualRows(rows.length, ROW_HEIGHT, 10, maxHeight);
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <Paper withBorder radius="md" ref={scroller} style={{ overflow: 'auto', maxHeight }}>
      <Table data-testid={testId} highlightOnHover tabularNums striped={striped} className="kd-table" stickyHeader>
        <Table.Thead>{head}</Table.Thead>
        <Table.Tbody>
          {top > 0 ? <tr style={{ height: top }} aria-hidden /> : null}
          {items.map((item) => row(rows[item.index]))}
          {bottom > 0 ? <tr style={{ height: bottom }} aria-hidden /> : null}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

export interface VirtualRowsProps {
  count: number;
  rowHeight: number;
  /** The last row's height, when it is shorter (a partial block of lines). */
  lastRowHeight?: number;
  /** Draws row `index`; `style` places it (spread it onto the row's root). */
  renderRow: (index: number, style: CSSProperties) => ReactNode;
  /** Height of the scrolling box (any CSS length). */
  height: number | string;
  minHeight?: number;
  overscan?: number;
  /** Told the first and last index in view (with overscan), e.g. to fetch those rows. */
  onRange?: (first: number, last: number) => void;
  className?: string;
  style?: CSSProperties;
  'data-testid'?: string;
  'data-lines'?: number;
}

export function VirtualRows({ count, rowHeight, lastRowHeight, renderRow, height, minHeight, overscan = 12, onRange, className, style, ...rest }: VirtualRowsProps) {
  const { scroller, virtualizer, items } = useVirtualRows(count, rowHeight, overscan, typeof height === 'number' ? height : 600, lastRowHeight);
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const report = useRef(onRange);
  report.current = onRange;
  useEffect(() => report.current?.(first, last), [first, last]);
  return (
    <div ref={scroller} className={className} data-testid={rest['data-testid']} data-lines={rest['data-lines']} style={{ height, minHeight, overflow: 'auto', ...style }}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth: '100%' }}>
        {items.map((item) =>
          renderRow(item.index, { position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }),
        )}
      </div>
    </div>
  );
}
