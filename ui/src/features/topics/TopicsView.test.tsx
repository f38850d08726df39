import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { ConfigEntry, TopicDetail, TopicList } from '../../api/topics';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { TopicsView } from './TopicsView';

// jsdom has no layout: give the virtual list's scroller a screenful of height so rows render.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'topics-scroll' ? 600 : 0;
    },
  });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});

const LIST: TopicList = {
  liveBrokers: 3,
  watermarksError: null,
  topics: [
    { name: 'orders', partitions: 12, replicationFactor: 3, underReplicated: 2, offline: 0, messages: 1234, internal: false },
    { name: 'payments', partitions: 3, replicationFactor: 3, underReplicated: 0, offline: 0, messages: 0, internal: false },
    { name: '__consumer_offsets', partitions: 50, replicationFactor: 3, underReplicated: 0, offline: 0, messages: 9, internal: true },
  ],
};

const DETAIL: TopicDetail = {
  name: 'orders',
  internal: false,
  replicationFactor: 3,
  brokers: [1, 2],
  messages: 15,
  watermarksError: null,
  partitions: [
    { partition: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2], offlineReplicas: [3], underReplicated: true, notPreferredLeader: false, low: 0, high: 10, messages: 10 },
    { partition: 1, leader: 1, replicas: [2, 3, 1], isr: [1, 2], offlineReplicas: [3], underReplicated: true, notPreferredLeader: true, low: 5, high: 10, messages: 5 },
  ],
};

const CONFIGS: ConfigEntry[] = [
  { name: 'retention.ms', value: '1000', source: 'topic', defaultValue: null, defaultFrom: null, sensitive: false, readOnly: false },
  { name: 'cleanup.policy', value: 'delete', source: 'default', defaultValue: 'delete', defaultFrom: null, sensitive: false, readOnly: false },
  { name: 'secret.thing', value: null, source: 'staticBroker', defaultValue: null, defaultFrom: null, sensitive: true, readOnly: true },
];

function backend(overrides: Record<string, (args: Record<string, unknown>) => unknown> = {}) {
  return installBackend({
    topics_list: () => LIST,
    topic_detail: () => DETAIL,
    topic_configs: () => CONFIGS,
    ...overrides,
  });
}

const rowNames = () => screen.queryAllByTestId('topic-row').map((r) => r.getAttribute('data-topic'));

describe('topics list', () => {
  it('lists topics with human numbers, hides internal ones, filters as you type and sorts', async () => {
    backend();
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await screen.findAllByTestId('topic-row');
    expect(rowNames()).toEqual(['orders', 'payments']);
    const orders = screen.getAllByTestId('topic-row')[0];
    expect(within(orders).getByTestId('topic-messages')).toHaveTextContent(/^1\.2K$/);
    expect(within(orders).getByTestId('topic-under-replicated')).toHaveTextContent(/^2$/);

    await user.click(screen.getByTestId('topics-internal-toggle'));
    await waitFor(() => expect(rowNames()).toContain('__consumer_offsets'));

    // '/' focuses the filter from anywhere but another field (the switch just clicked is one).
    (document.activeElement as HTMLElement).blur();
    await user.keyboard('/');
    expect(screen.getByTestId('topics-filter')).toHaveFocus();
    await user.keyboard('PAY');
    await waitFor(() => expect(rowNames()).toEqual(['payments']));
    await user.clear(screen.getByTestId('topics-filter'));
    await user.click(screen.getByTestId('topics-regex-toggle'));
    await user.type(screen.getByTestId('topics-filter'), '^(orders|__)');
    await waitFor(() => expect(rowNames()).toEqual(['__consumer_offsets', 'orders']));

    await user.click(screen.getByTestId('topics-sort-partitions'));
    await waitFor(() => expect(rowNames()).toEqual(['__consumer_offsets', 'orders']));
    await user.click(screen.getByTestId('topics-sort-partitions'));
    await waitFor(() => expect(rowNames()).toEqual(['orders', '__consumer_offsets']));
  });

  it('says what to do when the cluster has no topics', async () => {
    backend({ topics_list: () => ({ ...LIST, topics: [] }) });
    renderWithProviders(<TopicsView profile={SANDBOX} />);
    expect(await screen.findByTestId('topics-empty')).toHaveTextContent('Create the first topic');
  });

  it('disables creating on a read-only connection', async () => {
    backend();
    renderWithProviders(<TopicsView profile={{ ...SANDBOX, readOnly: true }} />);
    expect(await screen.findByTestId('topic-create-open')).toBeDisabled();
  });
});

