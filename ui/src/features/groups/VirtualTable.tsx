/**
 * A table body that renders only the rows in view (TanStack Virtual), so a group
 * with thousands of partitions, or a cluster with thousands of groups, stays fast.
 * Rows above and below the window are stood in for by two spacer rows.
 */
import { useRef, type ReactNode } from 'react';
import { Paper, Table } from '@mantine/core';
import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';

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
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // A scroller with no layout yet (or in jsdom) counts as one screenful, not as empty.
    initialRect: { width: 800, height: maxHeight },
    observeElementRect: (instance, report) =>
      observeElementRect(instance, (rect) => report(rect.height > 0 ? rect : { width: rect.width, height: maxHeight })),
  });
  const items = virtualizer.getVirtualItems();
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
