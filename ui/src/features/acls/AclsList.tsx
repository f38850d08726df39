/**
 * Every ACL binding, filtered on the broker; select rows or use the filter to delete
 * (always after a preview and a typed confirmation); export and import CSV / JSON.
 */
import { useCallback, useMemo, useState } from 'react';
import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconDownload, IconShieldLock, IconTrash, IconUpload } from '@tabler/icons-react';
import {
  EMPTY_FILTER,
  OPERATIONS,
  RESOURCE_TYPES,
  bindingKey,
  deleteAcls,
  describeBinding,
  exportAcls,
  importAcls,
  listAcls,
  previewDelete,
  previewImport,
  type AclBinding,
  type AclFilter,
  type Operation,
  type PatternFilter,
  type Permission,
  type ResourceType,
} from '../../api/acls';
import { toAppError, type AppError } from '../../api/errors';
import { pickAclExportFile, pickAclImportFile } from '../../api/files';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { formatCount } from '../../lib/format';
import { useBackend } from '../../lib/useBackend';
import { BindingsTable } from './BindingsTable';

/** What the user must type to delete: the count keeps it short and deliberate. */
export function deleteConfirmation(count: number): string {
  return count === 1 ? 'delete 1 binding' : `delete ${count} bindings`;
}

function text(value: string): string | null {
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

export function AclsList({ profile, onGrant }: { profile: Profile; onGrant: () => void }) {
  const [form, setForm] = useState({ principal: '', resourceName: '', host: '' });
  const [resourceType, setResourceType] = useState<ResourceType | null>(null);
  const [patternType, setPatternType] = useState<PatternFilter | null>(null);
  const [operation, setOperation] = useState<Operation | null>(null);
  const [permission, setPermission] = useState<Permission | null>(null);
  const filter: AclFilter = useMemo(
    () => ({
      ...EMPTY_FILTER,
      principal: text(form.principal),
      resourceName: text(form.resourceName),
      host: text(form.host),
      resourceType,
      patternType,
      operation,
      permission,
    }),
    [form, resourceType, patternType, operation, permission],
  );
  const load = useCallback(() => listAcls(profile.id, filter), [profile.id, filter]);
  const { data, error, loading, reload } = useBackend(load, `${profile.id}|${JSON.stringify(filter)}`);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<{ bindings: AclBinding[]; title: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const readOnly = profile.readOnly;

  const toggle = (b: AclBinding) =>
    setSelected((s) => {
      const next = new Set(s);
      const key = bindingKey(b);
      if (!next.delete(key)) next.add(key);
      return next;
    });

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await work();
    } catch (e) {
      setActionError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const confirmDelete = () =>
    run(async () => {
      if (!pending) return;
      const deleted = await deleteAcls(profile.id, pending.bindings);
      setPending(null);
      setSelected(new Set());
      setNotice(`Deleted ${formatCount(deleted.length)} binding${deleted.length === 1 ? '' : 's'}.`);
      await reload();
    });

  const exportTo = (format: 'csv' | 'json') =>
    run(async () => {
      const path = await pickAclExportFile(format);
      if (!path) return;
      const count = await exportAcls(profile.id, filter, format === 'csv' ? 'csv' : 'json', path);
      setNotice(`Exported ${formatCount(count)} bindings to ${path}.`);
    });

  const importFrom = () =>
    run(async () => {
      const path = await pickAclImportFile();
      if (!path) return;
      const bindings = await previewImport(path);
      const created = await importAcls(profile.id, path);
      setNotice(`Imported ${formatCount(created.created.length)} of ${formatCount(bindings.length)} bindings from ${path}.`);
      await reload();
    });

  const bindings = data?.bindings ?? [];
  const chosen = bindings.filter((b) => selected.has(bindingKey(b)));
  const filtered = Object.values(filter).some((v) => v !== null);

  return (
    <Stack gap="sm" data-testid="acls-list" aria-busy={loading || undefined}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          ACL bindings{data && !data.securityDisabled ? ` (${formatCount(bindings.length)})` : ''}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportTo('csv')} disabled={busy} data-testid="acls-export-csv">
            Export CSV
          </Button>
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportTo('json')} disabled={busy} data-testid="acls-export-json">
            Export JSON
          </Button>
          <Button size="xs" variant="default" leftSection={<IconUpload size={14} />} onClick={() => void importFrom()} disabled={busy || readOnly} data-testid="acls-import">
            Import
          </Button>
          <RefreshButton loading={loading} onClick={() => void reload()} testId="acls-refresh" />
        </Group>
      </Group>
      <Group gap="xs" align="flex-end">
        <TextInput size="xs" label="Principal" placeholder="User:alice" value={form.principal} onChange={(e) => setForm({ ...form, principal: e.currentTarget.value })} data-testid="acls-filter-principal" style={{ flex: '1 1 240px' }} />
        <Select size="xs" label="Resource" placeholder="Any" clearable data={RESOURCE_TYPES} value={resourceType} onChange={(v) => setResourceType(v as ResourceType | null)} data-testid="acls-filter-type" w={140} />
        <TextInput size="xs" label="Name" placeholder="Any" value={form.resourceName} onChange={(e) => setForm({ ...form, resourceName: e.currentTarget.value })} data-testid="acls-filter-name" style={{ flex: '1 1 200px' }} />
        <Select
          size="xs"
          label="Pattern"
          placeholder="Any"
          clearable
          data={[
            { value: 'LITERAL', label: 'Literal' },
            { value: 'PREFIXED', label: 'Prefixed' },
            { value: 'MATCH', label: 'Applies to name' },
          ]}
          value={patternType}
          onChange={(v) => setPatternType(v as PatternFilter | null)}
          data-testid="acls-filter-pattern"
          w={130}
        />
        <Select size="xs" label="Operation" placeholder="Any" clearable data={OPERATIONS} value={operation} onChange={(v) => setOperation(v as Operation | null)} w={160} />
        <Select size="xs" label="Permission" placeholder="Any" clearable data={['ALLOW', 'DENY']} value={permission} onChange={(v) => setPermission(v as Permission | null)} w={110} />
        <TextInput size="xs" label="Host" placeholder="Any" value={form.host} onChange={(e) => setForm({ ...form, host: e.currentTarget.value })} w={120} />
      </Group>
      {error ? <ErrorBanner error={error} /> : null}
      {actionError ? <ErrorBanner error={actionError} onClose={() => setActionError(null)} /> : null}
      {notice ? (
        <Alert color="teal" variant="light" withCloseButton onClose={() => setNotice(null)} data-testid="acls-notice">
          {notice}
        </Alert>
      ) : null}
      {data?.securityDisabled ? (
        <Paper withBorder radius="md">
          <EmptyState
            icon={<IconShieldLock size={22} />}
            title="This cluster has no authorizer configured (SECURITY_DISABLED)"
            description="Every client may do everything, so there are no ACLs to show. Set authorizer.class.name on the brokers (StandardAuthorizer for KRaft) to manage access here."
            data-testid="acls-security-disabled"
          />
        </Paper>
      ) : data && bindings.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState
            icon={<IconShieldLock size={22} />}
            title={filtered ? 'No binding matches this filter' : 'No ACL bindings yet'}
            description={filtered ? 'Clear a filter field to see more.' : 'Only super users can do anything yet. Grant a producer, consumer or prefix admin with the wizard.'}
            action={
              readOnly ? undefined : (
                <Button size="xs" onClick={onGrant} data-testid="acls-empty-grant">
                  Open the grant wizard
                </Button>
              )
            }
            data-testid="acls-empty"
          />
        </Paper>
      ) : data ? (
        <>
          <BindingsTable bindings={bindings} testId="acls-table" selected={selected} onToggle={readOnly ? undefined : toggle} />
          {readOnly ? null : (
            <Group gap="xs">
              <Button
                size="xs"
                color="red"
                variant="light"
                leftSection={<IconTrash size={14} />}
                disabled={chosen.length === 0 || busy}
                onClick={() => setPending({ bindings: chosen, title: `Delete ${chosen.length} selected binding${chosen.length === 1 ? '' : 's'}` })}
                data-testid="acls-delete-selected"
              >
                Delete selected ({chosen.length})
              </Button>
              <Button
                size="xs"
                color="red"
                variant="subtle"
                disabled={!filtered || busy}
                onClick={() =>
                  void run(async () => {
                    const preview = await previewDelete(profile.id, filter);
                    if (preview.length === 0) {
                      setNotice('No binding matches the filter: nothing to delete.');
                      return;
                    }
                    setPending({ bindings: preview, title: `Delete the ${preview.length} binding${preview.length === 1 ? '' : 's'} matching the filter` });
                  })
                }
                data-testid="acls-delete-filter"
              >
                Delete all matching the filter…
              </Button>
            </Group>
          )}
        </>
      ) : null}
      <TypedConfirmModal
        opened={pending !== null}
        title={pending?.title ?? ''}
        expected={deleteConfirmation(pending?.bindings.length ?? 0)}
        confirmLabel="Delete"
        loading={busy}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPending(null)}
        testId="acls-delete-confirm"
      >
        <Text size="sm" mb={6}>
          Exactly these bindings will be deleted; clients relying on them lose that access at once:
        </Text>
        <Stack gap={2} data-testid="acls-delete-preview" style={{ maxHeight: 240, overflow: 'auto' }}>
          {pending?.bindings.map((b) => (
            <Text key={bindingKey(b)} size="xs" className="kd-mono" data-testid="acls-delete-item">
              {describeBinding(b)}
            </Text>
          ))}
        </Stack>
      </TypedConfirmModal>
    </Stack>
  );
}
