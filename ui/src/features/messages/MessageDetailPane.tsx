/**
 * One message in full, shown as it was sent: JSON in its own key order and bytes (a pretty
 * view re-indents tokens, never re-serializes values; the raw view is the bytes as text),
 * binary as a hex dump or base64 as chosen, and sizes of key, value and headers apart.
 * Copy and "Edit and re-send" always start from the exact bytes.
 *
 * Any size opens without freezing the window: text and hex dumps are virtualized (a hex
 * dump decodes only the lines on screen), large JSON is re-indented in a worker, and
 * highlighting (CodeMirror, loaded on first use) is kept for values small enough to
 * highlight at once. Another rendering (a schema-decoded record) adds a case to `ValueView`.
 */
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Badge, Button, Drawer, Group, Loader, Progress, SegmentedControl, Stack, Table, Text, Tooltip } from '@mantine/core';
import { toAppError, type AppError } from '../../api/errors';
import { fetchDetail, fetchValueChunk, type DecodeAs, type Decoded, type MessageDetail } from '../../api/messages';
import { ErrorBanner } from '../../components/ErrorBanner';
import { LinesViewer, TextViewer } from '../../components/TextViewer';
import { formatBytes } from '../../lib/format';
import { prettyJsonText } from '../../lib/jsonText';
import { prettyJsonTextAsync } from '../../lib/jsonTextAsync';
import { SchemaNote } from '../schemas/SchemaNote';
import { base64ByteLength, base64Bytes, DECODE_CHOICES, HEX_LINE_BYTES, hexDumpLine } from './bytes';

const JsonEditor = lazy(() => import('./JsonEditor').then((m) => ({ default: m.JsonEditor })));

/** Values up to this size get syntax highlighting; above it, the plain virtual viewer. */
const HIGHLIGHT_LIMIT = 64 * 1024;
/** JSON up to this size is re-indented at once; above it, in slices between frames. */
const SYNC_PRETTY_LIMIT = 128 * 1024;
/** "Load full" streams the value in pieces of this many bytes, with progress and cancel. */
const CHUNK_BYTES = 1024 * 1024;

export interface MessageDetailPaneProps {
  sessionId: string;
  seq: number | null;
  onClose: () => void;
  /** Called with the message decoded `auto` and in full: the exact bytes to start from. */
  onResend: (detail: MessageDetail) => void;
}

/** What the backend is asked for: a hex dump is drawn here from base64 (smaller to carry). */
function askedAs(choice: DecodeAs): DecodeAs {
  return choice === 'hex' ? 'base64' : choice;
}