describe('create topic', () => {
  it('validates only, then shows the refused field beside it', async () => {
    const b = backend({ topic_create: () => ({ name: 'new.topic', validatedOnly: true }) });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click(await screen.findByTestId('topic-create-open'));
    const modal = await screen.findByTestId('create-topic-modal');
    await user.type(within(modal).getByTestId('create-topic-name'), 'new.topic');
    await user.clear(within(modal).getByTestId('create-topic-partitions'));
    await user.type(within(modal).getByTestId('create-topic-partitions'), '12');
    await user.type(within(modal).getByTestId('create-topic-config-retention.ms'), '86400000');
    await user.click(within(modal).getByTestId('create-topic-validate'));
    expect(await within(modal).findByTestId('create-topic-validated')).toBeInTheDocument();
    expect(b.callsTo('topic_create')[0].args).toEqual({
      profileId: SANDBOX.id,
      request: {
        name: 'new.topic',
        partitions: 12,
        replicationFactor: 3,
        configs: [{ name: 'retention.ms', value: '86400000' }],
        validateOnly: true,
      },
    });

    b.on('topic_create', () => {
      throw { kind: 'InvalidInput', message: 'Replication factor: 4 is more than the 3 live broker(s).', detail: 'replicationFactor' };
    });
    await user.click(within(modal).getByTestId('create-topic-submit'));
    expect(await within(modal).findByText('Replication factor: 4 is more than the 3 live broker(s).')).toBeInTheDocument();
    expect(within(modal).queryByTestId('error-banner')).not.toBeInTheDocument();
    // Changing the field answers the complaint: the error goes at once, not at the next submit.
    await user.type(within(modal).getByTestId('create-topic-replication'), '{backspace}2');
    expect(within(modal).queryByText('Replication factor: 4 is more than the 3 live broker(s).')).not.toBeInTheDocument();
  });

  it("checks the name as you type and warns about '.' / '_' collisions", async () => {
    backend({ topics_list: () => ({ ...LIST, topics: [{ ...LIST.topics[0], name: 'metrics_raw' }] }) });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click(await screen.findByTestId('topic-create-open'));
    const modal = await screen.findByTestId('create-topic-modal');
    await user.type(within(modal).getByTestId('create-topic-name'), 'bad name');
    expect(within(modal).getByText(/' ' is not allowed/)).toBeInTheDocument();
    expect(within(modal).getByTestId('create-topic-submit')).toBeDisabled();
    await user.clear(within(modal).getByTestId('create-topic-name'));
    await user.type(within(modal).getByTestId('create-topic-name'), 'metrics.raw');
    expect(within(modal).getByTestId('topic-name-collision')).toHaveTextContent('metrics_raw');
  });
});

