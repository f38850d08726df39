/**
 * The message browser: start a session (where to start, when to stop, which partitions),
 * filter what is loaded or search the whole topic, read rows through the virtual table,
 * open one in the detail pane, export or copy what is shown.
 */
import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  MultiSelect,
  NumberInput,
  Paper,
  Progress,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { pickFile } from '../../api/files';
import { IconDownload, IconPlayerPlay, IconPlayerStop, IconSearch } from '@tabler/icons-react';
import {
  applyFilter,
  copyMessages,
  exportMessages,
  type BrowseRequest,
  type DecodeAs,
  type Filter,
  type MessageDetail,
  type SendReport,
  type SessionStatus,
  type TopicChoice,
} from '../../api/messages';
import type { StartAt } from '../../api/generated/StartAt';
import type { StopAt } from '../../api/generated/StopAt';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatBytes, formatCount } from '../../lib/format';
import { DECODE_CHOICES } from './bytes';
import { JobProgressBar } from './JobProgressBar';
import { MessageDetailPane } from './MessageDetailPane';
import { TopicSelect } from './TopicSelect';
import { MessageTable } from './MessageTable';
import { useBrowseSession } from './useBrowseSession';
import { useJob } from './useJob';
import { LocalProtoModal } from '../schemas/LocalProtoModal';

type StartKind = StartAt['kind'];
/** One object for every render, so the memoized topic select is not redrawn for a new style. */
const TOPIC_STYLE = { flex: 1, minWidth: 140 };
type StopKind = StopAt['kind'];

export interface BrowserPanelProps {
  profileId: string;
  topics: TopicChoice[];
  /** Reloads the topic list (when a topic picker opens). */
  onRefreshTopics?: () => void;
  /** Re-send a message; `topic` is the one it was read from. */
  onResend: (detail: MessageDetail, topic: string) => void;
}

