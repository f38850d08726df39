import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MessageDetail, MessageRow } from '../../api/messages';
import { installBackend } from '../../test/backend';
import { renderWithProviders } from '../../test/render';
import { MessageDetailPane } from './MessageDetailPane';
import { draftFrom } from './MessagesView';
import { MessageTable } from './MessageTable';
import { emptyDraft, ProducerPanel } from './ProducerPanel';

// CodeMirror measures text ranges; jsdom has no layout, so they measure as nothing.
Range.prototype.getClientRects = () => ({ length: 0, item: () => null, [Symbol.iterator]: [][Symbol.iterator] }) as unknown as DOMRectList;
Range.prototype.getBoundingClientRect = () => ({ x: 0, y: 0, width: 0, height: 0, top: 0, left: 0, right: 0, bottom: 0 }) as DOMRect;

const EMPTY_LIBRARY = { history: [], templates: [] };
const TOPICS = [{ name: 'orders', partitions: 3 }];

function row(i: number): MessageRow {
  return {
    seq: i,
    partition: i % 3,
    offset: i,
    timestamp: 1_700_000_000_000 + i,
    timestampType: 'CreateTime',
    key: { shown: 'text', text: `k${i}`, size: 2, truncated: false },
    value: { shown: 'json', text: `{"id":${i}}`, size: 8, truncated: false },
    headerCount: 0,
    size: 10,
  };
}

// CodeMirror makes these renders slow in jsdom when the whole suite runs in parallel.
vi.setConfig({ testTimeout: 20_000 });

