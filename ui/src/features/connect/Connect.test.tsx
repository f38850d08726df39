import { describe, expect, it } from 'vitest';
import { fireEvent, screen, within } from '@testing-library/react';
import type { ConnectorDetail, ConnectorSummary, Validation } from '../../api/connect';
import type { Profile } from '../../api/profiles';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { ConnectView } from './ConnectView';
import { filterConnectors } from './ConnectorsOverview';
import { configOf } from './ConnectorForm';
import { parseOffsets } from './OffsetsPanel';

const WITH_CONNECT: Profile = {
  ...SANDBOX,
  connect: {
    clusters: [
      {
        id: 'c1',
        name: 'Main',
        urls: ['http://connect:8083'],
        username: null,
        tls: { caFile: null, clientCertFile: null, clientKeyFile: null, verifyHostname: true },
      },
    ],
  },
};

const row = (name: string, state: string, tasks: string[], topics: string[] | null = null): ConnectorSummary => ({
  name,
  kind: name.includes('sink') ? 'sink' : 'source',
  class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  state,
  workerId: '127.0.0.1:8083',
  trace: null,
  tasks: tasks.map((s, id) => ({ id, state: s, workerId: '127.0.0.1:8083', trace: s === 'FAILED' ? 'org.apache.kafka.connect.errors.ConnectException: boom' : null })),
  topics,
});

const LIST = [row('orders-src', 'RUNNING', ['RUNNING'], ['orders']), row('archive-sink', 'RUNNING', ['FAILED']), row('idle-src', 'PAUSED', ['PAUSED'])];

const DETAIL: ConnectorDetail = {
  summary: LIST[1],
  config: { 'connector.class': 'FileStreamSink', 'db.password': '********', file: '/tmp/out' },
  masked: ['db.password'],
};

const VALIDATION: Validation = {
  errorCount: 1,
  groups: ['Common'],
  fields: [
    {
      name: 'topic',
      kind: 'STRING',
      required: true,
      defaultValue: null,
      importance: 'HIGH',
      documentation: 'The topic to publish data to',
      group: null,
      displayName: 'topic',
      order: -1,
      value: null,
      recommendedValues: [],
      errors: ['Missing required configuration "topic" which has no default value.'],
      visible: true,
    },
  ],
};

describe('connectors list', () => {
  it('filters by text and by connector or task state', () => {
    expect(filterConnectors(LIST, '', 'FAILED').map((c) => c.name)).toEqual(['archive-sink']);
    expect(filterConnectors(LIST, '', 'PAUSED').map((c) => c.name)).toEqual(['idle-src']);
    expect(filterConnectors(LIST, 'ORDERS', 'ALL').map((c) => c.name)).toEqual(['orders-src']);
  });

  it('shows an empty state that leads to the settings when no Connect cluster is set', async () => {
    installBackend({});
    renderWithProviders(<ConnectView profile={SANDBOX} />);
    expect(screen.getByTestId('connect-empty')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('connect-settings-open'));
    expect(await screen.findByTestId('connect-settings')).toBeInTheDocument();
  });

  it('lists connectors with task states and opens one with its trace and masked secrets', async () => {
    const backend = installBackend({ connect_list: () => LIST, connect_detail: () => DETAIL });
    renderWithProviders(<ConnectView profile={WITH_CONNECT} />);
    const rows = await screen.findAllByTestId('connector-row');
    expect(rows.map((r) => r.getAttribute('data-name'))).toEqual(['orders-src', 'archive-sink', 'idle-src']);
    expect(within(rows[1]).getByTestId('connector-tasks')).toHaveTextContent('1 FAILED');
    expect(within(rows[0]).getByTestId('connector-topics')).toHaveTextContent('orders');
    expect(backend.callsTo('connect_list')[0].args).toMatchObject({ profileId: SANDBOX.id, connectId: 'c1' });

    fireEvent.click(rows[1]);
    expect(await screen.findByTestId('task-trace')).toHaveTextContent('ConnectException: boom');
    expect(screen.getByTestId('connector-config')).toHaveTextContent('********');
    expect(screen.getByTestId('offsets-reset')).toBeDisabled();
  });

  it('refuses changes in the UI of a read-only profile', async () => {
    installBackend({ connect_list: () => LIST, connect_detail: () => DETAIL });
    renderWithProviders(<ConnectView profile={{ ...WITH_CONNECT, readOnly: true }} />);
    expect(await screen.findByTestId('connector-new')).toBeDisabled();
  });

  it('builds the create form from the plugin and shows Connect’s errors per field', async () => {
    const backend = installBackend({
      connect_list: () => [],
      connect_plugins: () => [{ class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.1.1' }],
      connect_validate: () => VALIDATION,
    });
    renderWithProviders(<ConnectView profile={WITH_CONNECT} />);
    fireEvent.click(await screen.findByTestId('connector-new'));
    fireEvent.click(await screen.findByTestId('connect-plugin-option'));
    const topic = await screen.findByTestId('connector-field-topic');
    expect(screen.queryByTestId('field-error')).toBeNull();
    fireEvent.change(screen.getByTestId('connector-form-name'), { target: { value: 'orders' } });
    fireEvent.click(screen.getByTestId('connector-form-submit'));
    expect(await screen.findByTestId('field-error')).toHaveTextContent('Missing required configuration');
    expect(backend.callsTo('connect_create')).toHaveLength(0);
    expect(topic).toBeInTheDocument();
  });
});

describe('helpers', () => {
  it('sends only fields with a value', () => {
    expect(configOf({ a: '1', b: '', c: ' ' })).toEqual({ a: '1' });
  });

  it('reads offsets as a list or as Connect’s {offsets} object', () => {
    const one = { partition: { filename: '/f' }, offset: { position: 3 } };
    expect(parseOffsets(JSON.stringify([one]))).toEqual([one]);
    expect(parseOffsets(JSON.stringify({ offsets: [one] }))).toEqual([one]);
    expect(() => parseOffsets('{')).toThrow(/not valid JSON/);
    expect(() => parseOffsets('[1]')).toThrow(/partition/);
  });
});
