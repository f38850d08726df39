/**
 * Create a connector from a plugin, or edit one: the form is built from the plugin's
 * config definition as Connect's own validate endpoint describes it, and every check is
 * Connect's (errors shown beside their field). Secrets left masked keep their value.
 */
import { useEffect, useMemo, useState } from 'react';
import {
  Autocomplete,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { IconChevronLeft } from '@tabler/icons-react';
import {
  connectorDetail,
  createConnector,
  listPlugins,
  updateConnector,
  validateConfig,
  type ConfigField,
  type ConnectorConfig,
  type ConnectTarget,
  type PluginInfo,
  type Validation,
} from '../../api/connect';
import { toAppError, type AppError } from '../../api/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { shortClass } from './ConnectorsOverview';

/** The heading of the plugin's own fields. */
const PLUGIN_GROUP = 'Connector';

/** Set by the form's own inputs, not as plugin fields. */
const OWN_FIELDS = new Set(['name', 'connector.class']);

/** Fields shown before "show all": required, set, or important. */
export function isPrimary(f: ConfigField, values: ConnectorConfig): boolean {
  return f.required || f.importance === 'HIGH' || (values[f.name] ?? '') !== '' || f.errors.length > 0;
}

/** The config to send: only fields with a value. */
export function configOf(values: ConnectorConfig): ConnectorConfig {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''));
}

export interface ConnectorFormProps {
  target: ConnectTarget;
  /** The connector being edited; create mode without it. */
  editing?: string;
  onCancel: () => void;
  onSaved: (name: string) => void;
}

