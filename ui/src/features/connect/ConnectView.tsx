/**
 * The "Connect" tab: the profile's Kafka Connect clusters (chosen above the list), their
 * connectors, one connector's detail, and the create form. With no Connect cluster yet,
 * it says how to add one.
 */
import { useState } from 'react';
import { Button, Group, Paper, SegmentedControl, Stack } from '@mantine/core';
import { IconPlugConnected, IconSettings } from '@tabler/icons-react';
import type { ConnectTarget } from '../../api/connect';
import type { Profile } from '../../api/profiles';
import { EmptyState } from '../../components/EmptyState';
import { ConnectorDetailView } from './ConnectorDetailView';
import { ConnectorForm } from './ConnectorForm';
import { ConnectorsOverview } from './ConnectorsOverview';
import { ConnectSettingsModal } from './ConnectSettingsModal';

type Screen = { kind: 'list' } | { kind: 'detail'; name: string } | { kind: 'create' } | { kind: 'edit'; name: string };

export function ConnectView({ profile: initial }: { profile: Profile }) {
  // The tab keeps the profile it saved last: settings change here, not in the editor.
  const [profile, setProfile] = useState(initial);
  const clusters = profile.connect?.clusters ?? [];
  const [connectId, setConnectId] = useState<string | null>(clusters[0]?.id ?? null);
  const [screen, setScreen] = useState<Screen>({ kind: 'list' });
  const [settingsOpen, setSettingsOpen] = useState(false);
  const current = clusters.find((c) => c.id === connectId) ?? clusters[0];

  const settings = (
    <ConnectSettingsModal
      opened={settingsOpen}
      profile={profile}
      onClose={() => setSettingsOpen(false)}
      onSaved={(saved) => {
        setProfile(saved);
        const list = saved.connect?.clusters ?? [];
        setConnectId((id) => (list.some((c) => c.id === id) ? id : (list[0]?.id ?? null)));
        setScreen({ kind: 'list' });
        setSettingsOpen(false);
      }}
    />
  );

  if (!current) {
    return (
      <Paper withBorder radius="md" data-testid="connect-view">
        <EmptyState
          icon={<IconPlugConnected size={22} />}
          title="No Kafka Connect cluster yet"
          description="Add the REST URL of your Connect workers (e.g. http://connect:8083) to see and manage connectors."
          action={
            <Button size="xs" onClick={() => setSettingsOpen(true)} data-testid="connect-settings-open">
              Add a Connect cluster
            </Button>
          }
          data-testid="connect-empty"
        />
        {settings}
      </Paper>
    );
  }

  const target: ConnectTarget = { profileId: profile.id, connectId: current.id };
  const toList = () => setScreen({ kind: 'list' });
  let body;
  switch (screen.kind) {
    case 'detail':
      body = (
        <ConnectorDetailView
          key={screen.name}
          target={target}
          name={screen.name}
          readOnly={profile.readOnly}
          onBack={toList}
          onEdit={() => setScreen({ kind: 'edit', name: screen.name })}
        />
      );
      break;
    case 'create':
      body = <ConnectorForm target={target} onCancel={toList} onSaved={(name) => setScreen({ kind: 'detail', name })} />;
      break;
    case 'edit':
      body = (
        <ConnectorForm
          target={target}
          editing={screen.name}
          onCancel={() => setScreen({ kind: 'detail', name: screen.name })}
          onSaved={(name) => setScreen({ kind: 'detail', name })}
        />
      );
      break;
    default:
      body = (
        <ConnectorsOverview
          key={current.id}
          target={target}
          clusterName={current.name}
          readOnly={profile.readOnly}
          onOpen={(name) => setScreen({ kind: 'detail', name })}
          onCreate={() => setScreen({ kind: 'create' })}
        />
      );
  }

  return (
    <Stack gap="sm" data-testid="connect-view" data-connect-id={current.id}>
      <Group justify="space-between">
        {clusters.length > 1 ? (
          <SegmentedControl
            size="xs"
            value={current.id}
            onChange={(id) => {
              setConnectId(id);
              toList();
            }}
            data={clusters.map((c) => ({ value: c.id, label: c.name }))}
            data-testid="connect-cluster-switch"
          />
        ) : (
          <span />
        )}
        <Button
          size="xs"
          variant="default"
          leftSection={<IconSettings size={14} />}
          onClick={() => setSettingsOpen(true)}
          data-testid="connect-settings-open"
        >
          Connect settings
        </Button>
      </Group>
      {body}
      {settings}
    </Stack>
  );
}
