/**
 * The connected cluster at a glance: ids, counts, and the brokers. Data comes
 * from `cluster_connect` / `cluster_overview`; this view only shows it.
 */
import type { ReactNode } from 'react';
import { Box, Button, Group, Kbd, Paper, SimpleGrid, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import type { ClusterOverview as Overview } from '../../api/cluster';
import type { Profile } from '../../api/profiles';
import { ColorDot } from '../../components/ColorDot';
import { RefreshButton } from '../../components/RefreshButton';
import { ReadOnlyBadge } from '../profiles/ProfileEditor';
import { formatCount, formatDuration, MISSING } from '../../lib/format';
import { BrokersTable } from './BrokersTable';

export interface ClusterOverviewProps {
  profile: Profile;
  overview: Overview;
  refreshing: boolean;
  disconnecting: boolean;
  onRefresh: () => void;
  onDisconnect: () => void;
}

export function ClusterOverview({
  profile,
  overview,
  refreshing,
  disconnecting,
  onRefresh,
  onDisconnect,
}: ClusterOverviewProps) {
  return (
    <Stack gap="lg" data-testid="cluster-overview" aria-busy={refreshing || undefined}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <Box style={{ minWidth: 0 }}>
          <Group gap="sm" wrap="nowrap">
            <ColorDot id={profile.id} color={profile.color} size={10} />
            <Title order={2} size="h3" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
              {profile.name}
            </Title>
            {profile.readOnly ? <ReadOnlyBadge /> : null}
          </Group>
          <Text size="xs" c="dimmed" className="kd-mono" mt={4} truncate="end" title={profile.bootstrapServers}>
            {profile.bootstrapServers}
          </Text>
        </Box>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="overview-latency" mr={4} style={{ whiteSpace: 'nowrap' }}>
            fetched in {formatDuration(overview.latencyMs)}
          </Text>
          <Tooltip label={<>Refresh <Kbd size="xs">R</Kbd></>}>
            <RefreshButton loading={refreshing} onClick={onRefresh} testId="overview-refresh" />
          </Tooltip>
          <Button
            size="xs"
            variant="light"
            color="red"
            leftSection={<IconPlugConnectedX size={14} />}
            loading={disconnecting}
            onClick={onDisconnect}
            data-testid="disconnect-button"
          >
            Disconnect
          </Button>
        </Group>
      </Group>

      <Group gap="xl">
        <Meta label="Cluster ID">
          <span data-testid="cluster-id">{overview.clusterId ?? MISSING}</span>
        </Meta>
        <Meta label="Controller">
          <span data-testid="controller-id">{overview.controllerId ?? MISSING}</span>
        </Meta>
      </Group>

      <SimpleGrid cols={3} spacing="md">
        <Stat label="Brokers" value={formatCount(overview.brokers.length)} testId="broker-count" />
        <Stat
          label="Topics"
          // Yours, not Kafka's own: a fresh cluster says 0, with its internal topics beside.
          value={formatCount(Math.max(0, overview.topicCount - overview.internalTopicCount))}
          testId="topic-count"
          hint={overview.internalTopicCount > 0 ? `plus ${formatCount(overview.internalTopicCount)} internal` : undefined}
        />
        <Stat label="Partitions" value={formatCount(overview.partitionCount)} testId="partition-count" />
      </SimpleGrid>

      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600} size="sm">
            Brokers
          </Text>
        </Group>
        <BrokersTable brokers={overview.brokers} />
      </Stack>
    </Stack>
  );
}

function Meta({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap={8} wrap="nowrap">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" className="kd-mono">
        {children}
      </Text>
    </Group>
  );
}

function Stat({ label, value, testId, hint }: { label: string; value: string; testId: string; hint?: string }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Group gap={8} align="baseline" mt={4}>
        <Text fz={28} fw={600} lh={1.1} className="kd-tabular" data-testid={testId}>
          {value}
        </Text>
        {hint ? (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        ) : null}
      </Group>
    </Paper>
  );
}
