/** Sent-message history for the topic and saved templates: one click loads one into the form. */
import { useCallback, useEffect, useState } from 'react';
import { ActionIcon, Button, Group, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import type { AppError } from '../../api/errors';
import { deleteTemplate, fetchLibrary, saveTemplate, type Library, type ProduceRequest, type SavedMessage } from '../../api/messages';
import { ErrorBanner } from '../../components/ErrorBanner';

export interface LibraryPanelProps {
  topic: string;
  /** The form as a request, for saving as a template. */
  current: ProduceRequest;
  /** Bumped after each send, to reload the history. */
  version: number;
  onPick: (request: ProduceRequest) => void;
}

export function LibraryPanel({ topic, current, version, onPick }: LibraryPanelProps) {
  const [library, setLibrary] = useState<Library>({ history: [], templates: [] });
  const [name, setName] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(() => {
    fetchLibrary(topic || undefined).then(setLibrary, (e) => setError(e as AppError));
  }, [topic]);
  useEffect(load, [load, version]);

  const save = async () => {
    try {
      setLibrary(await saveTemplate(name, current));
      setName('');
      load();
    } catch (e) {
      setError(e as AppError);
    }
  };

  const item = (m: SavedMessage, i: number, removable: boolean) => (
    <Group key={`${m.name}-${m.savedAt}-${i}`} gap={4} wrap="nowrap">
      <UnstyledButton onClick={() => onPick(m.request)} style={{ flex: 1, minWidth: 0 }} data-testid="library-item">
        <Text size="xs" fw={m.name ? 600 : undefined} truncate="end">
          {m.name || m.request.value || (m.request.value === undefined ? 'null (tombstone)' : '(empty)')}
        </Text>
        <Text size="xs" c="dimmed" truncate="end">
          {m.request.topic} · {new Date(m.savedAt).toLocaleString()}
        </Text>
      </UnstyledButton>
      {removable ? (
        <ActionIcon size="sm" variant="subtle" color="gray" aria-label={`Delete template ${m.name}`} onClick={() => deleteTemplate(m.name).then(load, (e) => setError(e as AppError))}>
          <IconTrash size={12} />
        </ActionIcon>
      ) : null}
    </Group>
  );

  return (
    <Stack gap="xs" data-testid="library-panel">
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <Text size="sm" fw={600}>Templates</Text>
      {library.templates.length === 0 ? <Text size="xs" c="dimmed">Save the form as a template to reuse it.</Text> : library.templates.map((t, i) => item(t, i, true))}
      <Group gap={4} wrap="nowrap">
        <TextInput size="xs" placeholder="Template name" value={name} onChange={(e) => setName(e.currentTarget.value)} style={{ flex: 1 }} data-testid="template-name" />
        <Button size="compact-xs" variant="default" disabled={!name.trim() || !current.topic} onClick={save} data-testid="template-save">
          Save
        </Button>
      </Group>
      <Text size="sm" fw={600} mt="xs">Sent {topic ? `to ${topic}` : ''}</Text>
      <ScrollArea.Autosize mah={360}>
        <Stack gap={6}>
          {library.history.length === 0 ? <Text size="xs" c="dimmed">Messages you send appear here.</Text> : library.history.map((m, i) => item(m, i, false))}
        </Stack>
      </ScrollArea.Autosize>
    </Stack>
  );
}
