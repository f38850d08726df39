import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import { App } from '../../App';
import { emptyInput } from '../../api/profiles';
import { deferred, installBackend } from '../../test/backend';
import { SANDBOX, SANDBOX_LIST, SANDBOX_OVERVIEW } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';

const UNREACHABLE = {
  kind: 'Unreachable',
  message: 'No broker answered at 127.0.0.1:19092, 127.0.0.1:29092 within 10 s. Is the cluster running?',
};

describe('start screen', () => {
  it('lists the saved connections from profiles_list', async () => {
    const backend = installBackend({ profiles_list: () => SANDBOX_LIST });
    renderWithProviders(<App />);

    const item = await screen.findByTestId('connection-item');
    expect(item).toHaveAttribute('data-profile-name', 'Local sandbox');
    expect(within(item).getByText('Local sandbox')).toBeInTheDocument();
    expect(within(item).getByText(SANDBOX.bootstrapServers)).toBeInTheDocument();
    expect(within(item).getByTestId('connection-connect')).toBeEnabled();
    expect(within(screen.getByTestId('connections-list')).getAllByTestId('connection-item')).toHaveLength(1);
    expect(backend.callsTo('profiles_list')).toHaveLength(1);
    // With a connection saved there is no "nothing here" empty state.
    expect(screen.queryByTestId('connections-empty-state')).not.toBeInTheDocument();
    // The form and its opener are on the start screen.
    expect(screen.getByTestId('new-connection-form')).toBeInTheDocument();
    expect(screen.getByTestId('new-connection-open')).toBeInTheDocument();
  });

  it('connects right away to the profile named on the command line', async () => {
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      app_startup: () => ({ connectProfileId: SANDBOX.id }),
      cluster_connect: () => SANDBOX_OVERVIEW,
    });
    renderWithProviders(<App />);

    expect(await screen.findByTestId('cluster-overview')).toBeInTheDocument();
    expect(backend.callsTo('cluster_connect')).toEqual([{ cmd: 'cluster_connect', args: { profileId: SANDBOX.id } }]);
    expect(backend.callsTo('app_startup')).toHaveLength(1);
  });

  it('says what to do when there are no saved connections', async () => {
    installBackend({ profiles_list: () => ({ profiles: [], warning: null }) });
    renderWithProviders(<App />);

    const empty = await screen.findByTestId('connections-empty-state');
    expect(empty).toHaveTextContent('No saved connections yet');
    expect(empty).toHaveTextContent('Save and connect');
    expect(screen.queryAllByTestId('connection-item')).toHaveLength(0);
  });

  it('shows the store warning as a yellow banner', async () => {
    installBackend({
      profiles_list: () => ({
        profiles: [SANDBOX],
        warning: {
          message:
            'Your saved connections could not be read (EOF). Restored the last good copy: 2 connections from profiles.json.bak. The unreadable file is kept at /cfg/profiles.json.corrupt-1.',
          keptAt: '/cfg/profiles.json.corrupt-1',
        },
      }),
    });
    renderWithProviders(<App />);

    const warning = await screen.findByTestId('store-warning');
    expect(warning).toHaveTextContent('Restored the last good copy: 2 connections');
    // The kept file is named once, by the backend's message.
    expect(warning.textContent?.split('/cfg/profiles.json.corrupt-1')).toHaveLength(2);
    expect(screen.queryByTestId('error-banner')).not.toBeInTheDocument();
  });

  it('validates on the client and does not call profiles_create', async () => {
    const backend = installBackend({ profiles_list: () => SANDBOX_LIST, profiles_create: () => SANDBOX });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');

    await user.click(screen.getByTestId('new-connection-submit'));
    expect(await screen.findByTestId('new-connection-name-error')).toHaveTextContent('Enter a name');
    expect(screen.getByTestId('new-connection-bootstrap-error')).toHaveTextContent('at least one host:port');
    expect(screen.getByTestId('new-connection-name')).toHaveAttribute('aria-invalid', 'true');

    await user.type(screen.getByTestId('new-connection-name'), 'Staging');
    await user.type(screen.getByTestId('new-connection-bootstrap'), 'kafka1:9092,kafka2:70000');
    // The name error clears as soon as it is fixed; the port error names the bad entry.
    expect(screen.queryByTestId('new-connection-name-error')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('new-connection-submit'));
    expect(screen.getByTestId('new-connection-bootstrap-error')).toHaveTextContent(
      'The port in "kafka2:70000" must be a number from 1 to 65535.',
    );
    expect(screen.getByTestId('new-connection-bootstrap')).toHaveAttribute('aria-invalid', 'true');

    expect(backend.callsTo('profiles_create')).toHaveLength(0);
    expect(backend.callsTo('cluster_connect')).toHaveLength(0);
  });

  it('puts a backend InvalidInput error under the field its detail names', async () => {
    const message = 'Bootstrap servers: "kafka.internal:9092" could not be resolved.';
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      profiles_create: () => {
        throw { kind: 'InvalidInput', message, detail: 'bootstrapServers' };
      },
    });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');

    await user.type(screen.getByTestId('new-connection-name'), '  Staging ');
    await user.type(screen.getByTestId('new-connection-bootstrap'), 'kafka.internal:9092 , ');
    await user.click(screen.getByTestId('new-connection-submit'));

    const fieldError = await screen.findByTestId('new-connection-bootstrap-error');
    expect(fieldError).toHaveTextContent(message);
    expect(screen.getByTestId('new-connection-bootstrap')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('new-connection-name-error')).not.toBeInTheDocument();
    expect(screen.queryByTestId('error-banner')).not.toBeInTheDocument();
    // The input is sent trimmed, under the `input` key.
    expect(backend.callsTo('profiles_create')).toEqual([
      {
        cmd: 'profiles_create',
        args: { input: { ...emptyInput(), name: 'Staging', bootstrapServers: 'kafka.internal:9092' } },
      },
    ]);
    // Nothing was saved, so nothing was connected, and the typed values stay.
    expect(backend.callsTo('cluster_connect')).toHaveLength(0);
    expect(screen.getByTestId('new-connection-name')).toHaveValue('  Staging ');

    // Editing the field clears the backend's error (the edit itself is valid).
    await user.type(screen.getByTestId('new-connection-bootstrap'), 'kafka2:9092');
    expect(screen.queryByTestId('new-connection-bootstrap-error')).not.toBeInTheDocument();
  });

  it('shows a failed connect in the banner with the exact message, and the form stays usable', async () => {
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => {
        throw UNREACHABLE;
      },
    });
    const { user } = renderWithProviders(<App />);
    const item = await screen.findByTestId('connection-item');

    await user.click(within(item).getByTestId('connection-connect'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner).toHaveAttribute('role', 'alert');
    expect(banner).toHaveTextContent(UNREACHABLE.message);
    expect(banner).toHaveTextContent('Cluster unreachable');
    expect(backend.callsTo('cluster_connect')).toEqual([
      { cmd: 'cluster_connect', args: { profileId: SANDBOX.id } },
    ]);
    expect(screen.queryByTestId('cluster-overview')).not.toBeInTheDocument();
    expect(screen.queryByTestId('connecting-notice')).not.toBeInTheDocument();

    // Still usable: type into the form and submit again.
    const name = screen.getByTestId('new-connection-name');
    expect(name).toBeEnabled();
    await user.type(name, 'Other');
    expect(name).toHaveValue('Other');
    expect(screen.getByTestId('new-connection-submit')).toBeEnabled();
    expect(within(item).getByTestId('connection-connect')).toBeEnabled();
  });

  it('turns a rejection that is not an AppError into an Internal error with its text', async () => {
    installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => {
        throw 'command cluster_connect not found';
      },
    });
    const { user } = renderWithProviders(<App />);
    await user.click(await screen.findByTestId('connection-connect'));

    const banner = await screen.findByTestId('error-banner');
    expect(banner).toHaveAttribute('data-error-kind', 'Internal');
    expect(banner).toHaveTextContent('command cluster_connect not found');
  });

  it('saves, then connects, then shows the overview', async () => {
    const staging = { id: 'p-staging', name: 'Staging', bootstrapServers: 's1:9092,s2:9092' };
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      profiles_create: () => staging,
      cluster_connect: () => ({ ...SANDBOX_OVERVIEW, profileId: staging.id }),
    });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');

    await user.type(screen.getByTestId('new-connection-name'), 'Staging');
    await user.type(screen.getByTestId('new-connection-bootstrap'), 's1:9092,s2:9092');
    await user.click(screen.getByTestId('new-connection-submit'));

    expect(await screen.findByTestId('cluster-overview')).toBeInTheDocument();
    expect(backend.callsTo('cluster_connect')).toEqual([{ cmd: 'cluster_connect', args: { profileId: 'p-staging' } }]);
    const names = screen.getAllByTestId('connection-item').map((el) => el.getAttribute('data-profile-name'));
    expect(names).toEqual(['Local sandbox', 'Staging']);
    expect(screen.getByTestId('header-cluster-name')).toHaveTextContent('Staging');
  });

  it('keeps the window responsive while connecting, and Cancel abandons the wait', async () => {
    const pending = deferred<unknown>();
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      cluster_connect: () => pending.promise,
      cluster_disconnect: () => null,
    });
    const { user } = renderWithProviders(<App />);
    const connectButton = await screen.findByTestId('connection-connect');

    await user.click(connectButton);
    expect(await screen.findByTestId('connecting-notice')).toHaveTextContent('Connecting to Local sandbox');
    expect(connectButton).toHaveAttribute('data-loading', 'true');
    // The rest of the window still works.
    await user.type(screen.getByTestId('new-connection-name'), 'typing while waiting');
    expect(screen.getByTestId('new-connection-name')).toHaveValue('typing while waiting');

    await user.click(screen.getByTestId('connect-cancel'));
    expect(screen.queryByTestId('connecting-notice')).not.toBeInTheDocument();
    expect(connectButton).not.toHaveAttribute('data-loading');

    // The abandoned call finishes later: the UI ignores it and releases the connection.
    pending.resolve(SANDBOX_OVERVIEW);
    await waitFor(() => expect(backend.callsTo('cluster_disconnect')).toHaveLength(1));
    expect(backend.callsTo('cluster_disconnect')[0].args).toEqual({ profileId: SANDBOX.id });
    expect(screen.queryByTestId('cluster-overview')).not.toBeInTheDocument();
    expect(screen.getByTestId('start-screen')).toBeInTheDocument();
  });

  it('asks before deleting a connection', async () => {
    const backend = installBackend({ profiles_list: () => SANDBOX_LIST, profiles_delete: () => null });
    const { user } = renderWithProviders(<App />);
    const item = await screen.findByTestId('connection-item');

    await user.click(within(item).getByTestId('connection-delete'));
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('“Local sandbox” will be removed');
    await user.click(within(dialog).getByTestId('confirm-cancel'));
    expect(backend.callsTo('profiles_delete')).toHaveLength(0);
    expect(screen.getByTestId('connection-item')).toBeInTheDocument();

    await user.click(within(item).getByTestId('connection-delete'));
    await user.click(within(await screen.findByRole('dialog')).getByTestId('confirm-accept'));
    await waitFor(() => expect(screen.queryAllByTestId('connection-item')).toHaveLength(0));
    expect(backend.callsTo('profiles_delete')).toEqual([{ cmd: 'profiles_delete', args: { id: SANDBOX.id } }]);
  });

  it('focuses the name input from the "New" button and mod+N', async () => {
    installBackend({ profiles_list: () => SANDBOX_LIST });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');

    await user.click(screen.getByTestId('new-connection-open'));
    expect(screen.getByTestId('new-connection-name')).toHaveFocus();

    (document.activeElement as HTMLElement).blur();
    await user.keyboard('{Control>}n{/Control}');
    expect(screen.getByTestId('new-connection-name')).toHaveFocus();
  });
});
