/**
 * Produce one message (or N copies): topic, partition (automatic shows where the key
 * hashes to), key, value in text / JSON / base64 / hex, headers, null key, tombstone.
 */
import { lazy, Suspense, useEffect, useState } from 'react';
import {
  ActionIcon,
  Button,
  Checkbox,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { keyPartition, produce, type InputFormat, type ProduceRequest, type SendReport, type TopicChoice } from '../../api/messages';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount } from '../../lib/format';
import { jsonErrorAt, prettyJsonText } from '../../lib/jsonText';
import { JobProgressBar } from './JobProgressBar';
import { TextEditorFallback } from './TextEditorFallback';
import { LibraryPanel } from './LibraryPanel';
import type { SchemaChoice } from '../../api/registry';
import { SchemaPicker, useSubjects } from '../schemas/SchemaPicker';
import { useJob } from './useJob';
import { TopicSelect } from './TopicSelect';

// CodeMirror loads the first time an editor shows.
const JsonEditor = lazy(() => import('./JsonEditor').then((m) => ({ default: m.JsonEditor })));

export interface Draft {
  topic: string;
  partition: string; // 'auto' or a number
  key: string;
  keyFormat: InputFormat;
  nullKey: boolean;
  value: string;
  valueFormat: InputFormat;
  tombstone: boolean;
  headers: { name: string; value: string; format: InputFormat }[];
  count: number;
  /** Registered schemas the key / value (typed as JSON) are encoded with. */
  keySchema?: SchemaChoice | null;
  valueSchema?: SchemaChoice | null;
}

/** The request the form stands for. */
export function requestOf(draft: Draft): ProduceRequest {
  return {
    topic: draft.topic,
    partition: draft.partition === 'auto' ? undefined : Number(draft.partition),
    key: draft.nullKey ? undefined : draft.key,
    keyFormat: draft.keyFormat,
    value: draft.tombstone ? undefined : draft.value,
    valueFormat: draft.valueFormat,
    headers: draft.headers.map((h) => ({ name: h.name, value: h.value, format: h.format })),
    count: draft.count,
    keySchema: draft.keySchema ?? undefined,
    valueSchema: draft.valueSchema ?? undefined,
  };
}

/** The form for a saved request (history, templates). */
export function draftOf(request: ProduceRequest): Draft {
  return {
    topic: request.topic,
    partition: request.partition === undefined || request.partition === null ? 'auto' : String(request.partition),
    key: request.key ?? '',
    keyFormat: request.keyFormat,
    nullKey: request.key === undefined || request.key === null,
    value: request.value ?? '',
    valueFormat: request.valueFormat,
    tombstone: request.value === undefined || request.value === null,
    headers: request.headers.map((h) => ({ name: h.name, value: h.value ?? '', format: h.format ?? 'text' })),
    count: request.count ?? 1,
    keySchema: request.keySchema ?? null,
    valueSchema: request.valueSchema ?? null,
  };
}

export const emptyDraft = (topic = ''): Draft => ({
  topic,
  partition: 'auto',
  key: '',
  keyFormat: 'text',
  nullKey: false,
  value: '',
  valueFormat: 'json',
  tombstone: false,
  headers: [],
  count: 1,
});

const FORMATS: { value: InputFormat; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'base64', label: 'Base64' },
  { value: 'hex', label: 'Hex' },
];

export interface ProducerPanelProps {
  profileId: string;
  topics: TopicChoice[];
  /** Reloads the topic list (when the topic picker opens). */
  onRefreshTopics?: () => void;
  draft: Draft;
  onDraft: (draft: Draft) => void;
}

