import { describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App';
import { deferred, installBackend } from '../../test/backend';
import { SANDBOX, SANDBOX_LIST, SANDBOX_OVERVIEW } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { ClusterOverview } from './ClusterOverview';

function renderOverview(overview = SANDBOX_OVERVIEW) {
  const onRefresh = vi.fn();
  const onDisconnect = vi.fn();
  const result = renderWithProviders(
    <ClusterOverview
      profile={SANDBOX}
      overview={overview}
      refreshing={false}
      disconnecting={false}
      onRefresh={onRefresh}
      onDisconnect={onDisconnect}
    />,
  );
  return { ...result, onRefresh, onDisconnect };
}

describe('cluster overview', () => {
  it('shows ids and human-formatted counts', () => {
    renderOverview();
    expect(screen.getByTestId('cluster-id')).toHaveTextContent(/^MkU3OEVBNTcwNTJENDM2Qk$/);
    expect(screen.getByTestId('controller-id')).toHaveTextContent(/^2$/);
    expect(screen.getByTestId('broker-count')).toHaveTextContent(/^3$/);
    expect(screen.getByTestId('topic-count')).toHaveTextContent(/^1\.2K$/);
    expect(screen.getByTestId('partition-count')).toHaveTextContent(/^1\.2M$/);
    expect(screen.getByText('plus 2 internal')).toBeInTheDocument();
    expect(screen.getByTestId('overview-latency')).toHaveTextContent('fetched in 42 ms');
  });

  it('lists every broker, with the controller badge on the controller row only', () => {
    renderOverview();
    const table = screen.getByTestId('brokers-table');
    const rows = within(table).getAllByTestId('broker-row');
    expect(rows.map((row) => row.getAttribute('data-broker-id'))).toEqual(['1', '2', '3']);

    const badges = within(table).getAllByTestId('controller-badge');
    expect(badges).toHaveLength(1);
    expect(badges[0]).toHaveTextContent(/^controller$/);
    expect(badges[0].closest('[data-testid="broker-row"]')).toHaveAttribute('data-broker-id', '2');

    const controllerRow = rows[1];
    expect(within(controllerRow).getByTestId('broker-id')).toHaveTextContent(/^2$/);
    expect(within(controllerRow).getByTestId('broker-host')).toHaveTextContent(/^127\.0\.0\.1$/);
    expect(within(controllerRow).getByTestId('broker-port')).toHaveTextContent(/^29092$/);
    expect(within(controllerRow).getByTestId('broker-rack')).toHaveTextContent(/^—$/);
    expect(within(controllerRow).getByTestId('broker-leaders')).toHaveTextContent(/^1\.2K$/);
    expect(within(controllerRow).getByTestId('broker-replicas')).toHaveTextContent(/^3\.7K$/);

    expect(within(rows[0]).getByTestId('broker-rack')).toHaveTextContent(/^rack-a$/);
    expect(within(rows[0]).getByTestId('broker-leaders')).toHaveTextContent(/^12$/);
  });

  it('sorts brokers by id and shows dashes for unknown cluster and controller ids', () => {
    renderOverview({
      ...SANDBOX_OVERVIEW,
      clusterId: null,
      controllerId: null,
      brokers: [...SANDBOX_OVERVIEW.brokers].reverse().map((b) => ({ ...b, isController: false })),
    });
    expect(screen.getByTestId('cluster-id')).toHaveTextContent(/^—$/);
    expect(screen.getByTestId('controller-id')).toHaveTextContent(/^—$/);
    expect(screen.queryByTestId('controller-badge')).not.toBeInTheDocument();
    const ids = screen.getAllByTestId('broker-row').map((row) => row.getAttribute('data-broker-id'));
    expect(ids).toEqual(['1', '2', '3']);
  });

  it('wires the Refresh and Disconnect buttons', async () => {
    const { user, onRefresh, onDisconnect } = renderOverview();
    await user.click(screen.getByTestId('overview-refresh'));
    await user.click(screen.getByTestId('disconnect-button'));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    expect(onDisconnect).toHaveBeenCalledTimes(1);
  });
});

describe('connected flow', () => {
  it('connects, refreshes with R (not while typing), and disconnects back to the start screen', async () => {
    const refreshed = deferred<unknown>();
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => SANDBOX_OVERVIEW,
      cluster_overview: () => refreshed.promise,
      cluster_disconnect: () => null,
    });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByTestId('connection-connect'));

    const overview = await screen.findByTestId('cluster-overview');
    expect(within(overview).getByTestId('topic-count')).toHaveTextContent('1.2K');
    await waitFor(() => expect(screen.getByTestId('header-cluster-name')).toHaveTextContent('Local sandbox'));
    expect(screen.getByTestId('connection-item')).toHaveAttribute('data-active', 'true');

    await user.keyboard('r');
    await waitFor(() => expect(backend.callsTo('cluster_overview')).toHaveLength(1));
    expect(backend.callsTo('cluster_overview')[0].args).toEqual({ profileId: SANDBOX.id });
    expect(screen.getByTestId('overview-refresh')).toHaveAttribute('data-loading', 'true');
    refreshed.resolve({ ...SANDBOX_OVERVIEW, topicCount: 9, latencyMs: 1530 });
    await waitFor(() => expect(screen.getByTestId('topic-count')).toHaveTextContent(/^7$/));
    expect(screen.getByTestId('overview-latency')).toHaveTextContent('fetched in 1.5 s');

    await user.click(screen.getByTestId('disconnect-button'));
    expect(await screen.findByTestId('start-screen')).toBeInTheDocument();
    expect(backend.callsTo('cluster_disconnect')).toEqual([
      { cmd: 'cluster_disconnect', args: { profileId: SANDBOX.id } },
    ]);
    expect(screen.queryByTestId('header-cluster-name')).not.toBeInTheDocument();

    // On the start screen, R while typing in a field is just a letter.
    await user.type(screen.getByTestId('new-connection-name'), 'r');
    expect(backend.callsTo('cluster_overview')).toHaveLength(1);
  });

  it('shows a failed refresh in the banner and keeps the last overview', async () => {
    installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => SANDBOX_OVERVIEW,
      cluster_overview: () => {
        throw { kind: 'Timeout', message: 'The cluster did not answer within 10 s.' };
      },
    });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByTestId('connection-connect'));
    await user.click(await screen.findByTestId('overview-refresh'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner).toHaveTextContent('The cluster did not answer within 10 s.');
    expect(banner).toHaveTextContent('Timed out');
    expect(screen.getByTestId('cluster-overview')).toBeInTheDocument();
    expect(screen.getByTestId('topic-count')).toHaveTextContent('1.2K');
  });
});

