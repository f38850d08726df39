/**
 * Configs of a topic or a broker (one component for both): value, where it comes from,
 * and what it falls back to. The table fits its width: long values wrap at word
 * boundaries and fold behind "more", badges keep their words, ms and bytes also show in
 * human units. The summary counts what is really set here, dynamic and static apart.
 * Sensitive values are never sent by the broker and show masked. With `onSave`, a
 * value can be edited in place and a topic override reverted to its default.
 */
import { Fragment, useMemo, useState, type ReactNode } from 'react';
import { ActionIcon, Anchor, Badge, Button, Group, Paper, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconCheck, IconPencil, IconSearch, IconX } from '@tabler/icons-react';
import type { ConfigEntry, ConfigSource } from '../../api/topics';
import { MISSING } from '../../lib/format';
import { humanConfigValue } from './configUnits';

const SOURCE_LABEL: Record<ConfigSource, string> = {
  topic: 'topic',
  dynamicBroker: 'dynamic',
  dynamicDefaultBroker: 'cluster dynamic',
  staticBroker: 'static',
  default: 'default',
  unknown: 'unknown',
};

const SOURCE_HELP: Record<ConfigSource, string> = {
  topic: 'Set on this topic (an override)',
  dynamicBroker: 'Set on this broker at runtime (kafka-configs --entity-name)',
  dynamicDefaultBroker: 'Set at runtime for every broker (kafka-configs --entity-default)',
  staticBroker: "Set in this broker's server.properties",
  default: "Kafka's default",
  unknown: 'The broker did not say',
};

/** Values longer than this fold behind "more". */
const FOLD_AT = 160;

/** What is set here rather than defaulted, by kind: "2 set on the topic", "3 dynamic · 40 static". */
export function configsSummary(entries: ConfigEntry[]): string {
  const count = (...sources: ConfigSource[]) => entries.filter((e) => sources.includes(e.source)).length;
  const parts = [
    [count('topic'), 'set on the topic'],
    [count('dynamicBroker', 'dynamicDefaultBroker'), 'set dynamically'],
    [count('staticBroker'), 'set in server.properties'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, what]) => `${n} ${what}`);
  return parts.length > 0 ? parts.join(' · ') : 'all defaults';
}

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
        <Text size="xs" c="dimmed" data-testid="configs-summary">
          {configsSummary(entries)} · {entries.length} total
        </Text>
      </Group>
      <div style={{ maxHeight: 'calc(100vh - 300px)', minHeight: 200, overflowY: 'auto', overflowX: 'hidden' }}>
        <Table className="kd-table kd-configs" highlightOnHover stickyHeader style={{ tableLayout: 'fixed', width: '100%' }}>
          <colgroup>
            <col style={{ width: '30%' }} />
            <col style={{ width: '34%' }} />
            {/* Room for the widest source badge ("cluster dynamic") with the cell's padding. */}
            <col style={{ width: 136 }} />
            <col />
            {onSave ? <col style={{ width: 64 }} /> : null}
          </colgroup>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Config</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Source</Table.Th>
              <Table.Th>Default</Table.Th>
              {onSave ? <Table.Th /> : null}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((entry) => {
              const isEditing = editing?.name === entry.name;
              return (
                <Table.Tr key={entry.name} data-testid="config-row" data-config={entry.name} data-source={entry.source}>
                  <Table.Td className="kd-mono kd-wrap" style={{ fontSize: 13 }}>
                    {withBreaks(entry.name, NAME_BREAKS)}
                  </Table.Td>
                  <Table.Td className="kd-mono kd-wrap" style={{ fontSize: 13 }} data-testid="config-value">
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
                      <ConfigValue name={entry.name} value={entry.value} />
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={SOURCE_HELP[entry.source]} openDelay={300}>
                      <Badge size="xs" variant="light" color={SOURCE_COLOR[entry.source]} data-testid="config-source" style={{ overflow: 'visible', maxWidth: 'none' }}>
                        {SOURCE_LABEL[entry.source]}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td className="kd-mono kd-wrap" style={{ fontSize: 12 }} c="dimmed">
                    {entry.sensitive ? masked : <ConfigValue name={entry.name} value={entry.defaultValue} />}
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

/** A value with its human reading; a long one folds behind "more". */
function ConfigValue({ name, value }: { name: string; value: string | null }) {
  const [open, setOpen] = useState(false);
  if (value === null) return <>{MISSING}</>;
  const human = humanConfigValue(name, value);
  const long = value.length > FOLD_AT;
  return (
    <>
      <span data-testid="config-raw">{withBreaks(long && !open ? `${value.slice(0, FOLD_AT)}…` : value, VALUE_BREAKS)}</span>
      {human ? (
        <Text span size="xs" c="dimmed" data-testid="config-human">
          {' '}({human})
        </Text>
      ) : null}
      {long ? (
        <Anchor component="button" size="xs" ml={4} onClick={() => setOpen(!open)} data-testid="config-expand">
          {open ? 'less' : 'more'}
        </Anchor>
      ) : null}
    </>
  );
}

/**
 * Text that may break after each match of `marks` (one capture group), like words: a name
 * after its dots (`log.retention.ms`), a list after its commas and a URL after its scheme
 * (`PLAINTEXT://h:9092,SSL://h:9093`). Elsewhere the cell breaks only where a part is too
 * long for it.
 */
function withBreaks(text: string, marks: RegExp): ReactNode {
  // Split on a capture group keeps the marks, at the odd places.
  return text.split(marks).map((piece, i) =>
    i % 2 === 1 ? (
      <Fragment key={i}>
        {piece}
        <wbr />
      </Fragment>
    ) : (
      piece
    ),
  );
}

const NAME_BREAKS = /(\.)/;
const VALUE_BREAKS = /(,|:\/\/)/;
