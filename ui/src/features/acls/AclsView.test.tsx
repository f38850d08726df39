import { describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { AclBinding, AclListing } from '../../api/acls';
import { installBackend } from '../../test/backend';
import { SANDBOX } from '../../test/fixtures';
import { renderWithProviders } from '../../test/render';
import { deleteConfirmation } from './AclsList';
import { AclsView } from './AclsView';
import { splitNames, wizardOf } from './GrantWizard';

const READ: AclBinding = {
  principal: 'User:reader',
  host: '*',
  operation: 'READ',
  permission: 'ALLOW',
  resourceType: 'TOPIC',
  resourceName: 'orders',
  patternType: 'LITERAL',
};
const DESCRIBE: AclBinding = { ...READ, operation: 'DESCRIBE' };

describe('ACL bindings', () => {
  it('shows SECURITY_DISABLED as an empty state, not an error', async () => {
    installBackend({ acls_list: (): AclListing => ({ securityDisabled: true, bindings: [] }) });
    renderWithProviders(<AclsView profile={SANDBOX} />);
    expect(await screen.findByTestId('acls-security-disabled')).toHaveTextContent('no authorizer configured (SECURITY_DISABLED)');
    expect(screen.queryByTestId('error-banner')).toBeNull();
  });

  it('deletes by filter exactly what the preview showed, after the typed confirmation', async () => {
    const backend = installBackend({
      acls_list: (): AclListing => ({ securityDisabled: false, bindings: [READ, DESCRIBE] }),
      acls_delete_preview: () => [READ, DESCRIBE],
      acls_delete: (args) => args.bindings,
    });
    renderWithProviders(<AclsView profile={SANDBOX} />);
    expect(await screen.findAllByTestId('acl-row')).toHaveLength(2);
    fireEvent.change(screen.getByTestId('acls-filter-principal'), { target: { value: 'User:reader' } });
    await waitFor(() => expect(backend.callsTo('acls_list').at(-1)?.args.filter).toMatchObject({ principal: 'User:reader' }));
    // The list reloads for the new filter; the delete-by-filter action shows again once it is back.
    fireEvent.click(await screen.findByTestId('acls-delete-filter'));
    expect(await screen.findAllByTestId('acls-delete-item')).toHaveLength(2);
    const accept = screen.getByTestId('typed-confirm-accept');
    expect(accept).toBeDisabled();
    fireEvent.change(screen.getByTestId('typed-confirm-input'), { target: { value: deleteConfirmation(2) } });
    fireEvent.click(accept);
    await waitFor(() => expect(backend.callsTo('acls_delete')).toHaveLength(1));
    expect(backend.callsTo('acls_delete')[0].args.bindings).toEqual([READ, DESCRIBE]);
  });

  it('refuses nothing on a read-only profile but offers no changes', async () => {
    installBackend({ acls_list: (): AclListing => ({ securityDisabled: false, bindings: [READ] }) });
    renderWithProviders(<AclsView profile={{ ...SANDBOX, readOnly: true }} />);
    expect(await screen.findAllByTestId('acl-row')).toHaveLength(1);
    expect(screen.queryByTestId('acls-delete-selected')).toBeNull();
    expect(screen.getByTestId('acls-import')).toBeDisabled();
  });
});

describe('grant wizard', () => {
  it('builds the wizard request from the form', () => {
    expect(splitNames('a, b\n\n c ')).toEqual(['a', 'b', 'c']);
    const fields = {
      principal: 'User:p',
      host: '',
      topics: 'orders\npayments',
      prefixed: true,
      allowCreate: false,
      transactionalId: ' ',
      group: 'g',
      groupPrefixed: false,
      prefix: '',
    };
    expect(wizardOf('producer', fields)).toMatchObject({ kind: 'producer', topics: ['orders', 'payments'], patternType: 'PREFIXED', transactionalId: null });
    expect(wizardOf('consumer', fields)).toMatchObject({ kind: 'consumer', group: 'g', groupPatternType: 'LITERAL' });
  });
});