describe('app shell', () => {
  it('toggles the theme and remembers it', async () => {
    installBackend({ profiles_list: () => SANDBOX_LIST });
    const { user } = renderWithProviders(<App />);
    const toggle = screen.getByTestId('theme-toggle');
    const before = document.documentElement.getAttribute('data-mantine-color-scheme');
    expect(before).toBe('light'); // jsdom's matchMedia reports no dark preference

    await user.click(toggle);
    expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'dark');
    expect(window.localStorage.getItem('kafkadesk-color-scheme')).toBe('dark');

    await user.keyboard('{Control>}j{/Control}');
    expect(document.documentElement).toHaveAttribute('data-mantine-color-scheme', 'light');
    expect(window.localStorage.getItem('kafkadesk-color-scheme')).toBe('light');
  });

  it('opens the shortcuts help with ? and closes it with Escape', async () => {
    installBackend({ profiles_list: () => SANDBOX_LIST });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');

    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('shortcuts-list')).toHaveTextContent('Refresh the cluster overview');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('keeps the workspace tabs on one scrolling line and switches them with mod+digit', async () => {
    installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => SANDBOX_OVERVIEW,
    });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByTestId('connection-connect'));
    await screen.findByTestId('cluster-overview');

    const bar = screen.getByTestId('workspace-tab-bar');
    const tabs = within(bar).getAllByRole('tab');
    expect(tabs.map((t) => t.textContent)).toEqual(['Brokers', 'Topics', 'Messages', 'Groups', 'Broker configs', 'Schemas', 'Security', 'Connect', 'Operations']);
    expect(within(bar).getByRole('tablist')).toHaveClass('kd-workspace-tabs');

    await user.keyboard('{Control>}9{/Control}');
    await waitFor(() => expect(screen.getByTestId('tab-operations')).toHaveAttribute('aria-selected', 'true'));
    await user.keyboard('{Control>}4{/Control}');
    await waitFor(() => expect(screen.getByTestId('tab-groups')).toHaveAttribute('aria-selected', 'true'));
  });
});
