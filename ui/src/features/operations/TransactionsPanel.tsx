/**
 * Transactions: every transactional id with its state, producer, partitions and age;
 * open ones older than a threshold flagged as hanging; the producers of a topic's
 * partitions (DescribeProducers) with the open transactions holding back the last stable
 * offset, and aborting one behind a typed confirmation.
 */
import { useEffect, useRef, useState } from 'react';
import { Alert, Badge, Button, Code, Group, NumberInput, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { IconArrowsExchange } from '@tabler/icons-react';
import {
  transactionAbort,
  transactionProducers,
  transactionsList,
  type ProducerInfo,
  type TopicProducers,
  type TransactionInfo,
  type TransactionList,
} from '../../api/operations';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { VirtualTable } from '../../components/VirtualTable';
import { formatDuration, formatInteger } from '../../lib/format';
import { useOperation } from '../../lib/useOperation';

const DEFAULT_THRESHOLD_MINUTES = 5;
const OPEN = new Set(['Ongoing', 'PrepareCommit', 'PrepareAbort', 'PrepareEpochFence']);

function stateColor(state: string): string {
  if (state === 'CompleteCommit') return 'green';
  if (state === 'CompleteAbort') return 'gray';
  if (OPEN.has(state)) return 'blue';
  return 'gray';
}

/** `t-0, t-1, u-3` (first few), for a transaction's partitions. */
function partitionsText(t: TransactionInfo): string {
  const shown = t.partitions.slice(0, 4).map((p) => `${p.topic}-${p.partition}`);
  return t.partitions.length > 4 ? `${shown.join(', ')} +${t.partitions.length - 4}` : shown.join(', ');
}

/** The same abort with Kafka's own tool, for runbooks. */
export function abortCommand(bootstrap: string, topic: string, p: ProducerInfo): string {
  return (
    `kafka-transactions.sh --bootstrap-server ${bootstrap} abort --topic ${topic} --partition ${p.partition} ` +
    `--producer-id ${p.producerId} --producer-epoch ${p.producerEpoch} --coordinator-epoch ${Math.max(p.coordinatorEpoch, 0)}`
  );
}

export function TransactionsPanel({ profile }: { profile: Profile }) {
  const [minutes, setMinutes] = useState<number | string>(DEFAULT_THRESHOLD_MINUTES);
  const [list, setList] = useState<TransactionList | null>(null);
  const [onlyOpen, setOnlyOpen] = useState(false);
  const [topic, setTopic] = useState('');
  const [producers, setProducers] = useState<TopicProducers | null>(null);
  const [aborting, setAborting] = useState<ProducerInfo | null>(null);
  const [aborted, setAborted] = useState<string | null>(null);
  const { busy, error, setError, run } = useOperation();
  const thresholdMs = Math.max(1, Math.round(Number(minutes) * 60_000)) || DEFAULT_THRESHOLD_MINUTES * 60_000;

  const refresh = () => run(async () => setList(await transactionsList(profile.id, thresholdMs)));
  const showProducers = (name: string) =>
    run(async () => {
      setTopic(name);
      setAborted(null);
      setProducers(await transactionProducers(profile.id, name.trim(), thresholdMs));
    });
  const abort = (p: ProducerInfo) =>
    run(async () => {
      if (!producers) return;
      setAborting(null);
      await transactionAbort(profile.id, { topic: producers.topic, partition: p.partition }, p.producerId);
      setAborted(`Aborted the transaction of producer ${p.producerId} on ${producers.topic}-${p.partition}.`);
      setProducers(await transactionProducers(profile.id, producers.topic, thresholdMs));
    });
  useEffect(() => {
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profile.id]);

  const shown = list ? list.transactions.filter((t) => !onlyOpen || OPEN.has(t.state)) : [];
  const hanging = list ? list.transactions.filter((t) => t.hanging).length : 0;

  return (
    <Stack gap="sm" data-testid="ops-transactions">
      <Group gap="xs" align="flex-end">
        <NumberInput
          size="xs"
          w={190}
          label="Hanging after (minutes)"
          min={0.1}
          step={1}
          decimalScale={1}
          value={minutes}
          onChange={setMinutes}
          data-testid="ops-tx-threshold"
        />
        <Button size="xs" variant="default" loading={busy} onClick={() => void refresh()} data-testid="ops-tx-refresh">
          Refresh
        </Button>
        <Switch size="xs" label="Open only" checked={onlyOpen} onChange={(e) => setOnlyOpen(e.currentTarget.checked)} data-testid="ops-tx-open-only" />
      </Group>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {list?.warnings.map((w) => (
        <Alert key={w} color="yellow" variant="light" p="xs" data-testid="ops-tx-warning">
          {w}
        </Alert>
      ))}
      {list === null ? null : list.transactions.length === 0 ? (
        <EmptyState
          icon={<IconArrowsExchange size={22} />}
          title="No transactional producers"
          description="No transactional id is known to the coordinators. Transactional producers (transactional.id) appear here with their state."
          data-testid="ops-tx-empty"
        />
      ) : (
        <>
          <Text size="sm" data-testid="ops-tx-count">
            {list.transactions.length} transactional id{list.transactions.length === 1 ? '' : 's'}, {list.transactions.filter((t) => OPEN.has(t.state)).length} open
            {hanging ? `, ${hanging} hanging (open > ${minutes} min)` : ''}
          </Text>
          <VirtualTable
            rows={shown}
            maxHeight={320}
            testId="ops-tx-table"
            head={
              <Table.Tr>
                <Table.Th>Transactional id</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Producer id / epoch</Table.Th>
                <Table.Th>Open for</Table.Th>
                <Table.Th>Timeout</Table.Th>
                <Table.Th>Partitions</Table.Th>
                <Table.Th>Coordinator</Table.Th>
              </Table.Tr>
            }
            row={(t) => (
              <Table.Tr key={t.transactionalId} data-testid="ops-tx-row" data-tx-id={t.transactionalId}>
                <Table.Td className="kd-mono">{t.transactionalId}</Table.Td>
                <Table.Td>
                  {/* Stacked when the column is narrow, never over the next column. */}
                  <Group gap={4} wrap="wrap">
                    <Badge color={stateColor(t.state)} variant="light" style={{ flexShrink: 0, overflow: 'visible', textTransform: 'none' }} data-testid="ops-tx-state">
                      {t.state}
                    </Badge>
                    {t.hanging ? (
                      <Badge color="red" style={{ flexShrink: 0, overflow: 'visible' }} data-testid="ops-tx-hanging">
                        hanging
                      </Badge>
                    ) : null}
                  </Group>
                  {t.error ? (
                    <Text size="xs" c="red">
                      {t.error}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td className="kd-mono">
                  {t.producerId} / {t.producerEpoch}
                </Table.Td>
                <Table.Td>{t.ageMs === null ? '' : formatDuration(t.ageMs)}</Table.Td>
                <Table.Td>{formatDuration(t.timeoutMs)}</Table.Td>
                <Table.Td className="kd-mono" title={t.partitions.map((p) => `${p.topic}-${p.partition}`).join(', ')}>
                  {t.partitions.length ? (
                    <Button size="compact-xs" variant="subtle" onClick={() => void showProducers(t.partitions[0].topic)} data-testid="ops-tx-partitions">
                      {partitionsText(t)}
                    </Button>
                  ) : null}
                </Table.Td>
                <Table.Td>{t.coordinator}</Table.Td>
              </Table.Tr>
            )}
          />
        </>
      )}

      <Title order={5} mt="sm">
        Producers of a topic
      </Title>
      <Group gap="xs" align="flex-end">
        <TextInput size="xs" placeholder="topic name" value={topic} onChange={(e) => setTopic(e.currentTarget.value)} data-testid="ops-tx-topic" />
        <Button size="xs" variant="default" loading={busy} disabled={!topic.trim()} onClick={() => void showProducers(topic)} data-testid="ops-tx-producers">
          Show producers
        </Button>
      </Group>
      {aborted ? (
        <Alert color="green" variant="light" p="xs" data-testid="ops-tx-aborted">
          {aborted}
        </Alert>
      ) : null}
      {producers ? <ProducersTable data={producers} readOnly={profile.readOnly} busy={busy} onAbort={setAborting} /> : null}
      <TypedConfirmModal
        opened={aborting !== null}
        title="Abort transaction"
        expected="abort"
        confirmLabel="Abort transaction"
        loading={busy}
        onCancel={() => setAborting(null)}
        onConfirm={() => aborting && void abort(aborting)}
        testId="ops-tx-abort-confirm"
      >
        {aborting && producers ? (
          <Stack gap={6}>
            <Text size="sm">
              The leader of {producers.topic}-{aborting.partition} writes an abort marker for producer {aborting.producerId}: its messages since offset{' '}
              {formatInteger(aborting.currentTxnStartOffset)} are discarded for read_committed consumers and the last stable offset moves on. Meant for hanging
              transactions; a live producer fails its next commit.
            </Text>
            <Text size="xs" c="dimmed">
              Same as:
            </Text>
            <Code block>{abortCommand(profile.bootstrapServers, producers.topic, aborting)}</Code>
          </Stack>
        ) : null}
      </TypedConfirmModal>
    </Stack>
  );
}

function ProducersTable({ data, readOnly, busy, onAbort }: { data: TopicProducers; readOnly: boolean; busy: boolean; onAbort: (p: ProducerInfo) => void }) {
  const now = Date.now();
  const holding = data.producers.filter((p) => p.currentTxnStartOffset !== null);
  const view = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Opened from a row above: bring the table into sight rather than below the window's edge.
    view.current?.scrollIntoView?.({ block: 'nearest' });
  }, [data.topic]);
  return (
    <Stack gap="xs" ref={view} data-testid="ops-tx-producers-view">
      {data.errors.map((e) => (
        <Alert key={e} color="yellow" variant="light" p="xs">
          {e}
        </Alert>
      ))}
      <Text size="sm" data-testid="ops-tx-producers-count">
        {data.producers.length} producer state{data.producers.length === 1 ? '' : 's'} on {data.topic}; {holding.length} open transaction
        {holding.length === 1 ? '' : 's'} holding back the last stable offset
      </Text>
      {data.producers.length ? (
        <VirtualTable
          rows={data.producers}
          maxHeight={320}
          testId="ops-tx-producers-table"
          head={
            <Table.Tr>
              <Table.Th>Partition</Table.Th>
              <Table.Th>Producer id</Table.Th>
              <Table.Th>Epoch</Table.Th>
              <Table.Th>Last sequence</Table.Th>
              <Table.Th>Last write</Table.Th>
              <Table.Th>Open transaction from offset</Table.Th>
              <Table.Th />
            </Table.Tr>
          }
          row={(p) => (
            <Table.Tr key={`${p.partition}-${p.producerId}`} data-testid="ops-tx-producer-row">
              <Table.Td>{p.partition}</Table.Td>
              <Table.Td className="kd-mono">{p.producerId}</Table.Td>
              <Table.Td>{p.producerEpoch}</Table.Td>
              <Table.Td>{p.lastSequence}</Table.Td>
              <Table.Td>{p.lastTimestampMs === null ? '' : `${formatDuration(now - p.lastTimestampMs)} ago`}</Table.Td>
              <Table.Td>
                {p.currentTxnStartOffset === null ? (
                  ''
                ) : (
                  <Group gap={4} wrap="nowrap">
                    <span className="kd-mono">{formatInteger(p.currentTxnStartOffset)}</span>
                    <Badge size="sm" color={p.hanging ? 'red' : 'blue'} variant={p.hanging ? 'filled' : 'light'} data-testid="ops-tx-lso">
                      {p.hanging ? 'hanging, holds LSO' : 'holds LSO'}
                    </Badge>
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                {p.currentTxnStartOffset !== null ? (
                  <Button size="compact-xs" color="red" variant="subtle" disabled={busy || readOnly} onClick={() => onAbort(p)} data-testid="ops-tx-abort">
                    Abort…
                  </Button>
                ) : null}
              </Table.Td>
            </Table.Tr>
          )}
        />
      ) : null}
    </Stack>
  );
}
