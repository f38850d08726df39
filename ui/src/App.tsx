/**
 * The window: header, navbar with the saved connections, and a main area
 * that shows either the start screen or the connected cluster's overview.
 * App wires the feature hooks together and owns the cross-cutting bits: the
 * error banner, dialogs and keyboard shortcuts.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ActionIcon, Alert, AppShell, Badge, Button, Group, Loader, ScrollArea, Stack, Text, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconFileExport, IconFileImport, IconPlus, IconServer2 } from '@tabler/icons-react';
import { pickExportFile, pickImportFile } from './api/files';
import { fetchStartupOptions } from './api/app';
import { invalidField, type AppError } from './api/errors';
import { exportProfiles, importProfiles, listProfiles, type Profile, type ProfileInput } from './api/profiles';
import { AppHeader } from './app/AppHeader';
import { ConnectingNotice } from './app/ConnectingNotice';
import { ShortcutsModal } from './app/ShortcutsModal';
import { useToggleColorScheme } from './app/ThemeToggle';
import { ConfirmModal } from './components/ConfirmModal';
import { ErrorBanner } from './components/ErrorBanner';
import { useClusterSession, type ConnectSource } from './features/cluster/useClusterSession';
import { ConnectionsList } from './features/profiles/ConnectionsList';
import type { SubmitResult } from './features/profiles/ProfileEditor';
import { StartScreen } from './features/profiles/StartScreen';
import { useProfiles } from './features/profiles/useProfiles';
import { isProfileField } from './features/profiles/validation';
import { fetchLocalSetup, freeClusterName, suggestedInput, type LocalCluster } from './api/local';
import { LocalClustersView } from './features/local/LocalClustersView';
import { useLocalClusters } from './features/local/useLocalClusters';

type View = 'home' | 'cluster' | 'local';

/** The saved connections as the backend has them right now (a local cluster just added one). */
async function listProfilesNow(): Promise<Profile[]> {
  return (await listProfiles()).profiles;
}

// The start screen comes first and alone; the cluster's views load when a cluster opens.
const ClusterWorkspace = lazy(() => import('./features/cluster/ClusterWorkspace').then((m) => ({ default: m.ClusterWorkspace })));

