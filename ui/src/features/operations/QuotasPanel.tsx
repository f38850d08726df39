/**
 * Client quotas: every quota of the cluster (users, client ids, both, IPs, default entities)
 * with rates for humans, an add / edit form, and removal behind a typed confirmation.
 */
import { useEffect, useState } from 'react';
import { Badge, Button, Checkbox, Group, NumberInput, Paper, SegmentedControl, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconGauge } from '@tabler/icons-react';
import { quotasAlter, quotasList, quotasRemove, type QuotaEntityPart, type QuotaEntityType, type QuotaEntry } from '../../api/operations';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { VirtualTable } from '../../components/VirtualTable';
import { formatBytes, formatCount } from '../../lib/format';
import { useOperation } from '../../lib/useOperation';

/** Kafka's quota names, what they mean, and which entities take them. */
export const QUOTA_KEYS = [
  { key: 'producer_byte_rate', label: 'Produce rate', unit: 'bytes', ip: false },
  { key: 'consumer_byte_rate', label: 'Fetch rate', unit: 'bytes', ip: false },
  { key: 'request_percentage', label: 'Request time %', unit: 'percent', ip: false },
  { key: 'controller_mutation_rate', label: 'Partition mutations/s', unit: 'rate', ip: false },
  { key: 'connection_creation_rate', label: 'New connections/s', unit: 'rate', ip: true },
] as const;

type EntityKind = 'user' | 'clientId' | 'userClient' | 'ip';
const KIND_TYPES: Record<EntityKind, QuotaEntityType[]> = { user: ['user'], clientId: ['clientId'], userClient: ['user', 'clientId'], ip: ['ip'] };
const TYPE_LABEL: Record<QuotaEntityType, string> = { user: 'user', clientId: 'client id', ip: 'IP' };

/** A quota value for humans: 1048576 producer_byte_rate → "1 MiB/s". */
export function formatQuota(key: string, value: number): string {
  const spec = QUOTA_KEYS.find((k) => k.key === key);
  if (spec?.unit === 'bytes') return `${formatBytes(value)}/s`;
  if (spec?.unit === 'percent') return `${value}%`;
  return `${formatCount(value)}/s`;
}

export function entityLabel(entity: QuotaEntityPart[]): string {
  return entity.map((p) => `${TYPE_LABEL[p.entityType]} ${p.name ?? '(default)'}`).join(', ');
}

const entityKey = (entity: QuotaEntityPart[]) => JSON.stringify(entity);

interface FormState {
  kind: EntityKind;
  names: Partial<Record<QuotaEntityType, string>>;
  defaults: Partial<Record<QuotaEntityType, boolean>>;
  values: Record<string, number | string>;
  /** The entry being edited: its keys missing from the form are removed. */
  editing: QuotaEntry | null;
}

const EMPTY_FORM: FormState = { kind: 'user', names: {}, defaults: {}, values: {}, editing: null };

function formFor(entry: QuotaEntry): FormState {
  const types = entry.entity.map((p) => p.entityType);
  const kind: EntityKind = types.includes('ip') ? 'ip' : types.length === 2 ? 'userClient' : types[0] === 'user' ? 'user' : 'clientId';
  const names: FormState['names'] = {};
  const defaults: FormState['defaults'] = {};
  for (const p of entry.entity) {
    names[p.entityType] = p.name ?? '';
    defaults[p.entityType] = p.name === null;
  }
  return { kind, names, defaults, values: Object.fromEntries(entry.values.map((v) => [v.key, v.value])), editing: entry };
}

