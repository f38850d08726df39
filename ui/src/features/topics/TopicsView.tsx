/** The Topics tab: the list, or one topic's detail, and the create dialog. */
import { useState } from 'react';
import { Loader, Stack } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Profile } from '../../api/profiles';
import { listTopics } from '../../api/topics';
import { ErrorBanner } from '../../components/ErrorBanner';
import { CreateTopicModal } from './CreateTopicModal';
import { TopicDetailView } from './TopicDetailView';
import { TopicsList } from './TopicsList';
import { useBackend } from '../../lib/useBackend';

export function TopicsView({ profile }: { profile: Profile }) {
  const list = useBackend(() => listTopics(profile.id), profile.id);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  if (selected) {
    return (
      <TopicDetailView
        profileId={profile.id}
        topic={selected}
        readOnly={profile.readOnly}
        onBack={() => {
          setSelected(null);
          list.reload();
        }}
        onDeleted={() => {
          setSelected(null);
          list.reload();
        }}
      />
    );
  }
  return (
    <Stack gap="sm" data-testid="topics-view">
      {list.error ? <ErrorBanner error={list.error} onClose={list.clearError} /> : null}
      {list.data ? (
        <TopicsList
          list={list.data}
          refreshing={list.loading}
          readOnly={profile.readOnly}
          onRefresh={list.reload}
          onOpen={setSelected}
          onCreate={() => setCreating(true)}
        />
      ) : list.loading ? (
        <Loader size="sm" data-testid="topics-loading" />
      ) : null}
      {/* Mounted on open, so its defaults (replication factor) follow the current cluster. */}
      {creating && list.data ? (
        <CreateTopicModal
          opened
          profileId={profile.id}
          liveBrokers={list.data.liveBrokers}
          existing={list.data.topics.map((t) => t.name)}
          onClose={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            notifications.show({ message: `Topic "${name}" created.`, color: 'green' });
            // The list reloads when the detail is left (onBack / onDeleted).
            setSelected(name);
          }}
        />
      ) : null}
    </Stack>
  );
}
