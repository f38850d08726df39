/**
 * One group: members and their partitions, lag per partition and per topic, a lag
 * chart sampled every few seconds while open, and the reset / delete actions.
 */
import { lazy, Suspense, useCallback, useState, type ReactNode } from 'react';
import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp, IconChevronLeft, IconTrash } from '@tabler/icons-react';
import { toAppError, type AppError } from '../../api/errors';
import { deleteGroup, deleteGroupOffsets, describeGroup, type GroupDetail } from '../../api/groups';
import type { Profile } from '../../api/profiles';
import { RefreshButton } from '../../components/RefreshButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatCountOrUnknown, formatInteger, formatIntegerOrUnknown, MISSING } from '../../lib/format';
import type { LagSample } from './LagChart';
import type { Member } from '../../api/generated/Member';
import type { TopicPartitionRef } from '../../api/generated/TopicPartitionRef';
import { ResetWizard } from './ResetWizard';
import { StateBadge } from './StateBadge';
import { TypeBadge } from './TypeBadge';
import { SHARE_LAG_TIP } from './shareGroups';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { useBackend } from '../../lib/useBackend';
import { VirtualTable } from '../../components/VirtualTable';

// uPlot loads with the first chart, not with the app.
const LagChart = lazy(() => import('./LagChart').then((m) => ({ default: m.LagChart })));

/** How often the open view samples the lag. */
export const SAMPLE_MS = 5000;
const MAX_SAMPLES = 360;

type Pending = { kind: 'group' } | { kind: 'topic'; topic: string } | null;

export interface GroupDetailViewProps {
  profile: Profile;
  groupId: string;
  onBack: () => void;
  onDeleted: () => void;
}

