import { Badge, Group, Paper, Table, Text } from '@mantine/core';
import type { PartitionDetail } from '../../api/topics';
import { formatIntegerOrUnknown, MISSING } from '../../lib/format';

const list = (ids: number[]) => (ids.length ? ids.join(', ') : MISSING);

/** One row per partition: leader, replicas (preferred first), ISR, health flags, watermarks. */
export function PartitionsTable({ partitions }: { partitions: PartitionDetail[] }) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'auto', maxHeight: 'calc(100vh - 320px)' }}>
      <Table data-testid="partitions-table" className="kd-table" tabularNums highlightOnHover stickyHeader>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={90}>Partition</Table.Th>
            <Table.Th w={80}>Leader</Table.Th>
            <Table.Th>Replicas</Table.Th>
            <Table.Th>ISR</Table.Th>
            <Table.Th>Offline</Table.Th>
            <Table.Th>Flags</Table.Th>
            <Table.Th ta="right">Low</Table.Th>
            <Table.Th ta="right">High</Table.Th>
            <Table.Th ta="right">Messages</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {partitions.map((p) => (
            <Table.Tr key={p.partition} data-testid="partition-row" data-partition={p.partition}>
              <Table.Td className="kd-mono">{p.partition}</Table.Td>
              <Table.Td className="kd-mono" data-testid="partition-leader">
                {p.leader ?? (
                  <Text span c="red" fw={600} size="sm">
                    none
                  </Text>
                )}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="partition-replicas">
                {list(p.replicas)}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="partition-isr">
                {list(p.isr)}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="partition-offline">
                {list(p.offlineReplicas)}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {p.leader === null ? (
                    <Badge size="xs" color="red" data-testid="flag-offline">
                      offline
                    </Badge>
                  ) : null}
                  {p.underReplicated ? (
                    <Badge size="xs" color="orange" data-testid="flag-under-replicated">
                      under-replicated
                    </Badge>
                  ) : null}
                  {p.notPreferredLeader ? (
                    <Badge size="xs" color="yellow" variant="light" data-testid="flag-not-preferred">
                      not preferred leader
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td ta="right" className="kd-mono">
                {formatIntegerOrUnknown(p.low)}
              </Table.Td>
              <Table.Td ta="right" className="kd-mono">
                {formatIntegerOrUnknown(p.high)}
              </Table.Td>
              <Table.Td ta="right" className="kd-mono" data-testid="partition-messages">
                {formatIntegerOrUnknown(p.messages)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