describe('producer panel', () => {
  it('sends the draft as one request and shows where it landed', async () => {
    const backend = installBackend({
      messages_library: () => EMPTY_LIBRARY,
      messages_key_partition: () => 2,
      messages_produce: () => ({
        total: 1,
        sent: 1,
        failed: 0,
        cancelled: false,
        errors: [],
        deliveries: [{ partition: 2, offset: 41, timestamp: 1_700_000_000_000 }],
        elapsedMs: 3,
      }),
    });
    const draft = {
      ...emptyDraft('orders'),
      key: 'order-7',
      value: '{"id": 7}',
      headers: [{ name: 'trace', value: 'abc', format: 'text' as const }],
    };
    const { user } = renderWithProviders(<ProducerPanel profileId="p1" topics={TOPICS} draft={draft} onDraft={vi.fn()} />);
    // The key's partition under murmur2 is shown while the partition is automatic.
    expect(await screen.findByText('This key goes to partition 2.', {}, { timeout: 10_000 })).toBeInTheDocument();
    await user.click(screen.getByTestId('produce-send'));
    const result = await screen.findByTestId('produce-result');
    expect(result).toHaveTextContent('Sent to partition 2 at offset 41');
    expect(backend.callsTo('messages_produce')[0].args).toEqual({
      profileId: 'p1',
      // A job the Cancel button can stop, with progress over a channel.
      jobId: expect.any(String),
      onProgress: expect.anything(),
      request: {
        topic: 'orders',
        partition: undefined,
        key: 'order-7',
        keyFormat: 'text',
        value: '{"id": 7}',
        valueFormat: 'json',
        headers: [{ name: 'trace', value: 'abc', format: 'text' }],
        count: 1,
      },
    });
  });

  it('flags invalid JSON at once and shows the line and column from the backend on send', async () => {
    installBackend({
      messages_library: () => EMPTY_LIBRARY,
      messages_produce: () => {
        throw { kind: 'InvalidInput', message: 'The value is not valid JSON: expected value at line 2, column 7.', detail: 'value' };
      },
    });
    const { user } = renderWithProviders(
      <ProducerPanel profileId="p1" topics={TOPICS} draft={{ ...emptyDraft('orders'), value: '{\n "a": }' }} onDraft={vi.fn()} />,
    );
    expect(screen.getByTestId('produce-json-problem')).toHaveTextContent(/not valid JSON/);
    await user.click(screen.getByTestId('produce-send'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent('at line 2, column 7');
  });

  it('sends a tombstone with a null key as absent fields', async () => {
    const backend = installBackend({
      messages_library: () => EMPTY_LIBRARY,
      messages_produce: () => ({ total: 1, sent: 1, failed: 0, cancelled: false, errors: [], deliveries: [{ partition: 0, offset: 1, timestamp: 0 }], elapsedMs: 1 }),
    });
    const { user } = renderWithProviders(
      <ProducerPanel profileId="p1" topics={TOPICS} draft={{ ...emptyDraft('orders'), nullKey: true, tombstone: true, partition: '1' }} onDraft={vi.fn()} />,
    );
    await user.click(screen.getByTestId('produce-send'));
    await waitFor(() => expect(backend.callsTo('messages_produce')).toHaveLength(1));
    const request = backend.callsTo('messages_produce')[0].args.request as Record<string, unknown>;
    expect([request.key, request.value, request.partition]).toEqual([undefined, undefined, 1]);
  });

  it('loads a sent message from the history into the form with one click, and saves templates', async () => {
    const sentBefore = { topic: 'orders', key: 'k', keyFormat: 'text', value: '{"a":1}', valueFormat: 'json', headers: [], count: 1 };
    const backend = installBackend({
      messages_library: () => ({ history: [{ name: '', savedAt: 1_700_000_000_000, request: sentBefore }], templates: [] }),
      messages_key_partition: () => 0,
      messages_template_save: () => EMPTY_LIBRARY,
    });
    const onDraft = vi.fn();
    const { user } = renderWithProviders(<ProducerPanel profileId="p1" topics={TOPICS} draft={emptyDraft('orders')} onDraft={onDraft} />);
    await user.click(await screen.findByText('{"a":1}'));
    expect(onDraft).toHaveBeenCalledWith(expect.objectContaining({ topic: 'orders', key: 'k', value: '{"a":1}', valueFormat: 'json', nullKey: false, tombstone: false }));
    await user.type(screen.getByTestId('template-name'), 'order event');
    await user.click(screen.getByTestId('template-save'));
    await waitFor(() => expect(backend.callsTo('messages_template_save')[0]?.args.name).toBe('order event'));
  });
});

describe('message table', () => {
  it('asks the backend only for the rows on screen', async () => {
    const rect = vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockReturnValue({ height: 300, width: 800 } as DOMRect);
    // jsdom has no layout: give the scroll box a height so the virtualizer shows rows.
    Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, value: 300 });
    const backend = installBackend({
      messages_window: (args) => {
        const start = args.start as number;
        const count = args.count as number;
        return { total: 1_000_000, start, rows: Array.from({ length: count }, (_, i) => row(start + i)) };
      },
    });
    const onSelect = vi.fn();
    renderWithProviders(<MessageTable sessionId="s1" total={1_000_000} version="1" valueAs="auto" selected={null} onSelect={onSelect} />);
    const rows = await screen.findAllByTestId('message-row');
    expect(rows.length).toBeGreaterThan(0);
    const asked = backend.callsTo('messages_window').at(-1)!.args;
    expect(asked.start).toBe(0);
    expect(asked.count as number).toBeLessThan(100);
    expect(within(rows[0]).getByText('{"id":0}')).toBeInTheDocument();
    fireEvent.click(rows[1]);
    expect(onSelect).toHaveBeenCalledWith(expect.objectContaining({ seq: 1 }));
    rect.mockRestore();
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  });
});

const DETAIL: MessageDetail = {
  seq: 5,
  partition: 1,
  offset: 5,
  timestamp: 1_700_000_000_000,
  timestampType: 'CreateTime',
  key: { shown: 'base64', text: '3q2+7w==', size: 4, truncated: false },
  value: { shown: 'json', text: '{\n  "id": 5\n}', size: 8, truncated: true },
  headers: [{ name: 'trace', value: { shown: 'text', text: 'abc', size: 3, truncated: false } }],
  size: 15,
};

