/**
 * The connection editor's Schema Registry section: URLs, auth (none / basic / bearer),
 * TLS CA and mTLS files, and "Test registry" (reachability, mode, subjects, or the one
 * specific failure). Secrets go to the keychain with the profile; a saved one shows as kept.
 */
import { useState } from 'react';
import { Alert, Button, Group, PasswordInput, SegmentedControl, SimpleGrid, Stack, Switch, Text, TextInput } from '@mantine/core';
import { IconCircleCheck, IconStethoscope } from '@tabler/icons-react';
import { errorTitle, type AppError } from '../../api/errors';
import { registryInputOf, testRegistry, type RegistryAuth, type RegistryInput, type RegistrySettings, type RegistryTest } from '../../api/registry';
import { formatDuration } from '../../lib/format';

type FieldProps = { id: string; error?: string; errorProps: Record<string, string> };

export interface RegistrySettingsSectionProps {
  profileId: string | null;
  saved: RegistrySettings | undefined | null;
  value: RegistryInput | undefined | null;
  onChange: (value: RegistryInput) => void;
  field: (name: 'schemaRegistryUrls' | 'schemaRegistryUsername' | 'schemaRegistryPassword' | 'schemaRegistryToken' | 'schemaRegistryCaFile' | 'schemaRegistryCertFile' | 'schemaRegistryKeyFile') => FieldProps;
}

export function RegistrySettingsSection({ profileId, saved, value, onChange, field }: RegistrySettingsSectionProps) {
  const input = value ?? registryInputOf(saved);
  const [test, setTest] = useState<{ running: boolean; result?: RegistryTest; error?: AppError }>({ running: false });
  const set = (patch: Partial<RegistryInput>) => onChange({ ...input, ...patch });
  const setTls = (patch: Partial<RegistryInput['tls']>) => set({ tls: { ...input.tls, ...patch } });
  const savedSecret = (f: string) => !!saved?.secretFields.includes(f);
  const run = async () => {
    setTest({ running: true });
    try {
      setTest({ running: false, result: await testRegistry(profileId, input) });
    } catch (e) {
      setTest({ running: false, error: e as AppError });
    }
  };
  return (
    <Stack gap="xs" pl="sm" style={{ borderLeft: '2px solid var(--mantine-color-default-border)' }} data-testid="profile-registry">
      <Text size="xs" fw={700} c="dimmed" tt="uppercase">Schema Registry</Text>
      <TextInput
        {...field('schemaRegistryUrls')}
        label="Registry URL(s)"
        description="Comma-separated; Apicurio: …/apis/ccompat/v7. Leave empty for none."
        placeholder="https://schema-registry:8081"
        classNames={{ input: 'kd-mono' }}
        value={input.urls}
        onChange={(e) => set({ urls: e.currentTarget.value })}
        data-testid="profile-registry-urls"
      />
      {input.urls.trim() ? (
        <>
          <SegmentedControl
            size="xs"
            w={280}
            data={[{ value: 'none', label: 'No auth' }, { value: 'basic', label: 'Basic' }, { value: 'bearer', label: 'Bearer token' }]}
            value={input.auth}
            onChange={(v) => set({ auth: v as RegistryAuth })}
            data-testid="profile-registry-auth"
          />
          {input.auth === 'basic' ? (
            <SimpleGrid cols={2} spacing="sm">
              <TextInput {...field('schemaRegistryUsername')} label="User" value={input.username ?? ''} onChange={(e) => set({ username: e.currentTarget.value })} data-testid="profile-registry-username" />
              <PasswordInput {...field('schemaRegistryPassword')} label="Password" placeholder={savedSecret('schemaRegistry.password') ? 'Saved in the keychain' : ''} value={input.password ?? ''} onChange={(e) => set({ password: e.currentTarget.value })} data-testid="profile-registry-password" />
            </SimpleGrid>
          ) : null}
          {input.auth === 'bearer' ? (
            <PasswordInput {...field('schemaRegistryToken')} label="Token" placeholder={savedSecret('schemaRegistry.token') ? 'Saved in the keychain' : ''} value={input.token ?? ''} onChange={(e) => set({ token: e.currentTarget.value })} data-testid="profile-registry-token" />
          ) : null}
          {input.urls.includes('https://') ? (
            <>
              <TextInput {...field('schemaRegistryCaFile')} label="Registry CA (PEM file)" description="Empty: the system's roots" classNames={{ input: 'kd-mono' }} value={input.tls.caFile ?? ''} onChange={(e) => setTls({ caFile: e.currentTarget.value || null })} />
              <SimpleGrid cols={2} spacing="sm">
                <TextInput {...field('schemaRegistryCertFile')} label="Client certificate (mTLS)" classNames={{ input: 'kd-mono' }} value={input.tls.clientCertFile ?? ''} onChange={(e) => setTls({ clientCertFile: e.currentTarget.value || null })} />
                <TextInput {...field('schemaRegistryKeyFile')} label="Client key (PKCS#8 PEM)" classNames={{ input: 'kd-mono' }} value={input.tls.clientKeyFile ?? ''} onChange={(e) => setTls({ clientKeyFile: e.currentTarget.value || null })} />
              </SimpleGrid>
              <Switch label="Skip the registry's host name check" checked={input.tls.skipHostnameCheck} onChange={(e) => setTls({ skipHostnameCheck: e.currentTarget.checked })} />
            </>
          ) : null}
          <Group justify="flex-end">
            <Button size="xs" variant="default" leftSection={<IconStethoscope size={14} />} loading={test.running} onClick={() => void run()} data-testid="profile-registry-test">
              Test registry
            </Button>
          </Group>
          {test.result ? (
            <Alert color="green" variant="light" p="xs" icon={<IconCircleCheck size={16} />} data-testid="profile-registry-test-result" data-status="ok">
              <Text size="sm">
                Reached {test.result.url}: {test.result.subjects} subjects · mode {test.result.mode ?? 'unknown'} · compatibility {test.result.compatibility ?? 'unknown'} · {formatDuration(test.result.roundTripMs)}
              </Text>
            </Alert>
          ) : null}
          {test.error ? (
            <Alert color="red" variant="light" p="xs" title={errorTitle(test.error.kind)} data-testid="profile-registry-test-result" data-status="failed" data-kind={test.error.kind}>
              <Text size="sm">{test.error.message}</Text>
            </Alert>
          ) : null}
        </>
      ) : null}
    </Stack>
  );
}
