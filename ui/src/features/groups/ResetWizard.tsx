/**
 * Offset reset in two steps: choose target and scope, see the dry-run preview
 * (current → new, lag before → after, clamping notes), then apply after typing
 * the group's name. Apply re-plans on the backend, exactly like Kafka's tool.
 */
import { useState } from 'react';
import { Button, Group, Modal, MultiSelect, Paper, SegmentedControl, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { toAppError, type AppError } from '../../api/errors';
import { applyReset, previewReset, type GroupDetail, type ResetPlan, type ResetRequest } from '../../api/groups';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatInteger } from '../../lib/format';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';

type TargetKind = 'earliest' | 'latest' | 'timestamp' | 'offset' | 'shift';
type ScopeKind = 'allTopics' | 'topic' | 'partitions';

export interface ResetWizardProps {
  profileId: string;
  detail: GroupDetail;
  opened: boolean;
  onClose: () => void;
  onApplied: (plan: ResetPlan) => void;
}

export function ResetWizard({ profileId, detail, opened, onClose, onApplied }: ResetWizardProps) {
  const topics = detail.topics.map((t) => t.topic);
  const [target, setTarget] = useState<TargetKind>('earliest');
  const [value, setValue] = useState('');
  const [scope, setScope] = useState<ScopeKind>('allTopics');
  const [topic, setTopic] = useState<string | null>(topics[0] ?? null);
  const [partitions, setPartitions] = useState<string[]>([]);
  const [plan, setPlan] = useState<ResetPlan | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const edited = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPlan(null);
    setError(null);
  };

  const request = (): ResetRequest | string => {
    let t: ResetRequest['target'];
    if (target === 'earliest' || target === 'latest') t = { kind: target };
    else if (target === 'timestamp') {
      const ms = new Date(value).getTime();
      if (!value || Number.isNaN(ms)) return 'Choose a date and time.';
      t = { kind: 'timestamp', timestamp: ms };
    } else {
      const n = Number(value.trim());
      if (!value.trim() || !Number.isInteger(n)) return target === 'offset' ? 'Enter an offset (a whole number).' : 'Enter how many messages to shift by, e.g. -100 or 50.';
      t = target === 'offset' ? { kind: 'offset', offset: n } : { kind: 'shift', by: n };
    }
    if (scope === 'allTopics') return { target: t, scope: { kind: 'allTopics' } };
    if (!topic) return 'Choose a topic.';
    if (scope === 'topic') return { target: t, scope: { kind: 'topic', topic } };
    if (partitions.length === 0) return 'Choose at least one partition.';
    return { target: t, scope: { kind: 'partitions', topic, partitions: partitions.map(Number) } };
  };

  const run = async (action: 'preview' | 'apply') => {
    const req = request();
    if (typeof req === 'string') {
      setError({ kind: 'InvalidInput', message: req });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (action === 'preview') setPlan(await previewReset(profileId, detail.groupId, req));
      else onApplied(await applyReset(profileId, detail.groupId, req));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const partitionChoices = detail.partitions.filter((p) => p.topic === topic).map((p) => String(p.partition));

  return (
    <Modal opened={opened} onClose={onClose} size="xl" title={<Text fw={600}>Reset offsets of {detail.groupId}</Text>} data-testid="reset-wizard">
      <Stack gap="sm">
        <Text size="xs" c="dimmed" fw={600} tt="uppercase">
          Move the committed offsets to
        </Text>
        <SegmentedControl
          value={target}
          onChange={edited((v: string) => setTarget(v as TargetKind))}
          data={[
            { value: 'earliest', label: 'Earliest' },
            { value: 'latest', label: 'Latest' },
            { value: 'timestamp', label: 'Time' },
            { value: 'offset', label: 'Offset' },
            { value: 'shift', label: 'Shift by ±N' },
          ]}
          data-testid="reset-target"
        />
        {target === 'timestamp' ? (
          <TextInput type="datetime-local" label="First message at or after (local time)" value={value} onChange={(e) => edited(setValue)(e.currentTarget.value)} data-testid="reset-value" />
        ) : target === 'offset' || target === 'shift' ? (
          <TextInput
            label={target === 'offset' ? 'Offset' : 'Messages to move (negative: back)'}
            value={value}
            onChange={(e) => edited(setValue)(e.currentTarget.value)}
            data-testid="reset-value"
            className="kd-mono"
          />
        ) : null}
        <Text size="xs" c="dimmed" fw={600} tt="uppercase" mt="xs">
          For
        </Text>
        <SegmentedControl
          value={scope}
          onChange={edited((v: string) => setScope(v as ScopeKind))}
          data={[
            { value: 'allTopics', label: 'All topics of the group' },
            { value: 'topic', label: 'One topic' },
            { value: 'partitions', label: 'Chosen partitions' },
          ]}
          data-testid="reset-scope"
        />
        {scope !== 'allTopics' ? (
          <Group grow align="flex-start">
            <Select label="Topic" data={topics} value={topic} onChange={edited(setTopic)} searchable data-testid="reset-topic" />
            {scope === 'partitions' ? (
              <MultiSelect label="Partitions" data={partitionChoices} value={partitions} onChange={edited(setPartitions)} data-testid="reset-partitions" />
            ) : null}
          </Group>
        ) : null}
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={onClose}>
            Cancel
          </Button>
          <Button size="xs" variant="light" loading={busy && !plan} onClick={() => void run('preview')} data-testid="reset-preview">
            Preview
          </Button>
          <Button size="xs" color="red" disabled={!plan || busy} onClick={() => setConfirming(true)} data-testid="reset-apply">
            Apply…
          </Button>
        </Group>
        {plan ? <PlanTable plan={plan} /> : null}
      </Stack>
      <TypedConfirmModal
        opened={confirming}
        title="Apply the offset reset"
        expected={detail.groupId}
        confirmLabel="Reset offsets"
        loading={busy}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void run('apply');
        }}
      >
        This commits new offsets for {formatCount(plan?.rows.length ?? 0)} partition(s) of {detail.groupId}. Its consumers
        will start from there.
      </TypedConfirmModal>
    </Modal>
  );
}

