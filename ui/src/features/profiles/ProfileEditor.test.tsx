import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { App } from '../../App';
import type { Profile } from '../../api/profiles';
import { installBackend } from '../../test/backend';
import { SANDBOX, SANDBOX_LIST } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';

const PROD: Profile = {
  ...SANDBOX,
  id: 'prod-1',
  name: 'Payments prod',
  bootstrapServers: 'k1.prod:9093',
  securityProtocol: 'SASL_SSL',
  saslMechanism: 'SCRAM-SHA-512',
  saslUsername: 'svc',
  secretFields: ['sasl.password'],
  environment: 'prod',
  color: '#e03131',
  readOnly: true,
};

describe('connection editor', () => {
  it('shows SASL fields for SASL protocols, with errors under each field', async () => {
    const backend = installBackend({ profiles_list: () => SANDBOX_LIST });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');
    expect(screen.queryByTestId('profile-sasl-username')).not.toBeInTheDocument();

    await user.type(screen.getByTestId('new-connection-name'), 'Secured');
    await user.type(screen.getByTestId('new-connection-bootstrap'), 'k:9093');
    await user.click(screen.getByLabelText('SASL_SSL'));
    expect(screen.getByTestId('profile-sasl-username')).toBeInTheDocument();
    expect(screen.getByTestId('profile-tls-ca')).toBeInTheDocument();

    await user.click(screen.getByTestId('profile-test'));
    expect(await screen.findByTestId('profile-saslMechanism-error')).toBeInTheDocument();
    expect(screen.getByTestId('profile-saslUsername-error')).toHaveTextContent('user name');
    expect(screen.getByTestId('profile-saslPassword-error')).toHaveTextContent('password');
    expect(backend.callsTo('profiles_test')).toHaveLength(0);
  });

  it('tests the settings and shows brokers, cluster id and latency, or the one cause', async () => {
    const backend = installBackend({
      profiles_list: () => SANDBOX_LIST,
      profiles_test: () => ({
        clusterId: 'abc-cluster',
        controllerId: null,
        brokers: [{ id: 1, host: '127.0.0.1', port: 9093, rack: null, isController: false, leaderCount: 0, replicaCount: 0 }],
        connectMs: 120,
        roundTripMs: 3,
        brokerVersions: 'Kafka 4.0 or newer',
      }),
    });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');
    await user.type(screen.getByTestId('new-connection-name'), 'T');
    await user.type(screen.getByTestId('new-connection-bootstrap'), 'k:9093');
    await user.click(screen.getByTestId('profile-test'));
    const ok = await screen.findByTestId('profile-test-result');
    expect(ok).toHaveAttribute('data-status', 'ok');
    expect(ok).toHaveTextContent('1 broker reached');
    expect(ok).toHaveTextContent('abc-cluster');
    expect(ok).toHaveTextContent('Kafka 4.0 or newer');
    expect(backend.callsTo('profiles_test')[0].args).toMatchObject({ id: null, input: { name: 'T', bootstrapServers: 'k:9093' } });

    backend.on('profiles_test', () => {
      throw { kind: 'Tls', message: 'TLS: the broker’s certificate is not signed by a trusted CA (unknown CA).' };
    });
    await user.click(screen.getByTestId('profile-test'));
    const failed = await screen.findByText(/unknown CA/);
    expect(screen.getByTestId('profile-test-result')).toHaveAttribute('data-kind', 'Tls');
    expect(failed).toBeInTheDocument();
  });

  it('marks read-only profiles, edits a saved one keeping its password, and saves with profiles_update', async () => {
    const backend = installBackend({
      profiles_list: () => ({ ...SANDBOX_LIST, profiles: [SANDBOX, PROD], connected: ['prod-1'] }),
      profiles_update: (args) => ({ ...PROD, notes: (args.input as { notes: string }).notes }),
    });
    const { user } = renderWithProviders(<App />);
    const items = await screen.findAllByTestId('connection-item');
    const prod = items.find((i) => i.getAttribute('data-profile-id') === 'prod-1')!;
    expect(within(prod).getByTestId('read-only-badge')).toBeInTheDocument();
    expect(within(prod).getByTestId('connection-state')).toHaveTextContent('connected');
    expect(within(prod).getByTestId('connection-dot')).toHaveStyle({ backgroundColor: '#e03131' });

    await user.click(within(prod).getByTestId('connection-edit'));
    expect(await screen.findByText('Edit “Payments prod”')).toBeInTheDocument();
    expect(screen.getByTestId('profile-sasl-password')).toHaveAttribute('placeholder', 'Saved in the keychain');
    await user.type(screen.getByTestId('profile-notes'), 'on call: team A');
    await user.click(screen.getByTestId('new-connection-submit'));
    await screen.findByText('Saved “Payments prod”');
    const call = backend.callsTo('profiles_update')[0].args as { id: string; input: Record<string, unknown> };
    expect(call.id).toBe('prod-1');
    expect(call.input).toMatchObject({ saslUsername: 'svc', saslPassword: null, readOnly: true, notes: 'on call: team A' });
  });
});

describe('import and export', () => {
  it('imports through the native file picker, reloads the list and opens the first import', async () => {
    const imported: Profile = { ...SANDBOX, id: 'imp-1', name: 'prod-eu', environment: 'dev' };
    let listed = SANDBOX_LIST;
    const backend = installBackend({
      profiles_list: () => listed,
      files_pick: () => '/home/me/kafka-ui.yml',
      profiles_import: () => {
        listed = { ...SANDBOX_LIST, profiles: [SANDBOX, imported] };
        return {
          format: 'kafka-ui YAML',
          imported: [imported],
          notes: ['prod-eu: left out schema.registry.url.'],
          secrets: 'There is no OS keychain here: passwords of 1 connection are kept in memory for this run only. Enter them again after a restart.',
        };
      },
    });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');
    await user.click(screen.getByTestId('connections-import'));
    expect(await screen.findByText('Imported 1 connection (kafka-ui YAML)')).toBeInTheDocument();
    const note = screen.getByText(/prod-eu: left out schema.registry.url./);
    // Says where the passwords really went: no keychain here, so not "the keychain".
    expect(note).toHaveTextContent('kept in memory for this run only');
    expect(note).not.toHaveTextContent('went to the keychain');
    expect(backend.callsTo('files_pick')[0].args).toEqual({ purpose: 'importConnections' });
    expect(backend.callsTo('profiles_import')[0].args).toEqual({ path: '/home/me/kafka-ui.yml' });
    expect(await screen.findAllByTestId('connection-item')).toHaveLength(2);
    expect(screen.getByText('Edit “prod-eu”')).toBeInTheDocument();
  });

  it('does nothing when the picker is cancelled', async () => {
    const backend = installBackend({ profiles_list: () => SANDBOX_LIST, files_pick: () => null });
    const { user } = renderWithProviders(<App />);
    await screen.findByTestId('connection-item');
    await user.click(screen.getByTestId('connections-export'));
    // The backend opens the dialog; the webview only names what the file is for.
    expect(backend.callsTo('files_pick')[0].args).toEqual({ purpose: 'exportConnections', suggestedName: 'kafkadesk-connections.json' });
    expect(backend.callsTo('profiles_export')).toHaveLength(0);
  });
});
