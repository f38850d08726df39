/** The "Consumer groups" tab: the list, or one group's detail. */
import { useState } from 'react';
import { Group, Stack, Text } from '@mantine/core';
import { listGroups } from '../../api/groups';
import type { Profile } from '../../api/profiles';
import { RefreshButton } from '../../components/RefreshButton';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { GroupDetailView } from './GroupDetailView';
import { GroupsList } from './GroupsList';
import { useBackend } from '../../lib/useBackend';

export function GroupsView({ profile }: { profile: Profile }) {
  const [open, setOpen] = useState<string | null>(null);
  if (open) {
    return <GroupDetailView profile={profile} groupId={open} onBack={() => setOpen(null)} onDeleted={() => setOpen(null)} />;
  }
  return <GroupsOverview profile={profile} onOpen={setOpen} />;
}

function GroupsOverview({ profile, onOpen }: { profile: Profile; onOpen: (groupId: string) => void }) {
  const { data: groups, error, loading, reload } = useBackend(() => listGroups(profile.id), profile.id);
  return (
    <Stack gap="sm" data-testid="groups-view" aria-busy={loading || undefined}>
      <Group justify="space-between">
        <Text fw={600} size="sm">
          Consumer groups{groups ? ` (${formatCount(groups.length)})` : ''}
        </Text>
        <RefreshButton loading={loading} onClick={() => void reload()} testId="groups-refresh" />
      </Group>
      {error ? <ErrorBanner error={error} /> : null}
      {groups ? <GroupsList groups={groups} onOpen={onOpen} /> : null}
    </Stack>
  );
}