function PlanTable({ plan }: { plan: ResetPlan }) {
  return (
    <Paper withBorder radius="md" style={{ overflow: 'auto', maxHeight: 360 }}>
      <Text size="sm" p="xs" data-testid="reset-summary">
        Dry run: total lag {formatInteger(plan.lagBefore)} <IconArrowRight size={12} /> {formatInteger(plan.lagAfter)}. Nothing has changed yet.
      </Text>
      <Table data-testid="reset-plan" tabularNums className="kd-table" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Topic</Table.Th>
            <Table.Th ta="right">Partition</Table.Th>
            <Table.Th ta="right">Current</Table.Th>
            <Table.Th ta="right">New</Table.Th>
            <Table.Th ta="right">Lag before</Table.Th>
            <Table.Th ta="right">Lag after</Table.Th>
            <Table.Th>Note</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.rows.map((r) => (
            <Table.Tr key={`${r.topic}-${r.partition}`} data-testid="reset-row">
              <Table.Td className="kd-mono">{r.topic}</Table.Td>
              <Table.Td ta="right">{r.partition}</Table.Td>
              <Table.Td ta="right" data-testid="reset-current">
                {formatInteger(r.current)}
              </Table.Td>
              <Table.Td ta="right" fw={600} data-testid="reset-new">
                {formatInteger(r.new)}
              </Table.Td>
              <Table.Td ta="right">{formatInteger(r.lagBefore)}</Table.Td>
              <Table.Td ta="right" data-testid="reset-lag-after">
                {formatInteger(r.lagAfter)}
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="orange">
                  {r.note ?? ''}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
