/** The Messages tab: browse (default), produce one, or produce a file. */
import { useCallback, useEffect, useState } from 'react';
import { SegmentedControl, Stack } from '@mantine/core';
import type { AppError } from '../../api/errors';
import { topicChoices, type Decoded, type InputFormat, type MessageDetail, type TopicChoice } from '../../api/messages';
import { listTopics } from '../../api/topics';
import { ErrorBanner } from '../../components/ErrorBanner';
import { BrowserPanel } from './BrowserPanel';
import { BulkPanel } from './BulkPanel';
import { emptyDraft, ProducerPanel, type Draft } from './ProducerPanel';

type Mode = 'browse' | 'produce' | 'bulk';

/** Text stays text (JSON stays JSON); binary travels as base64. */
function asInput(d: Decoded): { text: string; format: InputFormat } {
  if (d.shown === 'json') return { text: d.text, format: 'json' };
  if (d.shown === 'base64') return { text: d.text, format: 'base64' };
  if (d.shown === 'hex') return { text: d.text, format: 'hex' };
  return { text: d.text, format: 'text' };
}

export function draftFrom(topic: string, detail: MessageDetail): Draft {
  const key = asInput(detail.key);
  const value = asInput(detail.value);
  return {
    ...emptyDraft(topic),
    key: key.text,
    keyFormat: key.format === 'json' ? 'text' : key.format,
    nullKey: detail.key.shown === 'null',
    value: value.text,
    valueFormat: value.format,
    tombstone: detail.value.shown === 'null',
    headers: detail.headers.map((h) => ({ name: h.name, value: h.value.text, format: h.value.shown === 'base64' ? 'base64' : 'text' })),
    // Decoded schema data goes back out with the schema it came with.
    valueSchema: detail.value.schema?.subject ? { subject: detail.value.schema.subject, version: detail.value.schema.version ?? undefined } : null,
    keySchema: detail.key.schema?.subject ? { subject: detail.key.schema.subject, version: detail.key.schema.version ?? undefined } : null,
  };
}

export function MessagesView({ profileId }: { profileId: string }) {
  const [mode, setMode] = useState<Mode>('browse');
  const [topics, setTopics] = useState<TopicChoice[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [draft, setDraft] = useState<Draft>(emptyDraft());

  const load = useCallback(() => {
    listTopics(profileId).then((list) => setTopics(topicChoices(list)), (e) => setError(e as AppError));
  }, [profileId]);
  useEffect(load, [load]);

  const resend = (detail: MessageDetail, topic: string) => {
    setDraft(draftFrom(topic, detail));
    setMode('produce');
  };

  return (
    <Stack gap="sm" data-testid="messages-view">
      <SegmentedControl
        w={360}
        value={mode}
        onChange={(v) => {
          setMode(v as Mode);
          load();
        }}
        data={[
          { value: 'browse', label: <span data-testid="messages-mode-browse">Browse</span> },
          { value: 'produce', label: <span data-testid="messages-mode-produce">Produce</span> },
          { value: 'bulk', label: <span data-testid="messages-mode-bulk">From file</span> },
        ]}
        data-testid="messages-mode"
      />
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {/* Kept mounted so a browse session survives a trip to the producer. */}
      <div style={{ display: mode === 'browse' ? undefined : 'none' }}>
        <BrowserPanel profileId={profileId} topics={topics} onRefreshTopics={load} onResend={resend} />
      </div>
      {mode === 'produce' ? <ProducerPanel profileId={profileId} topics={topics} onRefreshTopics={load} draft={draft} onDraft={setDraft} /> : null}
      {mode === 'bulk' ? <BulkPanel profileId={profileId} topics={topics} onRefreshTopics={load} /> : null}
    </Stack>
  );
}
