import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { App } from '../../App';
import { installBackend, LOCAL_SETUP } from '../../test/backend';
import { SANDBOX, SANDBOX_OVERVIEW } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';

const EMPTY_LIST = { profiles: [], warning: null, secretStorage: { keychain: true, message: null }, connected: [] };
const LOCAL_PROFILE = { ...SANDBOX, id: 'p-local', name: 'Local Kafka', bootstrapServers: '127.0.0.1:19092' };
const STOPPED = {
  id: 'c1',
  name: 'Local Kafka',
  state: 'stopped',
  bootstrap: '127.0.0.1:19092',
  nodes: [{ id: 1, brokerPort: 19092, controllerPort: 19093, pid: null }],
  profileId: 'p-local',
  dataDir: '/data/local-clusters/c1',
  kafkaVersion: null,
};
const RUNNING = { ...STOPPED, state: 'running', nodes: [{ ...STOPPED.nodes[0], pid: 4242 }], kafkaVersion: '4.1.1' };

describe('local clusters', () => {
  it('starts a 1-node local cluster from the empty start screen and connects to it', async () => {
    let profiles = EMPTY_LIST;
    const backend = installBackend({
      profiles_list: () => profiles,
      local_create: () => {
        profiles = { ...EMPTY_LIST, profiles: [LOCAL_PROFILE] } as typeof EMPTY_LIST;
        return STOPPED;
      },
      local_start: () => RUNNING,
      cluster_connect: () => ({ ...SANDBOX_OVERVIEW, profileId: 'p-local', brokers: [SANDBOX_OVERVIEW.brokers[0]] }),
    });
    const { user } = renderWithProviders(<App />);
    const empty = await screen.findByTestId('connections-empty-state');
    await user.click(within(empty).getByTestId('start-local-cluster'));

    expect(await screen.findByTestId('cluster-overview')).toBeInTheDocument();
    expect(backend.callsTo('local_create')).toEqual([
      { cmd: 'local_create', args: { input: { name: 'Local Kafka', nodes: 1, brokerPorts: [19092], controllerPorts: [19093] } } },
    ]);
    expect(backend.callsTo('local_start')).toEqual([{ cmd: 'local_start', args: { id: 'c1' } }]);
    expect(backend.callsTo('cluster_connect')).toEqual([{ cmd: 'cluster_connect', args: { profileId: 'p-local' } }]);
    expect(screen.getAllByTestId('broker-row')).toHaveLength(1);
  });

  it('explains what to install instead of starting when Java is missing', async () => {
    const problem = 'Java 17+ is needed to run a local Kafka. No Java was found. Install a Java 17 or newer runtime: …';
    const backend = installBackend({
      profiles_list: () => EMPTY_LIST,
      local_setup: () => ({ ...LOCAL_SETUP, java: null, javaProblem: problem }),
    });
    const { user } = renderWithProviders(<App />);
    await user.click(within(await screen.findByTestId('connections-empty-state')).getByTestId('start-local-cluster'));

    expect(await screen.findByTestId('local-clusters-view')).toBeInTheDocument();
    expect(screen.getByTestId('local-java-problem')).toHaveTextContent(problem);
    expect(backend.callsTo('local_create')).toHaveLength(0);
    expect(backend.callsTo('local_start')).toHaveLength(0);
  });

  it('lists clusters with their state and stops a running one', async () => {
    const backend = installBackend({
      profiles_list: () => ({ ...EMPTY_LIST, profiles: [LOCAL_PROFILE] }),
      local_list: () => [RUNNING],
      local_stop: () => STOPPED,
    });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByTestId('nav-local-clusters'));
    const card = await screen.findByTestId('local-cluster');
    expect(card).toHaveAttribute('data-state', 'running');
    expect(card).toHaveTextContent('pid 4242');
    expect(card).toHaveTextContent('127.0.0.1:19093');

    backend.on('local_list', () => [STOPPED]);
    await user.click(within(card).getByTestId('local-stop'));
    expect(backend.callsTo('local_stop')).toEqual([{ cmd: 'local_stop', args: { id: 'c1' } }]);
    expect(await within(screen.getByTestId('local-cluster')).findByTestId('local-start')).toBeInTheDocument();
  });
});
