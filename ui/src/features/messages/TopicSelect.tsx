import { memo, useMemo } from 'react';
import { Select, type SelectProps } from '@mantine/core';
import type { TopicChoice } from '../../api/messages';

/** Options listed at once; typing narrows all topics to the matching ones. */
export const TOPIC_OPTIONS_SHOWN = 100;

export type TopicSelectProps = Omit<SelectProps, 'data' | 'searchable' | 'limit'> & { topics: TopicChoice[] };

/**
 * The searchable topic chooser of the messages panels. A cluster may have 10,000 topics, and
 * Mantine's select builds every option it lists on each render: this one lists at most
 * `TOPIC_OPTIONS_SHOWN` and re-renders only when its own props change, so opening a message
 * or a status push never rebuilds 10,000 options (that alone took 300 ms a click).
 */
export const TopicSelect = memo(function TopicSelect({ topics, ...props }: TopicSelectProps) {
  const names = useMemo(() => topics.map((t) => t.name), [topics]);
  return (
    <Select
      searchable
      limit={TOPIC_OPTIONS_SHOWN}
      nothingFoundMessage="No such topic"
      {...props}
      data={names}
    />
  );
});
