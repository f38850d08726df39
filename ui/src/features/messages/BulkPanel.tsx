/**
 * Bulk produce from a file: JSONL (`{key?, value, headers?, partition?}` per line) or
 * plain lines. The backend checks every line first and sends nothing if one is bad.
 */
import { useState } from 'react';
import { Alert, Button, Group, List, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { IconFileUpload } from '@tabler/icons-react';
import { pickFile } from '../../api/files';
import { produceFile, type SendReport, type TopicChoice } from '../../api/messages';
import type { FileFormat } from '../../api/generated/FileFormat';
import type { AppError } from '../../api/errors';
import { ErrorBanner } from '../../components/ErrorBanner';
import { formatCount, formatDuration } from '../../lib/format';
import { JobProgressBar } from './JobProgressBar';
import type { SchemaChoice } from '../../api/registry';
import { SchemaPicker, useSubjects } from '../schemas/SchemaPicker';
import { useJob } from './useJob';
import { TopicSelect } from './TopicSelect';

export function BulkPanel({ profileId, topics, onRefreshTopics }: { profileId: string; topics: TopicChoice[]; onRefreshTopics?: () => void }) {
  const [topic, setTopic] = useState<string | null>(null);
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<FileFormat>('jsonl');
  const subjects = useSubjects(profileId);
  const [report, setReport] = useState<SendReport | null>(null);
  const [valueSchema, setValueSchema] = useState<SchemaChoice | null>(null);
  const job = useJob();

  const choose = async () => {
    try {
      const chosen = await pickFile('produceMessages');
      if (chosen) setPath(chosen);
    } catch (e) {
      job.setError(e as AppError);
    }
  };
  const send = async () => {
    setReport(null);
    const result = await job.run((jobId, onProgress) =>
      produceFile(profileId, jobId, { topic: topic ?? '', path, format }, (p) => onProgress({ done: p.sent + p.failed, total: p.total, estimated: p.totalEstimated }), null, valueSchema),
    );
    if (result) setReport(result);
  };

  return (
    <Stack gap="sm" data-testid="bulk-panel">
      <Group grow align="flex-end">
        <TopicSelect label="Topic" placeholder="Choose a topic" topics={topics} value={topic} onChange={setTopic} data-testid="bulk-topic"
          onDropdownOpen={onRefreshTopics} />
        <SegmentedControl
          data={[{ value: 'jsonl', label: 'JSONL' }, { value: 'lines', label: 'Plain lines' }]}
          value={format}
          onChange={(v) => setFormat(v as FileFormat)}
        />
      </Group>
      {format === 'jsonl' ? (
        <SchemaPicker subjects={subjects} label="Value schema" value={valueSchema} suggested={topic ? `${topic}-value` : undefined} onChange={setValueSchema} testId="bulk-value-schema" />
      ) : null}
      <Group align="flex-end" wrap="nowrap">
        <TextInput style={{ flex: 1 }} label="File" value={path} readOnly placeholder="Choose a file of messages" className="kd-mono" data-testid="bulk-path" />
        <Button variant="default" leftSection={<IconFileUpload size={14} />} onClick={choose}>
          Choose…
        </Button>
      </Group>
      <Text size="xs" c="dimmed">
        JSONL: one object per line, {'{"key": "k", "value": {...}, "headers": {"h": "v"}, "partition": 0}'}; "value": null is a tombstone;
        "keyFormat"/"valueFormat": "base64" or "hex" for binary. Every line is checked before anything is sent.
      </Text>
      {job.error ? <ErrorBanner error={job.error} onClose={() => job.setError(null)} /> : null}
      {job.running ? (
        <JobProgressBar label="Sent" progress={job.progress} onCancel={job.cancel} />
      ) : (
        <Group justify="flex-end">
          <Button onClick={send} disabled={!topic || !path} data-testid="bulk-send">
            Send file
          </Button>
        </Group>
      )}
      {report ? (
        <Alert color={report.failed > 0 ? 'orange' : 'green'} data-testid="bulk-report" title={report.cancelled ? 'Cancelled' : 'Done'}>
          <Text size="sm">
            Sent {formatCount(report.sent)} of {report.totalEstimated ? 'about ' : ''}{formatCount(report.total)}, {formatCount(report.failed)} failed, in {formatDuration(report.elapsedMs)}.
          </Text>
          {report.errors.length > 0 ? (
            <List size="xs" mt="xs">
              {report.errors.map((e) => (
                <List.Item key={`${e.line}-${e.message}`}>
                  Line {e.line}: {e.message}
                </List.Item>
              ))}
            </List>
          ) : null}
        </Alert>
      ) : null}
    </Stack>
  );
}
