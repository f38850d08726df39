/**
 * One connector: state, tasks with their worker and full error trace, topics, config
 * (secrets masked as Connect-side secrets should be), offsets (KIP-875); actions. The
 * status is re-read every few seconds while the view is open.
 */
import { useState } from 'react';
import { Button, Code, Collapse, Group, Menu, Paper, ScrollArea, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconChevronDown,
  IconChevronLeft,
  IconCopy,
  IconEdit,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlayerStop,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import {
  connectorDetail,
  deleteConnector,
  restartConnector,
  restartTask,
  setConnectorState,
  type ConnectorAction,
  type ConnectTarget,
  type TaskState,
} from '../../api/connect';
import { toAppError, type AppError } from '../../api/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { MISSING } from '../../lib/format';
import { shortClass } from './ConnectorsOverview';
import { useBackend } from '../../lib/useBackend';
import { OffsetsPanel } from './OffsetsPanel';
import { ConnectStateBadge } from './StateBadge';

/** How often the open detail re-reads the status. */
export const STATUS_REFRESH_MS = 3000;

export interface ConnectorDetailViewProps {
  target: ConnectTarget;
  name: string;
  readOnly: boolean;
  onBack: () => void;
  onEdit: () => void;
}

function Trace({ trace, testId }: { trace: string; testId: string }) {
  const [open, setOpen] = useState(true);
  return (
    <Stack gap={4}>
      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setOpen((o) => !o)} w="fit-content">
        {open ? 'Hide' : 'Show'} the error trace
      </Button>
      <Collapse expanded={open}>
        <ScrollArea.Autosize mah={280} type="auto">
          <Code block fz="xs" data-testid={testId} style={{ whiteSpace: 'pre' }}>
            {trace}
          </Code>
        </ScrollArea.Autosize>
      </Collapse>
    </Stack>
  );
}