export function BrowserPanel({ profileId, topics, onRefreshTopics, onResend }: BrowserPanelProps) {
  const session = useBrowseSession(profileId);
  const [topic, setTopic] = useState<string | null>(null);
  const [startKind, setStartKind] = useState<StartKind>('lastPerPartition');
  const [startValue, setStartValue] = useState<string>('100');
  const [stopKind, setStopKind] = useState<StopKind>('now');
  const [stopCount, setStopCount] = useState(1000);
  const [partitions, setPartitions] = useState<string[]>([]);
  const [valueAs, setValueAs] = useState<DecodeAs>('auto');
  const [filter, setFilter] = useState<Filter>({});
  const [matches, setMatches] = useState<number | null>(null);
  const [copyOpen, setCopyOpen] = useState(false);
  const [protoOpen, setProtoOpen] = useState(false);
  const filterJob = useJob();
  const exportJob = useJob();
  const partitionCount = topics.find((t) => t.name === topic)?.partitions ?? 0;
  const status = session.status;

  const request = (withFilter?: Filter): BrowseRequest => {
    const n = Number(startValue) || 0;
    const start: StartAt =
      startKind === 'lastPerPartition'
        ? { kind: 'lastPerPartition', count: Math.max(1, n) }
        : startKind === 'offset'
          ? { kind: 'offset', offset: n }
          : startKind === 'timestamp'
            ? { kind: 'timestamp', timestamp: Date.parse(startValue) || 0 }
            : { kind: startKind };
    const stop: StopAt = stopKind === 'count' ? { kind: 'count', count: stopCount } : { kind: stopKind };
    return { topic: topic ?? '', start, stop, partitions: partitions.map(Number), filter: withFilter };
  };

  const runFilter = async () => {
    if (!status) return;
    const count = await filterJob.run((jobId, onProgress) => applyFilter(status.id, jobId, filter, onProgress));
    setMatches(count);
    await session.refresh();
  };
  const searchWholeTopic = async () => {
    setMatches(null);
    await session.start({ ...request(filter), start: { kind: 'earliest' }, stop: { kind: 'now' } });
  };
  const exportRows = async (format: 'jsonl' | 'csv') => {
    if (!status) return;
    const path = await pickFile('exportMessages', `${status.topic}.${format === 'jsonl' ? 'jsonl' : 'csv'}`);
    if (!path) return;
    await exportJob.run((jobId, onProgress) => exportMessages(status.id, jobId, path, format, onProgress));
  };

  const setF = (patch: Partial<Filter>) => setFilter({ ...filter, ...patch });
  const expected = status?.expected ?? null;
  return (
    <Stack gap="sm" data-testid="browser-panel">
      {topic ? <LocalProtoModal profileId={profileId} topic={topic} opened={protoOpen} onClose={() => setProtoOpen(false)} /> : null}
      <Paper withBorder p="sm">
        {/* Two rows that keep their shape from the minimum window (900 px) up: what to read
            and the button on top, where to start and stop below. */}
        <Stack gap="xs">
          <Group align="flex-end" gap="sm" wrap="nowrap">
            <TopicSelect label="Topic" placeholder="Choose a topic" allowDeselect={false} style={TOPIC_STYLE} topics={topics} value={topic} onChange={setTopic}
              data-testid="browse-topic" onDropdownOpen={onRefreshTopics} />
            <MultiSelect
              label="Partitions"
              placeholder={partitions.length ? undefined : 'All'}
              w={140}
              data={Array.from({ length: partitionCount }, (_, i) => String(i))}
              value={partitions}
              onChange={setPartitions}
              clearable
            />
            <Select label="Values as" w={116} allowDeselect={false} data={DECODE_CHOICES} value={valueAs} onChange={(v) => v && setValueAs(v as DecodeAs)} data-testid="browse-value-as" />
            {status?.state === 'Running' ? (
              <Button color="red" variant="light" leftSection={<IconPlayerStop size={14} />} onClick={session.stop} data-testid="browse-stop-button" style={{ flex: 'none' }}>
                Stop
              </Button>
            ) : (
              <Button
                leftSection={<IconPlayerPlay size={14} />}
                disabled={!topic}
                loading={session.starting}
                style={{ flex: 'none' }}
                onClick={() => {
                  setMatches(null);
                  void session.start(request());
                }}
                data-testid="browse-go"
              >
                Read
              </Button>
            )}
          </Group>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Start at"
              w={170}
              allowDeselect={false}
              data={[
                { value: 'earliest', label: 'Earliest' },
                { value: 'latest', label: 'Latest' },
                { value: 'lastPerPartition', label: 'Last N per partition' },
                { value: 'offset', label: 'Offset' },
                { value: 'timestamp', label: 'Time' },
              ]}
              value={startKind}
              onChange={(v) => v && setStartKind(v as StartKind)}
              data-testid="browse-start"
            />
            {startKind === 'lastPerPartition' || startKind === 'offset' || startKind === 'timestamp' ? (
              <TextInput
                label={startKind === 'timestamp' ? 'Time (ISO)' : startKind === 'offset' ? 'Offset' : 'N'}
                w={startKind === 'timestamp' ? 200 : 90}
                value={startValue}
                onChange={(e) => setStartValue(e.currentTarget.value)}
                placeholder={startKind === 'timestamp' ? '2026-01-31T12:00:00Z' : '100'}
              />
            ) : null}
            <Select
              label="Stop"
              w={150}
              allowDeselect={false}
              data={[
                { value: 'now', label: 'At now' },
                { value: 'count', label: 'After a count' },
                { value: 'follow', label: 'Follow (tail)' },
              ]}
              value={stopKind}
              onChange={(v) => v && setStopKind(v as StopKind)}
              data-testid="browse-stop"
            />
            {stopKind === 'count' ? <NumberInput label="Count" w={110} min={1} value={stopCount} onChange={(v) => setStopCount(Number(v) || 1)} /> : null}
            <Button variant="subtle" size="xs" disabled={!topic} onClick={() => setProtoOpen(true)} data-testid="browse-local-proto">Protobuf types…</Button>
          </Group>
        </Stack>
      </Paper>

      {session.error ? <ErrorBanner error={session.error} onClose={() => session.setError(null)} /> : null}

      {status ? (
        <>
          <Paper withBorder p="xs">
            {/* Contains-filters on one row; regex, pointer = value and the actions on the
                next, the buttons wrapping as one block when the window is narrow. */}
            <Stack gap="xs">
              <div style={{ display: 'grid', gridTemplateColumns: '2fr 1fr 1fr', gap: 8 }}>
                <TextInput label="Value contains" value={filter.valueContains ?? ''} onChange={(e) => setF({ valueContains: e.currentTarget.value || undefined })} data-testid="filter-value" />
                <TextInput label="Key contains" value={filter.keyContains ?? ''} onChange={(e) => setF({ keyContains: e.currentTarget.value || undefined })} data-testid="filter-key" />
                <TextInput label="Header contains" value={filter.headerContains ?? ''} onChange={(e) => setF({ headerContains: e.currentTarget.value || undefined })} />
              </div>
              <Group gap="sm" align="flex-end" wrap="wrap">
                <TextInput label="Regex (key or value)" style={{ flex: '1 1 150px' }} value={filter.regex ?? ''} onChange={(e) => setF({ regex: e.currentTarget.value || undefined })} error={filterJob.error?.detail === 'regex' ? true : undefined} />
                <Group gap={6} align="flex-end" wrap="nowrap" style={{ flex: '1 1 220px' }}>
                  <TextInput label="JSON pointer" style={{ flex: 1 }} placeholder="/order/id" value={filter.jsonPointer ?? ''} onChange={(e) => setF({ jsonPointer: e.currentTarget.value || undefined })} />
                  <Text size="sm" c="dimmed" pb={8}>=</Text>
                  <TextInput label="equals" style={{ flex: 1 }} placeholder="42" value={filter.jsonEquals ?? ''} onChange={(e) => setF({ jsonEquals: e.currentTarget.value || undefined })} />
                </Group>
                <Group gap="xs" wrap="nowrap" style={{ flex: 'none' }}>
                  <Button variant="light" leftSection={<IconSearch size={14} />} onClick={runFilter} loading={filterJob.running} data-testid="filter-apply">
                    Filter loaded
                  </Button>
                  <Button variant="default" onClick={searchWholeTopic} data-testid="filter-whole-topic">
                    Search whole topic
                  </Button>
                  <Button
                    variant="subtle"
                    onClick={() => {
                      setFilter({});
                      void filterJob.run((jobId, p) => applyFilter(status.id, jobId, {}, p)).then(() => {
                        setMatches(null);
                        return session.refresh();
                      });
                    }}
                  >
                    Clear
                  </Button>
                </Group>
              </Group>
            </Stack>
          </Paper>
          {filterJob.running ? <JobProgressBar label="Filtering" progress={filterJob.progress} onCancel={filterJob.cancel} /> : null}
          {filterJob.error && filterJob.error.kind !== 'Cancelled' ? <ErrorBanner error={filterJob.error} onClose={() => filterJob.setError(null)} /> : null}

          <Group justify="space-between" data-testid="browse-status" data-state={status.state}>
            <Text size="xs" c="dimmed">
              {status.state === 'Running' ? 'Reading' : status.state === 'Done' ? 'Read' : status.state}{' '}
              {formatCount(status.scanned)}
              {expected !== null ? ` of ${formatCount(expected)}` : ''} messages · {formatCount(status.stored)} kept ({formatBytes(status.storedBytes)})
              {status.filtered || matches !== null ? ` · ${formatCount(status.rows)} match` : ''}
            </Text>
            <Group gap="xs">
              <Button size="compact-xs" variant="default" leftSection={<IconDownload size={12} />} onClick={() => exportRows('jsonl')} disabled={exportJob.running}>
                Export JSONL
              </Button>
              <Button size="compact-xs" variant="default" onClick={() => exportRows('csv')} disabled={exportJob.running}>
                Export CSV
              </Button>
              <Button size="compact-xs" variant="default" onClick={() => setCopyOpen(true)}>
                Copy to topic…
              </Button>
            </Group>
          </Group>
          {status.state === 'Running' && expected ? <Progress value={(status.scanned / Math.max(1, expected)) * 100} size="xs" /> : null}
          {exportJob.running ? <JobProgressBar label="Exported" progress={exportJob.progress} onCancel={exportJob.cancel} /> : null}
          {exportJob.error ? <ErrorBanner error={exportJob.error} onClose={() => exportJob.setError(null)} /> : null}
          {status.notice ? (
            <Alert color="yellow" variant="light" p="xs" data-testid="browse-notice">
              <Text size="xs">{status.notice}</Text>
            </Alert>
          ) : null}
          {status.error ? <ErrorBanner error={status.error} /> : null}
          <MessagesAndDetail key={status.id} status={status} valueAs={valueAs} matches={matches} onResend={onResend} />
          <CopyModal opened={copyOpen} onClose={() => setCopyOpen(false)} profileId={profileId} sessionId={status.id} topics={topics} rows={status.rows} />
        </>
      ) : (
        <EmptyState
          icon={<IconPlayerPlay size={28} />}
          title="Choose a topic and press Read"
          description="Messages stay in KafkaDesk's backend; the table shows a screenful at a time, so millions are fine."
        />
      )}
    </Stack>
  );
}

