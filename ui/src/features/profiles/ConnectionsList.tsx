/**
 * The saved connections, as the navbar shows them: colour dot, name,
 * bootstrap servers, a Connect button and a delete action (confirmed by the
 * caller). The connected one is highlighted and its button opens it again.
 */
import { ActionIcon, Box, Button, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { Profile } from '../../api/profiles';
import { ColorDot } from '../../components/ColorDot';

export interface ConnectionsListProps {
  profiles: Profile[];
  loading: boolean;
  activeId: string | null;
  connectingId: string | null;
  onConnect: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

export function ConnectionsList({
  profiles,
  loading,
  activeId,
  connectingId,
  onConnect,
  onDelete,
}: ConnectionsListProps) {
  if (loading) {
    return (
      <Stack gap="xs" p="xs" aria-busy="true" aria-label="Loading connections">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} height={44} radius="md" />
        ))}
      </Stack>
    );
  }

  return (
    <Box component="ul" data-testid="connections-list" aria-label="Saved connections" m={0} p={0} style={{ listStyle: 'none' }}>
      {profiles.length === 0 ? (
        <Text component="li" size="xs" c="dimmed" px="sm" py="md" data-testid="connections-empty">
          No saved connections. Add one with “New”.
        </Text>
      ) : (
        profiles.map((profile) => (
          <ConnectionItem
            key={profile.id}
            profile={profile}
            active={profile.id === activeId}
            connecting={profile.id === connectingId}
            onConnect={onConnect}
            onDelete={onDelete}
          />
        ))
      )}
    </Box>
  );
}

interface ConnectionItemProps {
  profile: Profile;
  active: boolean;
  connecting: boolean;
  onConnect: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

function ConnectionItem({ profile, active, connecting, onConnect, onDelete }: ConnectionItemProps) {
  return (
    <Box
      component="li"
      className="kd-connection-item"
      data-testid="connection-item"
      data-profile-name={profile.name}
      data-profile-id={profile.id}
      data-active={active || undefined}
      aria-current={active ? 'true' : undefined}
      px="sm"
      py={8}
      mb={2}
    >
      <Group gap="sm" wrap="nowrap" align="center">
        <ColorDot id={profile.id} size={9} ring={active} />
        <Box style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={active ? 600 : 500} truncate="end" data-testid="connection-name">
            {profile.name}
          </Text>
          <Text
            size="xs"
            c="dimmed"
            className="kd-mono"
            truncate="end"
            title={profile.bootstrapServers}
            data-testid="connection-bootstrap"
          >
            {profile.bootstrapServers}
          </Text>
        </Box>
        <Group gap={4} wrap="nowrap">
          <Button
            size="compact-xs"
            variant={active ? 'filled' : 'light'}
            loading={connecting}
            onClick={() => onConnect(profile)}
            data-testid="connection-connect"
            aria-label={active ? `Open ${profile.name}` : `Connect to ${profile.name}`}
          >
            {active ? 'Open' : 'Connect'}
          </Button>
          <Tooltip label="Delete connection">
            <ActionIcon
              className="kd-connection-delete"
              variant="subtle"
              color="gray"
              size="sm"
              onClick={() => onDelete(profile)}
              data-testid="connection-delete"
              aria-label={`Delete ${profile.name}`}
            >
              <IconTrash size={14} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>
    </Box>
  );
}
