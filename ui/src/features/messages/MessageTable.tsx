/**
 * The message table: virtualized (TanStack Virtual); only the rows on screen are asked
 * from the backend, as one window, so a million messages cost one screenful here.
 */
import { useEffect, useRef, useState } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { fetchWindow, type DecodeAs, type MessageRow } from '../../api/messages';
import { formatBytes } from '../../lib/format';
import { SchemaBadge } from '../schemas/SchemaBadge';

const ROW = 30;
const COLUMNS = '52px 90px 190px minmax(80px, 1fr) minmax(160px, 3fr) 70px';

export interface MessageTableProps {
  sessionId: string;
  total: number;
  /** Changes whenever the rows behind the indices may have changed. */
  version: string;
  valueAs: DecodeAs;
  selected: number | null;
  onSelect: (row: MessageRow) => void;
}

export function MessageTable({ sessionId, total, version, valueAs, selected, onSelect }: MessageTableProps) {
  const parent = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => ROW, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const [rows, setRows] = useState<{ start: number; rows: MessageRow[] }>({ start: 0, rows: [] });

  useEffect(() => {
    if (last < first) return;
    let stale = false;
    const timer = setTimeout(() => {
      fetchWindow(sessionId, first, last - first + 1, 'auto', valueAs).then(
        (w) => !stale && setRows({ start: w.start, rows: w.rows }),
        () => undefined,
      );
    }, 16);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [sessionId, first, last, version, valueAs]);

  return (
    <Box data-testid="message-table" style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}>
      <Box px="xs" py={6} style={{ display: 'grid', gridTemplateColumns: COLUMNS, gap: 8, borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        {['Part.', 'Offset', 'Timestamp', 'Key', 'Value', 'Size'].map((h) => (
          <Text key={h} size="xs" fw={600} c="dimmed">
            {h}
          </Text>
        ))}
      </Box>
      <div ref={parent} style={{ height: 'calc(100vh - 390px)', minHeight: 240, overflow: 'auto' }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows.rows[item.index - rows.start];
            return (
              <Box
                key={item.key}
                px="xs"
                data-testid={row ? 'message-row' : undefined}
                data-offset={row?.offset}
                onClick={() => row && onSelect(row)}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: ROW,
                  transform: `translateY(${item.start}px)`,
                  display: 'grid',
                  gridTemplateColumns: COLUMNS,
                  gap: 8,
                  alignItems: 'center',
                  cursor: 'pointer',
                  background: row && row.seq === selected ? 'var(--mantine-color-blue-light)' : undefined,
                  borderBottom: '1px solid var(--mantine-color-default-border)',
                }}
              >
                {row ? (
                  <>
                    <Text size="xs">{row.partition}</Text>
                    <Text size="xs" className="kd-mono">{row.offset}</Text>
                    <Text size="xs" className="kd-mono" title={row.timestampType}>
                      {row.timestamp >= 0 ? new Date(row.timestamp).toISOString().replace('T', ' ').replace('Z', '') : '—'}
                    </Text>
                    <Cell text={row.key.shown === 'null' ? 'null' : row.key.text} dim={row.key.shown === 'null'} />
                    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
                      <SchemaBadge decoded={row.value} />
                      <Cell text={row.value.shown === 'null' ? 'null (tombstone)' : row.value.text} dim={row.value.shown === 'null'} />
                    </Group>
                    <Text size="xs" c="dimmed">{formatBytes(row.size)}</Text>
                  </>
                ) : (
                  <Text size="xs" c="dimmed">…</Text>
                )}
              </Box>
            );
          })}
        </div>
      </div>
      <Group px="xs" py={4} justify="space-between">
        <Text size="xs" c="dimmed">{total.toLocaleString()} rows</Text>
      </Group>
    </Box>
  );
}

function Cell({ text, dim }: { text: string; dim: boolean }) {
  return (
    <Text size="xs" className="kd-mono" c={dim ? 'dimmed' : undefined} truncate="end" title={text.slice(0, 300)}>
      {text}
    </Text>
  );
}
