/**
 * One message in full: metadata, key, value (pretty JSON with highlighting, a hex dump for
 * binary), headers, copy buttons; values over 1 MiB show a preview with "Load full".
 */
import { useEffect, useState } from 'react';
import { Badge, Button, CopyButton, Drawer, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import type { AppError } from '../../api/errors';
import { fetchDetail, type DecodeAs, type Decoded, type MessageDetail } from '../../api/messages';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBytes } from '../../lib/format';
import { base64ToBytes, DECODE_CHOICES, hexDump } from './bytes';
import { JsonEditor } from './JsonEditor';
import { SchemaNote } from '../schemas/SchemaNote';

export interface MessageDetailPaneProps {
  sessionId: string;
  seq: number | null;
  onClose: () => void;
  onResend: (detail: MessageDetail) => void;
}

export function MessageDetailPane({ sessionId, seq, onClose, onResend }: MessageDetailPaneProps) {
  const [detail, setDetail] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [valueAs, setValueAs] = useState<DecodeAs>('auto');
  const [full, setFull] = useState(false);

  useEffect(() => setFull(false), [seq]);
  useEffect(() => {
    if (seq === null) return;
    let stale = false;
    setError(null);
    fetchDetail(sessionId, seq, 'auto', valueAs, full).then(
      (d) => !stale && setDetail(d),
      (e) => !stale && setError(e as AppError),
    );
    return () => {
      stale = true;
    };
  }, [sessionId, seq, valueAs, full]);

  return (
    <Drawer opened={seq !== null} onClose={onClose} position="right" size="xl" title="Message" data-testid="message-detail">
      {error ? <ErrorBanner error={error} /> : null}
      {detail ? (
        <Stack gap="sm">
          <Group gap="xs">
            <Badge variant="light">partition {detail.partition}</Badge>
            <Badge variant="light" className="kd-mono">offset {detail.offset}</Badge>
            <Badge variant="light">{formatBytes(detail.size)}</Badge>
            <Text size="xs" c="dimmed" className="kd-mono">
              {detail.timestamp >= 0 ? new Date(detail.timestamp).toISOString() : 'no timestamp'} ({detail.timestampType})
            </Text>
          </Group>
          <Section title="Key" decoded={detail.key} />
          <Group justify="space-between">
            <Text size="sm" fw={600}>Value</Text>
            <SegmentedControl
              size="xs"
              data={DECODE_CHOICES}
              value={valueAs}
              onChange={(v) => setValueAs(v as DecodeAs)}
              data-testid="detail-value-as"
            />
          </Group>
          <SchemaNote decoded={detail.value} />
          <Section decoded={detail.value} testid="detail-value" />
          {detail.value.truncated ? (
            <Button size="xs" variant="light" onClick={() => setFull(true)} data-testid="detail-load-full">
              Showing the first 1 MiB of {formatBytes(detail.value.size)}: load full
            </Button>
          ) : null}
          <Text size="sm" fw={600}>Headers</Text>
          {detail.headers.length === 0 ? (
            <Text size="xs" c="dimmed">No headers.</Text>
          ) : (
            <Table withTableBorder fz="xs" data-testid="detail-headers">
              <Table.Tbody>
                {detail.headers.map((h, i) => (
                  <Table.Tr key={i}>
                    <Table.Td className="kd-mono">{h.name}</Table.Td>
                    <Table.Td className="kd-mono" style={{ wordBreak: 'break-all' }}>
                      {h.value.shown === 'null' ? 'null' : h.value.text}
                      {h.value.shown === 'base64' ? ' (base64)' : ''}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => onResend(detail)} data-testid="detail-resend">
              Edit and re-send…
            </Button>
          </Group>
        </Stack>
      ) : null}
    </Drawer>
  );
}

function Section({ title, decoded, testid }: { title?: string; decoded: Decoded; testid?: string }) {
  const binary = decoded.shown === 'base64';
  const shown = binary ? hexDump(base64ToBytes(decoded.text)) : decoded.text;
  return (
    <Stack gap={4}>
      {title ? (
        <Group justify="space-between">
          <Text size="sm" fw={600}>{title}</Text>
        </Group>
      ) : null}
      {decoded.shown === 'null' ? (
        <Text size="xs" c="dimmed" data-testid={testid}>null</Text>
      ) : (
        <>
          <JsonEditor value={shown} json={decoded.shown === 'json'} readOnly height={title ? 'auto' : '320px'} data-testid={testid} />
          <Group gap="xs">
            <CopyButton value={decoded.text}>
              {({ copied, copy }) => (
                <Button size="compact-xs" variant="subtle" onClick={copy}>
                  {copied ? 'Copied' : binary ? 'Copy as base64' : 'Copy'}
                </Button>
              )}
            </CopyButton>
            <Text size="xs" c="dimmed">
              {decoded.shown}
              {binary ? ' shown as a hex dump' : ''}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}
