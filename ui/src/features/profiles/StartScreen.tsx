/**
 * What the main area shows when no cluster is open: a short welcome, the
 * "New connection" form, and an empty state saying what to do when there
 * are no saved connections yet. The connections themselves live in the
 * navbar (ConnectionsList).
 */
import { Box, Paper, Stack, Text, Title } from '@mantine/core';
import { IconDatabaseOff } from '@tabler/icons-react';
import type { ProfileInput } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { NewConnectionForm, type SubmitResult } from './NewConnectionForm';

export interface StartScreenProps {
  profileCount: number;
  loading: boolean;
  onCreate: (input: ProfileInput) => Promise<SubmitResult>;
  connectingFromForm: boolean;
  focusRequest: number;
}

export function StartScreen({ profileCount, loading, onCreate, connectingFromForm, focusRequest }: StartScreenProps) {
  return (
    <Box w="100%" maw={560} mx="auto" pt="xl" data-testid="start-screen">
      <Stack gap="lg">
        <div>
          <Title order={2} size="h3">
            Connect to a Kafka cluster
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            Pick a saved connection on the left, or add a new one below.
          </Text>
        </div>

        {!loading && profileCount === 0 ? (
          <EmptyState
            data-testid="connections-empty-state"
            icon={<IconDatabaseOff size={22} />}
            title="No saved connections yet"
            description="Give your cluster a name and its bootstrap servers below, then press “Save and connect”."
          />
        ) : null}

        <Paper withBorder radius="md" p="lg">
          <Text fw={600} size="sm" mb="sm">
            New connection
          </Text>
          <NewConnectionForm onSubmit={onCreate} connecting={connectingFromForm} focusRequest={focusRequest} />
        </Paper>
      </Stack>
    </Box>
  );
}
