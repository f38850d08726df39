/**
 * The grant wizard: a producer for topics, a consumer for topics + group, or the admin of a
 * name prefix. It shows exactly the bindings it will create before it creates them.
 */
import { useState } from 'react';
import { Alert, Button, Checkbox, Group, Paper, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { applyWizard, previewWizard, type AclBinding, type Wizard } from '../../api/acls';
import type { Profile } from '../../api/profiles';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useOperation } from '../../lib/useOperation';
import { BindingsTable } from './BindingsTable';

type Kind = Wizard['kind'];

interface Fields {
  principal: string;
  host: string;
  topics: string;
  prefixed: boolean;
  allowCreate: boolean;
  transactionalId: string;
  group: string;
  groupPrefixed: boolean;
  prefix: string;
}

const EMPTY: Fields = {
  principal: '',
  host: '',
  topics: '',
  prefixed: false,
  allowCreate: false,
  transactionalId: '',
  group: '',
  groupPrefixed: false,
  prefix: '',
};

/** Topics typed one per line or separated by commas. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

export function wizardOf(kind: Kind, f: Fields): Wizard {
  const pattern = (prefixed: boolean) => (prefixed ? 'PREFIXED' : 'LITERAL');
  switch (kind) {
    case 'producer':
      return {
        kind,
        principal: f.principal,
        host: f.host,
        topics: splitNames(f.topics),
        patternType: pattern(f.prefixed),
        allowCreate: f.allowCreate,
        transactionalId: f.transactionalId.trim() || null,
      };
    case 'consumer':
      return {
        kind,
        principal: f.principal,
        host: f.host,
        topics: splitNames(f.topics),
        patternType: pattern(f.prefixed),
        group: f.group,
        groupPatternType: pattern(f.groupPrefixed),
      };
    case 'prefixAdmin':
      return { kind, principal: f.principal, host: f.host, prefix: f.prefix };
  }
}

export function GrantWizard({ profile, onDone }: { profile: Profile; onDone: () => void }) {
  const [kind, setKind] = useState<Kind>('consumer');
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [preview, setPreview] = useState<AclBinding[] | null>(null);
  const { busy, error, setError, run } = useOperation();
  const [granted, setGranted] = useState<number | null>(null);
  const set = (patch: Partial<Fields>) => {
    setFields({ ...fields, ...patch });
    setPreview(null);
    setGranted(null);
  };
  const fieldError = (name: string) => (error?.kind === 'InvalidInput' && error.detail === name ? error.message : undefined);


  return (
    <Paper withBorder radius="md" p="md" data-testid="acls-wizard">
      <Stack gap="sm">
        <SegmentedControl
          size="xs"
          w="fit-content"
          value={kind}
          onChange={(v) => {
            setKind(v as Kind);
            setPreview(null);
            setError(null);
          }}
          data={[
            { value: 'producer', label: 'Producer' },
            { value: 'consumer', label: 'Consumer' },
            { value: 'prefixAdmin', label: 'Admin of a prefix' },
          ]}
          data-testid="wizard-kind"
        />
        <Text size="xs" c="dimmed">
          {kind === 'producer'
            ? 'WRITE and DESCRIBE on the topics (CREATE if asked), IDEMPOTENT_WRITE on the cluster, WRITE and DESCRIBE on a transactional id if given.'
            : kind === 'consumer'
              ? 'READ and DESCRIBE on the topics, READ on the consumer group.'
              : 'ALL on every topic, group and transactional id whose name starts with the prefix.'}
        </Text>
        <Group grow align="flex-start">
          <TextInput size="xs" label="Principal" placeholder="User:orders-service" value={fields.principal} onChange={(e) => set({ principal: e.currentTarget.value })} error={fieldError('principal')} data-testid="wizard-principal" />
          <TextInput size="xs" label="Host (client IP)" placeholder="* (any host)" value={fields.host} onChange={(e) => set({ host: e.currentTarget.value })} error={fieldError('host')} data-testid="wizard-host" />
        </Group>
        {kind === 'prefixAdmin' ? (
          <TextInput size="xs" label="Name prefix" placeholder="payments." value={fields.prefix} onChange={(e) => set({ prefix: e.currentTarget.value })} error={fieldError('prefix')} data-testid="wizard-prefix" />
        ) : (
          <>
            <Textarea size="xs" label="Topics (one per line)" autosize minRows={2} value={fields.topics} onChange={(e) => set({ topics: e.currentTarget.value })} error={fieldError('topics') ?? fieldError('resourceName')} data-testid="wizard-topics" />
            <Checkbox size="xs" label="Topic names are prefixes" checked={fields.prefixed} onChange={(e) => set({ prefixed: e.currentTarget.checked })} data-testid="wizard-prefixed" />
          </>
        )}
        {kind === 'producer' ? (
          <Group grow align="flex-end">
            <Checkbox size="xs" label="May create these topics (CREATE)" checked={fields.allowCreate} onChange={(e) => set({ allowCreate: e.currentTarget.checked })} data-testid="wizard-create" />
            <TextInput size="xs" label="Transactional id (optional)" value={fields.transactionalId} onChange={(e) => set({ transactionalId: e.currentTarget.value })} data-testid="wizard-txid" />
          </Group>
        ) : null}
        {kind === 'consumer' ? (
          <Group grow align="flex-end">
            <TextInput size="xs" label="Consumer group" placeholder="orders-readers" value={fields.group} onChange={(e) => set({ group: e.currentTarget.value })} error={fieldError('group')} data-testid="wizard-group" />
            <Checkbox size="xs" label="Group name is a prefix" checked={fields.groupPrefixed} onChange={(e) => set({ groupPrefixed: e.currentTarget.checked })} />
          </Group>
        ) : null}
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        <Group gap="xs">
          <Button size="xs" variant="default" loading={busy && !preview} onClick={() => void run(async () => setPreview(await previewWizard(wizardOf(kind, fields))))} data-testid="wizard-preview">
            Preview bindings
          </Button>
          <Button
            size="xs"
            disabled={!preview || profile.readOnly}
            loading={busy && !!preview}
            onClick={() =>
              void run(async () => {
                const outcome = await applyWizard(profile.id, wizardOf(kind, fields));
                setGranted(outcome.created.length);
              })
            }
            data-testid="wizard-apply"
          >
            Grant {preview ? `${preview.length} bindings` : ''}
          </Button>
          {granted !== null ? (
            <Button size="xs" variant="subtle" onClick={onDone} data-testid="wizard-done">
              See all bindings
            </Button>
          ) : null}
        </Group>
        {granted !== null ? (
          <Alert color="teal" variant="light" data-testid="wizard-granted">
            Granted {granted} bindings to {fields.principal.trim()}.
          </Alert>
        ) : null}
        {preview ? (
          <>
            <Text size="xs" c="dimmed">
              {granted !== null ? 'Created:' : 'Will create (nothing has changed yet):'}
            </Text>
            <BindingsTable bindings={preview} testId="wizard-preview-table" maxHeight={300} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
