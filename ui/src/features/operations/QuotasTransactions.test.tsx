import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { Broker } from '../../api/cluster';
import type { QuotaEntry, TopicProducers, TransactionList } from '../../api/operations';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { OperationsView } from './OperationsView';
import { formatQuota } from './QuotasPanel';

const BROKERS: Broker[] = [1, 2, 3].map((id) => ({ id, host: '127.0.0.1', port: 9090 + id, rack: null, isController: id === 1, leaderCount: 1, replicaCount: 2 }));

const QUOTAS: QuotaEntry[] = [
  {
    entity: [{ entityType: 'user', name: 'alice' }],
    values: [
      { key: 'consumer_byte_rate', value: 2097152 },
      { key: 'producer_byte_rate', value: 1048576 },
    ],
  },
  { entity: [{ entityType: 'clientId', name: null }], values: [{ key: 'request_percentage', value: 12.5 }] },
  { entity: [{ entityType: 'ip', name: '10.0.0.7' }], values: [{ key: 'connection_creation_rate', value: 50 }] },
];

async function openQuotas() {
  fireEvent.click(screen.getByTestId('ops-section-quotas'));
  return screen.findAllByTestId('ops-quota-row');
}

describe('quotas', () => {
  it('lists quotas with human rates, default entities included', async () => {
    installBackend({ operations_quotas_list: () => QUOTAS });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    const rows = await openQuotas();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toHaveTextContent('user: alice');
    expect(within(rows[0]).getByTestId('ops-quota-producer_byte_rate')).toHaveTextContent('1 MiB/s');
    expect(within(rows[0]).getByTestId('ops-quota-consumer_byte_rate')).toHaveTextContent('2 MiB/s');
    expect(rows[1]).toHaveTextContent('client id: default');
    expect(within(rows[1]).getByTestId('ops-quota-request_percentage')).toHaveTextContent('12.5%');
    expect(within(rows[2]).getByTestId('ops-quota-connection_creation_rate')).toHaveTextContent('50/s');
    expect(formatQuota('producer_byte_rate', 1536)).toBe('1.5 KiB/s');
  });

  it('adds a quota for a user + client id pair', async () => {
    const backend = installBackend({ operations_quotas_list: () => [], operations_quotas_alter: () => null });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-section-quotas'));
    expect(await screen.findByTestId('ops-quotas-empty')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('ops-quota-add'));
    fireEvent.click(screen.getByText('User + client id'));
    fireEvent.change(screen.getByTestId('ops-quota-name-user'), { target: { value: 'bob' } });
    fireEvent.click(screen.getByTestId('ops-quota-default-clientId'));
    fireEvent.change(screen.getByTestId('ops-quota-value-producer_byte_rate'), { target: { value: '1048576' } });
    // IP-only quotas are not offered for users.
    expect(screen.queryByTestId('ops-quota-value-connection_creation_rate')).toBeNull();
    fireEvent.click(screen.getByTestId('ops-quota-save'));
    await waitFor(() => expect(backend.callsTo('operations_quotas_alter')).toHaveLength(1));
    expect(backend.callsTo('operations_quotas_alter')[0].args.alteration).toEqual({
      entity: [
        { entityType: 'user', name: 'bob' },
        { entityType: 'clientId', name: null },
      ],
      set: [{ key: 'producer_byte_rate', value: 1048576 }],
      remove: [],
    });
    await waitFor(() => expect(screen.queryByTestId('ops-quota-form')).toBeNull());
  });

  it('edits: an emptied field is removed, and the backend error is shown as-is', async () => {
    const backend = installBackend({ operations_quotas_list: () => QUOTAS, operations_quotas_alter: () => null });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    const rows = await openQuotas();
    fireEvent.click(within(rows[0]).getByTestId('ops-quota-edit'));
    fireEvent.change(screen.getByTestId('ops-quota-value-consumer_byte_rate'), { target: { value: '' } });
    fireEvent.click(screen.getByTestId('ops-quota-save'));
    await waitFor(() => expect(backend.callsTo('operations_quotas_alter')).toHaveLength(1));
    expect(backend.callsTo('operations_quotas_alter')[0].args.alteration).toEqual({
      entity: [{ entityType: 'user', name: 'alice' }],
      set: [{ key: 'producer_byte_rate', value: 1048576 }],
      remove: ['consumer_byte_rate'],
    });
    backend.on('operations_quotas_alter', () => {
      throw { kind: 'InvalidInput', message: 'producer_byte_rate must be a number above 0 (got 0); to lift the quota, remove it.', detail: 'producer_byte_rate' };
    });
    fireEvent.click(within((await screen.findAllByTestId('ops-quota-row'))[0]).getByTestId('ops-quota-edit'));
    fireEvent.change(screen.getByTestId('ops-quota-value-producer_byte_rate'), { target: { value: '0' } });
    fireEvent.click(screen.getByTestId('ops-quota-save'));
    expect(await screen.findByText(/producer_byte_rate must be a number above 0/)).toBeInTheDocument();
  });

  it('removes an entity only after typing "remove"; read-only offers no change', async () => {
    const backend = installBackend({ operations_quotas_list: () => QUOTAS, operations_quotas_remove: () => null });
    const { unmount } = renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    const rows = await openQuotas();
    fireEvent.click(within(rows[2]).getByTestId('ops-quota-remove'));
    const accept = await screen.findByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    fireEvent.change(screen.getByTestId('typed-confirm-input'), { target: { value: 'remove' } });
    fireEvent.click(accept);
    await waitFor(() => expect(backend.callsTo('operations_quotas_remove')).toHaveLength(1));
    expect(backend.callsTo('operations_quotas_remove')[0].args.entity).toEqual([{ entityType: 'ip', name: '10.0.0.7' }]);
    unmount();

    renderWithProviders(<OperationsView profile={{ ...SANDBOX, readOnly: true }} brokers={BROKERS} />);
    const readOnlyRows = await openQuotas();
    expect(screen.getByTestId('ops-quota-add')).toBeDisabled();
    expect(within(readOnlyRows[0]).getByTestId('ops-quota-remove')).toBeDisabled();
    expect(within(readOnlyRows[0]).getByTestId('ops-quota-edit')).toBeDisabled();
  });
});