interface MessagesAndDetailProps {
  status: SessionStatus;
  valueAs: DecodeAs;
  matches: number | null;
  onResend: (detail: MessageDetail, topic: string) => void;
}

/**
 * The table and the message drawer, with the chosen row: choosing one re-renders these,
 * not the toolbar and filter above (that was most of a drawer's opening time). Keyed by the
 * session, so a new read starts with nothing chosen.
 */
function MessagesAndDetail({ status, valueAs, matches, onResend }: MessagesAndDetailProps) {
  const [selected, setSelected] = useState<number | null>(null);
  return (
    <>
      {status.rows === 0 && status.state !== 'Running' ? (
        <EmptyState
          icon={<IconSearch size={28} />}
          title="No messages here"
          description={status.filtered ? 'Nothing matches the filter; clear it or search the whole topic.' : 'The topic has no messages in that range. Start earlier, or follow to wait for new ones.'}
        />
      ) : (
        <MessageTable
          sessionId={status.id}
          total={status.rows}
          version={`${status.rows}-${status.dropped}-${status.filtered}-${matches}`}
          valueAs={valueAs}
          selected={selected}
          onSelect={(row) => setSelected(row.seq)}
        />
      )}
      <MessageDetailPane
        sessionId={status.id}
        seq={selected}
        onClose={() => setSelected(null)}
        onResend={(detail) => {
          // The producer opens with the copy; the drawer would cover it.
          setSelected(null);
          onResend(detail, status.topic);
        }}
      />
    </>
  );
}

