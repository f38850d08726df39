/** Every connector of one Connect cluster: type, class, state, task states, topics; filters. */
import { useMemo, useState } from 'react';
import { Badge, Button, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconPlugConnected, IconPlus, IconSearch } from '@tabler/icons-react';
import { listConnectors, type ConnectorSummary, type ConnectTarget } from '../../api/connect';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { formatCount, MISSING } from '../../lib/format';
import { useBackend } from '../../lib/useBackend';
import { ConnectStateBadge } from './StateBadge';

/** The list re-asks Connect this often while shown. */
const LIST_REFRESH_MS = 10000;

/** `org.apache.kafka.connect.file.FileStreamSourceConnector` → `FileStreamSourceConnector`. */
export function shortClass(cls: string): string {
  return cls.split('.').pop() || cls;
}

/** "2 RUNNING · 1 FAILED": how many tasks are in each state. */
export function taskCounts(c: ConnectorSummary): [string, number][] {
  const counts = new Map<string, number>();
  for (const t of c.tasks) counts.set(t.state, (counts.get(t.state) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Connectors kept by the text filter (name, class, topic) and the state filter. */
export function filterConnectors(list: ConnectorSummary[], text: string, state: string): ConnectorSummary[] {
  const needle = text.trim().toLowerCase();
  return list.filter(
    (c) =>
      (state === 'ALL' || c.state === state || c.tasks.some((t) => t.state === state)) &&
      (!needle ||
        c.name.toLowerCase().includes(needle) ||
        c.class.toLowerCase().includes(needle) ||
        (c.topics ?? []).some((t) => t.toLowerCase().includes(needle))),
  );
}

export interface ConnectorsOverviewProps {
  target: ConnectTarget;
  clusterName: string;
  readOnly: boolean;
  onOpen: (name: string) => void;
  onCreate: () => void;
}

export function ConnectorsOverview({ target, clusterName, readOnly, onOpen, onCreate }: ConnectorsOverviewProps) {
  const load = () => listConnectors(target);
  const { data, error, loading, reload } = useBackend(load, JSON.stringify(target), { intervalMs: LIST_REFRESH_MS });
  const [text, setText] = useState('');
  const [state, setState] = useState('ALL');
  const list = useMemo(() => data ?? [], [data]);
  const states = useMemo(() => [...new Set(list.flatMap((c) => [c.state, ...c.tasks.map((t) => t.state)]))].sort(), [list]);
  const rows = useMemo(() => filterConnectors(list, text, state), [list, text, state]);

  return (
    <Stack gap="sm" data-testid="connectors-view" aria-busy={loading || undefined}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Connectors on {clusterName}
          {data ? ` (${formatCount(data.length)})` : ''}
        </Text>
        <Group gap="xs">
          <Tooltip label="Read-only connection: KafkaDesk does not change this Connect cluster." disabled={!readOnly}>
            <Button size="xs" leftSection={<IconPlus size={14} />} disabled={readOnly} onClick={onCreate} data-testid="connector-new">
              New connector
            </Button>
          </Tooltip>
          <RefreshButton loading={loading} onClick={() => void reload()} testId="connectors-refresh" />
        </Group>
      </Group>
      {error ? <ErrorBanner error={error} /> : null}
      {data && data.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState
            icon={<IconPlugConnected size={22} />}
            title="No connectors yet"
            description="Create one from a plugin installed on the workers; Connect validates its config before it starts."
            action={
              readOnly ? undefined : (
                <Button size="xs" onClick={onCreate}>
                  New connector
                </Button>
              )
            }
            data-testid="connectors-empty"
          />
        </Paper>
      ) : null}
      {data && data.length > 0 ? (
        <>
          <Group gap="sm">
            <TextInput
              placeholder="Filter by name, class or topic"
              leftSection={<IconSearch size={14} />}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              size="xs"
              w={300}
              data-testid="connectors-filter"
            />
            <SegmentedControl
              size="xs"
              value={state}
              onChange={setState}
              data={[{ value: 'ALL', label: 'All' }, ...states.map((s) => ({ value: s, label: s }))]}
              data-testid="connectors-state-filter"
            />
          </Group>
          <Paper withBorder radius="md">
            <Table highlightOnHover verticalSpacing={6} data-testid="connectors-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Plugin</Table.Th>
                  <Table.Th>State</Table.Th>
                  <Table.Th>Tasks</Table.Th>
                  <Table.Th>Topics</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((c) => (
                  <Table.Tr
                    key={c.name}
                    onClick={() => onOpen(c.name)}
                    style={{ cursor: 'pointer' }}
                    data-testid="connector-row"
                    data-name={c.name}
                    data-state={c.state}
                  >
                    <Table.Td className="kd-mono">{c.name}</Table.Td>
                    <Table.Td>{c.kind}</Table.Td>
                    <Table.Td>
                      <Tooltip label={c.class} openDelay={400}>
                        <Text size="sm" span className="kd-mono">
                          {shortClass(c.class) || MISSING}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <ConnectStateBadge state={c.state} />
                    </Table.Td>
                    <Table.Td data-testid="connector-tasks">
                      <Group gap={4}>
                        {c.tasks.length === 0 ? (
                          <Text size="xs" c="dimmed">
                            none
                          </Text>
                        ) : (
                          taskCounts(c).map(([s, n]) => (
                            <Badge key={s} size="xs" variant="outline" color={s === 'FAILED' ? 'red' : s === 'RUNNING' ? 'teal' : 'gray'}>
                              {n} {s}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td className="kd-mono" data-testid="connector-topics">
                      <Text size="xs" lineClamp={2}>
                        {c.topics === null ? MISSING : c.topics.join(', ') || 'none yet'}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {rows.length === 0 ? (
              <Text size="sm" c="dimmed" p="md" data-testid="connectors-no-match">
                No connector matches these filters.
              </Text>
            ) : null}
          </Paper>
        </>
      ) : null}
    </Stack>
  );
}