export function MessageDetailPane({ sessionId, seq, onClose, onResend }: MessageDetailPaneProps) {
  const [detail, setDetail] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [valueAs, setValueAs] = useState<DecodeAs>('auto');
  const [busy, setBusy] = useState(false);
  const [loaded, setLoaded] = useState<number | null>(null);
  const streaming = useRef<AbortController | null>(null);

  useEffect(() => {
    if (seq === null) return;
    let stale = false;
    setError(null);
    streaming.current?.abort();
    fetchDetail(sessionId, seq, 'auto', askedAs(valueAs), false).then(
      (d) => !stale && setDetail(d),
      (e) => !stale && setError(toAppError(e)),
    );
    return () => {
      stale = true;
    };
  }, [sessionId, seq, valueAs]);
  useEffect(() => () => streaming.current?.abort(), []);

  /** Streams the whole value in pieces (each a small answer), then shows it at once. */
  const loadFull = async (of: MessageDetail) => {
    const abort = new AbortController();
    streaming.current = abort;
    const how: DecodeAs = of.value.shown === 'base64' ? 'base64' : valueAs === 'text' ? 'text' : 'auto';
    const parts: string[] = [];
    setLoaded(0);
    try {
      for (let offset = 0, size = of.value.size; offset < size; ) {
        const piece = await fetchValueChunk(sessionId, of.seq, offset, CHUNK_BYTES, how);
        if (abort.signal.aborted) return;
        parts.push(piece.text);
        offset = piece.next;
        size = piece.size;
        setLoaded(offset);
      }
      setDetail((d) => (d && d.seq === of.seq ? { ...d, value: { ...d.value, text: parts.join(''), truncated: false } } : d));
    } catch (e) {
      if (!abort.signal.aborted) setError(toAppError(e));
    } finally {
      if (streaming.current === abort) {
        streaming.current = null;
        setLoaded(null);
      }
    }
  };

  /** The message decoded `auto` and whole: what copy and re-send use. */
  const exact = async (): Promise<MessageDetail> => {
    if (detail && valueAs === 'auto' && !detail.value.truncated && !detail.key.truncated) return detail;
    return fetchDetail(sessionId, detail?.seq ?? seq ?? 0, 'auto', 'auto', true);
  };
  const resend = async () => {
    setBusy(true);
    try {
      onResend(await exact());
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const current = detail && detail.seq === seq ? detail : null;
  const headerBytes = current ? Math.max(0, current.size - current.key.size - current.value.size) : 0;
  return (
    <Drawer opened={seq !== null} onClose={onClose} position="right" size="xl" title="Message" data-testid="message-detail">
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {current ? (
        <Stack gap="sm" data-testid="detail-body" data-seq={current.seq}>
          <Group gap="xs">
            <Badge variant="light">partition {current.partition}</Badge>
            <Badge variant="light" className="kd-mono">offset {current.offset}</Badge>
            <Text size="xs" c="dimmed" className="kd-mono">
              {current.timestamp >= 0 ? new Date(current.timestamp).toISOString() : 'no timestamp'} ({current.timestampType})
            </Text>
          </Group>
          <Text size="xs" c="dimmed" data-testid="detail-sizes">
            key {current.key.shown === 'null' ? 'null' : formatBytes(current.key.size)} · value{' '}
            {current.value.shown === 'null' ? 'null' : formatBytes(current.value.size)} · headers {formatBytes(headerBytes)} (
            {current.headers.length})
          </Text>
          <Text size="sm" fw={600}>Key</Text>
          <ValueView decoded={current.key} choice="auto" compact testid="detail-key" onCopyExact={async () => (await exact()).key.text} />
          <Group justify="space-between">
            <Text size="sm" fw={600}>Value</Text>
            <SegmentedControl
              size="xs"
              data={DECODE_CHOICES}
              value={valueAs}
              onChange={(v) => setValueAs(v as DecodeAs)}
              data-testid="detail-value-as"
            />
          </Group>
          <SchemaNote decoded={current.value} />
          {/* Above the value, so it stays put while a large preview is indented and drawn. */}
          {current.value.truncated && loaded === null ? (
            <Button size="xs" variant="light" onClick={() => void loadFull(current)} data-testid="detail-load-full">
              Showing the first 1 MiB of {formatBytes(current.value.size)}: load full
            </Button>
          ) : null}
          {loaded !== null ? (
            <Group gap="xs" wrap="nowrap" data-testid="detail-loading">
              <Progress value={(loaded / Math.max(1, current.value.size)) * 100} style={{ flex: 1 }} />
              <Text size="xs" c="dimmed">
                {formatBytes(loaded)} of {formatBytes(current.value.size)}
              </Text>
              <Button size="compact-xs" variant="subtle" onClick={() => streaming.current?.abort()}>
                Cancel
              </Button>
            </Group>
          ) : null}
          <ValueView decoded={current.value} choice={valueAs} testid="detail-value" onCopyExact={async () => (await exact()).value.text} />
          <Text size="sm" fw={600}>Headers</Text>
          {current.headers.length === 0 ? (
            <Text size="xs" c="dimmed">No headers.</Text>
          ) : (
            <Table withTableBorder fz="xs" data-testid="detail-headers">
              <Table.Tbody>
                {current.headers.map((h, i) => (
                  <Table.Tr key={i}>
                    <Table.Td className="kd-mono">{h.name}</Table.Td>
                    <Table.Td className="kd-mono" style={{ wordBreak: 'break-word' }}>
                      {h.value.shown === 'null' ? <Text span size="xs" c="dimmed">null</Text> : h.value.text}
                      {h.value.shown === 'base64' ? <Text span size="xs" c="dimmed"> (binary, as base64)</Text> : null}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => void resend()} loading={busy} data-testid="detail-resend">
              Edit and re-send…
            </Button>
          </Group>
        </Stack>
      ) : seq !== null && !error ? (
        <Loader size="sm" />
      ) : null}
    </Drawer>
  );
}

interface ValueViewProps {
  decoded: Decoded;
  /** The rendering the user chose (`auto` lets the bytes decide). */
  choice: DecodeAs;
  compact?: boolean;
  testid: string;
  /** The exact text of the whole value (fetched in full when this one is a preview). */
  onCopyExact: () => Promise<string>;
}

function ValueView({ decoded, choice, compact, testid, onCopyExact }: ValueViewProps) {
  const [layout, setLayout] = useState<'pretty' | 'raw'>('pretty');
  if (decoded.shown === 'null') {
    return <Text size="xs" c="dimmed" data-testid={testid} data-shown="null">null</Text>;
  }
  const height = compact ? 'auto' : 360;
  const isJson = decoded.shown === 'json';
  const binary = decoded.shown === 'base64' || decoded.shown === 'hex';
  const asHexDump = binary && choice !== 'base64';
  const label = isJson
    ? `JSON, ${layout === 'pretty' ? 'indented (keys and numbers as sent)' : 'raw bytes as sent'}`
    : decoded.shown === 'text'
      ? choice === 'text'
        ? 'text (bytes that are not UTF-8 as \\xNN)'
        : 'UTF-8 text'
      : asHexDump
        ? 'binary, as a hex dump'
        : 'binary, as base64';
  return (
    <Stack gap={4} data-testid={`${testid}-box`}>
      {isJson ? (
        <JsonView text={decoded.text} layout={layout} compact={compact} testid={testid} />
      ) : asHexDump ? (
        <HexDumpView base64={decoded.text} testid={testid} height={compact ? 120 : 360} />
      ) : compact && decoded.text.length < 2000 ? (
        <Text size="xs" className="kd-mono" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid={testid} data-shown={decoded.shown}>
          {decoded.text}
        </Text>
      ) : (
        <TextViewer text={decoded.text} height={height === 'auto' ? 160 : height} data-testid={testid} />
      )}
      <Group gap="xs">
        {isJson ? (
          <SegmentedControl
            size="xs"
            value={layout}
            onChange={(v) => setLayout(v as 'pretty' | 'raw')}
            data={[
              { value: 'pretty', label: 'Pretty' },
              { value: 'raw', label: 'Raw' },
            ]}
            data-testid={`${testid}-layout`}
          />
        ) : null}
        <CopyExact what={binary ? 'Copy as base64' : 'Copy exact'} load={onCopyExact} testid={`${testid}-copy`} />
        {isJson && layout === 'pretty' ? <CopyExact what="Copy indented" load={async () => prettyJsonText(await onCopyExact())} testid={`${testid}-copy-pretty`} /> : null}
        <Text size="xs" c="dimmed" data-testid={`${testid}-rendering`}>
          {label}
          {decoded.truncated ? ` · a preview of ${formatBytes(decoded.size)}` : ''}
        </Text>
      </Group>
    </Stack>
  );
}

function CopyExact({ what, load, testid }: { what: string; load: () => Promise<string>; testid: string }) {
  const [state, setState] = useState<'idle' | 'copying' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    setState('copying');
    try {
      await navigator.clipboard.writeText(await load());
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <Tooltip label="Could not copy: the clipboard refused" opened={state === 'failed'}>
      <Button size="compact-xs" variant="subtle" onClick={() => void copy()} loading={state === 'copying'} data-testid={testid}>
        {state === 'copied' ? 'Copied' : what}
      </Button>
    </Tooltip>
  );
}

/** JSON pretty (token re-indent, in slices when large) or raw; highlighted when small. */
function JsonView({ text, layout, compact, testid }: { text: string; layout: 'pretty' | 'raw'; compact?: boolean; testid: string }) {
  const small = text.length <= SYNC_PRETTY_LIMIT;
  const syncPretty = useMemo(() => (small && layout === 'pretty' ? prettyJsonText(text) : null), [small, layout, text]);
  const [asyncPretty, setAsyncPretty] = useState<{ of: string; text: string } | null>(null);
  useEffect(() => {
    if (small || layout !== 'pretty') return;
    const abort = new AbortController();
    void prettyJsonTextAsync(text, abort.signal).then((t) => t !== null && setAsyncPretty({ of: text, text: t }));
    return () => abort.abort();
  }, [small, layout, text]);
  const shown = layout === 'raw' ? text : (syncPretty ?? (asyncPretty?.of === text ? asyncPretty.text : null));
  if (shown === null) {
    return (
      <Group gap="xs" data-testid={`${testid}-indenting`}>
        <Loader size="xs" />
        <Text size="xs" c="dimmed">Indenting {formatBytes(text.length)} of JSON…</Text>
      </Group>
    );
  }
  if (shown.length <= HIGHLIGHT_LIMIT) {
    return (
      <Suspense fallback={<TextViewer text={shown} height={compact ? 160 : 360} data-testid={testid} />}>
        <JsonEditor value={shown} json readOnly height={compact ? 'auto' : '360px'} data-testid={testid} />
      </Suspense>
    );
  }
  return <TextViewer text={shown} height={compact ? 160 : 360} data-testid={testid} />;
}

function HexDumpView({ base64, testid, height }: { base64: string; testid: string; height: number }) {
  const size = base64ByteLength(base64);
  return (
    <LinesViewer
      lineCount={Math.ceil(size / HEX_LINE_BYTES)}
      line={(i) => hexDumpLine(base64Bytes(base64, i * HEX_LINE_BYTES, Math.min(size, (i + 1) * HEX_LINE_BYTES)), i * HEX_LINE_BYTES)}
      height={height}
      data-testid={testid}
    />
  );
}
