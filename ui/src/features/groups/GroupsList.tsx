/** Every consumer group with state, type, members, coordinator and total lag; filter and sort. */
import { useMemo, useState } from 'react';
import { Group, Paper, Table, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSearch, IconUsersGroup } from '@tabler/icons-react';
import type { GroupSummary } from '../../api/groups';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, formatCountOrUnknown, formatInteger, MISSING } from '../../lib/format';
import { StateBadge } from './StateBadge';
import { TypeBadge } from './TypeBadge';
import { SHARE_LAG_TIP } from './shareGroups';
import { VirtualTable } from '../../components/VirtualTable';

type SortKey = 'groupId' | 'state' | 'memberCount' | 'totalLag';

export interface GroupsListProps {
  groups: GroupSummary[];
  onOpen: (groupId: string) => void;
}

export function GroupsList({ groups, onOpen }: GroupsListProps) {
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'totalLag', desc: true });

  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept = groups.filter(
      (g) => !needle || g.groupId.toLowerCase().includes(needle) || g.state.toLowerCase().includes(needle),
    );
    const sign = sort.desc ? -1 : 1;
    return kept.sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return sign * order || a.groupId.localeCompare(b.groupId);
    });
  }, [groups, filter, sort]);

  if (groups.length === 0) {
    return (
      <Paper withBorder radius="md">
        <EmptyState
          icon={<IconUsersGroup size={22} />}
          title="No consumer groups yet"
          description="Groups appear once a consumer with a group.id joins or commits offsets. Start one, then refresh."
          data-testid="groups-empty"
        />
      </Paper>
    );
  }

  const header = (key: SortKey, label: string, right = false) => (
    <Table.Th ta={right ? 'right' : undefined}>
      <UnstyledButton
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== 'groupId' && key !== 'state' }))}
        data-testid={`groups-sort-${key}`}
        // Look like the other headers (the button would reset the table's header font).
        style={{ font: 'inherit', color: 'inherit', textTransform: 'inherit', letterSpacing: 'inherit' }}
      >
        <Group gap={4} wrap="nowrap" justify={right ? 'flex-end' : undefined}>
          <span>{label}</span>
          {sort.key === key ? sort.desc ? <IconArrowDown size={12} /> : <IconArrowUp size={12} /> : null}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );

  return (
    <>
      <TextInput
        placeholder="Filter by group or state"
        leftSection={<IconSearch size={14} />}
        value={filter}
        onChange={(e) => setFilter(e.currentTarget.value)}
        data-testid="groups-filter"
        size="xs"
        w={320}
      />
      <VirtualTable
        rows={rows}
        testId="groups-table"
        maxHeight={560}
        head={
          <Table.Tr>
            {header('groupId', 'Group')}
            {header('state', 'State')}
            <Table.Th>Type</Table.Th>
            <Table.Th>Protocol</Table.Th>
            {header('memberCount', 'Members', true)}
            <Table.Th ta="right">Coordinator</Table.Th>
            {header('totalLag', 'Total lag', true)}
          </Table.Tr>
        }
        row={(g) => (
          <Table.Tr
            key={g.groupId}
            data-testid="group-row"
            data-group-id={g.groupId}
            onClick={() => onOpen(g.groupId)}
            style={{ cursor: 'pointer' }}
          >
            <Table.Td className="kd-mono">{g.groupId}</Table.Td>
            <Table.Td>
              <StateBadge state={g.state} />
            </Table.Td>
            <Table.Td>
              <TypeBadge type={g.groupType} />
            </Table.Td>
            <Table.Td className="kd-mono">{g.protocol || MISSING}</Table.Td>
            <Table.Td ta="right" data-testid="group-members">
              {formatCount(g.memberCount)}
            </Table.Td>
            <Table.Td ta="right" className="kd-mono">
              {g.coordinatorId ?? MISSING}
            </Table.Td>
            <Table.Td ta="right" data-testid="group-lag" title={formatInteger(g.totalLag)}>
              {g.groupType === 'Streams' ? (
                <Text span c="dimmed" size="xs" title={g.error ?? undefined}>
                  not described
                </Text>
              ) : g.error ? (
                <Text span c="red" size="xs" title={g.error}>
                  error
                </Text>
              ) : g.groupType === 'Share' ? (
                <Text span c="dimmed" size="xs" title={SHARE_LAG_TIP}>
                  n/a
                </Text>
              ) : (
                formatCountOrUnknown(g.totalLag)
              )}
            </Table.Td>
          </Table.Tr>
        )}
      />
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" p="md" data-testid="groups-no-match">
          No group matches “{filter}”.
        </Text>
      ) : null}
    </>
  );
}
