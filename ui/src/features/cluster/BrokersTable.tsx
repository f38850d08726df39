import { Badge, Paper, Table, Text } from '@mantine/core';
import { IconServerOff } from '@tabler/icons-react';
import type { Broker } from '../../api/cluster';
import { EmptyState } from '../../components/EmptyState';
import { formatCount, MISSING } from '../../lib/format';

export interface BrokersTableProps {
  brokers: Broker[];
}

/** One compact row per broker, ordered by id; the controller carries a badge. */
export function BrokersTable({ brokers }: BrokersTableProps) {
  if (brokers.length === 0) {
    return (
      <Paper withBorder radius="md">
        <EmptyState
          icon={<IconServerOff size={22} />}
          title="No brokers reported"
          description="The cluster answered without broker metadata. Refresh to ask again."
        />
      </Paper>
    );
  }
  const rows = [...brokers].sort((a, b) => a.id - b.id);
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Table
        data-testid="brokers-table"
        highlightOnHover
        tabularNums
        className="kd-table"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={110}>ID</Table.Th>
            <Table.Th>Host</Table.Th>
            <Table.Th w={90}>Port</Table.Th>
            <Table.Th w={140}>Rack</Table.Th>
            <Table.Th w={100} ta="right">
              Leaders
            </Table.Th>
            <Table.Th w={100} ta="right">
              Replicas
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((broker) => (
            <Table.Tr key={broker.id} data-testid="broker-row" data-broker-id={broker.id}>
              <Table.Td>
                <span className="kd-mono" data-testid="broker-id">
                  {broker.id}
                </span>
                {broker.isController ? (
                  <Badge
                    ml={8}
                    size="xs"
                    variant="light"
                    radius="sm"
                    data-testid="controller-badge"
                    style={{ textTransform: 'none' }}
                  >
                    controller
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="broker-host">
                {broker.host}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="broker-port">
                {broker.port}
              </Table.Td>
              <Table.Td className="kd-mono" data-testid="broker-rack">
                {broker.rack ?? (
                  <Text span c="dimmed" inherit>
                    {MISSING}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right" className="kd-tabular" data-testid="broker-leaders">
                {formatCount(broker.leaderCount)}
              </Table.Td>
              <Table.Td ta="right" className="kd-tabular" data-testid="broker-replicas">
                {formatCount(broker.replicaCount)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