const NOW = Date.now();
const TRANSACTIONS: TransactionList = {
  transactions: [
    {
      transactionalId: 'orders-tx',
      state: 'Ongoing',
      producerId: 4001,
      producerEpoch: 2,
      timeoutMs: 60000,
      startTimeMs: NOW - 420_000,
      ageMs: 420_000,
      coordinator: 2,
      partitions: [
        { topic: 'orders', partition: 0 },
        { topic: 'orders', partition: 1 },
      ],
      hanging: true,
      error: null,
    },
    {
      transactionalId: 'payments-tx',
      state: 'CompleteCommit',
      producerId: 4002,
      producerEpoch: 0,
      timeoutMs: 60000,
      startTimeMs: null,
      ageMs: null,
      coordinator: 1,
      partitions: [],
      hanging: false,
      error: null,
    },
  ],
  warnings: ['Broker 3 (127.0.0.1:9093): unreachable'],
};
const PRODUCERS: TopicProducers = {
  topic: 'orders',
  producers: [
    { partition: 0, producerId: 4001, producerEpoch: 2, lastSequence: 4, lastTimestampMs: NOW - 400_000, coordinatorEpoch: 0, currentTxnStartOffset: 120, hanging: true },
    { partition: 1, producerId: 3000, producerEpoch: 0, lastSequence: 9, lastTimestampMs: NOW - 1000, coordinatorEpoch: -1, currentTxnStartOffset: null, hanging: false },
  ],
  errors: [],
};

