import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import type { ConfigEntry } from '../../api/topics';
import { installBackend } from '../../test/backend';
import { SANDBOX, SANDBOX_OVERVIEW } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { BrokerConfigsView } from './BrokerConfigsView';

const entry = (name: string, value: string | null, source: ConfigEntry['source'], sensitive = false): ConfigEntry => ({
  name,
  value,
  source,
  defaultValue: null,
  defaultFrom: null,
  sensitive,
  readOnly: true,
});

describe('broker configs', () => {
  it("shows each broker's configs with their source, secrets masked, read-only", async () => {
    const backend = installBackend({
      broker_configs: ({ brokerId }) => [
        entry('node.id', String(brokerId), 'staticBroker'),
        entry('log.retention.hours', '168', 'default'),
        entry('ssl.keystore.password', null, 'staticBroker', true),
      ],
    });
    const { user } = renderWithProviders(<BrokerConfigsView profileId={SANDBOX.id} brokers={SANDBOX_OVERVIEW.brokers} />);
    const table = await screen.findByTestId('broker-configs-table');
    // Looked up afresh each time: another broker's configs replace the table.
    const row = (name: string) => screen.getAllByTestId('config-row').find((r) => r.dataset.config === name)!;
    expect(within(row('node.id')).getByTestId('config-value')).toHaveTextContent(/^1$/);
    expect(within(row('node.id')).getByTestId('config-source')).toHaveTextContent('static');
    expect(within(row('ssl.keystore.password')).getByTestId('config-value')).toHaveTextContent('sensitive');
    expect(within(table).queryByTestId('config-edit')).not.toBeInTheDocument();

    await user.click(screen.getByText('3'));
    await waitFor(() => expect(within(row('node.id')).getByTestId('config-value')).toHaveTextContent(/^3$/));
    expect(backend.callsTo('broker_configs').map((c) => c.args.brokerId)).toEqual([1, 3]);
  });

  it('counts what is set on the broker, dynamic and static apart, with units for humans', async () => {
    installBackend({
      broker_configs: () => [
        entry('node.id', '1', 'staticBroker'),
        entry('listeners', 'PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093', 'staticBroker'),
        entry('log.cleaner.threads', '2', 'dynamicBroker'),
        entry('log.retention.ms', '604800000', 'default'),
        entry('log.segment.bytes', '1073741824', 'default'),
        entry('ssl.cipher.suites', 'x'.repeat(400), 'default'),
      ],
    });
    const { user } = renderWithProviders(<BrokerConfigsView profileId={SANDBOX.id} brokers={SANDBOX_OVERVIEW.brokers} />);
    expect(await screen.findByTestId('configs-summary')).toHaveTextContent('1 set dynamically · 2 set in server.properties · 6 total');
    const row = (name: string) => screen.getAllByTestId('config-row').find((r) => r.dataset.config === name)!;
    expect(within(row('log.retention.ms')).getByTestId('config-human')).toHaveTextContent('(7 d)');
    expect(within(row('log.segment.bytes')).getByTestId('config-human')).toHaveTextContent('(1 GiB)');
    expect(within(row('listeners')).getByTestId('config-value')).toHaveTextContent('PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093');
    // A long value folds behind "more" and opens whole.
    const long = within(row('ssl.cipher.suites')).getByTestId('config-value');
    expect(long.textContent!.length).toBeLessThan(200);
    await user.click(within(long).getByTestId('config-expand'));
    expect(long).toHaveTextContent('x'.repeat(400));
    // Names may break after their dots, lists after their commas and URLs after their scheme.
    const nameCell = row('log.retention.ms').querySelector('td')!;
    expect(nameCell.innerHTML).toBe('log.<wbr>retention.<wbr>ms');
    const listed = within(row('listeners')).getByTestId('config-raw');
    expect(listed.innerHTML).toBe('PLAINTEXT://<wbr>127.0.0.1:19092,<wbr>CONTROLLER://<wbr>127.0.0.1:19093');
  });
});
