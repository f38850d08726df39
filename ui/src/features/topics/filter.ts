/** Filtering and sorting of the topics list: pure, so 10,000 rows stay quick to test. */
import type { TopicSummary } from '../../api/topics';

export type SortKey = 'name' | 'partitions' | 'replicationFactor' | 'underReplicated' | 'offline' | 'messages';

export interface ListQuery {
  text: string;
  regex: boolean;
  showInternal: boolean;
  sort: SortKey;
  descending: boolean;
}

export interface FilterResult {
  rows: TopicSummary[];
  /** Set when the regex does not compile; the list is then unfiltered by text. */
  regexError: string | null;
}

/** A case-insensitive matcher for the filter box: substring, or a regular expression. */
function matcher(text: string, regex: boolean): { test: (name: string) => boolean; error: string | null } {
  if (!text) return { test: () => true, error: null };
  if (regex) {
    try {
      const re = new RegExp(text, 'i');
      return { test: (name) => re.test(name), error: null };
    } catch (e) {
      return { test: () => true, error: e instanceof Error ? e.message : String(e) };
    }
  }
  const needle = text.toLowerCase();
  return { test: (name) => name.toLowerCase().includes(needle), error: null };
}

export function filterTopics(topics: TopicSummary[], query: ListQuery): FilterResult {
  const { test, error } = matcher(query.text, query.regex);
  const rows = topics.filter((t) => (query.showInternal || !t.internal) && test(t.name));
  const direction = query.descending ? -1 : 1;
  const key = query.sort;
  rows.sort((a, b) => {
    if (key === 'name') return direction * a.name.localeCompare(b.name);
    // Unknown message counts sort below every known one.
    const av = a[key] ?? -1;
    const bv = b[key] ?? -1;
    return direction * (av - bv) || a.name.localeCompare(b.name);
  });
  return { rows, regexError: error };
}
