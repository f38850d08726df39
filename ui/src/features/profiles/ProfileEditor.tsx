/**
 * The connection editor: every setting of a profile, for a new one or a saved
 * one. Errors sit under their own field — the client-side ones, and the
 * backend's InvalidInput ones (whose `detail` names the field). "Test" tries
 * the settings as they are in the form, before saving; its result (brokers,
 * cluster id, controller, latency, or the one specific cause of failure)
 * shows in the panel below. Secrets are typed here and go to the keychain;
 * a saved one is never shown again, only "saved in the keychain".
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  Alert,
  Badge,
  Button,
  ColorInput,
  Group,
  NativeSelect,
  PasswordInput,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconDeviceFloppy, IconLock, IconPlugConnected, IconStethoscope } from '@tabler/icons-react';
import { errorTitle, type AppError } from '../../api/errors';
import {
  emptyInput,
  inputOf,
  testProfile,
  type ConnectionTest,
  type Environment,
  type Profile,
  type ProfileInput,
  type SaslMechanism,
  type SecurityProtocol,
} from '../../api/profiles';
import { formatDuration } from '../../lib/format';
import { RegistrySettingsSection } from '../schemas/RegistrySettingsSection';
import { loweredSecurity } from './securityWarnings';
import {
  formatProperties,
  hasErrors,
  isProfileField,
  normalizeProfileInput,
  parseProperties,
  usesSasl,
  usesTls,
  validateProfileInput,
  type FieldErrors,
  type ProfileField,
} from './validation';

export type SubmitResult =
  /** Saved: a new-connection form clears. */
  | { ok: true }
  /** Not saved: these errors go under their fields (may be empty when the caller showed a banner). */
  | { ok: false; fieldErrors: FieldErrors };

export interface ProfileEditorProps {
  /** The saved profile being edited; `null` for a new connection. */
  profile: Profile | null;
  onSubmit: (input: ProfileInput) => Promise<SubmitResult>;
  /** The connect that follows a save is running. */
  connecting: boolean;
  /** Changes whenever the name input should take focus (mod+N, the "New" button). */
  focusRequest: number;
  /** Where saved secrets are: the OS keychain, or memory for this run (no keychain). */
  secretsIn?: 'keychain' | 'memory';
}

const PROTOCOLS: SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const ENVIRONMENTS: { value: Environment; label: string; color: string }[] = [
  { value: 'dev', label: 'Dev', color: '#2f9e44' },
  { value: 'staging', label: 'Staging', color: '#f08c00' },
  { value: 'prod', label: 'Prod', color: '#e03131' },
  { value: 'custom', label: 'Custom', color: '#1c7ed6' },
];

type TestState = { status: 'idle' } | { status: 'running' } | { status: 'ok'; result: ConnectionTest } | { status: 'failed'; error: AppError };