describe('message detail', () => {
  it('shows a hex dump for a binary key, JSON, headers, and offers to load a cut value in full', async () => {
    const whole = '{"id":5,"rest":"' + 'x'.repeat(30) + '"}';
    const backend = installBackend({
      messages_detail: () => DETAIL,
      messages_value_chunk: (args) => {
        const offset = args.offset as number;
        const next = Math.min(whole.length, offset + 20);
        return { text: whole.slice(offset, next), next, size: whole.length };
      },
    });
    const onResend = vi.fn();
    const { user } = renderWithProviders(<MessageDetailPane sessionId="s1" seq={5} onClose={vi.fn()} onResend={onResend} />);
    await waitFor(() => expect(document.body.textContent).toContain('00000000  de ad be ef'));
    expect(screen.getByTestId('detail-headers')).toHaveTextContent('traceabc');
    await user.click(screen.getByTestId('detail-resend'));
    // A cut value is re-sent from the whole message, decoded auto: the exact bytes.
    await waitFor(() => expect(onResend).toHaveBeenCalledWith(DETAIL));
    expect(backend.callsTo('messages_detail').at(-1)!.args).toEqual({ sessionId: 's1', seq: 5, keyAs: 'auto', valueAs: 'auto', full: true });
    // "Load full" streams the value in pieces and then shows it whole.
    await user.click(screen.getByTestId('detail-load-full'));
    await waitFor(() => expect(screen.queryByTestId('detail-load-full')).not.toBeInTheDocument());
    expect(backend.callsTo('messages_value_chunk').map((c) => c.args.offset)).toEqual([0, 20, 40]);
    expect(backend.callsTo('messages_value_chunk')[0].args).toMatchObject({ sessionId: 's1', seq: 5, valueAs: 'auto' });
  });

  it('shows JSON as sent (raw) or indented token by token (pretty), and copies the exact bytes', async () => {
    const sent = '{"zeta":1,"alpha":"caf\\u00e9","big":123456789012345678901234567890}';
    installBackend({
      messages_detail: () => ({ ...DETAIL, key: { shown: 'null', text: '', size: 0, truncated: false }, value: { shown: 'json', text: sent, size: sent.length, truncated: false } }),
    });
    const { user } = renderWithProviders(<MessageDetailPane sessionId="s1" seq={5} onClose={vi.fn()} onResend={vi.fn()} />);
    // After user-event's setup, which puts a clipboard stub of its own on navigator.
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const value = await screen.findByTestId('detail-value');
    await waitFor(() => expect(value.textContent).toContain('"big": 123456789012345678901234567890'));
    expect(value.textContent!.indexOf('"zeta"')).toBeLessThan(value.textContent!.indexOf('"alpha"'));
    expect(value.textContent).toContain('caf\\u00e9');
    await user.click(screen.getByText('Raw'));
    await waitFor(() => expect(screen.getByTestId('detail-value').querySelector('.cm-content')?.textContent).toBe(sent));
    expect(screen.getByTestId('detail-value-rendering')).toHaveTextContent('raw bytes as sent');
    await user.click(screen.getByTestId('detail-value-copy'));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(sent));
  });

  it('shows binary as a hex dump, or as base64 when chosen, and says which', async () => {
    const backend = installBackend({
      messages_detail: () => ({
        ...DETAIL,
        value: { shown: 'base64', text: '3q2+7wBB', size: 6, truncated: false },
        headers: [],
        size: 10,
      }),
    });
    const { user } = renderWithProviders(<MessageDetailPane sessionId="s1" seq={5} onClose={vi.fn()} onResend={vi.fn()} />);
    expect(await screen.findByTestId('detail-value-rendering')).toHaveTextContent('binary, as a hex dump');
    expect(screen.getByTestId('detail-value')).toHaveTextContent('de ad be ef 00 41');
    expect(screen.getByTestId('detail-sizes')).toHaveTextContent('key 4 B · value 6 B · headers 0 B (0)');
    await user.click(screen.getByText('Base64'));
    await waitFor(() => expect(screen.getByTestId('detail-value-rendering')).toHaveTextContent('binary, as base64'));
    expect(screen.getByTestId('detail-value')).toHaveTextContent('3q2+7wBB');
    expect(backend.callsTo('messages_detail').at(-1)!.args.valueAs).toBe('base64');
    // A hex dump is drawn here from base64: the backend is asked for base64 then too.
    await user.click(screen.getByText('Hex'));
    await waitFor(() => expect(screen.getByTestId('detail-value-rendering')).toHaveTextContent('binary, as a hex dump'));
    expect(backend.callsTo('messages_detail').at(-1)!.args.valueAs).toBe('base64');
  });

  it('turns a message into a producer draft: binary as base64, JSON as JSON', () => {
    const draft = draftFrom('orders', DETAIL);
    expect([draft.key, draft.keyFormat, draft.valueFormat, draft.nullKey]).toEqual(['3q2+7w==', 'base64', 'json', false]);
    expect(draft.headers).toEqual([{ name: 'trace', value: 'abc', format: 'text' }]);
  });
});