export function ProducerPanel({ profileId, topics, onRefreshTopics, draft, onDraft }: ProducerPanelProps) {
  // A cancellable job: many copies take a while, and the backend stops on Cancel.
  const job = useJob();
  const { error, setError } = job;
  const [report, setReport] = useState<SendReport | null>(null);
  const subjects = useSubjects(profileId);
  const [hashed, setHashed] = useState<number | null>(null);
  const [sent, setSent] = useState(0);
  const set = (patch: Partial<Draft>) => onDraft({ ...draft, ...patch });
  const topic = topics.find((t) => t.name === draft.topic);
  const jsonProblem = draft.valueFormat === 'json' && !draft.tombstone && draft.value ? jsonErrorAt(draft.value) : null;

  // Where the key goes when the partition is automatic (murmur2, as Java clients do).
  useEffect(() => {
    setHashed(null);
    if (!draft.topic || draft.nullKey || !draft.key || draft.partition !== 'auto') return;
    const timer = setTimeout(() => {
      keyPartition(profileId, draft.topic, draft.key, draft.keyFormat).then(setHashed, () => setHashed(null));
    }, 250);
    return () => clearTimeout(timer);
  }, [profileId, draft.topic, draft.key, draft.keyFormat, draft.nullKey, draft.partition]);

  const send = async () => {
    setReport(null);
    const result = await job.run((jobId, onProgress) =>
      produce(profileId, jobId, requestOf(draft), (p) => onProgress({ done: p.sent + p.failed, total: p.total })),
    );
    if (result) {
      setReport(result);
      setSent((n) => n + 1);
    }
  };

  const first = report?.deliveries[0];
  return (
    <Group align="flex-start" wrap="nowrap" gap="lg">
    <Stack gap="sm" data-testid="producer-panel" style={{ flex: 1, minWidth: 0 }}>
      <Group grow align="flex-end">
        <TopicSelect
          label="Topic"
          placeholder="Choose a topic"
          topics={topics}
          value={draft.topic || null}
          onChange={(v) => set({ topic: v ?? '', partition: 'auto' })}
          data-testid="produce-topic"
          onDropdownOpen={onRefreshTopics}
        />
        <Select
          label="Partition"
          data={[
            { value: 'auto', label: 'Automatic (by key)' },
            ...Array.from({ length: topic?.partitions ?? 0 }, (_, i) => ({ value: String(i), label: `Partition ${i}` })),
          ]}
          value={draft.partition}
          onChange={(v) => set({ partition: v ?? 'auto' })}
          allowDeselect={false}
          data-testid="produce-partition"
        />
        <NumberInput
          label="Copies"
          min={1}
          max={1_000_000}
          value={draft.count}
          onChange={(v) => set({ count: Math.max(1, Number(v) || 1) })}
          data-testid="produce-count"
        />
      </Group>

      <Group align="flex-end" wrap="nowrap">
        <TextInput
          style={{ flex: 1 }}
          label="Key"
          placeholder={draft.nullKey ? 'null' : 'order-42'}
          disabled={draft.nullKey}
          value={draft.key}
          onChange={(e) => set({ key: e.currentTarget.value })}
          error={error?.detail === 'key' ? error.message : undefined}
          description={hashed !== null ? `This key goes to partition ${hashed}.` : undefined}
          data-testid="produce-key"
          className="kd-mono"
        />
        <SegmentedControl size="xs" data={FORMATS.filter((f) => f.value !== 'json')} value={draft.keyFormat === 'json' ? 'text' : draft.keyFormat} onChange={(v) => set({ keyFormat: v as InputFormat })} />
        <Checkbox label="Null key" checked={draft.nullKey} onChange={(e) => set({ nullKey: e.currentTarget.checked })} mb={8} data-testid="produce-null-key" />
      </Group>

      {subjects.length > 0 ? (
        <Group gap="md">
          <SchemaPicker subjects={subjects} label="Key schema" value={draft.keySchema} suggested={`${draft.topic}-key`} onChange={(keySchema) => set({ keySchema })} testId="produce-key-schema" />
          <SchemaPicker subjects={subjects} label="Value schema" value={draft.valueSchema} suggested={`${draft.topic}-value`} onChange={(valueSchema) => set({ valueSchema, valueFormat: valueSchema ? 'json' : draft.valueFormat })} testId="produce-value-schema" />
        </Group>
      ) : null}
      <Group justify="space-between">
        <Text size="sm" fw={500}>Value</Text>
        <Group gap="xs">
          <SegmentedControl size="xs" data={FORMATS} value={draft.valueFormat} onChange={(v) => set({ valueFormat: v as InputFormat })} data-testid="produce-value-format" />
          {draft.valueFormat === 'json' ? (
            <Button size="compact-xs" variant="subtle" disabled={!!jsonProblem || !draft.value} onClick={() => set({ value: prettyJsonText(draft.value) })}>
              Format
            </Button>
          ) : null}
          <Checkbox label="Null value (tombstone)" checked={draft.tombstone} onChange={(e) => set({ tombstone: e.currentTarget.checked })} data-testid="produce-tombstone" />
        </Group>
      </Group>
      {draft.tombstone ? (
        <Text size="sm" c="dimmed">A tombstone has no value; on a compacted topic it deletes the key.</Text>
      ) : (
        <Suspense fallback={<TextEditorFallback />}>
          <JsonEditor value={draft.value} onChange={(value) => set({ value })} json={draft.valueFormat === 'json'} data-testid="produce-value" />
        </Suspense>
      )}
      {jsonProblem ? <Text size="xs" c="red" data-testid="produce-json-problem">{jsonProblem}</Text> : null}

      <Stack gap={4}>
        <Group justify="space-between">
          <Text size="sm" fw={500}>Headers</Text>
          <Button
            size="compact-xs"
            variant="subtle"
            leftSection={<IconPlus size={12} />}
            onClick={() => set({ headers: [...draft.headers, { name: '', value: '', format: 'text' }] })}
            data-testid="produce-add-header"
          >
            Add header
          </Button>
        </Group>
        {draft.headers.map((h, i) => (
          <Group key={i} gap="xs" wrap="nowrap">
            <TextInput
              placeholder="name"
              value={h.name}
              onChange={(e) => set({ headers: draft.headers.map((x, j) => (j === i ? { ...x, name: e.currentTarget.value } : x)) })}
              data-testid={`produce-header-name-${i}`}
              style={{ flex: 1 }}
            />
            <TextInput
              placeholder="value"
              value={h.value}
              onChange={(e) => set({ headers: draft.headers.map((x, j) => (j === i ? { ...x, value: e.currentTarget.value } : x)) })}
              data-testid={`produce-header-value-${i}`}
              style={{ flex: 2 }}
              className="kd-mono"
            />
            <SegmentedControl
              size="xs"
              data={[{ value: 'text', label: 'Text' }, { value: 'base64', label: 'Base64' }]}
              value={h.format}
              onChange={(v) => set({ headers: draft.headers.map((x, j) => (j === i ? { ...x, format: v as InputFormat } : x)) })}
            />
            <ActionIcon variant="subtle" color="gray" aria-label="Remove header" onClick={() => set({ headers: draft.headers.filter((_, j) => j !== i) })}>
              <IconTrash size={14} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>

      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {job.running && draft.count > 1 ? <JobProgressBar label="Sent" progress={job.progress} onCancel={job.cancel} /> : null}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">Idempotent producer, acks=all.{draft.valueSchema || draft.keySchema ? ' Typed JSON is checked against the schema and sent in the Confluent wire format.' : ''}</Text>
        <Button
          leftSection={<IconSend size={14} />}
          onClick={send}
          loading={job.running}
          disabled={!draft.topic}
          data-testid="produce-send"
        >
          {draft.count > 1 ? `Send ${formatCount(draft.count)} copies` : 'Send'}
        </Button>
      </Group>
      {report && first ? (
        <Paper withBorder p="sm" data-testid="produce-result">
          <Text size="sm">
            {report.sent > 1 ? `Sent ${formatCount(report.sent)} messages; the first to ` : 'Sent to '}
            partition <b>{first.partition}</b> at offset <b className="kd-mono">{first.offset}</b>,{' '}
            {new Date(first.timestamp).toISOString()}
            {report.failed > 0 ? `; ${formatCount(report.failed)} failed: ${report.errors[0]?.message ?? ''}` : '.'}
          </Text>
        </Paper>
      ) : null}
    </Stack>
      <Paper withBorder p="sm" w={280} style={{ flexShrink: 0 }}>
        <LibraryPanel topic={draft.topic} current={requestOf(draft)} version={sent} onPick={(r) => onDraft(draftOf(r))} />
      </Paper>
    </Group>
  );
}