export function GroupDetailView({ profile, groupId, onBack, onDeleted }: GroupDetailViewProps) {
  const [samples, setSamples] = useState<LagSample[]>([]);
  const record = useCallback(
    (d: GroupDetail) => setSamples((s) => [...s, { time: Date.now() / 1000, lag: d.totalLag }].slice(-MAX_SAMPLES)),
    [],
  );
  const { data: detail, error, loading, reload } = useBackend(() => describeGroup(profile.id, groupId), `${profile.id}/${groupId}`, {
    intervalMs: SAMPLE_MS,
    onData: record,
  });
  const [resetOpen, setResetOpen] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  const destroy = async () => {
    const what = pending;
    setPending(null);
    if (!what) return;
    setBusy(true);
    setActionError(null);
    try {
      if (what.kind === 'group') {
        await deleteGroup(profile.id, groupId);
        notifications.show({ message: `Deleted the group ${groupId}.` });
        onDeleted();
      } else {
        const n = await deleteGroupOffsets(profile.id, groupId, what.topic);
        notifications.show({ message: `Deleted ${groupId}'s offsets on ${what.topic} (${n} partitions).` });
        await reload();
      }
    } catch (e) {
      setActionError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const share = detail?.groupType === 'Share';
  const offsetsWord = share ? 'start offsets' : 'committed offsets';
  const writeTip = profile.readOnly ? 'Read-only connection: KafkaDesk does not change this cluster.' : undefined;

  const members = detail?.members ?? [];
  const withEpochs = members.some((m) => m.memberEpoch != null);
  const withTargets = members.some((m) => m.targetAssignment != null);
  const withSubscriptions = members.some((m) => m.subscribedTopics.length > 0 || m.subscribedRegex != null);

  return (
    <Stack gap="md" data-testid="group-detail" data-group-id={groupId} aria-busy={loading || undefined}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Button size="xs" variant="subtle" leftSection={<IconChevronLeft size={14} />} onClick={onBack} data-testid="group-back" style={{ flexShrink: 0 }}>
            All groups
          </Button>
          <Title order={3} size="h4" className="kd-mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={groupId}>
            {groupId}
          </Title>
          {detail ? (
            <Group gap={6} wrap="nowrap" style={{ flexShrink: 0 }}>
              <StateBadge state={detail.state} />
              <TypeBadge type={detail.groupType} />
            </Group>
          ) : null}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <RefreshButton loading={loading} onClick={() => void reload()} testId="group-refresh" />
          <Tooltip label={writeTip} disabled={!writeTip}>
            <Button size="xs" variant="light" leftSection={<IconArrowBackUp size={14} />} disabled={!detail || profile.readOnly} onClick={() => setResetOpen(true)} data-testid="group-reset">
              Reset offsets…
            </Button>
          </Tooltip>
          <Tooltip label={writeTip} disabled={!writeTip}>
            <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={14} />} disabled={!detail || profile.readOnly} loading={busy} onClick={() => setPending({ kind: 'group' })} data-testid="group-delete">
              Delete group…
            </Button>
          </Tooltip>
        </Group>
      </Group>

      {error ? <ErrorBanner error={error} /> : null}
      {actionError ? <ErrorBanner error={actionError} onClose={() => setActionError(null)} /> : null}

      {detail ? (
        <>
          <SimpleGrid cols={4} spacing="md">
            {share ? (
              <Stat label="Total lag" value="n/a" title={SHARE_LAG_TIP} testId="detail-total-lag" />
            ) : (
              <Stat label="Total lag" value={formatCountOrUnknown(detail.totalLag)} title={formatInteger(detail.totalLag)} testId="detail-total-lag" />
            )}
            <Stat label="Members" value={formatCount(detail.members.length)} testId="detail-members" />
            <Stat label="Type · protocol" value={`${detail.groupType} · ${detail.protocol || MISSING}`} testId="detail-type" />
            <Stat label="Coordinator" value={detail.coordinatorId == null ? MISSING : `broker ${detail.coordinatorId}`} testId="detail-coordinator" />
          </SimpleGrid>
          {detail.groupEpoch != null ? (
            <Text size="xs" c="dimmed" data-testid="detail-epochs">
              Group epoch {detail.groupEpoch} · target assignment epoch {detail.assignmentEpoch ?? MISSING}
              {detail.groupType === 'Consumer' ? ' · members whose epoch is behind are still moving to their target assignment' : ''}
            </Text>
          ) : null}
          {share ? null : (
            <Suspense fallback={null}>
              <LagChart samples={samples} />
            </Suspense>
          )}
          <Section title="Members">
            {detail.members.length === 0 ? (
              <Text size="sm" c="dimmed" p="sm" data-testid="members-empty">
                No active members: no {share ? 'share consumer' : 'consumer'} of this group is running, so its {offsetsWord} can be reset.
              </Text>
            ) : (
              <Table className="kd-table" data-testid="members-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Client id</Table.Th>
                    <Table.Th>Host</Table.Th>
                    <Table.Th>Member id</Table.Th>
                    {withEpochs ? <Table.Th ta="right">Epoch</Table.Th> : null}
                    {withSubscriptions ? <Table.Th>Subscribed to</Table.Th> : null}
                    <Table.Th>Assigned partitions</Table.Th>
                    {withTargets ? <Table.Th>Target assignment</Table.Th> : null}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {detail.members.map((m) => (
                    <Table.Tr key={m.memberId} data-testid="member-row">
                      <Table.Td className="kd-mono">{m.clientId}</Table.Td>
                      <Table.Td className="kd-mono">{m.host}</Table.Td>
                      <Table.Td className="kd-mono" style={{ maxWidth: 220, overflow: 'hidden', textOverflow: 'ellipsis' }} title={m.memberId}>
                        {m.memberId}
                      </Table.Td>
                      {withEpochs ? (
                        <Table.Td ta="right" data-testid="member-epoch">
                          {m.memberEpoch ?? MISSING}
                        </Table.Td>
                      ) : null}
                      {withSubscriptions ? <Table.Td className="kd-mono">{subscription(m)}</Table.Td> : null}
                      <Table.Td className="kd-mono">{partitionList(m.assignment)}</Table.Td>
                      {withTargets ? (
                        <Table.Td className="kd-mono" data-testid="member-target">
                          {m.targetAssignment == null ? MISSING : sameAssignment(m) ? 'reached' : partitionList(m.targetAssignment)}
                        </Table.Td>
                      ) : null}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Section>
          <Section title={share ? 'Topics' : 'Lag per topic'}>
            <Table className="kd-table" tabularNums data-testid="topics-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th ta="right">Partitions</Table.Th>
                  <Table.Th ta="right">Lag</Table.Th>
                  <Table.Th w={170} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.topics.map((t) => (
                  <Table.Tr key={t.topic} data-testid="topic-lag-row">
                    <Table.Td className="kd-mono">{t.topic}</Table.Td>
                    <Table.Td ta="right">{t.partitions}</Table.Td>
                    <Table.Td ta="right" title={share ? SHARE_LAG_TIP : formatInteger(t.lag)}>
                      {share ? 'n/a' : formatCountOrUnknown(t.lag)}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button size="compact-xs" variant="subtle" color="red" disabled={profile.readOnly} onClick={() => setPending({ kind: 'topic', topic: t.topic })} data-testid="topic-delete-offsets">
                        Delete offsets…
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Section>
          <Stack gap={6}>
            <Text fw={600} size="sm">
              {share ? 'Start offset per partition' : 'Lag per partition'}
            </Text>
            <VirtualTable
              rows={detail.partitions}
              testId="partitions-table"
              maxHeight={480}
              striped
              head={
                <Table.Tr>
                  <Table.Th>Topic</Table.Th>
                  <Table.Th ta="right">Partition</Table.Th>
                  <Table.Th ta="right">{share ? 'Start offset' : 'Committed'}</Table.Th>
                  <Table.Th ta="right">Log end</Table.Th>
                  <Table.Th ta="right">Lag</Table.Th>
                  <Table.Th>Consumer</Table.Th>
                </Table.Tr>
              }
              row={(p) => (
                <Table.Tr key={`${p.topic}-${p.partition}`} data-testid="partition-row" data-partition={p.partition}>
                  <Table.Td className="kd-mono">{p.topic}</Table.Td>
                  <Table.Td ta="right">{p.partition}</Table.Td>
                  <Table.Td ta="right" data-testid="partition-committed">
                    {formatInteger(p.committed)}
                  </Table.Td>
                  <Table.Td ta="right" data-testid="partition-log-end">
                    {formatIntegerOrUnknown(p.logEnd)}
                  </Table.Td>
                  <Table.Td ta="right" fw={p.lag ? 600 : undefined} data-testid="partition-lag" title={share ? SHARE_LAG_TIP : undefined}>
                    {p.committed == null ? MISSING : share ? 'n/a' : formatIntegerOrUnknown(p.lag)}
                  </Table.Td>
                  <Table.Td className="kd-mono">{p.clientId ?? MISSING}</Table.Td>
                </Table.Tr>
              )}
            />
          </Stack>
          <ResetWizard
            key={resetOpen ? 'open' : 'closed'}
            profileId={profile.id}
            detail={detail}
            opened={resetOpen}
            onClose={() => setResetOpen(false)}
            onApplied={(plan) => {
              setResetOpen(false);
              notifications.show({ message: `Reset ${plan.rows.length} partition(s) of ${groupId}: lag is now ${formatInteger(plan.lagAfter)}.` });
              void reload();
            }}
          />
        </>
      ) : null}

      <TypedConfirmModal
        opened={pending !== null}
        title={pending?.kind === 'topic' ? `Delete ${offsetsWord}` : share ? 'Delete share group' : 'Delete consumer group'}
        expected={groupId}
        confirmLabel={pending?.kind === 'topic' ? 'Delete offsets' : 'Delete group'}
        onCancel={() => setPending(null)}
        onConfirm={() => void destroy()}
      >
        {pending?.kind === 'topic'
          ? share
            ? `This deletes ${groupId}'s start offsets on ${pending.topic}. Its share consumers will start from the group's share.auto.offset.reset position there.`
            : `This deletes ${groupId}'s committed offsets on ${pending.topic}. Its consumers will start from their auto.offset.reset position there.`
          : `This deletes ${groupId} and all its ${offsetsWord}. It cannot be undone.`}
      </TypedConfirmModal>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Text fw={600} size="sm">
        {title}
      </Text>
      <Paper withBorder radius="md" style={{ overflow: 'auto' }}>
        {children}
      </Paper>
    </Stack>
  );
}

function Stat({ label, value, testId, title }: { label: string; value: string; testId: string; title?: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600} style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text fz={22} fw={600} lh={1.2} mt={2} className="kd-tabular" data-testid={testId} title={title}>
        {value}
      </Text>
    </Paper>
  );
}

function partitionList(partitions: TopicPartitionRef[]): string {
  return partitions.map((a) => `${a.topic}-${a.partition}`).join(', ') || MISSING;
}

function subscription(m: Member): string {
  const topics = m.subscribedTopics.join(', ');
  const regex = m.subscribedRegex ? `/${m.subscribedRegex}/` : '';
  return [topics, regex].filter(Boolean).join(', ') || MISSING;
}

/** KIP-848: a member whose assignment is its target has finished moving. */
function sameAssignment(m: Member): boolean {
  const key = (ps: TopicPartitionRef[]) => ps.map((a) => `${a.topic}\u0000${a.partition}`).sort().join('|');
  return m.targetAssignment != null && key(m.targetAssignment) === key(m.assignment);
}
