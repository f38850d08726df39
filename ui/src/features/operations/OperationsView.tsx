/**
 * The "Operations" tab: preferred / unclean leader election, partition reassignment
 * (plan, preview, throttle, progress, cancel, kafka-reassign-partitions.sh JSON), client
 * quotas and transactions.
 * Read-only profiles can preview; the backend refuses every change on them too.
 */
import { useState } from 'react';
import { SegmentedControl, Stack } from '@mantine/core';
import type { Broker } from '../../api/cluster';
import type { Profile } from '../../api/profiles';
import { ElectionPanel } from './ElectionPanel';
import { QuotasPanel } from './QuotasPanel';
import { ReassignPanel } from './ReassignPanel';
import { TransactionsPanel } from './TransactionsPanel';

type Section = 'reassign' | 'election' | 'quotas' | 'transactions';

export function OperationsView({ profile, brokers }: { profile: Profile; brokers: Broker[] }) {
  const [section, setSection] = useState<Section>('reassign');
  return (
    <Stack gap="sm" data-testid="operations-view">
      <SegmentedControl
        size="xs"
        w="fit-content"
        value={section}
        onChange={(v) => setSection(v as Section)}
        data={[
          { value: 'reassign', label: <span data-testid="ops-section-reassign">Partition reassignment</span> },
          { value: 'election', label: <span data-testid="ops-section-election">Leader election</span> },
          { value: 'quotas', label: <span data-testid="ops-section-quotas">Quotas</span> },
          { value: 'transactions', label: <span data-testid="ops-section-transactions">Transactions</span> },
        ]}
      />
      {section === 'reassign' ? <ReassignPanel profile={profile} brokers={brokers} /> : null}
      {section === 'election' ? <ElectionPanel profile={profile} /> : null}
      {section === 'quotas' ? <QuotasPanel profile={profile} /> : null}
      {section === 'transactions' ? <TransactionsPanel profile={profile} /> : null}
    </Stack>
  );
}
