/**
 * The saved connections, as the navbar shows them: the profile's colour tag,
 * name, environment, a read-only marker, bootstrap servers, a Connect button,
 * and edit / duplicate / delete actions (delete confirmed by the caller). The
 * open one is highlighted; every connected one says so.
 */
import type { ReactNode } from 'react';
import { ActionIcon, Badge, Box, Button, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { IconCopy, IconPencil, IconTrash } from '@tabler/icons-react';
import type { Profile } from '../../api/profiles';
import { ColorDot, StatusDot } from '../../components/ColorDot';
import { ReadOnlyBadge } from './ProfileEditor';

export interface ConnectionsListProps {
  profiles: Profile[];
  loading: boolean;
  activeId: string | null;
  /** Profiles with a live connection (the backend's registry). */
  connectedIds?: string[];
  connectingId: string | null;
  onConnect: (profile: Profile) => void;
  onEdit?: (profile: Profile) => void;
  onDuplicate?: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

export function ConnectionsList({
  profiles,
  loading,
  activeId,
  connectedIds = [],
  connectingId,
  onConnect,
  onEdit,
  onDuplicate,
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
            connected={profile.id === activeId || connectedIds.includes(profile.id)}
            connecting={profile.id === connectingId}
            onConnect={onConnect}
            onEdit={onEdit}
            onDuplicate={onDuplicate}
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
  connected: boolean;
  connecting: boolean;
  onConnect: (profile: Profile) => void;
  onEdit?: (profile: Profile) => void;
  onDuplicate?: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

function ConnectionItem({ profile, active, connected, connecting, onConnect, onEdit, onDuplicate, onDelete }: ConnectionItemProps) {
  return (
    <Box
      component="li"
      className="kd-connection-item"
      data-testid="connection-item"
      data-profile-name={profile.name}
      data-profile-id={profile.id}
      data-active={active || undefined}
      data-connected={connected || undefined}
      data-read-only={profile.readOnly || undefined}
      aria-current={active ? 'true' : undefined}
      px="sm"
      py={8}
      mb={2}
    >
      <Group gap="sm" wrap="nowrap" align="center">
        <ColorDot id={profile.id} color={profile.color} size={9} />
        <Group gap={4} wrap="nowrap" style={{ flex: 1, minWidth: 0 }}>
          <Text size="sm" fw={active ? 600 : 500} truncate="end" data-testid="connection-name">
            {profile.name}
          </Text>
          {profile.readOnly ? <ReadOnlyBadge /> : null}
        </Group>
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
      </Group>
      <Group gap={6} wrap="nowrap" pl={17} mt={2}>
        <Badge
          size="xs"
          variant="light"
          radius="sm"
          color={profile.color}
          style={{ flex: 'none' }}
          data-testid="connection-environment"
        >
          {profile.environment}
        </Badge>
        {/* The state word gives way first in a narrow navbar (the dot stays); the actions never do. */}
        <Group gap={4} wrap="nowrap" style={{ flex: '0 1 auto', minWidth: 0 }}>
          <StatusDot state={connecting ? 'connecting' : connected ? 'connected' : 'disconnected'} />
          <Text size="xs" c={connected ? 'teal' : 'dimmed'} truncate="end" style={{ minWidth: 0 }} data-testid="connection-state">
            {connecting ? 'connecting' : connected ? 'connected' : 'disconnected'}
          </Text>
        </Group>
        <Text
          size="xs"
          c="dimmed"
          className="kd-mono"
          truncate="end"
          style={{ flex: 1, minWidth: 0 }}
          title={profile.bootstrapServers}
          data-testid="connection-bootstrap"
        >
          {profile.bootstrapServers}
        </Text>
        <Group gap={0} wrap="nowrap" className="kd-connection-delete" style={{ flex: 'none', marginLeft: 'auto' }}>
          {onEdit ? <RowAction label="Edit" profile={profile} testid="connection-edit" icon={<IconPencil size={13} />} onClick={onEdit} /> : null}
          {onDuplicate ? (
            <RowAction label="Duplicate" profile={profile} testid="connection-duplicate" icon={<IconCopy size={13} />} onClick={onDuplicate} />
          ) : null}
          <RowAction label="Delete" profile={profile} testid="connection-delete" icon={<IconTrash size={13} />} onClick={onDelete} />
        </Group>
      </Group>
    </Box>
  );
}

interface RowActionProps {
  label: string;
  profile: Profile;
  testid: string;
  icon: ReactNode;
  onClick: (profile: Profile) => void;
}

function RowAction({ label, profile, testid, icon, onClick }: RowActionProps) {
  return (
    <Tooltip label={`${label} connection`}>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="xs"
        onClick={() => onClick(profile)}
        data-testid={testid}
        aria-label={`${label} ${profile.name}`}
      >
        {icon}
      </ActionIcon>
    </Tooltip>
  );
}
