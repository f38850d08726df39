import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { GroupDetail, GroupSummary, ResetPlan } from '../../api/groups';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { GroupDetailView, SAMPLE_MS } from './GroupDetailView';
import { GroupsView } from './GroupsView';

// jsdom has no canvas for uPlot; the chart's own wiring is exercised in the e2e flow.
vi.mock('./LagChart', () => ({
  LagChart: ({ samples }: { samples: unknown[] }) => <div data-testid="lag-chart" data-samples={samples.length} />,
}));

const summary = (groupId: string, state: string, totalLag: number, memberCount = 0): GroupSummary => ({
  groupId,
  state,
  groupType: 'Classic',
  protocol: memberCount ? 'range' : '',
  memberCount,
  coordinatorId: 2,
  topicCount: 1,
  totalLag,
  error: null,
});

const GROUPS = [summary('billing', 'Empty', 1500), summary('audit', 'Stable', 3, 2), summary('search', 'Empty', 0)];

const DETAIL: GroupDetail = {
  groupId: 'billing',
  state: 'Empty',
  groupType: 'Classic',
  protocol: '',
  coordinatorId: 2,
  groupEpoch: null,
  assignmentEpoch: null,
  members: [],
  partitions: [
    { topic: 'orders', partition: 0, committed: 10, logEnd: 1010, lag: 1000, memberId: null, clientId: null },
    { topic: 'orders', partition: 1, committed: 500, logEnd: 1000, lag: 500, memberId: null, clientId: null },
  ],
  topics: [{ topic: 'orders', partitions: 2, lag: 1500 }],
  totalLag: 1500,
};

const PLAN: ResetPlan = {
  groupId: 'billing',
  rows: [
    { topic: 'orders', partition: 0, current: 10, new: 0, logStart: 0, logEnd: 1010, lagBefore: 1000, lagAfter: 1010, note: null },
    { topic: 'orders', partition: 1, current: 500, new: 0, logStart: 0, logEnd: 1000, lagBefore: 500, lagAfter: 1000, note: null },
  ],
  lagBefore: 1500,
  lagAfter: 2010,
  applied: false,
};

function backend(extra: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return installBackend({ groups_list: () => GROUPS, groups_describe: () => DETAIL, ...extra });
}

const rowIds = () => screen.getAllByTestId('group-row').map((r) => r.getAttribute('data-group-id'));

describe('groups list', () => {
  it('lists groups by total lag, filters and sorts', async () => {
    const fake = backend();
    const { user } = renderWithProviders(<GroupsView profile={SANDBOX} />);
    await screen.findByTestId('groups-table');
    expect(fake.callsTo('groups_list')[0].args).toEqual({ profileId: SANDBOX.id });
    expect(rowIds()).toEqual(['billing', 'audit', 'search']);
    expect(within(screen.getAllByTestId('group-row')[0]).getByTestId('group-lag')).toHaveTextContent(/^1\.5K$/);
    expect(within(screen.getAllByTestId('group-row')[1]).getByTestId('group-members')).toHaveTextContent(/^2$/);

    await user.click(screen.getByTestId('groups-sort-groupId'));
    expect(rowIds()).toEqual(['audit', 'billing', 'search']);
    await user.type(screen.getByTestId('groups-filter'), 'stable');
    expect(rowIds()).toEqual(['audit']);
    await user.clear(screen.getByTestId('groups-filter'));
    await user.type(screen.getByTestId('groups-filter'), 'nothing-like-this');
    expect(screen.getByTestId('groups-no-match')).toBeInTheDocument();
  });

  it('says what to do when there are no groups', async () => {
    backend({ groups_list: () => [] });
    renderWithProviders(<GroupsView profile={SANDBOX} />);
    expect(await screen.findByTestId('groups-empty')).toHaveTextContent('group.id');
  });
});

