/**
 * What the main area shows when no cluster is open: a short welcome, the
 * connection editor (a new connection, or the saved one being edited), and an empty state saying what to do when there
 * are no saved connections yet. The connections themselves live in the
 * navbar (ConnectionsList).
 */
import { useEffect } from 'react';
import { Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDatabaseOff, IconFileImport, IconPlayerPlay, IconServer2 } from '@tabler/icons-react';
import type { Profile, ProfileInput, SecretStorage } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ProfileEditor, ReadOnlyBadge, type SubmitResult } from './ProfileEditor';

export interface StartScreenProps {
  profileCount: number;
  loading: boolean;
  onCreate: (input: ProfileInput) => Promise<SubmitResult>;
  /** The saved profile open in the editor; `null`: a new connection. */
  editing: Profile | null;
  onUpdate: (id: string, input: ProfileInput) => Promise<SubmitResult>;
  onCancelEdit: () => void;
  secretStorage: SecretStorage | null;
  connectingFromForm: boolean;
  focusRequest: number;
  /** One click: a 1-node Kafka on this machine, started and connected. */
  onStartLocal?: () => void;
  startingLocal?: boolean;
  onImport?: () => void;
  /** The "Local clusters" view. */
  onOpenLocal?: () => void;
}

export function StartScreen({
  profileCount,
  loading,
  onCreate,
  editing,
  onUpdate,
  onCancelEdit,
  secretStorage,
  connectingFromForm,
  focusRequest,
  onStartLocal,
  startingLocal = false,
  onImport,
  onOpenLocal,
}: StartScreenProps) {
  const startActions = onStartLocal ? (
    <Group gap="xs" data-testid="start-actions">
      <Button leftSection={<IconPlayerPlay size={14} />} onClick={onStartLocal} loading={startingLocal} data-testid="start-local-cluster">
        Start a local cluster
      </Button>
      {onImport ? (
        <Button variant="default" leftSection={<IconFileImport size={14} />} onClick={onImport} data-testid="start-import">
          Import
        </Button>
      ) : null}
      {onOpenLocal ? (
        <Button variant="subtle" leftSection={<IconServer2 size={14} />} onClick={onOpenLocal} data-testid="start-open-local">
          Local clusters…
        </Button>
      ) : null}
    </Group>
  ) : null;
  // "Usable": the saved connections are listed. The window benchmark reads this mark.
  useEffect(() => {
    if (!loading && performance.getEntriesByName('kd-start-screen').length === 0) performance.mark('kd-start-screen');
  }, [loading]);
  return (
    <Box w="100%" maw={560} mx="auto" pt="xl" data-testid="start-screen">
      <Stack gap="lg">
        <div>
          <Title order={2} size="h3">
            Connect to a Kafka cluster
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            Pick a saved connection on the left, add a new one below, or run Apache Kafka on this machine.
          </Text>
        </div>
        {profileCount > 0 ? startActions : null}

        {!loading && profileCount === 0 ? (
          <EmptyState
            data-testid="connections-empty-state"
            icon={<IconDatabaseOff size={22} />}
            title="No saved connections yet"
            description="Start Apache Kafka on this machine with one click, import connections from a file, or give your cluster a name and its bootstrap servers below, then press “Save and connect”."
            action={startActions}
          />
        ) : null}

        {secretStorage && !secretStorage.keychain ? (
          <Text size="xs" c="orange" data-testid="secret-storage-warning">
            {secretStorage.message}
          </Text>
        ) : null}

        <Paper withBorder radius="md" p="lg" data-testid="profile-editor">
          <Group justify="space-between" mb="sm">
            <Group gap="xs">
              <Text fw={600} size="sm">
                {editing ? `Edit “${editing.name}”` : 'New connection'}
              </Text>
              {editing?.readOnly ? <ReadOnlyBadge /> : null}
            </Group>
            {editing ? (
              <Button size="compact-xs" variant="subtle" onClick={onCancelEdit} data-testid="profile-editor-close">
                New connection instead
              </Button>
            ) : null}
          </Group>
          <ProfileEditor
            profile={editing}
            onSubmit={editing ? (input) => onUpdate(editing.id, input) : onCreate}
            connecting={connectingFromForm}
            focusRequest={focusRequest}
            secretsIn={secretStorage && !secretStorage.keychain ? 'memory' : 'keychain'}
          />
        </Paper>
      </Stack>
    </Box>
  );
}