export function ConnectorDetailView({ target, name, readOnly, onBack, onEdit }: ConnectorDetailViewProps) {
  const { data, error, loading, reload } = useBackend(() => connectorDetail(target, name), `${JSON.stringify(target)}/${name}`, {
    intervalMs: STATUS_REFRESH_MS,
  });
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);

  const run = async (label: string, action: () => Promise<unknown>, done: string, after?: () => void) => {
    setBusy(label);
    setActionError(null);
    try {
      await action();
      notifications.show({ message: done, color: 'gray', autoClose: 2500 });
      if (after) after();
      else await reload();
    } catch (e) {
      setActionError(toAppError(e));
    } finally {
      setBusy(null);
    }
  };
  const act = (action: ConnectorAction) => run(action, () => setConnectorState(target, name, action), `Asked Connect to ${action} ${name}.`);
  const restart = (includeTasks: boolean, onlyFailed: boolean) =>
    run('restart', () => restartConnector(target, name, { includeTasks, onlyFailed }), `Asked Connect to restart ${name}.`);

  const summary = data?.summary;
  const state = summary?.state ?? '';
  const writeTip = readOnly ? 'Read-only connection: KafkaDesk does not change this Connect cluster.' : undefined;
  const copyConfig = async () => {
    if (!data) return;
    try {
      await navigator.clipboard.writeText(JSON.stringify({ name, config: data.config }, null, 2));
      notifications.show({ message: 'Config copied as JSON (secrets masked).', color: 'gray', autoClose: 2500 });
    } catch (e) {
      setActionError(toAppError(e));
    }
  };

  const taskRow = (t: TaskState) => (
    <Table.Tr key={t.id} data-testid="connector-task" data-task-id={t.id} data-state={t.state}>
      <Table.Td>{t.id}</Table.Td>
      <Table.Td>
        <ConnectStateBadge state={t.state} testId="task-state" />
      </Table.Td>
      <Table.Td className="kd-mono">{t.workerId || MISSING}</Table.Td>
      <Table.Td ta="right">
        <Tooltip label={writeTip} disabled={!readOnly}>
          <Button
            size="compact-xs"
            variant="default"
            leftSection={<IconRefresh size={12} />}
            disabled={readOnly || busy !== null}
            loading={busy === `task-${t.id}`}
            onClick={() => void run(`task-${t.id}`, () => restartTask(target, name, t.id), `Asked Connect to restart task ${t.id}.`)}
            data-testid="task-restart"
          >
            Restart task
          </Button>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );

  return (
    <Stack gap="md" data-testid="connector-detail" data-name={name} data-state={state} aria-busy={loading || undefined}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Button size="xs" variant="subtle" leftSection={<IconChevronLeft size={14} />} onClick={onBack} data-testid="connector-back">
            All connectors
          </Button>
          <Title order={3} size="h4" className="kd-mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {name}
          </Title>
          {summary ? <ConnectStateBadge state={state} testId="connector-detail-state" /> : null}
        </Group>
        <RefreshButton loading={loading} onClick={() => void reload()} testId="connector-refresh" />
      </Group>

      <Group gap="xs">
        {state === 'PAUSED' || state === 'STOPPED' ? (
          <Button size="xs" variant="default" leftSection={<IconPlayerPlay size={14} />} disabled={readOnly || !summary} loading={busy === 'resume'} onClick={() => void act('resume')} data-testid="connector-resume">
            Resume
          </Button>
        ) : (
          <Button size="xs" variant="default" leftSection={<IconPlayerPause size={14} />} disabled={readOnly || !summary} loading={busy === 'pause'} onClick={() => void act('pause')} data-testid="connector-pause">
            Pause
          </Button>
        )}
        <Button size="xs" variant="default" leftSection={<IconPlayerStop size={14} />} disabled={readOnly || !summary || state === 'STOPPED'} loading={busy === 'stop'} onClick={() => void act('stop')} data-testid="connector-stop">
          Stop
        </Button>
        <Menu position="bottom-start" withinPortal>
          <Menu.Target>
            <Button size="xs" variant="default" leftSection={<IconRefresh size={14} />} rightSection={<IconChevronDown size={12} />} disabled={readOnly || !summary} loading={busy === 'restart'} data-testid="connector-restart">
              Restart
            </Button>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item onClick={() => void restart(false, false)} data-testid="connector-restart-connector">
              The connector only
            </Menu.Item>
            <Menu.Item onClick={() => void restart(true, false)} data-testid="connector-restart-all">
              The connector and all its tasks
            </Menu.Item>
            <Menu.Item onClick={() => void restart(true, true)} data-testid="connector-restart-failed">
              Only what failed
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
        <Button size="xs" variant="default" leftSection={<IconEdit size={14} />} disabled={readOnly || !summary} onClick={onEdit} data-testid="connector-edit">
          Edit config
        </Button>
        <Button size="xs" variant="default" leftSection={<IconCopy size={14} />} disabled={!data} onClick={() => void copyConfig()} data-testid="connector-copy">
          Copy config as JSON
        </Button>
        <Tooltip label={writeTip} disabled={!readOnly}>
          <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} disabled={readOnly || !summary} onClick={() => setConfirmDelete(true)} data-testid="connector-delete">
            Delete
          </Button>
        </Tooltip>
      </Group>

      {error ? <ErrorBanner error={error} /> : null}
      {actionError ? <ErrorBanner error={actionError} onClose={() => setActionError(null)} /> : null}

      {summary ? (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
            {(
              [
                ['Type', summary.kind],
                // The short class name; the package is in the tooltip (a long dotted name
                // wrapped mid-word in the narrow card).
                ['Plugin', shortClass(summary.class)],
                ['Worker', summary.workerId || MISSING],
                ['Topics', summary.topics === null ? 'not tracked' : summary.topics.join(', ') || 'none yet'],
              ] as const
            ).map(([label, value]) => (
              <Paper key={label} withBorder p="xs" radius="md">
                <Text size="xs" c="dimmed">
                  {label}
                </Text>
                <Text
                  size="sm"
                  className="kd-mono"
                  style={{ overflowWrap: 'anywhere' }}
                  title={label === 'Plugin' ? summary.class : undefined}
                  data-testid={`connector-${label.toLowerCase()}`}
                >
                  {value}
                </Text>
              </Paper>
            ))}
          </SimpleGrid>
          {summary.trace ? <Trace trace={summary.trace} testId="connector-trace" /> : null}

          <Paper withBorder radius="md" p="sm">
            <Text fw={600} size="sm" mb="xs">
              Tasks
            </Text>
            {summary.tasks.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="connector-no-tasks">
                {state === 'STOPPED' ? 'Stopped: Connect has shut its tasks down. Resume to start them again.' : 'No tasks are assigned yet.'}
              </Text>
            ) : (
              <Table verticalSpacing={4}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Task</Table.Th>
                    <Table.Th>State</Table.Th>
                    <Table.Th>Worker</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>{summary.tasks.map(taskRow)}</Table.Tbody>
              </Table>
            )}
            {summary.tasks
              .filter((t) => t.trace)
              .map((t) => (
                <Stack key={t.id} gap={2} mt="xs">
                  <Text size="xs" c="red" fw={600}>
                    Task {t.id} failed on {t.workerId}:
                  </Text>
                  <Trace trace={t.trace ?? ''} testId="task-trace" />
                </Stack>
              ))}
          </Paper>

          <OffsetsPanel target={target} name={name} stopped={state === 'STOPPED'} readOnly={readOnly} />

          <Paper withBorder radius="md" p="sm">
            <Text fw={600} size="sm" mb="xs">
              Config
            </Text>
            <Table verticalSpacing={2} data-testid="connector-config">
              <Table.Tbody>
                {Object.entries(data?.config ?? {}).map(([k, v]) => (
                  <Table.Tr key={k} data-key={k}>
                    <Table.Td className="kd-mono" w="35%">
                      {k}
                    </Table.Td>
                    <Table.Td className="kd-mono" style={{ wordBreak: 'break-all' }} c={data?.masked.includes(k) ? 'dimmed' : undefined}>
                      {v}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </>
      ) : null}

      <TypedConfirmModal
        opened={confirmDelete}
        title={`Delete the connector ${name}?`}
        expected={name}
        confirmLabel="Delete connector"
        loading={busy === 'delete'}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => {
          setConfirmDelete(false);
          void run('delete', () => deleteConnector(target, name), `Deleted the connector ${name}.`, onBack);
        }}
      >
        Connect stops its tasks and forgets its config. Its offsets stay in the offsets topic; the topics it wrote stay as
        they are.
      </TypedConfirmModal>
    </Stack>
  );
}