describe('group detail', () => {
  it('shows lag per partition and per topic, and goes back to the list', async () => {
    const fake = backend();
    const { user } = renderWithProviders(<GroupsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('group-row'))[0]);
    const detail = await screen.findByTestId('group-detail');
    await waitFor(() => expect(within(detail).getByTestId('detail-total-lag')).toHaveTextContent('1.5K'));
    expect(fake.callsTo('groups_describe')[0].args).toEqual({ profileId: SANDBOX.id, groupId: 'billing' });
    const rows = within(detail).getAllByTestId('partition-row');
    expect(within(rows[0]).getByTestId('partition-lag')).toHaveTextContent(/^1,000$/);
    expect(within(rows[1]).getByTestId('partition-committed')).toHaveTextContent(/^500$/);
    expect(within(detail).getByTestId('members-empty')).toBeInTheDocument();
    // uPlot loads with the first chart (its own chunk).
    expect(await screen.findByTestId('lag-chart', {}, { timeout: 10_000 })).toHaveAttribute('data-samples', '1');
    await user.click(screen.getByTestId('group-back'));
    expect(await screen.findByTestId('groups-table')).toBeInTheDocument();
  });

  it('previews a reset, then applies it only after the group name is typed', async () => {
    const fake = backend({ groups_reset_preview: () => PLAN, groups_reset_apply: () => ({ ...PLAN, applied: true }) });
    const { user } = renderWithProviders(<GroupsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('group-row'))[0]);
    await user.click(await screen.findByTestId('group-reset'));
    const wizard = await screen.findByTestId('reset-wizard');
    expect(within(wizard).getByTestId('reset-apply')).toBeDisabled();

    await user.click(within(wizard).getByTestId('reset-preview'));
    const plan = await within(wizard).findByTestId('reset-plan');
    expect(fake.callsTo('groups_reset_preview')[0].args).toEqual({
      profileId: SANDBOX.id,
      groupId: 'billing',
      request: { target: { kind: 'earliest' }, scope: { kind: 'allTopics' } },
    });
    expect(within(plan).getAllByTestId('reset-new').map((c) => c.textContent)).toEqual(['0', '0']);
    expect(within(wizard).getByTestId('reset-summary')).toHaveTextContent('1,500');
    expect(within(wizard).getByTestId('reset-summary')).toHaveTextContent('2,010');
    expect(fake.callsTo('groups_reset_apply')).toHaveLength(0);

    await user.click(within(wizard).getByTestId('reset-apply'));
    const accept = await screen.findByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    await user.type(screen.getByTestId('typed-confirm-input'), 'billin');
    expect(accept).toBeDisabled();
    await user.type(screen.getByTestId('typed-confirm-input'), 'g');
    await user.click(accept);
    await waitFor(() => expect(fake.callsTo('groups_reset_apply')).toHaveLength(1));
    expect(fake.callsTo('groups_reset_apply')[0].args).toEqual(fake.callsTo('groups_reset_preview')[0].args);
    await waitFor(() => expect(fake.callsTo('groups_describe').length).toBeGreaterThanOrEqual(2));
  });

  it('sends a shift for one topic and shows the backend refusal as-is', async () => {
    const fake = backend({
      groups_reset_preview: () => {
        throw { kind: 'InvalidInput', message: 'The group "billing" is Stable with 1 active member(s): offsets can only be reset while no consumer is running. Stop its consumers and try again.', detail: 'group' };
      },
    });
    const { user } = renderWithProviders(<GroupsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('group-row'))[0]);
    await user.click(await screen.findByTestId('group-reset'));
    const wizard = await screen.findByTestId('reset-wizard');
    await user.click(within(wizard).getByText('Shift by ±N'));
    await user.click(within(wizard).getByTestId('reset-preview'));
    expect(await within(wizard).findByTestId('error-message')).toHaveTextContent('how many messages');
    expect(fake.callsTo('groups_reset_preview')).toHaveLength(0);

    await user.type(within(wizard).getByTestId('reset-value'), '-5');
    await user.click(within(wizard).getByText('One topic'));
    await user.click(within(wizard).getByTestId('reset-preview'));
    expect(await within(wizard).findByTestId('error-message')).toHaveTextContent('Stop its consumers');
    expect(fake.callsTo('groups_reset_preview')[0].args.request).toEqual({
      target: { kind: 'shift', by: -5 },
      scope: { kind: 'topic', topic: 'orders' },
    });
    expect(within(wizard).getByTestId('reset-apply')).toBeDisabled();
  });

  it('deletes the group after typed confirmation and goes back to the list', async () => {
    const fake = backend({ groups_delete: () => null });
    const { user } = renderWithProviders(<GroupsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('group-row'))[0]);
    await user.click(await screen.findByTestId('group-delete'));
    await user.type(await screen.findByTestId('typed-confirm-input'), 'billing');
    await user.click(screen.getByTestId('typed-confirm-accept'));
    await waitFor(() => expect(fake.callsTo('groups_delete')).toEqual([{ cmd: 'groups_delete', args: { profileId: SANDBOX.id, groupId: 'billing' } }]));
    expect(await screen.findByTestId('groups-table')).toBeInTheDocument();
  });

  it('shows a KIP-848 member with its epoch and whether it reached its target assignment', async () => {
    const member = (memberId: string, partitions: number[], target: number[]) => ({
      memberId,
      clientId: `c-${memberId}`,
      host: '/127.0.0.1',
      groupInstanceId: null,
      assignment: partitions.map((partition) => ({ topic: 'orders', partition })),
      memberEpoch: 7,
      targetAssignment: target.map((partition) => ({ topic: 'orders', partition })),
      subscribedTopics: ['orders'],
      subscribedRegex: null,
      rack: null,
    });
    const consumer: GroupDetail = {
      ...DETAIL,
      state: 'Reconciling',
      groupType: 'Consumer',
      groupEpoch: 8,
      assignmentEpoch: 8,
      members: [member('a', [1, 0], [0, 1]), member('b', [2], [2, 3])],
    };
    backend({ groups_describe: () => consumer });
    renderWithProviders(<GroupDetailView profile={SANDBOX} groupId="billing" onBack={() => {}} onDeleted={() => {}} />);
    const rows = await screen.findAllByTestId('member-row');
    expect(within(rows[0]).getByTestId('member-epoch')).toHaveTextContent(/^7$/);
    expect(within(rows[0]).getByTestId('member-target')).toHaveTextContent(/^reached$/);
    expect(within(rows[1]).getByTestId('member-target')).toHaveTextContent('orders-2, orders-3');
    expect(screen.getByTestId('detail-epochs')).toHaveTextContent('Group epoch 8 · target assignment epoch 8');
    expect(screen.getByTestId('group-type')).toHaveTextContent('Consumer');
  });

  it('shows a share group with start offsets and no guessed lag', async () => {
    const share: GroupDetail = { ...DETAIL, groupType: 'Share', groupEpoch: 3, assignmentEpoch: 3, totalLag: null };
    backend({ groups_describe: () => share });
    renderWithProviders(<GroupDetailView profile={SANDBOX} groupId="billing" onBack={() => {}} onDeleted={() => {}} />);
    const table = await screen.findByTestId('partitions-table');
    expect(within(table).getByText('Start offset')).toBeInTheDocument();
    expect(within(within(table).getAllByTestId('partition-row')[0]).getByTestId('partition-lag')).toHaveTextContent(/^n\/a$/);
    expect(screen.getByTestId('detail-total-lag')).toHaveTextContent('n/a');
    expect(screen.getByTestId('members-empty')).toHaveTextContent('no share consumer of this group is running, so its start offsets can be reset');
  });

  it('offers no resets or deletes on a read-only connection', async () => {
    backend();
    const { user } = renderWithProviders(<GroupsView profile={{ ...SANDBOX, readOnly: true }} />);
    await user.click((await screen.findAllByTestId('group-row'))[0]);
    await screen.findByTestId('partitions-table');
    expect(screen.getByTestId('group-reset')).toBeDisabled();
    expect(screen.getByTestId('group-delete')).toBeDisabled();
    expect(screen.getByTestId('topic-delete-offsets')).toBeDisabled();
  });

  it('samples the lag on a timer while open, silently, and stops when closed', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      let lag = 1500;
      const fake = backend({ groups_describe: () => ({ ...DETAIL, totalLag: lag }) });
      const { unmount } = renderWithProviders(<GroupDetailView profile={SANDBOX} groupId="billing" onBack={() => {}} onDeleted={() => {}} />);
      await waitFor(() => expect(screen.getByTestId('lag-chart')).toHaveAttribute('data-samples', '1'));
      lag = 900;
      await vi.advanceTimersByTimeAsync(SAMPLE_MS);
      await waitFor(() => expect(screen.getByTestId('lag-chart')).toHaveAttribute('data-samples', '2'));
      expect(screen.getByTestId('detail-total-lag')).toHaveTextContent(/^900$/);
      expect(screen.getByTestId('group-refresh')).not.toHaveAttribute('data-loading');
      unmount();
      const asked = fake.callsTo('groups_describe').length;
      await vi.advanceTimersByTimeAsync(3 * SAMPLE_MS);
      expect(fake.callsTo('groups_describe')).toHaveLength(asked);
    } finally {
      vi.useRealTimers();
    }
  });

  it('renders only the partitions in view for a group with thousands of them', async () => {
    const partitions = Array.from({ length: 5000 }, (_, i) => ({ ...DETAIL.partitions[0], partition: i }));
    backend({ groups_describe: () => ({ ...DETAIL, partitions }) });
    renderWithProviders(<GroupDetailView profile={SANDBOX} groupId="billing" onBack={() => {}} onDeleted={() => {}} />);
    const table = await screen.findByTestId('partitions-table');
    const shown = within(table).getAllByTestId('partition-row');
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(100);
    expect(shown[0]).toHaveAttribute('data-partition', '0');
  });
});
