/**
 * The message table: virtualized (TanStack Virtual); only the rows on screen are asked
 * from the backend, as one window, so a million messages cost one screenful here.
 */
import { useEffect, useState } from 'react';
import { Box, Group, Text } from '@mantine/core';
import { fetchWindow, type DecodeAs, type MessageRow } from '../../api/messages';
import { VirtualRows } from '../../components/VirtualTable';
import { formatBytes } from '../../lib/format';
import { SchemaBadge } from '../schemas/SchemaBadge';
import { renderingLabel } from './bytes';

const ROW = 30;
// Narrow windows (900 px) squeeze the timestamp, key and value (cut with an ellipsis) instead of
// widening the page: the minimums add up to about 510 px.
const COLUMNS = '40px 72px minmax(96px, 170px) minmax(60px, 1fr) minmax(120px, 3fr) 64px';

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
  const [[first, last], setRange] = useState<[number, number]>([0, -1]);
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
        {['Part.', 'Offset', 'Timestamp', 'Key', `Value${VALUE_HEADING[valueAs]}`, 'Size'].map((h) => (
          <Text key={h} size="xs" fw={600} c="dimmed" truncate="end" data-testid={h.startsWith('Value (') ? 'message-value-heading' : undefined}>
            {h}
          </Text>
        ))}
      </Box>
      <VirtualRows
        count={total}
        rowHeight={ROW}
        overscan={20}
        height="calc(100vh - 390px)"
        minHeight={240}
        onRange={(a, b) => setRange([a, b])}
        renderRow={(index, place) => {
          const row = rows.rows[index - rows.start];
          return (
            <Box
              key={index}
              px="xs"
              data-testid={row ? 'message-row' : undefined}
              data-offset={row?.offset}
              onClick={() => row && onSelect(row)}
              style={{
                ...place,
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
                  <Text size="xs" truncate="end">{row.partition}</Text>
                  <Text size="xs" className="kd-mono" truncate="end" title={String(row.offset)}>{row.offset}</Text>
                  <TimestampCell timestamp={row.timestamp} type={row.timestampType} />
                  <Cell text={row.key.shown === 'null' ? 'null' : row.key.text} dim={row.key.shown === 'null'} label={renderingLabel(row.key.shown)} />
                  <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
                    <SchemaBadge decoded={row.value} />
                    <Cell text={row.value.shown === 'null' ? 'null (tombstone)' : row.value.text} dim={row.value.shown === 'null'} label={valueAs === 'auto' ? renderingLabel(row.value.shown) : null} />
                  </Group>
                  <Text size="xs" c="dimmed" ta="right" title={sizes(row)} data-testid="message-size">
                    {row.value.shown === 'null' ? '—' : formatBytes(row.value.size)}
                  </Text>
                </>
              ) : (
                <Text size="xs" c="dimmed">…</Text>
              )}
            </Box>
          );
        }}
      />
      <Group px="xs" py={4} justify="space-between">
        <Text size="xs" c="dimmed">{total.toLocaleString()} rows</Text>
      </Group>
    </Box>
  );
}

/** The heading says how values are shown when the user chose one way for all. */
const VALUE_HEADING: Record<DecodeAs, string> = {
  auto: '',
  text: ' (text, \\xNN for non-UTF-8 bytes)',
  json: ' (JSON)',
  hex: ' (hex)',
  base64: ' (base64)',
};

/** Key, value and headers apart, for the size cell's tooltip. */
function sizes(row: MessageRow): string {
  const headers = Math.max(0, row.size - row.key.size - row.value.size);
  return `key ${formatBytes(row.key.size)} · value ${formatBytes(row.value.size)} · headers ${formatBytes(headers)} (${row.headerCount})`;
}

/** A preview cell; `label` marks binary shown as base64 or hex when the bytes chose it. */
function Cell({ text, dim, label }: { text: string; dim: boolean; label?: string | null }) {
  return (
    <Group gap={4} wrap="nowrap" style={{ minWidth: 0 }}>
      {label ? (
        <Text span size="10px" c="dimmed" fw={600} style={{ flex: 'none' }} title={`binary, shown as ${label === 'b64' ? 'base64' : 'hex'}`} data-testid="cell-rendering">
          {label}
        </Text>
      ) : null}
      <Text size="xs" className="kd-mono" c={dim ? 'dimmed' : undefined} truncate="end" title={text.slice(0, 300)} style={{ minWidth: 0 }}>
        {text}
      </Text>
    </Group>
  );
}

function TimestampCell({ timestamp, type }: { timestamp: number; type: MessageRow['timestampType'] }) {
  const text = timestamp >= 0 ? new Date(timestamp).toISOString().replace('T', ' ').replace('Z', '') : '—';
  return (
    <Text size="xs" className="kd-mono" truncate="end" title={`${text} (${type})`}>
      {text}
    </Text>
  );
}
