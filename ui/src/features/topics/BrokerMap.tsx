/**
 * Broker × partition map: one row per broker, one cell per partition. A filled cell
 * leads, a light one follows in sync, a red outline follows out of sync; a broker that
 * is gone shows as a struck-out row. Leadership skew and a dead broker read at a glance.
 */
import { Box, Group, Paper, Text, Tooltip } from '@mantine/core';
import type { TopicDetail } from '../../api/topics';

type Role = 'leader' | 'in-sync' | 'out-of-sync' | 'offline' | null;

function role(detail: TopicDetail, broker: number, partition: number): Role {
  const p = detail.partitions[partition];
  if (!p.replicas.includes(broker)) return null;
  if (p.offlineReplicas.includes(broker)) return 'offline';
  if (p.leader === broker) return 'leader';
  return p.isr.includes(broker) ? 'in-sync' : 'out-of-sync';
}

const CELL = 18;

export function BrokerMap({ detail }: { detail: TopicDetail }) {
  const brokers = [...new Set([...detail.brokers, ...detail.partitions.flatMap((p) => p.replicas)])].sort((a, b) => a - b);
  return (
    <Paper withBorder radius="md" p="sm" data-testid="broker-map">
      <Group gap="md" mb="xs">
        <Legend color="var(--mantine-color-blue-6)" label="leader" />
        <Legend color="var(--mantine-color-blue-1)" label="follower, in sync" />
        <Legend color="transparent" border="var(--mantine-color-red-6)" label="follower, out of sync" />
        <Legend color="var(--mantine-color-gray-5)" label="on a broker that is down" />
      </Group>
      <Box style={{ overflowX: 'auto' }}>
        {brokers.map((broker) => {
          const live = detail.brokers.includes(broker);
          const leads = detail.partitions.filter((p) => p.leader === broker).length;
          return (
            <Group key={broker} gap={4} wrap="nowrap" mb={4} data-testid="broker-map-row" data-broker-id={broker} data-live={live}>
              <Text size="xs" className="kd-mono" w={86} td={live ? undefined : 'line-through'} c={live ? undefined : 'red'}>
                broker {broker}
              </Text>
              <Text size="xs" c="dimmed" w={64} data-testid="broker-map-leads">
                {leads} led
              </Text>
              {detail.partitions.map((p, i) => {
                const r = role(detail, broker, i);
                return (
                  <Tooltip key={p.partition} label={`partition ${p.partition}: ${r ?? 'no replica'}`} openDelay={300}>
                    <Box
                      data-testid="broker-map-cell"
                      data-role={r ?? 'none'}
                      style={{
                        width: CELL,
                        height: CELL,
                        flex: 'none',
                        borderRadius: 3,
                        fontSize: 9,
                        lineHeight: `${CELL}px`,
                        textAlign: 'center',
                        color: r === 'leader' ? 'white' : 'var(--mantine-color-dimmed)',
                        background:
                          r === 'leader'
                            ? 'var(--mantine-color-blue-6)'
                            : r === 'in-sync'
                              ? 'var(--mantine-color-blue-1)'
                              : r === 'offline'
                                ? 'var(--mantine-color-gray-5)'
                                : 'transparent',
                        border:
                          r === 'out-of-sync'
                            ? '2px solid var(--mantine-color-red-6)'
                            : r === null
                              ? '1px dashed var(--mantine-color-default-border)'
                              : undefined,
                      }}
                    >
                      {p.partition}
                    </Box>
                  </Tooltip>
                );
              })}
            </Group>
          );
        })}
      </Box>
    </Paper>
  );
}

function Legend({ color, border, label }: { color: string; border?: string; label: string }) {
  return (
    <Group gap={4}>
      <Box style={{ width: 12, height: 12, borderRadius: 3, background: color, border: border ? `2px solid ${border}` : undefined }} />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