export function QuotasPanel({ profile }: { profile: Profile }) {
  const [entries, setEntries] = useState<QuotaEntry[] | null>(null);
  const [form, setForm] = useState<FormState | null>(null);
  const [removing, setRemoving] = useState<QuotaEntry | null>(null);
  const { busy, error, setError, run } = useOperation();

  const refresh = () => run(async () => setEntries(await quotasList(profile.id)));
  useEffect(() => {
    void refresh();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profile.id]);

  const save = (f: FormState) =>
    run(async () => {
      const entity: QuotaEntityPart[] = KIND_TYPES[f.kind].map((t) => ({ entityType: t, name: f.defaults[t] ? null : (f.names[t] ?? '').trim() }));
      const allowed = QUOTA_KEYS.filter((k) => k.ip === (f.kind === 'ip')).map((k) => k.key as string);
      const set = allowed.filter((k) => f.values[k] !== '' && f.values[k] !== undefined).map((k) => ({ key: k, value: Number(f.values[k]) }));
      const sameEntity = f.editing && entityKey(f.editing.entity) === entityKey(entity);
      const remove = sameEntity ? f.editing!.values.map((v) => v.key).filter((k) => !set.some((s) => s.key === k)) : [];
      await quotasAlter(profile.id, { entity, set, remove });
      setForm(null);
      setEntries(await quotasList(profile.id));
    });

  const remove = (entry: QuotaEntry) =>
    run(async () => {
      setRemoving(null);
      await quotasRemove(profile.id, entry.entity);
      setEntries(await quotasList(profile.id));
    });

  return (
    <Stack gap="sm" data-testid="ops-quotas">
      <Group gap="xs">
        <Button size="xs" variant="default" loading={busy} onClick={() => void refresh()} data-testid="ops-quotas-refresh">
          Refresh
        </Button>
        <Button size="xs" disabled={busy || profile.readOnly} onClick={() => setForm(EMPTY_FORM)} data-testid="ops-quota-add">
          Add quota
        </Button>
      </Group>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {form ? <QuotaForm form={form} busy={busy} onChange={setForm} onSave={() => void save(form)} onCancel={() => setForm(null)} /> : null}
      {entries === null ? null : entries.length === 0 ? (
        <EmptyState
          icon={<IconGauge size={22} />}
          title="No client quotas"
          description="Clients may produce, fetch and connect as fast as the brokers allow. Add a quota to cap a user, a client id or an IP address."
          data-testid="ops-quotas-empty"
        />
      ) : (
        <VirtualTable
          rows={entries}
          maxHeight={420}
          testId="ops-quotas-table"
          head={
            <Table.Tr>
              <Table.Th>Applies to</Table.Th>
              {QUOTA_KEYS.map((k) => (
                <Table.Th key={k.key}>{k.label}</Table.Th>
              ))}
              <Table.Th />
            </Table.Tr>
          }
          row={(e) => (
            <Table.Tr key={entityKey(e.entity)} data-testid="ops-quota-row">
              <Table.Td>
                <Group gap={4}>
                  {e.entity.map((p) => (
                    <Badge key={p.entityType} variant={p.name === null ? 'outline' : 'light'} className="kd-mono" tt="none">
                      {TYPE_LABEL[p.entityType]}: {p.name ?? 'default'}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              {QUOTA_KEYS.map((k) => {
                const v = e.values.find((x) => x.key === k.key);
                return (
                  <Table.Td key={k.key} title={v ? `${k.key}=${v.value}` : undefined} data-testid={`ops-quota-${k.key}`}>
                    {v ? formatQuota(k.key, v.value) : ''}
                  </Table.Td>
                );
              })}
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" variant="subtle" disabled={busy || profile.readOnly} onClick={() => setForm(formFor(e))} data-testid="ops-quota-edit">
                    Edit
                  </Button>
                  <Button size="compact-xs" variant="subtle" color="red" disabled={busy || profile.readOnly} onClick={() => setRemoving(e)} data-testid="ops-quota-remove">
                    Remove
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          )}
        />
      )}
      <TypedConfirmModal
        opened={removing !== null}
        title="Remove quotas"
        expected="remove"
        confirmLabel="Remove quotas"
        loading={busy}
        onCancel={() => setRemoving(null)}
        onConfirm={() => removing && void remove(removing)}
        testId="ops-quota-remove-confirm"
      >
        {removing ? `Every quota of ${entityLabel(removing.entity)} is removed: its clients are no longer throttled by it.` : null}
      </TypedConfirmModal>
    </Stack>
  );
}

function QuotaForm({ form, busy, onChange, onSave, onCancel }: { form: FormState; busy: boolean; onChange: (f: FormState) => void; onSave: () => void; onCancel: () => void }) {
  const types = KIND_TYPES[form.kind];
  const keys = QUOTA_KEYS.filter((k) => k.ip === (form.kind === 'ip'));
  return (
    <Paper withBorder p="sm" data-testid="ops-quota-form">
      <Stack gap="xs">
        <Text size="sm" fw={600}>
          {form.editing ? `Edit quotas of ${entityLabel(form.editing.entity)}` : 'New quota'}
        </Text>
        <SegmentedControl
          size="xs"
          w="fit-content"
          value={form.kind}
          disabled={form.editing !== null}
          onChange={(v) => onChange({ ...form, kind: v as EntityKind })}
          data={[
            { value: 'user', label: 'User' },
            { value: 'clientId', label: 'Client id' },
            { value: 'userClient', label: 'User + client id' },
            { value: 'ip', label: 'IP address' },
          ]}
        />
        <Group gap="sm" align="flex-end">
          {types.map((t) => (
            <Group key={t} gap={6} align="flex-end">
              <TextInput
                size="xs"
                label={TYPE_LABEL[t]}
                placeholder={t === 'ip' ? '10.0.0.12' : t === 'user' ? 'alice' : 'my-client-id'}
                value={form.names[t] ?? ''}
                disabled={form.defaults[t] || form.editing !== null}
                onChange={(e) => onChange({ ...form, names: { ...form.names, [t]: e.currentTarget.value } })}
                data-testid={`ops-quota-name-${t}`}
              />
              <Checkbox
                size="xs"
                label="default"
                checked={form.defaults[t] ?? false}
                disabled={form.editing !== null}
                onChange={(e) => onChange({ ...form, defaults: { ...form.defaults, [t]: e.currentTarget.checked } })}
                data-testid={`ops-quota-default-${t}`}
              />
            </Group>
          ))}
        </Group>
        <Group gap="sm" align="flex-start">
          {keys.map((k) => {
            const value = form.values[k.key];
            const hint = value !== undefined && value !== '' && Number(value) > 0 ? formatQuota(k.key, Number(value)) : k.key;
            return (
              <NumberInput
                key={k.key}
                size="xs"
                w={170}
                label={k.label}
                description={hint}
                placeholder={k.unit === 'bytes' ? 'bytes per second' : k.unit === 'percent' ? 'percent' : 'per second'}
                min={0}
                allowDecimal={k.unit !== 'bytes' && k.key !== 'connection_creation_rate'}
                thousandSeparator=","
                value={value ?? ''}
                onChange={(v) => onChange({ ...form, values: { ...form.values, [k.key]: v } })}
                data-testid={`ops-quota-value-${k.key}`}
              />
            );
          })}
        </Group>
        <Text size="xs" c="dimmed">
          Leave a field empty for no quota{form.editing ? ' (an emptied field removes that quota)' : ''}.
        </Text>
        <Group gap="xs">
          <Button size="xs" loading={busy} onClick={onSave} data-testid="ops-quota-save">
            Save
          </Button>
          <Button size="xs" variant="default" onClick={onCancel}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