export function ProfileEditor({ profile, onSubmit, connecting, focusRequest, secretsIn = 'keychain' }: ProfileEditorProps) {
  const savedSecret = secretsIn === 'keychain' ? 'Saved in the keychain' : 'Kept in memory for this run';
  const initial = () => (profile ? inputOf(profile) : emptyInput());
  const [values, setValues] = useState<ProfileInput>(initial);
  const [extraText, setExtraText] = useState(() => formatProperties(initial().extraProperties));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const [test, setTest] = useState<TestState>({ status: 'idle' });
  const nameRef = useRef<HTMLInputElement>(null);
  const savedPassword = !!profile?.secretFields.includes('sasl.password');
  const savedKeyPassword = !!profile?.secretFields.includes('ssl.key.password');
  const idPrefix = profile ? 'edit-connection' : 'new-connection';

  useEffect(() => {
    setValues(initial());
    setExtraText(formatProperties(initial().extraProperties));
    setErrors({});
    setSubmitted(false);
    setTest({ status: 'idle' });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profile?.id]);

  useEffect(() => {
    if (focusRequest > 0) nameRef.current?.focus();
  }, [focusRequest]);

  const update = (patch: Partial<ProfileInput>, field?: ProfileField) => {
    const next = { ...values, ...patch };
    setValues(next);
    if (!field) return;
    // Once the user has tried to submit, errors follow the typing; a backend
    // error stays until its field is edited.
    if (submitted) {
      const check = validateProfileInput(next, savedPassword);
      setErrors((current) => ({ ...current, [field]: check[field] }));
    } else if (errors[field]) {
      setErrors((current) => ({ ...current, [field]: undefined }));
    }
  };
  const tls = values.tls ?? emptyInput().tls!;
  const updateTls = (patch: Partial<typeof tls>, field: ProfileField) => update({ tls: { ...tls, ...patch } }, field);

  const current = (): ProfileInput => normalizeProfileInput({ ...values, extraProperties: parseProperties(extraText) });

  const checkClient = (): boolean => {
    setSubmitted(true);
    const clientErrors = validateProfileInput(values, savedPassword);
    setErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      focusFirstError(clientErrors);
      return false;
    }
    return true;
  };

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving || !checkClient()) return;
    setSaving(true);
    let result: SubmitResult;
    try {
      result = await onSubmit(current());
    } finally {
      setSaving(false);
    }
    if (result.ok) {
      if (!profile) {
        setValues(emptyInput());
        setExtraText('');
        setTest({ status: 'idle' });
      }
      setErrors({});
      setSubmitted(false);
    } else {
      setErrors(result.fieldErrors);
      focusFirstError(result.fieldErrors);
    }
  };

  const runTest = async () => {
    if (test.status === 'running' || !checkClient()) return;
    setTest({ status: 'running' });
    try {
      const result = await testProfile(current(), profile?.id ?? null);
      setTest({ status: 'ok', result });
    } catch (caught) {
      const error = caught as AppError;
      if (error.kind === 'InvalidInput' && isProfileField(error.detail)) {
        setErrors((e) => ({ ...e, [error.detail as ProfileField]: error.message }));
        setTest({ status: 'idle' });
        focusFirstError({ [error.detail as ProfileField]: error.message });
      } else {
        setTest({ status: 'failed', error });
      }
    }
  };

  const focusFirstError = (fieldErrors: FieldErrors) => {
    const first = (Object.keys(fieldErrors) as ProfileField[]).find((f) => fieldErrors[f]);
    if (first) document.getElementById(`${idPrefix}-${first}`)?.focus();
  };

  const field = (name: ProfileField) => ({
    id: `${idPrefix}-${name}`,
    error: errors[name],
    errorProps: { 'data-testid': `profile-${name}-error` },
  });

  const environment = values.environment;
  const readOnly = values.readOnly ?? environment === 'prod';
  const color = values.color || ENVIRONMENTS.find((e) => e.value === environment)?.color || '#2f9e44';

  return (
    <form onSubmit={handleSubmit} noValidate data-testid="new-connection-form" aria-label={profile ? `Edit ${profile.name}` : 'New connection'}>
      <Stack gap="sm">
        <TextInput
          ref={nameRef}
          {...field('name')}
          data-testid="new-connection-name"
          errorProps={{ 'data-testid': 'new-connection-name-error' }}
          label="Name"
          placeholder="Production"
          autoComplete="off"
          spellCheck={false}
          value={values.name}
          onChange={(event) => update({ name: event.currentTarget.value }, 'name')}
          withAsterisk
        />
        <TextInput
          {...field('bootstrapServers')}
          data-testid="new-connection-bootstrap"
          errorProps={{ 'data-testid': 'new-connection-bootstrap-error' }}
          label="Bootstrap servers"
          description="Comma-separated host:port pairs"
          placeholder="host1:9092,host2:9092"
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          classNames={{ input: 'kd-mono' }}
          value={values.bootstrapServers}
          onChange={(event) => update({ bootstrapServers: event.currentTarget.value }, 'bootstrapServers')}
          withAsterisk
        />

        <Group gap="md" align="flex-end" wrap="wrap">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Environment
            </Text>
            <SegmentedControl
              size="xs"
              data-testid="profile-environment"
              value={environment}
              data={ENVIRONMENTS.map((e) => ({ value: e.value, label: e.label }))}
              onChange={(value) => {
                const env = value as Environment;
                // The tag colour and the read-only default follow the environment until set by hand.
                const envColor = ENVIRONMENTS.find((e) => e.value === env)?.color ?? null;
                const wasDefault = !values.color || ENVIRONMENTS.some((e) => e.color === values.color);
                update({ environment: env, color: wasDefault ? envColor : values.color, readOnly: env === 'prod' ? true : environment === 'prod' ? false : values.readOnly });
              }}
            />
          </Stack>
          <ColorInput
            {...field('color')}
            data-testid="profile-color"
            label="Tag colour"
            w={140}
            size="xs"
            value={color}
            onChange={(value) => update({ color: value }, 'color')}
          />
          <Switch
            data-testid="profile-read-only"
            label={
              <Group gap={4}>
                <IconLock size={14} /> Read-only
              </Group>
            }
            description="KafkaDesk refuses every change to this cluster"
            checked={readOnly}
            onChange={(event) => update({ readOnly: event.currentTarget.checked })}
          />
        </Group>

        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Security protocol
          </Text>
          <SegmentedControl
            size="xs"
            data-testid="profile-security-protocol"
            value={values.securityProtocol}
            data={PROTOCOLS}
            onChange={(value) => update({ securityProtocol: value as SecurityProtocol })}
          />
        </Stack>

        {usesSasl(values) ? (
          <Section title="SASL">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
              <NativeSelect
                {...field('saslMechanism')}
                data-testid="profile-sasl-mechanism"
                label="Mechanism"
                data={[{ value: '', label: 'Choose…' }, ...MECHANISMS]}
                value={values.saslMechanism ?? ''}
                onChange={(event) =>
                  update({ saslMechanism: (event.currentTarget.value || null) as SaslMechanism | null }, 'saslMechanism')
                }
                withAsterisk
              />
              <TextInput
                {...field('saslUsername')}
                data-testid="profile-sasl-username"
                label="Username"
                autoComplete="off"
                spellCheck={false}
                value={values.saslUsername ?? ''}
                onChange={(event) => update({ saslUsername: event.currentTarget.value }, 'saslUsername')}
                withAsterisk
              />
              <PasswordInput
                {...field('saslPassword')}
                data-testid="profile-sasl-password"
                label="Password"
                placeholder={savedPassword ? savedSecret : ''}
                autoComplete="new-password"
                value={values.saslPassword ?? ''}
                onChange={(event) => update({ saslPassword: event.currentTarget.value }, 'saslPassword')}
                withAsterisk={!savedPassword}
              />
            </SimpleGrid>
          </Section>
        ) : null}

        {usesTls(values) ? (
          <Section title="TLS">
            <TextInput
              {...field('tlsCaFile')}
              data-testid="profile-tls-ca"
              label="CA certificate (PEM file)"
              description="Leave empty to trust the system's root certificates"
              classNames={{ input: 'kd-mono' }}
              value={tls.caFile ?? ''}
              onChange={(event) => updateTls({ caFile: event.currentTarget.value || null }, 'tlsCaFile')}
            />
            <Switch
              data-testid="profile-tls-verify-hostname"
              label="Verify the broker's host name"
              description={tls.verifyHostname ? 'Recommended' : 'Off: any certificate from the CA is accepted for any host'}
              checked={tls.verifyHostname}
              onChange={(event) => updateTls({ verifyHostname: event.currentTarget.checked }, 'tlsCaFile')}
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <TextInput
                {...field('tlsClientCertFile')}
                data-testid="profile-tls-cert"
                label="Client certificate (mTLS)"
                classNames={{ input: 'kd-mono' }}
                value={tls.clientCertFile ?? ''}
                onChange={(event) => updateTls({ clientCertFile: event.currentTarget.value || null }, 'tlsClientCertFile')}
              />
              <TextInput
                {...field('tlsClientKeyFile')}
                data-testid="profile-tls-key"
                label="Client key (mTLS)"
                classNames={{ input: 'kd-mono' }}
                value={tls.clientKeyFile ?? ''}
                onChange={(event) => updateTls({ clientKeyFile: event.currentTarget.value || null }, 'tlsClientKeyFile')}
              />
            </SimpleGrid>
            {tls.clientKeyFile ? (
              <PasswordInput
                {...field('sslKeyPassword')}
                data-testid="profile-tls-key-password"
                label="Key passphrase"
                placeholder={savedKeyPassword ? savedSecret : 'None'}
                value={values.sslKeyPassword ?? ''}
                onChange={(event) => update({ sslKeyPassword: event.currentTarget.value }, 'sslKeyPassword')}
              />
            ) : null}
          </Section>
        ) : null}

        <RegistrySettingsSection
          profileId={profile?.id ?? null}
          saved={profile?.schemaRegistry}
          value={values.schemaRegistry}
          onChange={(schemaRegistry) => update({ schemaRegistry })}
          field={field}
        />

        <Textarea
          {...field('extraProperties')}
          data-testid="profile-extra-properties"
          label="Extra librdkafka properties"
          description="One key=value per line. Secret ones (passwords, tokens) go to the keychain; a saved secret shows as key= (kept)."
          classNames={{ input: 'kd-mono' }}
          rows={3}
          value={extraText}
          onChange={(event) => {
            setExtraText(event.currentTarget.value);
            if (errors.extraProperties) setErrors((e) => ({ ...e, extraProperties: undefined }));
          }}
        />
        {loweredSecurity({ securityProtocol: values.securityProtocol, tls, extraProperties: parseProperties(extraText) }).map((warning) => (
          <Alert key={warning} color="red" variant="light" icon={<IconAlertTriangle size={18} />} data-testid="profile-security-warning">
            {warning}
          </Alert>
        ))}
        <Textarea
          {...field('notes')}
          data-testid="profile-notes"
          label="Notes"
          rows={2}
          value={values.notes}
          onChange={(event) => update({ notes: event.currentTarget.value }, 'notes')}
        />

        <TestResult state={test} />

        <Group justify="flex-end" mt={4}>
          <Button
            variant="default"
            size="sm"
            loading={test.status === 'running'}
            leftSection={<IconStethoscope size={16} />}
            onClick={() => void runTest()}
            data-testid="profile-test"
          >
            Test
          </Button>
          <Button
            type="submit"
            size="sm"
            loading={saving || connecting}
            leftSection={profile ? <IconDeviceFloppy size={16} /> : <IconPlugConnected size={16} />}
            data-testid="new-connection-submit"
          >
            {profile ? 'Save' : 'Save and connect'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs" pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {children}
    </Stack>
  );
}

