/**
 * Configs of a topic or a broker: value, where it comes from, and what it falls back to.
 * Sensitive values are never sent by the broker and show masked. With `onSave`, a
 * value can be edited in place and a topic override reverted to its default.
 */
import { useMemo, useState } from 'react';
import { ActionIcon, Badge, Button, Group, Paper, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconPencil, IconSearch, IconX } from '@tabler/icons-react';
import type { ConfigEntry, ConfigSource } from '../../api/topics';
import { MISSING } from '../../lib/format';

const SOURCE_LABEL: Record<ConfigSource, string> = {
  topic: 'topic override',
  dynamicBroker: 'dynamic (broker)',
  dynamicDefaultBroker: 'dynamic (cluster default)',
  staticBroker: 'static (server.properties)',
  default: 'default',
  unknown: 'unknown',
};

const SOURCE_COLOR: Record<ConfigSource, string> = {
  topic: 'blue',
  dynamicBroker: 'grape',
  dynamicDefaultBroker: 'grape',
  staticBroker: 'teal',
  default: 'gray',
  unknown: 'gray',
};

export interface ConfigsTableProps {
  entries: ConfigEntry[];
  /** Set a value; absent for a read-only view. */
  onSave?: (name: string, value: string) => Promise<boolean>;
  /** Remove an override so the default applies again. */
  onRevert?: (name: string) => Promise<boolean>;
  busy?: string | null;
  'data-testid'?: string;
}

export function ConfigsTable({ entries, onSave, onRevert, busy = null, ...rest }: ConfigsTableProps) {
  const [filter, setFilter] = useState('');
  const [editing, setEditing] = useState<{ name: string; value: string } | null>(null);
  const rows = useMemo(() => {
    const needle = filter.toLowerCase();
    return entries.filter((e) => e.name.toLowerCase().includes(needle));
  }, [entries, filter]);
  const masked = <Text span c="dimmed" size="sm">••••• (sensitive)</Text>;

  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }} data-testid={rest['data-testid'] ?? 'configs-table'}>
      <Group p="xs" justify="space-between">
        <TextInput
          size="xs"
          placeholder="Filter configs"
          leftSection={<IconSearch size={14} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          style={{ width: 300 }}
          data-testid="configs-filter"
        />
        <Text size="xs" c="dimmed">
          {entries.filter((e) => e.source === 'topic').length} overridden · {entries.length} total
        </Text>
      </Group>
      <div style={{ maxHeight: 'calc(100vh - 340px)', overflow: 'auto' }}>
        <Table className="kd-table" highlightOnHover stickyHeader>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Config</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th w={190}>Source</Table.Th>
              <Table.Th>Default</Table.Th>
              {onSave ? <Table.Th w={90} /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => {
              const isEditing = editing?.name === entry.name;
              return (
                <Table.Tr key={entry.name} data-testid="config-row" data-config={entry.name} data-source={entry.source}>
                  <Table.Td className="kd-mono" style={{ fontSize: 13 }}>
                    {entry.name}
                  </Table.Td>
                  <Table.Td className="kd-mono" style={{ fontSize: 13, wordBreak: 'break-all' }} data-testid="config-value">
                    {isEditing ? (
                      <TextInput
                        size="xs"
                        value={editing.value}
                        onChange={(e) => {
                          const value = e.currentTarget.value;
                          setEditing({ name: entry.name, value });
                        }}
                        onKeyDown={async (e) => {
                          if (e.key === 'Enter' && onSave && (await onSave(entry.name, editing.value))) setEditing(null);
                          if (e.key === 'Escape') setEditing(null);
                        }}
                        data-testid="config-edit-input"
                        data-autofocus
                        autoFocus
                        spellCheck={false}
                      />
                    ) : entry.sensitive ? (
                      masked
                    ) : (
                      (entry.value ?? MISSING)
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge size="xs" variant="light" color={SOURCE_COLOR[entry.source]} data-testid="config-source">
                      {SOURCE_LABEL[entry.source]}
                    </Badge>
                  </Table.Td>
                  <Table.Td className="kd-mono" style={{ fontSize: 12 }} c="dimmed">
                    {entry.sensitive ? masked : (entry.defaultValue ?? MISSING)}
                    {entry.defaultFrom ? <Text span size="xs" c="dimmed"> ({entry.defaultFrom})</Text> : null}
                  </Table.Td>
                  {onSave ? (
                    <Table.Td>
                      {isEditing ? (
                        <Group gap={2} wrap="nowrap">
                          <ActionIcon
                            size="sm"
                            variant="filled"
                            loading={busy === entry.name}
                            aria-label="Save"
                            onClick={async () => {
                              if (await onSave(entry.name, editing.value)) setEditing(null);
                            }}
                            data-testid="config-save"
                          >
                            <IconCheck size={14} />
                          </ActionIcon>
                          <ActionIcon size="sm" variant="subtle" color="gray" aria-label="Cancel" onClick={() => setEditing(null)}>
                            <IconX size={14} />
                          </ActionIcon>
                        </Group>
                      ) : entry.readOnly || entry.sensitive ? null : (
                        <Group gap={2} wrap="nowrap">
                          <Tooltip label="Edit">
                            <ActionIcon
                              size="sm"
                              variant="subtle"
                              aria-label={`Edit ${entry.name}`}
                              onClick={() => setEditing({ name: entry.name, value: entry.value ?? '' })}
                              data-testid="config-edit"
                            >
                              <IconPencil size={14} />
                            </ActionIcon>
                          </Tooltip>
                          {entry.source === 'topic' && onRevert ? (
                            <Tooltip label="Revert to the default">
                              <ActionIcon
                                size="sm"
                                variant="subtle"
                                color="orange"
                                loading={busy === entry.name}
                                aria-label={`Revert ${entry.name}`}
                                onClick={() => void onRevert(entry.name)}
                                data-testid="config-revert"
                              >
                                <IconArrowBackUp size={14} />
                              </ActionIcon>
                            </Tooltip>
                          ) : null}
                        </Group>
                      )}
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {rows.length === 0 ? (
          <Text size="sm" c="dimmed" p="md" ta="center">
            No config matches "{filter}".{' '}
            <Button size="compact-xs" variant="subtle" onClick={() => setFilter('')}>
              Clear the filter
            </Button>
          </Text>
        ) : null}
      </div>
    </Paper>
  );
}