export function App() {
  const [error, setError] = useState<AppError | null>(null);
  const [view, setView] = useState<View>('home');
  const [focusRequest, setFocusRequest] = useState(0);
  const [helpOpen, setHelpOpen] = useState(false);
  // The target outlives the dialog's closing animation, so the text does not blank out.
  const [deleteTarget, setDeleteTarget] = useState<Profile | null>(null);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);

  const reportError = useCallback((next: AppError) => setError(next), []);
  const profiles = useProfiles(reportError);
  const session = useClusterSession(reportError);
  const local = useLocalClusters(reportError);
  const [startingLocal, setStartingLocal] = useState(false);
  const toggleColorScheme = useToggleColorScheme();

  const showOverview = view === 'cluster' && session.active !== null;

  const editing = profiles.profiles.find((p) => p.id === editingId) ?? null;

  // `kafkadesk --connect "<name>"` (make run uses it): connect once the list is there.
  const startupHandled = useRef(false);
  useEffect(() => {
    if (profiles.loading || startupHandled.current) return;
    startupHandled.current = true;
    fetchStartupOptions()
      .then(({ connectProfileId }) => {
        const profile = profiles.profiles.find((p) => p.id === connectProfileId);
        if (profile) void connect(profile, 'list');
      })
      .catch(reportError);
    // Runs once, when the first list has arrived.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [profiles.loading]);

  const openNewConnection = () => {
    setEditingId(null);
    setView('home');
    setFocusRequest((n) => n + 1);
  };

  const openEditor = (profile: Profile) => {
    setEditingId(profile.id);
    setView('home');
    setFocusRequest((n) => n + 1);
  };

  /** Backend field errors go under their field; anything else to the banner. */
  const formFailure = (caught: unknown): SubmitResult => {
    const failure = caught as AppError;
    const field = invalidField(failure);
    if (isProfileField(field)) return { ok: false, fieldErrors: { [field]: failure.message } };
    setError(failure);
    return { ok: false, fieldErrors: {} };
  };

  const update = async (id: string, input: ProfileInput): Promise<SubmitResult> => {
    setError(null);
    try {
      const saved = await profiles.update(id, input);
      notifications.show({ message: `Saved “${saved.name}”`, color: 'gray', autoClose: 2500 });
      return { ok: true };
    } catch (caught) {
      return formFailure(caught);
    }
  };

  const importConnections = async () => {
    setError(null);
    try {
      const path = await pickImportFile();
      if (!path) return;
      const report = await importProfiles(path);
      await profiles.reload();
      const count = report.imported.length;
      notifications.show({
        title: `Imported ${count} ${count === 1 ? 'connection' : 'connections'} (${report.format})`,
        message: [report.secrets, ...report.notes].join(' '),
        color: count > 0 ? 'teal' : 'yellow',
        autoClose: report.notes.length > 0 ? false : 4000,
      });
      if (report.imported[0]) openEditor(report.imported[0]);
    } catch (caught) {
      setError(caught as AppError);
    }
  };

  const exportConnections = async () => {
    setError(null);
    try {
      const path = await pickExportFile();
      if (!path) return;
      const count = await exportProfiles(path);
      notifications.show({ message: `Exported ${count} connections to ${path} (no secrets)`, color: 'gray', autoClose: 4000 });
    } catch (caught) {
      setError(caught as AppError);
    }
  };

  const duplicate = async (profile: Profile) => {
    setError(null);
    try {
      openEditor(await profiles.duplicate(profile.id));
    } catch (caught) {
      setError(caught as AppError);
    }
  };

  const connect = async (profile: Profile, source: ConnectSource) => {
    if (session.active?.profile.id === profile.id) {
      setView('cluster');
      return;
    }
    setError(null);
    const outcome = await session.connect(profile, source);
    if (outcome === 'connected') setView('cluster');
  };

  const create = async (input: ProfileInput): Promise<SubmitResult> => {
    setError(null);
    let profile: Profile;
    try {
      profile = await profiles.create(input);
    } catch (caught) {
      return formFailure(caught);
    }
    void connect(profile, 'form');
    return { ok: true };
  };

  /** Connects to a local cluster's saved connection. */
  const connectLocal = async (cluster: LocalCluster) => {
    await profiles.reload();
    const list = await listProfilesNow();
    const profile = list.find((p) => p.id === cluster.profileId);
    if (profile) await connect(profile, 'list');
    else setError({ kind: 'NotFound', message: `The saved connection of “${cluster.name}” is gone; delete the cluster and create it again.` });
  };

  /** One click from the start screen: a 1-node local Kafka on the suggested ports, started and connected. */
  const quickStartLocal = async () => {
    setError(null);
    setStartingLocal(true);
    try {
      const setup = await fetchLocalSetup();
      if (!setup.java || !setup.kafka) {
        // The view says exactly what to install.
        setView('local');
        return;
      }
      const created = await local.create(suggestedInput(setup, freeClusterName('Local Kafka', local.clusters), 1));
      const started = await local.start(created.id);
      if (started) await connectLocal(started);
      else setView('local');
    } catch (caught) {
      setError(caught as AppError);
    } finally {
      setStartingLocal(false);
    }
  };

  const refresh = () => {
    if (!session.active) return;
    setError(null);
    void session.refresh();
  };

  const disconnect = async () => {
    setError(null);
    const name = session.active?.profile.name;
    if (await session.disconnect()) {
      setView('home');
      notifications.show({ message: `Disconnected from ${name}`, color: 'gray', autoClose: 2500 });
    }
  };

  const confirmDelete = async () => {
    const target = deleteTarget;
    if (!target) return;
    setDeleting(true);
    try {
      if (session.connecting?.profile.id === target.id) session.cancelConnect();
      if (session.active?.profile.id === target.id) {
        const released = await session.disconnect();
        if (!released) return;
        setView('home');
      }
      await profiles.remove(target.id);
      notifications.show({ message: `Deleted “${target.name}”`, color: 'gray', autoClose: 2500 });
    } catch (caught) {
      setError(caught as AppError);
    } finally {
      setDeleting(false);
      setDeleteOpen(false);
    }
  };

  const askDelete = (profile: Profile) => {
    setDeleteTarget(profile);
    setDeleteOpen(true);
  };

  const dialogOpen = helpOpen || deleteOpen;
  const unlessDialog = (action: () => void) => () => {
    if (!dialogOpen) action();
  };
  useHotkeys([
    ['mod+N', unlessDialog(openNewConnection)],
    ['R', unlessDialog(() => showOverview && refresh())],
    ['mod+J', toggleColorScheme],
    ['?', unlessDialog(() => setHelpOpen(true))],
    ['shift+?', unlessDialog(() => setHelpOpen(true))],
  ]);

  return (
    <AppShell
      header={{ height: 52 }}
      // Narrower on small windows (900 px minimum), so the views keep room for their toolbars.
      navbar={{ width: { base: 240, lg: 300 }, breakpoint: 'xs' }}
      padding="lg"
      data-testid="app-shell"
    >
      <AppShell.Header>
        <AppHeader active={session.active} onShowShortcuts={() => setHelpOpen(true)} />
      </AppShell.Header>

      <AppShell.Navbar p="xs">
        <AppShell.Section>
          <Group justify="space-between" px="xs" pt={4} pb="xs">
            <Group gap={6}>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.5 }}>
                Connections
              </Text>
              {!profiles.loading ? (
                <Badge size="xs" variant="default" radius="sm">
                  {profiles.profiles.length}
                </Badge>
              ) : null}
            </Group>
            <Group gap={2}>
              <Tooltip label="Import connections (kafka-ui, client.properties, kcat)">
                <ActionIcon variant="subtle" size="sm" onClick={() => void importConnections()} data-testid="connections-import" aria-label="Import connections">
                  <IconFileImport size={14} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label="Export connections (without secrets)">
                <ActionIcon variant="subtle" size="sm" onClick={() => void exportConnections()} data-testid="connections-export" aria-label="Export connections">
                  <IconFileExport size={14} />
                </ActionIcon>
              </Tooltip>
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconPlus size={13} />}
                onClick={openNewConnection}
                data-testid="new-connection-open"
                title="New connection (mod+N)"
              >
                New
              </Button>
            </Group>
          </Group>
        </AppShell.Section>
        <AppShell.Section grow component={ScrollArea} scrollbarSize={6}>
          <ConnectionsList
            profiles={profiles.profiles}
            loading={profiles.loading}
            activeId={session.active?.profile.id ?? null}
            connectingId={session.connecting?.source === 'list' ? session.connecting.profile.id : null}
            connectedIds={profiles.connected}
            onConnect={(profile) => void connect(profile, 'list')}
            onEdit={openEditor}
            onDuplicate={(profile) => void duplicate(profile)}
            onDelete={askDelete}
          />
        </AppShell.Section>
        <AppShell.Section>
          <Button
            fullWidth
            justify="flex-start"
            variant={view === 'local' ? 'light' : 'subtle'}
            size="compact-sm"
            leftSection={<IconServer2 size={14} />}
            onClick={() => setView('local')}
            data-testid="nav-local-clusters"
          >
            Local clusters
            {local.clusters.some((c) => c.state !== 'stopped') ? (
              <Badge ml={6} size="xs" color="teal" variant="light">
                {local.clusters.filter((c) => c.state !== 'stopped').length} running
              </Badge>
            ) : null}
          </Button>
          <Text size="xs" c="dimmed" px="xs" pt="xs">
            Press <b>?</b> for keyboard shortcuts
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        <Stack gap="md" maw={1200} mx="auto">
          {profiles.warning ? (
            <Alert
              color="yellow"
              variant="light"
              radius="md"
              icon={<IconAlertTriangle size={18} />}
              title="Saved connections were repaired"
              withCloseButton
              onClose={profiles.dismissWarning}
              closeButtonLabel="Dismiss warning"
              data-testid="store-warning"
            >
              <Text size="sm">{profiles.warning.message}</Text>
            </Alert>
          ) : null}
          {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
          {session.connecting ? (
            <ConnectingNotice pending={session.connecting} onCancel={session.cancelConnect} />
          ) : null}

          {startingLocal ? (
            <Alert color="blue" variant="light" radius="md" icon={<Loader size={16} />} data-testid="local-starting">
              Starting a local Apache Kafka… The first start formats its storage; this takes a few seconds to a minute.
            </Alert>
          ) : null}

          {view === 'local' ? (
            <LocalClustersView model={local} onConnect={(cluster) => void connectLocal(cluster)} onError={reportError} />
          ) : showOverview && session.active ? (
            <Suspense fallback={<Loader size="sm" />}>
            <ClusterWorkspace
              // A new cluster gets fresh tabs: no list, open topic or session carries over.
              key={session.active.profile.id}
              profile={session.active.profile}
              overview={session.active.overview}
              refreshing={session.refreshing}
              disconnecting={session.disconnecting}
              onRefresh={refresh}
              onDisconnect={() => void disconnect()}
            />
            </Suspense>
          ) : (
            <StartScreen
              profileCount={profiles.profiles.length}
              loading={profiles.loading}
              onCreate={create}
              editing={editing}
              onUpdate={update}
              onCancelEdit={openNewConnection}
              secretStorage={profiles.secretStorage}
              connectingFromForm={session.connecting?.source === 'form'}
              focusRequest={focusRequest}
              onStartLocal={() => void quickStartLocal()}
              startingLocal={startingLocal}
              onImport={() => void importConnections()}
              onOpenLocal={() => setView('local')}
            />
          )}
        </Stack>
      </AppShell.Main>

      <ShortcutsModal opened={helpOpen} onClose={() => setHelpOpen(false)} />
      <ConfirmModal
        opened={deleteOpen}
        title="Delete connection?"
        confirmLabel="Delete"
        danger
        loading={deleting}
        onConfirm={() => void confirmDelete()}
        onCancel={() => !deleting && setDeleteOpen(false)}
      >
        “{deleteTarget?.name}” will be removed from your saved connections. The cluster itself is not touched.
      </ConfirmModal>
    </AppShell>
  );
}