export function ConnectorForm({ target, editing, onCancel, onSaved }: ConnectorFormProps) {
  const [plugins, setPlugins] = useState<PluginInfo[] | null>(null);
  const [plugin, setPlugin] = useState<string | null>(null);
  const [name, setName] = useState(editing ?? '');
  const [values, setValues] = useState<ConnectorConfig>({});
  const [validation, setValidation] = useState<Validation | null>(null);
  /** Errors are shown once the user asked for a check (or tried to save). */
  const [checked, setChecked] = useState(false);
  const [showAll, setShowAll] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  // Create: the plugin list. Edit: the connector's config and its plugin.
  useEffect(() => {
    let alive = true;
    const load = editing
      ? connectorDetail(target, editing).then((d) => {
          if (!alive) return;
          setValues(Object.fromEntries(Object.entries(d.config).filter(([k]) => !OWN_FIELDS.has(k))) as ConnectorConfig);
          setPlugin(d.config['connector.class'] ?? null);
        })
      : listPlugins(target).then((p) => alive && setPlugins(p));
    load.catch((e) => alive && setError(toAppError(e)));
    return () => {
      alive = false;
    };
  }, [editing]); // the target is fixed for the life of the form

  // The definition: Connect's validate of what is there so far.
  useEffect(() => {
    if (!plugin) return;
    let alive = true;
    validateConfig(target, plugin, { ...configOf(values), name: name || 'new-connector' })
      .then((v) => alive && setValidation(v))
      .catch((e) => alive && setError(toAppError(e)));
    return () => {
      alive = false;
    };
  }, [plugin]); // later checks run on demand (Validate, Save)

  const groups = useMemo(() => {
    const fields = (validation?.fields ?? []).filter((f) => !OWN_FIELDS.has(f.name) && f.visible);
    const order = validation?.groups ?? [];
    const byGroup = new Map<string, ConfigField[]>();
    for (const f of fields) {
      // The plugin's own fields have no group in Connect's answer: they come first.
      const g = f.group ?? PLUGIN_GROUP;
      byGroup.set(g, [...(byGroup.get(g) ?? []), f]);
    }
    const rank = (g: string) => (g === PLUGIN_GROUP ? -1 : order.indexOf(g) === -1 ? order.length : order.indexOf(g));
    return [...byGroup.entries()]
      .sort(([a], [b]) => rank(a) - rank(b))
      .map(([g, list]) => [g, list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))] as const);
  }, [validation]);

  const nameError = checked ? validation?.fields.find((f) => f.name === 'name')?.errors[0] : undefined;
  const hidden = groups.reduce((n, [, list]) => n + list.filter((f) => !isPrimary(f, values)).length, 0);

  const check = async (): Promise<Validation | null> => {
    if (!plugin) return null;
    setError(null);
    try {
      const v = await validateConfig(target, plugin, { ...configOf(values), name });
      setValidation(v);
      setChecked(true);
      return v;
    } catch (e) {
      setError(toAppError(e));
      return null;
    }
  };

  const save = async () => {
    if (!plugin) return;
    setBusy(true);
    try {
      const v = await check();
      if (!v || v.errorCount > 0) return;
      const config = { ...configOf(values), 'connector.class': plugin };
      if (editing) await updateConnector(target, editing, config);
      else await createConnector(target, name.trim(), config);
      onSaved(editing ?? name.trim());
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const header = (
    <Group gap="sm">
      <Button size="xs" variant="subtle" leftSection={<IconChevronLeft size={14} />} onClick={onCancel} data-testid="connector-form-cancel">
        Back
      </Button>
      <Title order={3} size="h4">
        {editing ? `Edit ${editing}` : plugin ? `New ${shortClass(plugin)}` : 'New connector: choose a plugin'}
      </Title>
    </Group>
  );

  if (!editing && !plugin) {
    return (
      <Stack gap="sm" data-testid="connector-form" data-step="plugin">
        {header}
        {error ? <ErrorBanner error={error} /> : null}
        {plugins === null && !error ? <Loader size="sm" /> : null}
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
          {(plugins ?? []).map((p) => (
            <UnstyledButton key={p.class} onClick={() => setPlugin(p.class)} data-testid="connect-plugin-option" data-class={p.class}>
              <Paper withBorder radius="md" p="sm">
                <Group justify="space-between" wrap="nowrap">
                  <Stack gap={0} style={{ minWidth: 0 }}>
                    <Text fw={600} size="sm">
                      {shortClass(p.class)}
                    </Text>
                    <Text size="xs" c="dimmed" className="kd-mono" truncate>
                      {p.class}
                    </Text>
                  </Stack>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="sm" variant="light" color={p.type === 'source' ? 'blue' : 'grape'}>
                      {p.type}
                    </Badge>
                    {p.version ? (
                      <Badge size="sm" variant="outline" color="gray">
                        {p.version}
                      </Badge>
                    ) : null}
                  </Group>
                </Group>
              </Paper>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Stack>
    );
  }

  const input = (f: ConfigField) => {
    const value = values[f.name] ?? '';
    const set = (v: string) => setValues((s) => ({ ...s, [f.name]: v }));
    const common = {
      label: (
        <>
          {f.displayName}{' '}
          <Text span size="xs" c="dimmed" className="kd-mono">
            {f.name}
          </Text>
        </>
      ),
      description: f.documentation,
      withAsterisk: f.required,
      size: 'xs' as const,
      error: checked && f.errors.length ? f.errors.join(' ') : undefined,
      errorProps: { 'data-testid': 'field-error' },
      placeholder: f.defaultValue !== null && f.defaultValue !== '' ? `default: ${f.defaultValue}` : undefined,
      'data-testid': `connector-field-${f.name}`,
    };
    if (f.kind === 'BOOLEAN') {
      return (
        <Select
          {...common}
          data={['true', 'false']}
          clearable
          value={value || null}
          onChange={(v) => set(v ?? '')}
        />
      );
    }
    if (f.kind === 'PASSWORD') {
      return <PasswordInput {...common} value={value} onChange={(e) => set(e.currentTarget.value)} />;
    }
    if (f.recommendedValues.length > 0) {
      return <Autocomplete {...common} data={f.recommendedValues} value={value} onChange={set} />;
    }
    return <TextInput {...common} value={value} onChange={(e) => set(e.currentTarget.value)} />;
  };

  return (
    <Stack gap="sm" data-testid="connector-form" data-step="config" data-plugin={plugin ?? ''}>
      {header}
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <Paper withBorder radius="md" p="sm">
        <Stack gap="xs">
          <TextInput
            label="Connector name"
            withAsterisk
            size="xs"
            value={name}
            disabled={!!editing}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-testid="connector-form-name"
          />
          <Text size="xs" c="dimmed" className="kd-mono">
            connector.class = {plugin}
          </Text>
        </Stack>
      </Paper>
      {validation === null && !error ? <Loader size="sm" /> : null}
      {groups.map(([group, list]) => {
        const shown = list.filter((f) => showAll || isPrimary(f, values));
        if (shown.length === 0) return null;
        return (
          <Paper key={group} withBorder radius="md" p="sm" data-testid="connector-form-group">
            <Text fw={600} size="sm" mb="xs">
              {group}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="sm">
              {shown.map((f) => (
                <div key={f.name} data-testid="connector-field" data-field={f.name} data-invalid={(checked && f.errors.length > 0) || undefined}>
                  {input(f)}
                </div>
              ))}
            </SimpleGrid>
          </Paper>
        );
      })}
      <Group justify="space-between">
        <Switch
          size="xs"
          label={`Show all fields (${hidden} optional fields with defaults hidden)`}
          checked={showAll}
          onChange={(e) => setShowAll(e.currentTarget.checked)}
          data-testid="connector-form-show-all"
        />
        <Group gap="xs">
          {checked && validation ? (
            <Text size="xs" c={validation.errorCount ? 'red' : 'teal'} data-testid="connector-form-verdict">
              {validation.errorCount ? `Connect found ${validation.errorCount} error(s).` : 'Connect accepts this config.'}
            </Text>
          ) : null}
          <Button size="xs" variant="default" disabled={!validation} onClick={() => void check()} data-testid="connector-form-validate">
            Validate
          </Button>
          <Button size="xs" loading={busy} disabled={!validation || (!editing && !name.trim())} onClick={() => void save()} data-testid="connector-form-submit">
            {editing ? 'Save config' : 'Create connector'}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