describe('topic detail', () => {
  it('shows partitions with flags and the broker map with a dead broker', async () => {
    backend();
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('topic-row'))[0]);
    const table = await screen.findByTestId('partitions-table');
    const rows = within(table).getAllByTestId('partition-row');
    expect(within(rows[1]).getByTestId('partition-replicas')).toHaveTextContent('2, 3, 1');
    expect(within(rows[1]).getByTestId('flag-not-preferred')).toBeInTheDocument();
    expect(within(rows[0]).getByTestId('flag-under-replicated')).toBeInTheDocument();
    expect(within(rows[0]).getByTestId('partition-offline')).toHaveTextContent('3');

    const map = screen.getByTestId('broker-map');
    const brokerRows = within(map).getAllByTestId('broker-map-row');
    expect(brokerRows.map((r) => r.getAttribute('data-live'))).toEqual(['true', 'true', 'false']);
    expect(within(brokerRows[0]).getByTestId('broker-map-leads')).toHaveTextContent('2 led');
    const roles = within(brokerRows[1]).getAllByTestId('broker-map-cell').map((c) => c.getAttribute('data-role'));
    expect(roles).toEqual(['in-sync', 'in-sync']);
  });

  it('edits and reverts configs through the backend, masking sensitive values', async () => {
    const b = backend({ topic_alter_configs: () => null });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('topic-row'))[0]);
    await user.click(await screen.findByTestId('topic-tab-configs'));
    const configs = await screen.findByTestId('topic-configs');
    const secret = within(configs).getAllByTestId('config-row').find((r) => r.dataset.config === 'secret.thing')!;
    expect(within(secret).getByTestId('config-value')).toHaveTextContent('sensitive');

    const cleanup = within(configs).getAllByTestId('config-row').find((r) => r.dataset.config === 'cleanup.policy')!;
    await user.click(within(cleanup).getByTestId('config-edit'));
    const input = within(cleanup).getByTestId('config-edit-input');
    await user.clear(input);
    await user.type(input, 'compact{Enter}');
    await waitFor(() => expect(b.callsTo('topic_alter_configs')).toHaveLength(1));
    expect(b.callsTo('topic_alter_configs')[0].args).toEqual({
      profileId: SANDBOX.id,
      topic: 'orders',
      set: [{ name: 'cleanup.policy', value: 'compact' }],
      reset: [],
    });

    const retention = within(configs).getAllByTestId('config-row').find((r) => r.dataset.config === 'retention.ms')!;
    await user.click(within(retention).getByTestId('config-revert'));
    await waitFor(() => expect(b.callsTo('topic_alter_configs')).toHaveLength(2));
    expect(b.callsTo('topic_alter_configs')[1].args).toMatchObject({ set: [], reset: ['retention.ms'] });
  });

  it('deletes only after the topic name is typed', async () => {
    const b = backend({ topic_delete: () => null });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('topic-row'))[0]);
    await screen.findByTestId('partitions-table');
    await user.click(screen.getByTestId('topic-actions'));
    await user.click(await screen.findByTestId('action-delete'));
    const accept = await screen.findByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    await user.type(screen.getByTestId('typed-confirm-input'), 'order');
    expect(accept).toBeDisabled();
    await user.type(screen.getByTestId('typed-confirm-input'), 's');
    await user.click(accept);
    await waitFor(() => expect(b.callsTo('topic_delete')).toEqual([{ cmd: 'topic_delete', args: { profileId: SANDBOX.id, topic: 'orders' } }]));
    expect(await screen.findByTestId('topics-view')).toBeInTheDocument();
  });

  it('adds partitions after a confirmation and shows a refused count beside the field', async () => {
    const b = backend({
      topic_add_partitions: () => {
        throw { kind: 'InvalidInput', message: 'Partitions: the new count must be larger.', detail: 'partitions' };
      },
    });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('topic-row'))[0]);
    await screen.findByTestId('partitions-table');
    await user.click(screen.getByTestId('topic-actions'));
    await user.click(await screen.findByTestId('action-add-partitions'));
    const total = await screen.findByTestId('add-partitions-total');
    expect(total).toHaveValue('3');
    await user.click(screen.getByTestId('add-partitions-next'));
    await user.click(await screen.findByTestId('confirm-accept'));
    await waitFor(() => expect(b.callsTo('topic_add_partitions')).toHaveLength(1));
    expect(b.callsTo('topic_add_partitions')[0].args).toMatchObject({ topic: 'orders', total: 3 });
    expect(await screen.findByText('Partitions: the new count must be larger.')).toBeInTheDocument();
  });

  it('purges one partition up to an offset after the topic name is typed', async () => {
    const b = backend({ topic_purge: () => 1 });
    const { user } = renderWithProviders(<TopicsView profile={SANDBOX} />);
    await user.click((await screen.findAllByTestId('topic-row'))[0]);
    await screen.findByTestId('partitions-table');
    await user.click(screen.getByTestId('topic-actions'));
    await user.click(await screen.findByTestId('action-purge'));
    const modal = await screen.findByRole('dialog');
    await user.click(within(modal).getByTestId('purge-partition'));
    await user.click(await screen.findByText('Partition 1'));
    await user.type(within(modal).getByTestId('purge-offset'), '7');
    expect(within(modal).getByTestId('typed-confirm-accept')).toBeDisabled();
    await user.type(within(modal).getByTestId('typed-confirm-input'), 'orders');
    await user.click(within(modal).getByTestId('typed-confirm-accept'));
    await waitFor(() => expect(b.callsTo('topic_purge')).toHaveLength(1));
    expect(b.callsTo('topic_purge')[0].args).toEqual({
      profileId: SANDBOX.id,
      request: { topic: 'orders', partition: 1, beforeOffset: 7 },
    });
  });
});
