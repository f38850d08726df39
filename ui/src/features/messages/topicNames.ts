import { useMemo } from 'react';
import type { TopicChoice } from '../../api/messages';

/**
 * The topic names for a select, kept across renders: the panels re-render on every keystroke
 * and status push, and a cluster may have 10,000 topics.
 */
export function useTopicNames(topics: TopicChoice[]): string[] {
  return useMemo(() => topics.map((t) => t.name), [topics]);
}
