import { describe, expect, it } from 'vitest';
import type { TopicSummary } from '../../api/topics';
import { filterTopics, type ListQuery } from './filter';
import { collidingTopic, topicNameError } from './topicName';

const topic = (name: string, extra: Partial<TopicSummary> = {}): TopicSummary => ({
  name,
  partitions: 1,
  replicationFactor: 3,
  underReplicated: 0,
  offline: 0,
  messages: 0,
  internal: name.startsWith('__'),
  ...extra,
});

const base: ListQuery = { text: '', regex: false, showInternal: false, sort: 'name', descending: false };

describe('topic filter', () => {
  const topics = [
    topic('orders', { partitions: 12, messages: 500 }),
    topic('Payments', { partitions: 3, messages: null }),
    topic('__consumer_offsets', { partitions: 50 }),
    topic('orders-dlq', { partitions: 1, messages: 7, underReplicated: 1 }),
  ];
  const names = (q: Partial<ListQuery>) => filterTopics(topics, { ...base, ...q }).rows.map((t) => t.name);

  it('hides internal topics unless asked and matches substrings case-insensitively', () => {
    expect(names({})).toEqual(['orders', 'orders-dlq', 'Payments']);
    expect(names({ showInternal: true })).toContain('__consumer_offsets');
    expect(names({ text: 'PAY' })).toEqual(['Payments']);
    expect(names({ text: 'ord' })).toEqual(['orders', 'orders-dlq']);
  });

  it('filters by regular expression and reports one that does not compile', () => {
    expect(names({ text: '^orders$', regex: true })).toEqual(['orders']);
    expect(names({ text: 'dlq|pay', regex: true })).toEqual(['orders-dlq', 'Payments']);
    const broken = filterTopics(topics, { ...base, text: 'orders(', regex: true });
    expect(broken.regexError).toBeTruthy();
    expect(broken.rows).toHaveLength(3);
  });

  it('sorts by any column, unknown message counts last when descending', () => {
    expect(names({ sort: 'partitions', descending: true })).toEqual(['orders', 'Payments', 'orders-dlq']);
    expect(names({ sort: 'messages', descending: true })).toEqual(['orders', 'orders-dlq', 'Payments']);
    expect(names({ sort: 'underReplicated', descending: true })[0]).toBe('orders-dlq');
    expect(names({ sort: 'name', descending: true })).toEqual(['Payments', 'orders-dlq', 'orders']);
  });

  it('filters 10,000 topics quickly enough to run on every keystroke', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => topic(`topic-${i}`, { partitions: i % 7 }));
    const rows = filterTopics(many, { ...base, text: 'topic-99', sort: 'partitions', descending: true }).rows;
    expect(rows.map((t) => t.name)).toContain('topic-9999');
    expect(rows).toHaveLength(111);
  });
});

describe('topic names', () => {
  it("follows Kafka's rules", () => {
    expect(topicNameError('orders.v1_raw-2')).toBeNull();
    expect(topicNameError('')).toMatch(/Enter/);
    expect(topicNameError('..')).toMatch(/not allowed/);
    expect(topicNameError('a b')).toMatch(/' ' is not allowed/);
    expect(topicNameError('a b/c d:é')).toBe("' ', '/', ':' and 'é' are not allowed; use letters, digits, '.', '_' and '-'.");
    expect(topicNameError('x'.repeat(250))).toMatch(/249/);
  });

  it("warns when '.' and '_' collide with an existing name", () => {
    expect(collidingTopic('metrics.raw', ['metrics_raw'])).toBe('metrics_raw');
    expect(collidingTopic('metrics_raw', ['metrics_raw'])).toBeNull();
    expect(collidingTopic('plain', ['plain'])).toBeNull();
  });
});