interface CopyModalProps {
  opened: boolean;
  onClose: () => void;
  profileId: string;
  sessionId: string;
  topics: TopicChoice[];
  rows: number;
}

function CopyModal({ opened, onClose, profileId, sessionId, topics, rows }: CopyModalProps) {
  const [target, setTarget] = useState<string | null>(null);
  const [keep, setKeep] = useState(false);
  const [report, setReport] = useState<SendReport | null>(null);
  const job = useJob();
  const copy = async () => {
    setReport(null);
    const r = await job.run((jobId, p) =>
      copyMessages(profileId, sessionId, jobId, target ?? '', keep, (s) => p({ done: s.sent + s.failed, total: s.total })),
    );
    if (r) setReport(r);
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Copy ${formatCount(rows)} shown messages to a topic`}>
      <Stack gap="sm">
        <TopicSelect label="Target topic" topics={topics} value={target} onChange={setTarget} />
        <Checkbox label="Keep each message's partition" checked={keep} onChange={(e) => setKeep(e.currentTarget.checked)} />
        {job.error ? <ErrorBanner error={job.error} /> : null}
        {job.running ? <JobProgressBar label="Copied" progress={job.progress} onCancel={job.cancel} /> : null}
        {report ? (
          <Text size="sm">
            Copied {formatCount(report.sent)}, {formatCount(report.failed)} failed{report.cancelled ? ' (cancelled)' : ''}.
          </Text>
        ) : null}
        <Group justify="flex-end">
          <Button onClick={copy} disabled={!target || job.running}>
            Copy
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
