/**
 * SCRAM users: who has credentials for which mechanism; create or rotate a password (typed
 * twice, sent to the broker only), delete a mechanism or the whole user (typed confirmation).
 */
import { useCallback, useState } from 'react';
import { Alert, Badge, Button, Group, NumberInput, Paper, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconTrash, IconUserShield } from '@tabler/icons-react';
import { deleteScramUser, listScramUsers, SCRAM_MECHANISMS, upsertScramUser, type ScramMechanism } from '../../api/acls';
import { toAppError, type AppError } from '../../api/errors';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { useBackend } from '../../lib/useBackend';

export function ScramUsersPanel({ profile }: { profile: Profile }) {
  const load = useCallback(() => listScramUsers(profile.id), [profile.id]);
  const { data: users, error, loading, reload } = useBackend(load, profile.id);
  const [user, setUser] = useState('');
  const [mechanism, setMechanism] = useState<ScramMechanism>('SCRAM-SHA-512');
  const [iterations, setIterations] = useState<number | string>(8192);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<{ user: string; mechanism: ScramMechanism | null } | null>(null);
  const fieldError = (name: string) => (actionError?.kind === 'InvalidInput' && actionError.detail === name ? actionError.message : undefined);
  const readOnly = profile.readOnly;

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setActionError(null);
    setNotice(null);
    try {
      await work();
      await reload();
    } catch (e) {
      setActionError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const save = () =>
    run(async () => {
      const existed = users?.some((u) => u.user === user.trim() && u.credentials.some((c) => c.mechanism === mechanism));
      await upsertScramUser(profile.id, {
        user,
        mechanism,
        iterations: typeof iterations === 'number' ? iterations : null,
        password,
        passwordConfirm: confirm,
      });
      // The password lives in this form only until the broker has it.
      setPassword('');
      setConfirm('');
      setNotice(`${existed ? 'Rotated' : 'Created'} ${mechanism} credentials for ${user.trim()}; they work at once.`);
    });

  return (
    <Stack gap="sm" data-testid="acls-users" aria-busy={loading || undefined}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          SCRAM users{users ? ` (${users.length})` : ''}
        </Text>
        <RefreshButton loading={loading} onClick={() => void reload()} testId="users-refresh" />
      </Group>
      {error ? <ErrorBanner error={error} /> : null}
      {users && users.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState
            icon={<IconUserShield size={22} />}
            title="No SCRAM users"
            description={readOnly ? 'This connection is read-only.' : 'Create one below: pick a mechanism and type the password twice.'}
            data-testid="users-empty"
          />
        </Paper>
      ) : users ? (
        <Paper withBorder radius="md">
          <Table className="kd-table" data-testid="users-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>User</Table.Th>
                <Table.Th>Credentials</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.map((u) => (
                <Table.Tr key={u.user} data-testid="user-row" data-user={u.user}>
                  <Table.Td className="kd-mono">{u.user}</Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {u.credentials.map((c) => (
                        <Badge
                          key={c.mechanism}
                          size="sm"
                          variant="light"
                          rightSection={
                            readOnly ? null : (
                              <IconTrash size={11} style={{ cursor: 'pointer' }} aria-label={`Delete ${c.mechanism}`} onClick={() => setDeleting({ user: u.user, mechanism: c.mechanism })} />
                            )
                          }
                          data-testid="user-credential"
                        >
                          {c.mechanism} · {c.iterations} iterations
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">
                    {readOnly ? null : (
                      <Group gap={4} justify="flex-end">
                        <Button size="compact-xs" variant="subtle" onClick={() => setUser(u.user)} data-testid="user-rotate">
                          Rotate
                        </Button>
                        <Button size="compact-xs" variant="subtle" color="red" onClick={() => setDeleting({ user: u.user, mechanism: null })} data-testid="user-delete">
                          Delete
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Paper>
      ) : null}
      {actionError ? <ErrorBanner error={actionError} onClose={() => setActionError(null)} /> : null}
      {notice ? (
        <Alert color="teal" variant="light" data-testid="users-notice">
          {notice}
        </Alert>
      ) : null}
      {readOnly ? null : (
        <Paper withBorder radius="md" p="md" data-testid="user-form">
          <Stack gap="xs">
            <Text fw={600} size="sm">
              Create a user or rotate a password
            </Text>
            <Group grow align="flex-start">
              <TextInput size="xs" label="User" value={user} onChange={(e) => setUser(e.currentTarget.value)} error={fieldError('user')} data-testid="user-name" autoComplete="off" />
              <Select size="xs" label="Mechanism" data={SCRAM_MECHANISMS} value={mechanism} onChange={(v) => v && setMechanism(v as ScramMechanism)} allowDeselect={false} data-testid="user-mechanism" />
              <NumberInput size="xs" label="Iterations" min={4096} max={16384} value={iterations} onChange={setIterations} error={fieldError('iterations')} data-testid="user-iterations" />
            </Group>
            <Group grow align="flex-start">
              <PasswordInput size="xs" label="Password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fieldError('password')} data-testid="user-password" autoComplete="new-password" />
              <PasswordInput size="xs" label="Password again" value={confirm} onChange={(e) => setConfirm(e.currentTarget.value)} error={fieldError('passwordConfirm')} data-testid="user-password-confirm" autoComplete="new-password" />
            </Group>
            <Group>
              <Button size="xs" loading={busy} onClick={() => void save()} data-testid="user-save">
                Save credentials
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
      <TypedConfirmModal
        opened={deleting !== null}
        title={deleting?.mechanism ? `Delete ${deleting.mechanism} for ${deleting.user}` : `Delete user ${deleting?.user ?? ''}`}
        expected={deleting?.user ?? ''}
        confirmLabel="Delete"
        loading={busy}
        onConfirm={() =>
          void run(async () => {
            if (!deleting) return;
            await deleteScramUser(profile.id, deleting.user, deleting.mechanism);
            setNotice(`Deleted ${deleting.mechanism ?? 'every credential'} of ${deleting.user}.`);
            setDeleting(null);
          })
        }
        onCancel={() => setDeleting(null)}
        testId="user-delete-confirm"
      >
        {deleting?.mechanism
          ? `Clients logging in as ${deleting.user} with ${deleting.mechanism} are refused from now on.`
          : `Every credential of ${deleting?.user ?? ''} is removed; the user can no longer log in. Its ACL bindings stay.`}
      </TypedConfirmModal>
    </Stack>
  );
}
