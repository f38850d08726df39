/** Leader election: which partitions are not on their preferred leader, and electing them. */
import { useState } from 'react';
import { Badge, Button, Group, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconCrown } from '@tabler/icons-react';
import { electLeaders, leaderPreview, type ElectionKind, type ElectionResult, type ElectionScope, type LeaderSkew } from '../../api/operations';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { VirtualTable } from '../../components/VirtualTable';
import { useOperation } from '../../lib/useOperation';

const ids = (list: number[]) => list.join(', ');

export function ElectionPanel({ profile }: { profile: Profile }) {
  const [scopeKind, setScopeKind] = useState<'cluster' | 'topic'>('cluster');
  const [topic, setTopic] = useState('');
  const [skewed, setSkewed] = useState<LeaderSkew[] | null>(null);
  const [results, setResults] = useState<ElectionResult[] | null>(null);
  const [confirm, setConfirm] = useState<ElectionKind | null>(null);
  const { busy, error, setError, run } = useOperation();
  const scope: ElectionScope = scopeKind === 'cluster' ? { kind: 'cluster' } : { kind: 'topic', topic: topic.trim() };

  const preview = () => run(async () => setSkewed(await leaderPreview(profile.id, scope)));
  const elect = (kind: ElectionKind) =>
    run(async () => {
      setConfirm(null);
      setResults(await electLeaders(profile.id, kind, scope));
      setSkewed(await leaderPreview(profile.id, scope));
    });

  return (
    <Stack gap="sm" data-testid="ops-election">
      <Group gap="xs" align="flex-end">
        <SegmentedControl
          size="xs"
          value={scopeKind}
          onChange={(v) => setScopeKind(v as 'cluster' | 'topic')}
          data={[
            { value: 'cluster', label: 'Whole cluster' },
            { value: 'topic', label: 'One topic' },
          ]}
        />
        {scopeKind === 'topic' ? (
          <TextInput size="xs" placeholder="topic name" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} data-testid="ops-election-topic" />
        ) : null}
        <Button size="xs" variant="default" loading={busy} onClick={() => void preview()} data-testid="ops-election-preview">
          Find partitions off their preferred leader
        </Button>
        <Button size="xs" disabled={busy || profile.readOnly} onClick={() => setConfirm('preferred')} data-testid="ops-elect-preferred">
          Elect preferred leaders
        </Button>
        <Button size="xs" color="red" variant="light" disabled={busy || profile.readOnly} onClick={() => setConfirm('unclean')} data-testid="ops-elect-unclean">
          Unclean election…
        </Button>
      </Group>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {skewed === null ? (
        <EmptyState icon={<IconCrown size={22} />} title="Leader balance not checked yet" description="Find the partitions whose leader is not their preferred (first) replica, then elect preferred leaders to move leadership back." />
      ) : skewed.length === 0 ? (
        <EmptyState icon={<IconCrown size={22} />} title="Every partition is led by its preferred replica" description="Nothing to elect in this scope." data-testid="ops-election-balanced" />
      ) : (
        <>
          <Text size="sm" data-testid="ops-election-count">
            {skewed.length} partition{skewed.length === 1 ? '' : 's'} not on their preferred leader
          </Text>
          <VirtualTable
            rows={skewed}
            maxHeight={360}
            testId="ops-election-table"
            head={
              <Table.Tr>
                <Table.Th>Topic</Table.Th>
                <Table.Th>Partition</Table.Th>
                <Table.Th>Leader</Table.Th>
                <Table.Th>Preferred</Table.Th>
                <Table.Th>Replicas</Table.Th>
                <Table.Th>In sync</Table.Th>
              </Table.Tr>
            }
            row={(s) => (
              <Table.Tr key={`${s.topic}-${s.partition}`} data-testid="ops-election-row">
                <Table.Td className="kd-mono">{s.topic}</Table.Td>
                <Table.Td>{s.partition}</Table.Td>
                <Table.Td>{s.leader ?? 'none'}</Table.Td>
                <Table.Td>{s.preferred}</Table.Td>
                <Table.Td className="kd-mono">{ids(s.replicas)}</Table.Td>
                <Table.Td>
                  {s.preferredInSync ? <Badge color="green" variant="light">ready</Badge> : <Badge color="orange" variant="light">preferred not in sync</Badge>}
                </Table.Td>
              </Table.Tr>
            )}
          />
        </>
      )}
      {results ? (
        <Stack gap={4} data-testid="ops-election-results">
          <Text size="sm" fw={600}>
            Election: {results.filter((r) => r.status === 'elected').length} elected, {results.filter((r) => r.status === 'notNeeded').length} already preferred,{' '}
            {results.filter((r) => r.status === 'failed').length} failed
          </Text>
          {results
            .filter((r) => r.status === 'failed')
            .map((r) => (
              <Text key={`${r.topic}-${r.partition}`} size="xs" c="red">
                {r.topic}-{r.partition}: {r.message}
              </Text>
            ))}
        </Stack>
      ) : null}
      <TypedConfirmModal
        opened={confirm !== null}
        title={confirm === 'unclean' ? 'Unclean leader election' : 'Elect preferred leaders'}
        expected={confirm === 'unclean' ? 'unclean' : 'elect'}
        confirmLabel={confirm === 'unclean' ? 'Elect unclean leaders' : 'Elect'}
        loading={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => confirm && void elect(confirm)}
        testId="ops-elect-confirm"
      >
        {confirm === 'unclean'
          ? 'An out-of-sync replica may become leader of a leaderless partition: messages it never received are lost.'
          : `Leadership moves back to each partition's preferred replica (${scopeKind === 'cluster' ? 'whole cluster' : `topic ${topic}`}). Clients reconnect to the new leaders.`}
      </TypedConfirmModal>
    </Stack>
  );
}
