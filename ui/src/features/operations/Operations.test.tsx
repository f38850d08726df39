import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { Broker } from '../../api/cluster';
import type { PartitionMove, ReassignmentPlan, ReassignmentProgress } from '../../api/operations';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { OperationsView } from './OperationsView';

const BROKERS: Broker[] = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port: 9090 + id, rack: null, isController: id === 1, leaderCount: 1, replicaCount: 2 }));
const MOVES: PartitionMove[] = [
  { topic: 'orders', partition: 0, before: [3, 1], after: [2, 1], sizeBytes: 1024 * 1024 },
  { topic: 'orders', partition: 1, before: [1, 3], after: [1, 2], sizeBytes: 512 * 1024 },
];
const PLAN: ReassignmentPlan = { moves: MOVES, bytesToMove: 1.5 * 1024 * 1024, json: '{"version":1,"partitions":[]}' };

describe('partition reassignment', () => {
  it('plans a balance over the whole cluster or one topic', async () => {
    const backend = installBackend({ operations_reassign_preview: () => PLAN });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-goal-balance'));
    fireEvent.click(await screen.findByTestId('ops-plan'));
    await waitFor(() => expect(backend.callsTo('operations_reassign_preview')).toHaveLength(1));
    expect(backend.callsTo('operations_reassign_preview')[0].args.goal).toEqual({ kind: 'balance' });
    fireEvent.change(screen.getByTestId('ops-balance-topic'), { target: { value: 'orders' } });
    fireEvent.click(screen.getByTestId('ops-plan'));
    await waitFor(() => expect(backend.callsTo('operations_reassign_preview')).toHaveLength(2));
    expect(backend.callsTo('operations_reassign_preview')[1].args.goal).toEqual({ kind: 'balance', topic: 'orders' });
  });

  it('plans, runs behind the typed confirmation with a throttle, and follows progress to done', async () => {
    const backend = installBackend({
      operations_reassign_preview: () => PLAN,
      operations_reassign_execute: () => MOVES.map((m) => ({ topic: m.topic, partition: m.partition, error: null })),
      operations_reassign_progress: (): ReassignmentProgress => ({ ongoing: [], done: 2, total: 2, finished: true, throttleRemoved: true }),
    });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.change(screen.getByTestId('ops-decommission-topic'), { target: { value: 'orders' } });
    fireEvent.click(screen.getByTestId('ops-plan'));
    expect(await screen.findAllByTestId('ops-plan-row')).toHaveLength(2);
    expect(screen.getByTestId('ops-plan-bytes')).toHaveTextContent('1.5 MiB to copy');
    // The highest broker is proposed first; the topic limits the plan.
    expect(backend.callsTo('operations_reassign_preview')[0].args.goal).toEqual({ kind: 'decommission', broker: 3, topic: 'orders' });
    fireEvent.click(screen.getByTestId('ops-run'));
    const accept = await screen.findByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    fireEvent.change(screen.getByTestId('typed-confirm-input'), { target: { value: 'reassign' } });
    fireEvent.click(accept);
    await waitFor(() => expect(backend.callsTo('operations_reassign_execute')).toHaveLength(1));
    expect(backend.callsTo('operations_reassign_execute')[0].args).toMatchObject({ moves: MOVES, throttleBytesPerSec: 50 * 1024 * 1024 });
    await waitFor(() => expect(screen.getByTestId('ops-progress-text')).toHaveTextContent('Done: 2 of 2 partitions moved, throttle removed'), { timeout: 10000 });
    expect(backend.callsTo('operations_reassign_progress')[0].args).toMatchObject({ moves: MOVES, removeThrottleWhenDone: true });
  }, 60000);

  it('offers no run on a read-only profile', async () => {
    installBackend({ operations_reassign_preview: () => PLAN });
    renderWithProviders(<OperationsView profile={{ ...SANDBOX, readOnly: true }} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-plan'));
    expect(await screen.findAllByTestId('ops-plan-row')).toHaveLength(2);
    expect(screen.getByTestId('ops-run')).toBeDisabled();
  });
});

describe('leader election', () => {
  it('previews skewed partitions and elects after typing "elect"', async () => {
    const backend = installBackend({
      operations_leader_preview: () => [{ topic: 'orders', partition: 0, leader: 2, preferred: 3, replicas: [3, 2], isr: [3, 2], preferredInSync: true }],
      operations_elect_leaders: () => [{ topic: 'orders', partition: 0, status: 'elected', message: '' }],
    });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-section-election'));
    fireEvent.click(await screen.findByTestId('ops-election-preview'));
    expect(await screen.findAllByTestId('ops-election-row')).toHaveLength(1);
    fireEvent.click(screen.getByTestId('ops-elect-preferred'));
    fireEvent.change(await screen.findByTestId('typed-confirm-input'), { target: { value: 'elect' } });
    fireEvent.click(screen.getByTestId('typed-confirm-accept'));
    expect(await screen.findByTestId('ops-election-results')).toHaveTextContent('1 elected');
    expect(backend.callsTo('operations_elect_leaders')[0].args).toEqual({ profileId: SANDBOX.id, kind: 'preferred', scope: { kind: 'cluster' } });
  });
});
