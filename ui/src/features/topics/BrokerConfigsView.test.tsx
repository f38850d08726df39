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
});
