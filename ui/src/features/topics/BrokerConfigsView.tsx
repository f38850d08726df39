/** Each broker's configs, read-only: value, source (default / static / dynamic), masked secrets. */
import { useState } from 'react';
import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import type { Broker } from '../../api/cluster';
import { fetchBrokerConfigs } from '../../api/topics';
import { ErrorBanner } from '../../components/ErrorBanner';
import { ConfigsTable } from './ConfigsTable';
import { useBackend } from '../../lib/useBackend';

export function BrokerConfigsView({ profileId, brokers }: { profileId: string; brokers: Broker[] }) {
  const ids = brokers.map((b) => b.id).sort((a, b) => a - b);
  const [broker, setBroker] = useState<number | null>(ids[0] ?? null);
  const configs = useBackend(
    () => (broker === null ? Promise.resolve([]) : fetchBrokerConfigs(profileId, broker)),
    `${profileId}/${broker}`,
  );
  return (
    <Stack gap="sm" data-testid="broker-configs">
      <Group gap="sm">
        <Text size="sm" fw={500}>
          Broker
        </Text>
        <SegmentedControl
          size="xs"
          data={ids.map((id) => ({ value: String(id), label: String(id) }))}
          value={broker === null ? undefined : String(broker)}
          onChange={(v) => setBroker(Number(v))}
          data-testid="broker-configs-select"
        />
      </Group>
      {configs.error ? <ErrorBanner error={configs.error} onClose={configs.clearError} /> : null}
      {configs.data ? <ConfigsTable entries={configs.data} data-testid="broker-configs-table" /> : null}
    </Stack>
  );
}