function TestResult({ state }: { state: TestState }) {
  if (state.status === 'ok') {
    const r = state.result;
    return (
      <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />} title="Connected" data-testid="profile-test-result" data-status="ok">
        <Stack gap={2}>
          <Text size="sm" data-testid="profile-test-brokers">
            {r.brokers.length} {r.brokers.length === 1 ? 'broker' : 'brokers'} reached:{' '}
            <span className="kd-mono">{r.brokers.map((b) => `${b.id}@${b.host}:${b.port}`).join(', ')}</span>
          </Text>
          <Text size="sm">
            Cluster id <span className="kd-mono">{r.clusterId ?? 'unknown'}</span> · controller{' '}
            {r.controllerId ?? 'unknown (only asked over PLAINTEXT)'}
          </Text>
          <Text size="sm" data-testid="profile-test-versions">
            Broker version: {r.brokerVersions ?? 'unknown (ApiVersions is only asked without TLS)'}
          </Text>
          <Text size="sm" data-testid="profile-test-latency">
            Round trip {formatDuration(r.roundTripMs)} · connect and describe {formatDuration(r.connectMs)}
          </Text>
        </Stack>
      </Alert>
    );
  }
  if (state.status === 'failed') {
    return (
      <Alert color="red" variant="light" title={errorTitle(state.error.kind)} data-testid="profile-test-result" data-status="failed" data-kind={state.error.kind}>
        <Text size="sm">{state.error.message}</Text>
      </Alert>
    );
  }
  return null;
}

/** The read-only marker used wherever a profile is named. */
export function ReadOnlyBadge() {
  return (
    <Badge size="xs" color="red" variant="light" leftSection={<IconLock size={10} />} data-testid="read-only-badge">
      Read-only
    </Badge>
  );
}
