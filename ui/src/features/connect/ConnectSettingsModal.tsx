/**
 * The profile's Kafka Connect clusters: URLs, basic auth (the password goes to the OS
 * keychain), TLS files; Test asks the worker before anything is saved.
 */
import { useEffect, useState } from 'react';
import { Accordion, Alert, Button, Checkbox, Group, Modal, Paper, PasswordInput, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import {
  saveConnectSettings,
  testConnectSettings,
  type ConnectClusterInput,
  type ConnectInfo,
} from '../../api/connect';
import { toAppError, type AppError } from '../../api/errors';
import type { Profile } from '../../api/profiles';
import { ErrorBanner } from '../../components/ErrorBanner';

interface Draft extends ConnectClusterInput {
  /** A password is saved for this cluster (an empty field keeps it). */
  hasPassword: boolean;
}

function drafts(profile: Profile): Draft[] {
  return (profile.connect?.clusters ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    urls: c.urls.join('\n'),
    username: c.username,
    password: null,
    tls: { ...c.tls },
    hasPassword: c.username !== null,
  }));
}

const EMPTY: Draft = {
  id: null,
  name: '',
  urls: '',
  username: null,
  password: null,
  tls: { caFile: null, clientCertFile: null, clientKeyFile: null, verifyHostname: true },
  hasPassword: false,
};

export interface ConnectSettingsModalProps {
  opened: boolean;
  profile: Profile;
  onClose: () => void;
  onSaved: (profile: Profile) => void;
}

export function ConnectSettingsModal({ opened, profile, onClose, onSaved }: ConnectSettingsModalProps) {
  const [list, setList] = useState<Draft[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);
  const [tests, setTests] = useState<Record<number, { info?: ConnectInfo; error?: AppError; running?: boolean }>>({});

  useEffect(() => {
    if (!opened) return;
    const saved = drafts(profile);
    setList(saved.length ? saved : [{ ...EMPTY, name: 'Connect' }]);
    setError(null);
    setTests({});
  }, [opened, profile]);

  const change = (i: number, patch: Partial<Draft>) => setList((l) => l.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  const fieldError = (i: number, field: string) =>
    error?.kind === 'InvalidInput' && error.detail === `connect.${i}.${field}` ? error.message : undefined;
  const input = (d: Draft): ConnectClusterInput => ({
    id: d.id,
    name: d.name,
    urls: d.urls,
    username: d.username?.trim() ? d.username : null,
    password: d.password,
    tls: d.tls,
  });

  const test = async (i: number) => {
    setTests((t) => ({ ...t, [i]: { running: true } }));
    try {
      const info = await testConnectSettings(profile.id, input(list[i]));
      setTests((t) => ({ ...t, [i]: { info } }));
    } catch (e) {
      setTests((t) => ({ ...t, [i]: { error: toAppError(e) } }));
    }
  };

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      onSaved(await saveConnectSettings(profile.id, list.map(input)));
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} size="lg" title={<Text fw={600}>Kafka Connect clusters of “{profile.name}”</Text>} data-testid="connect-settings">
      <Stack gap="sm">
        {list.map((d, i) => {
          const t = tests[i];
          return (
            <Paper key={d.id ?? `new-${i}`} withBorder p="sm" radius="md" data-testid="connect-settings-cluster">
              <Stack gap="xs">
                <Group grow align="flex-start">
                  <TextInput
                    label="Name"
                    size="xs"
                    value={d.name}
                    onChange={(e) => change(i, { name: e.currentTarget.value })}
                    error={fieldError(i, 'name')}
                    data-testid="connect-settings-name"
                  />
                  <TextInput
                    label="User (basic auth, optional)"
                    size="xs"
                    value={d.username ?? ''}
                    onChange={(e) => change(i, { username: e.currentTarget.value })}
                    error={fieldError(i, 'username')}
                    data-testid="connect-settings-username"
                  />
                  <PasswordInput
                    label="Password"
                    size="xs"
                    disabled={!d.username?.trim()}
                    placeholder={d.hasPassword ? 'saved in the keychain — leave empty to keep' : undefined}
                    value={d.password ?? ''}
                    onChange={(e) => change(i, { password: e.currentTarget.value })}
                    error={fieldError(i, 'password')}
                    data-testid="connect-settings-password"
                  />
                </Group>
                <Textarea
                  label="REST URLs of the workers (one per line; tried in order)"
                  size="xs"
                  rows={2}
                  placeholder="http://connect-1:8083"
                  value={d.urls}
                  onChange={(e) => change(i, { urls: e.currentTarget.value })}
                  error={fieldError(i, 'urls')}
                  className="kd-mono"
                  data-testid="connect-settings-urls"
                />
                <Accordion variant="contained" chevronPosition="left">
                  <Accordion.Item value="tls">
                    <Accordion.Control>
                      <Text size="xs">TLS (https): CA and client certificate</Text>
                    </Accordion.Control>
                    <Accordion.Panel>
                      <Stack gap="xs">
                        {(
                          [
                            ['caFile', 'tlsCaFile', 'CA certificate (PEM)'],
                            ['clientCertFile', 'tlsClientCertFile', 'Client certificate (PEM, for mTLS)'],
                            ['clientKeyFile', 'tlsClientKeyFile', 'Client key (unencrypted PKCS#8 PEM)'],
                          ] as const
                        ).map(([key, field, label]) => (
                          <TextInput
                            key={key}
                            label={label}
                            size="xs"
                            placeholder="/path/to/file.pem"
                            value={d.tls[key] ?? ''}
                            onChange={(e) => change(i, { tls: { ...d.tls, [key]: e.currentTarget.value || null } })}
                            error={fieldError(i, field)}
                          />
                        ))}
                        <Checkbox
                          size="xs"
                          label="Check that the certificate names the host"
                          checked={d.tls.verifyHostname}
                          onChange={(e) => change(i, { tls: { ...d.tls, verifyHostname: e.currentTarget.checked } })}
                        />
                      </Stack>
                    </Accordion.Panel>
                  </Accordion.Item>
                </Accordion>
                <Group justify="space-between">
                  <Group gap="xs">
                    <Button size="xs" variant="default" loading={t?.running} onClick={() => void test(i)} data-testid="connect-settings-test">
                      Test
                    </Button>
                    {t?.info ? (
                      <Text size="xs" c="teal" data-testid="connect-settings-test-ok">
                        Kafka Connect {t.info.version} at {t.info.url}: {t.info.connectors} connectors, {t.info.plugins} plugins, {t.info.roundTripMs} ms
                      </Text>
                    ) : null}
                  </Group>
                  <Button
                    size="xs"
                    variant="subtle"
                    color="red"
                    leftSection={<IconTrash size={14} />}
                    onClick={() => setList((l) => l.filter((_, j) => j !== i))}
                  >
                    Remove
                  </Button>
                </Group>
                {t?.error ? <ErrorBanner error={t.error} /> : null}
              </Stack>
            </Paper>
          );
        })}
        {list.length === 0 ? (
          <Alert color="gray" variant="light">
            No Connect cluster: saving removes them all (and their passwords).
          </Alert>
        ) : null}
        {error && !(error.kind === 'InvalidInput' && error.detail?.startsWith('connect.')) ? <ErrorBanner error={error} /> : null}
        <Group justify="space-between">
          <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => setList((l) => [...l, { ...EMPTY }])}>
            Add a Connect cluster
          </Button>
          <Group gap="xs">
            <Button size="xs" variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button size="xs" loading={saving} onClick={() => void save()} data-testid="connect-settings-save">
              Save
            </Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
