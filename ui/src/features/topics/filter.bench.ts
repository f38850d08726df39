// `npx vitest bench --run src/features/topics`: one keystroke's filter + sort over 10,000 topics
// (the budget is 50 ms). Benchmarks only measure; nothing here asserts a time.
import { bench, describe } from 'vitest';
import type { TopicSummary } from '../../api/topics';
import { filterTopics } from './filter';

const topics: TopicSummary[] = Array.from({ length: 10_000 }, (_, i) => ({
  name: `${['orders', 'payments', 'audit', 'clicks'][i % 4]}.${i.toString(36)}-events`,
  partitions: 1 + (i % 12),
  replicationFactor: 3,
  underReplicated: i % 97 === 0 ? 1 : 0,
  offline: 0,
  messages: i * 31,
  internal: i < 2,
}));

describe('filter 10,000 topics per keystroke', () => {
  bench('substring, sorted by name', () => {
    filterTopics(topics, { text: 'pay', regex: false, showInternal: false, sort: 'name', descending: false });
  });
  bench('regex, sorted by messages', () => {
    filterTopics(topics, { text: '^(orders|audit)\\.[a-f]', regex: true, showInternal: true, sort: 'messages', descending: true });
  });
});
