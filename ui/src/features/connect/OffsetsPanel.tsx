/**
 * A connector's offsets (KIP-875, Connect 3.6+): read any time; reset or altered only
 * while the connector is STOPPED, as Connect requires.
 */
import { useState } from 'react';
import { Button, Code, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { alterOffsets, connectorOffsets, resetOffsets, type ConnectorOffset, type ConnectTarget } from '../../api/connect';
import { toAppError, type AppError } from '../../api/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';

export interface OffsetsPanelProps {
  target: ConnectTarget;
  name: string;
  stopped: boolean;
  readOnly: boolean;
}

/** Parses the alter editor's text: a JSON list of `{partition, offset}`; throws a readable message. */
export function parseOffsets(text: string): ConnectorOffset[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`Offsets: not valid JSON (${(e as Error).message}).`);
  }
  const list = Array.isArray(value) ? value : (value as { offsets?: unknown })?.offsets;
  if (!Array.isArray(list) || list.some((o) => typeof o !== 'object' || o === null || typeof o.partition !== 'object')) {
    throw new Error('Offsets: write a list of {"partition": {…}, "offset": {…}} entries.');
  }
  return list as ConnectorOffset[];
}

export function OffsetsPanel({ target, name, stopped, readOnly }: OffsetsPanelProps) {
  const [offsets, setOffsets] = useState<ConnectorOffset[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmReset, setConfirmReset] = useState(false);

  const step = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error && !('kind' in e) ? { kind: 'InvalidInput', message: e.message, detail: 'offsets' } : toAppError(e));
    } finally {
      setBusy(false);
    }
  };
  const read = () => step(async () => setOffsets(await connectorOffsets(target, name)));
  const reset = () =>
    step(async () => {
      notifications.show({ message: await resetOffsets(target, name), color: 'gray' });
      setOffsets(await connectorOffsets(target, name));
    });
  const alter = () =>
    step(async () => {
      const parsed = parseOffsets(editing ?? '');
      notifications.show({ message: await alterOffsets(target, name, parsed), color: 'gray' });
      setEditing(null);
      setOffsets(await connectorOffsets(target, name));
    });
  const canChange = stopped && !readOnly;

  return (
    <Paper withBorder radius="md" p="sm" data-testid="connector-offsets">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          Offsets
        </Text>
        <Group gap="xs">
          <Button size="compact-xs" variant="default" loading={busy && editing === null} onClick={() => void read()} data-testid="offsets-read">
            Read offsets
          </Button>
          <Button
            size="compact-xs"
            variant="default"
            disabled={!canChange || offsets === null}
            onClick={() => setEditing(JSON.stringify(offsets ?? [], null, 2))}
            data-testid="offsets-alter-open"
          >
            Alter…
          </Button>
          <Button size="compact-xs" variant="light" color="red" disabled={!canChange} onClick={() => setConfirmReset(true)} data-testid="offsets-reset">
            Reset…
          </Button>
        </Group>
      </Group>
      {!stopped ? (
        <Text size="xs" c="dimmed" mb="xs">
          Stop the connector to reset or alter its offsets (Connect refuses while it runs).
        </Text>
      ) : null}
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {editing !== null ? (
        <Stack gap="xs">
          <Textarea
            rows={10}
            className="kd-mono"
            value={editing}
            onChange={(e) => setEditing(e.currentTarget.value)}
            data-testid="offsets-editor"
          />
          <Group gap="xs" justify="flex-end">
            <Button size="xs" variant="default" onClick={() => setEditing(null)}>
              Cancel
            </Button>
            <Button size="xs" loading={busy} onClick={() => void alter()} data-testid="offsets-alter-apply">
              Apply offsets
            </Button>
          </Group>
        </Stack>
      ) : offsets === null ? null : offsets.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="offsets-empty">
          No offsets: the connector starts from the beginning.
        </Text>
      ) : (
        <Code block fz="xs" data-testid="offsets-json">
          {JSON.stringify(offsets, null, 2)}
        </Code>
      )}
      <TypedConfirmModal
        opened={confirmReset}
        title={`Reset the offsets of ${name}?`}
        expected={name}
        confirmLabel="Reset offsets"
        onCancel={() => setConfirmReset(false)}
        onConfirm={() => {
          setConfirmReset(false);
          void reset();
        }}
      >
        When it resumes, the connector starts over as if it had never run: a source re-reads its input, a sink re-reads its
        topics from its consumer's reset policy.
      </TypedConfirmModal>
    </Paper>
  );
}