describe('transactions', () => {
  it('lists transactions with state, age and the hanging flag, with the threshold sent', async () => {
    const backend = installBackend({ operations_transactions_list: () => TRANSACTIONS });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-section-transactions'));
    const rows = await screen.findAllByTestId('ops-tx-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('orders-tx');
    expect(rows[0]).toHaveTextContent('Ongoing');
    expect(rows[0]).toHaveTextContent('7m 00s');
    expect(rows[0]).toHaveTextContent('orders-0, orders-1');
    expect(within(rows[0]).getByTestId('ops-tx-hanging')).toBeInTheDocument();
    expect(within(rows[1]).queryByTestId('ops-tx-hanging')).toBeNull();
    expect(screen.getByTestId('ops-tx-count')).toHaveTextContent('2 transactional ids, 1 open, 1 hanging');
    expect(screen.getByTestId('ops-tx-warning')).toHaveTextContent('Broker 3');
    expect(backend.callsTo('operations_transactions_list')[0].args.hangingAfterMs).toBe(5 * 60_000);
    fireEvent.change(screen.getByTestId('ops-tx-threshold'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('ops-tx-refresh'));
    await waitFor(() => expect(backend.callsTo('operations_transactions_list')).toHaveLength(2));
    expect(backend.callsTo('operations_transactions_list')[1].args.hangingAfterMs).toBe(10 * 60_000);
    fireEvent.click(screen.getByTestId('ops-tx-open-only'));
    await waitFor(() => expect(screen.getAllByTestId('ops-tx-row')).toHaveLength(1));
  });

  it('shows the producers of a transaction topic and aborts after typing "abort"', async () => {
    const backend = installBackend({
      operations_transactions_list: () => TRANSACTIONS,
      operations_transaction_producers: () => PRODUCERS,
      operations_transaction_abort: () => null,
    });
    renderWithProviders(<OperationsView profile={SANDBOX} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-section-transactions'));
    fireEvent.click((await screen.findAllByTestId('ops-tx-partitions'))[0]);
    const rows = await screen.findAllByTestId('ops-tx-producer-row');
    expect(rows).toHaveLength(2);
    expect(backend.callsTo('operations_transaction_producers')[0].args).toMatchObject({ topic: 'orders', hangingAfterMs: 300000 });
    expect(within(rows[0]).getByTestId('ops-tx-lso')).toHaveTextContent('hanging, holds LSO');
    expect(within(rows[1]).queryByTestId('ops-tx-abort')).toBeNull();
    fireEvent.click(within(rows[0]).getByTestId('ops-tx-abort'));
    expect(await screen.findByText(/kafka-transactions.sh --bootstrap-server 127.0.0.1:19092/)).toHaveTextContent(
      'abort --topic orders --partition 0 --producer-id 4001 --producer-epoch 2 --coordinator-epoch 0',
    );
    const accept = screen.getByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    fireEvent.change(screen.getByTestId('typed-confirm-input'), { target: { value: 'abort' } });
    fireEvent.click(accept);
    await waitFor(() => expect(backend.callsTo('operations_transaction_abort')).toHaveLength(1));
    expect(backend.callsTo('operations_transaction_abort')[0].args).toEqual({ profileId: SANDBOX.id, partition: { topic: 'orders', partition: 0 }, producerId: 4001 });
    expect(await screen.findByTestId('ops-tx-aborted')).toHaveTextContent('producer 4001 on orders-0');
  });

  it('says plainly when the cluster does not support the API', async () => {
    installBackend({
      operations_transactions_list: () => {
        throw { kind: 'Kafka', message: 'Not supported by this cluster: for its transactions (ListTransactions).', detail: 'UNSUPPORTED_VERSION' };
      },
    });
    renderWithProviders(<OperationsView profile={{ ...SANDBOX, readOnly: true }} brokers={BROKERS} />);
    fireEvent.click(screen.getByTestId('ops-section-transactions'));
    expect(await screen.findByText(/Not supported by this cluster/)).toBeInTheDocument();
  });
});
