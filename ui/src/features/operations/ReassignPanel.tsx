/**
 * Partition reassignment: plan for a goal (decommission a broker, change a topic's
 * replication factor) or import a kafka-reassign-partitions.sh JSON, preview replicas
 * before → after, run with an inter-broker throttle, follow progress, cancel.
 */
import { useEffect, useRef, useState } from 'react';
import { Badge, Button, Group, NumberInput, Progress, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { IconArrowsShuffle } from '@tabler/icons-react';
import type { Broker } from '../../api/cluster';
import { toAppError } from '../../api/errors';
import {
  reassignCancel,
  reassignExecute,
  reassignImport,
  reassignPlan,
  reassignProgress,
  type PartitionMove,
  type PlanGoal,
  type ReassignmentPlan,
  type ReassignmentProgress,
} from '../../api/operations';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { formatBytes } from '../../lib/format';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { VirtualTable } from '../../components/VirtualTable';
import { useOperation } from '../../lib/useOperation';

type GoalKind = 'decommission' | 'balance' | 'replicationFactor' | 'import';
const PROGRESS_EVERY_MS = 1000;

function Replicas({ move }: { move: PartitionMove }) {
  return (
    <Group gap={4} wrap="nowrap" className="kd-mono">
      <span>{move.before.join(', ')}</span>
      <span>→</span>
      {move.after.map((b) => (
        <Badge key={b} size="sm" variant={move.before.includes(b) ? 'default' : 'filled'} color={move.before.includes(b) ? 'gray' : 'blue'}>
          {b}
        </Badge>
      ))}
    </Group>
  );
}

export function ReassignPanel({ profile, brokers }: { profile: Profile; brokers: Broker[] }) {
  const [goalKind, setGoalKind] = useState<GoalKind>('decommission');
  const [broker, setBroker] = useState<string | null>(brokers.length ? String(brokers[brokers.length - 1].id) : null);
  const [topic, setTopic] = useState('');
  const [factor, setFactor] = useState<number | string>(3);
  const [json, setJson] = useState('');
  const [throttleMb, setThrottleMb] = useState<number | string>(50);
  const [plan, setPlan] = useState<ReassignmentPlan | null>(null);
  const [running, setRunning] = useState<PartitionMove[] | null>(null);
  const [progress, setProgress] = useState<ReassignmentProgress | null>(null);
  const [confirm, setConfirm] = useState<'run' | 'cancel' | null>(null);
  const { busy, error, setError, run } = useOperation();

  const makePlan = () =>
    run(async () => {
      setProgress(null);
      setRunning(null);
      if (goalKind === 'import') {
        setPlan(await reassignImport(profile.id, json));
        return;
      }
      const onlyTopic = topic.trim() ? { topic: topic.trim() } : {};
      const goal: PlanGoal =
        goalKind === 'decommission'
          ? { kind: 'decommission', broker: Number(broker), ...onlyTopic }
          : goalKind === 'balance'
            ? { kind: 'balance', ...onlyTopic }
            : { kind: 'replicationFactor', topic: topic.trim(), replicationFactor: Number(factor) };
      setPlan(await reassignPlan(profile.id, goal));
    });

  // Decommission and balance may be limited to one topic.
  const onlyTopicInput = (testId: string, title?: string) => (
    <TextInput size="xs" placeholder="only this topic (optional)" title={title} value={topic} onChange={(e) => setTopic(e.currentTarget.value)} data-testid={testId} />
  );

  const throttle = typeof throttleMb === 'number' && throttleMb > 0 ? Math.round(throttleMb * 1024 * 1024) : null;
  const execute = () =>
    run(async () => {
      setConfirm(null);
      if (!plan) return;
      const outcomes = await reassignExecute(profile.id, plan.moves, throttle);
      const refused = outcomes.filter((o) => o.error);
      if (refused.length) {
        setError({ kind: 'Kafka', message: refused.map((o) => `${o.topic}-${o.partition}: ${o.error}`).join(' ') });
      }
      const started = plan.moves.filter((m) => !refused.some((o) => o.topic === m.topic && o.partition === m.partition));
      setRunning(started.length ? started : null);
    });

  const cancel = () =>
    run(async () => {
      setConfirm(null);
      if (!running) return;
      await reassignCancel(profile.id, running.map((m) => ({ topic: m.topic, partition: m.partition })));
      setRunning(null);
      setProgress(null);
    });

  // Follow the running moves until done; the last poll removes the throttle.
  const polling = useRef(false);
  useEffect(() => {
    if (!running) return undefined;
    let stopped = false;
    const tick = async () => {
      if (polling.current) return;
      polling.current = true;
      try {
        const p = await reassignProgress(profile.id, running, true);
        if (stopped) return;
        setProgress(p);
        if (p.finished) setRunning(null);
      } catch (e) {
        if (!stopped) setError(toAppError(e));
      } finally {
        polling.current = false;
      }
    };
    void tick();
    const timer = window.setInterval(() => void tick(), PROGRESS_EVERY_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [running, profile.id]);

  const brokerOptions = brokers.map((b) => ({ value: String(b.id), label: `Broker ${b.id}${b.rack ? ` (rack ${b.rack})` : ''}` }));
  return (
    <Stack gap="sm" data-testid="ops-reassign">
      <Group gap="xs" align="flex-end">
        <SegmentedControl
          size="xs"
          value={goalKind}
          onChange={(v) => setGoalKind(v as GoalKind)}
          data={[
            { value: 'decommission', label: <span data-testid="ops-goal-decommission">Move off a broker</span> },
            { value: 'balance', label: <span data-testid="ops-goal-balance">Balance</span> },
            { value: 'replicationFactor', label: <span data-testid="ops-goal-rf">Replication factor</span> },
            { value: 'import', label: <span data-testid="ops-goal-import">Import JSON</span> },
          ]}
        />
        {goalKind === 'decommission' ? (
          <>
            <Select size="xs" w={180} data={brokerOptions} value={broker} onChange={setBroker} allowDeselect={false} data-testid="ops-broker" />
            {onlyTopicInput('ops-decommission-topic')}
          </>
        ) : null}
        {goalKind === 'balance'
          ? onlyTopicInput('ops-balance-topic', "Evens out replicas, then preferred leaders, across brokers; keeps a partition's replicas on different racks where racks are set.")
          : null}
        {goalKind === 'replicationFactor' ? (
          <>
            <TextInput size="xs" placeholder="topic name" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} data-testid="ops-rf-topic" />
            <NumberInput size="xs" w={90} min={1} max={brokers.length} value={factor} onChange={setFactor} data-testid="ops-rf-factor" />
          </>
        ) : null}
        <Button size="xs" variant="default" loading={busy && !running} onClick={() => void makePlan()} data-testid="ops-plan">
          Plan
        </Button>
      </Group>
      {goalKind === 'import' ? (
        <Textarea
          size="xs"
          autosize
          minRows={4}
          maxRows={12}
          className="kd-mono"
          placeholder='{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2]}]}'
          value={json}
          onChange={(e) => setJson(e.currentTarget.value)}
          data-testid="ops-import-json"
        />
      ) : null}
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {!plan ? (
        <EmptyState
          icon={<IconArrowsShuffle size={22} />}
          title="No reassignment planned"
          description="Choose a goal and press Plan: the preview shows every partition's replicas before → after, nothing changes until you run it."
        />
      ) : plan.moves.length === 0 ? (
        <EmptyState icon={<IconArrowsShuffle size={22} />} title="Nothing to move" description="Every partition already matches this goal." data-testid="ops-plan-empty" />
      ) : (
        <>
          <Group gap="xs" align="flex-end">
            <Text size="sm" data-testid="ops-plan-count">
              {plan.moves.length} partition{plan.moves.length === 1 ? '' : 's'} to move, {plan.moves.reduce((n, m) => n + m.after.filter((b) => !m.before.includes(b)).length, 0)} new replica copies
              {' · '}
              <span data-testid="ops-plan-bytes" title="Each moving partition's size on disk times its new replicas">
                {plan.bytesToMove == null ? 'size unknown' : `${formatBytes(plan.bytesToMove)} to copy`}
              </span>
            </Text>
            <NumberInput
              size="xs"
              w={150}
              label="Throttle"
              placeholder="none"
              rightSection={<Text size="xs" c="dimmed">MiB/s</Text>}
              rightSectionWidth={48}
              hideControls
              min={0}
              value={throttleMb}
              onChange={setThrottleMb}
              data-testid="ops-throttle"
            />
            <Button size="xs" disabled={busy || !!running || profile.readOnly} onClick={() => setConfirm('run')} data-testid="ops-run">
              Run reassignment
            </Button>
            <Button
              size="xs"
              variant="default"
              onClick={() => void navigator.clipboard?.writeText(plan.json)}
              data-testid="ops-copy-json"
              title="The JSON kafka-reassign-partitions.sh --execute reads"
            >
              Copy JSON
            </Button>
          </Group>
          <VirtualTable
            rows={plan.moves}
            maxHeight={360}
            testId="ops-plan-table"
            head={
              <Table.Tr>
                <Table.Th>Topic</Table.Th>
                <Table.Th>Partition</Table.Th>
                <Table.Th>Replicas before → after</Table.Th>
                <Table.Th style={{ textAlign: 'right' }}>Size</Table.Th>
              </Table.Tr>
            }
            row={(m) => (
              <Table.Tr key={`${m.topic}-${m.partition}`} data-testid="ops-plan-row">
                <Table.Td className="kd-mono">{m.topic}</Table.Td>
                <Table.Td>{m.partition}</Table.Td>
                <Table.Td>
                  <Replicas move={m} />
                </Table.Td>
                <Table.Td style={{ textAlign: 'right' }} className="kd-tabular">
                  {formatBytes(m.sizeBytes)}
                </Table.Td>
              </Table.Tr>
            )}
          />
        </>
      )}
      {progress ? (
        <Stack gap={4} data-testid="ops-progress">
          <Group justify="space-between">
            <Text size="sm" fw={600} data-testid="ops-progress-text">
              {progress.finished
                ? `Done: ${progress.done} of ${progress.total} partitions moved${progress.throttleRemoved ? ', throttle removed' : ''}`
                : `Moving: ${progress.done} of ${progress.total} partitions done, ${progress.ongoing.length} copying`}
            </Text>
            {running ? (
              <Button size="xs" color="red" variant="light" disabled={busy || profile.readOnly} onClick={() => setConfirm('cancel')} data-testid="ops-cancel">
                Cancel reassignment
              </Button>
            ) : null}
          </Group>
          <Progress value={progress.total ? (100 * progress.done) / progress.total : 0} animated={!progress.finished} />
          {progress.ongoing.map((o) => (
            <Text key={`${o.topic}-${o.partition}`} size="xs" className="kd-mono">
              {o.topic}-{o.partition}: adding {o.adding.join(', ') || '–'}, removing {o.removing.join(', ') || '–'}
            </Text>
          ))}
        </Stack>
      ) : null}
      <TypedConfirmModal
        opened={confirm !== null}
        title={confirm === 'cancel' ? 'Cancel the running reassignment' : 'Run the reassignment'}
        expected={confirm === 'cancel' ? 'cancel' : 'reassign'}
        confirmLabel={confirm === 'cancel' ? 'Cancel reassignment' : 'Run reassignment'}
        loading={busy}
        onCancel={() => setConfirm(null)}
        onConfirm={() => void (confirm === 'cancel' ? cancel() : execute())}
        testId="ops-confirm"
      >
        {confirm === 'cancel'
          ? 'Partitions still copying go back to their old replicas; the throttle is removed.'
          : `${plan?.moves.length ?? 0} partitions get new replicas; brokers copy their data${throttle ? ` at most ${throttleMb} MiB/s each (throttle removed when done)` : ' without a throttle'}.`}
      </TypedConfirmModal>
    </Stack>
  );
}
