/**
 * Every topic in one virtualized list: only the rows on screen exist in the DOM, so
 * 10,000 topics scroll and filter as smoothly as ten.
 */
import { useDeferredValue, useMemo, useRef, useState, type CSSProperties } from 'react';
import {
  Badge,
  Box,
  Button,
  Group,
  Paper,
  Switch,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconRegex, IconSearch, IconTable } from '@tabler/icons-react';
import { useHotkeys } from '@mantine/hooks';
import type { TopicList, TopicSummary } from '../../api/topics';
import { EmptyState } from '../../components/EmptyState';
import { RefreshButton } from '../../components/RefreshButton';
import { VirtualRows } from '../../components/VirtualTable';
import { formatCountOrUnknown, formatInteger } from '../../lib/format';
import { filterTopics, type ListQuery, type SortKey } from './filter';

const ROW_HEIGHT = 34;

const COLUMNS: { key: SortKey; label: string; width: string; numeric: boolean }[] = [
  { key: 'name', label: 'Topic', width: 'minmax(0, 1fr)', numeric: false },
  { key: 'partitions', label: 'Partitions', width: '100px', numeric: true },
  { key: 'replicationFactor', label: 'RF', width: '60px', numeric: true },
  { key: 'underReplicated', label: 'Under-repl.', width: '130px', numeric: true },
  { key: 'offline', label: 'Offline', width: '80px', numeric: true },
  { key: 'messages', label: 'Messages', width: '110px', numeric: true },
];
const GRID = COLUMNS.map((c) => c.width).join(' ');

export interface TopicsListProps {
  list: TopicList;
  refreshing: boolean;
  readOnly: boolean;
  onRefresh: () => void;
  onOpen: (topic: string) => void;
  onCreate: () => void;
}

export function TopicsList({ list, refreshing, readOnly, onRefresh, onOpen, onCreate }: TopicsListProps) {
  const [query, setQuery] = useState<ListQuery>({
    text: '',
    regex: false,
    showInternal: false,
    sort: 'name',
    descending: false,
  });
  // Typing stays responsive; the filter catches up on the next idle frame.
  const deferred = useDeferredValue(query);
  const { rows, regexError } = useMemo(() => filterTopics(list.topics, deferred), [list.topics, deferred]);
  const filterRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => filterRef.current?.focus()]]);
  const sortBy = (key: SortKey) =>
    setQuery((q) => ({ ...q, sort: key, descending: q.sort === key ? !q.descending : key !== 'name' }));
  const internalCount = list.topics.filter((t) => t.internal).length;

  return (
    <Box data-testid="topics-list">
      {/* On a narrow window the count and buttons move to a line of their own (right-aligned)
          rather than squeezing the filter to a few pixels. */}
      <Group justify="space-between" mb="sm" wrap="wrap" style={{ rowGap: 'var(--mantine-spacing-xs)' }}>
        <Group gap="xs" wrap="nowrap" style={{ flex: '1 1 380px' }}>
          <TextInput
            placeholder={query.regex ? 'Filter by regular expression' : 'Filter by name'}
            leftSection={<IconSearch size={14} />}
            value={query.text}
            onChange={(e) => {
              const text = e.currentTarget.value;
              setQuery((q) => ({ ...q, text }));
            }}
            error={regexError ? `Not a valid regular expression: ${regexError}` : undefined}
            size="xs"
            style={{ flex: 1, minWidth: 160, maxWidth: 420 }}
            data-testid="topics-filter"
            ref={filterRef}
            spellCheck={false}
          />
          <Tooltip label="Treat the filter as a regular expression">
            <Button
              size="xs"
              variant={query.regex ? 'filled' : 'default'}
              onClick={() => setQuery((q) => ({ ...q, regex: !q.regex }))}
              aria-pressed={query.regex}
              data-testid="topics-regex-toggle"
              leftSection={<IconRegex size={14} />}
            >
              Regex
            </Button>
          </Tooltip>
          <Switch
            size="xs"
            label={`Internal (${internalCount})`}
            checked={query.showInternal}
            onChange={(e) => {
              const showInternal = e.currentTarget.checked;
              setQuery((q) => ({ ...q, showInternal }));
            }}
            data-testid="topics-internal-toggle"
          />
        </Group>
        <Group gap="xs" wrap="nowrap" ml="auto">
          <Text size="xs" c="dimmed" data-testid="topics-count">
            {formatInteger(rows.length)} of {formatInteger(list.topics.length)} topics
          </Text>
          <RefreshButton loading={refreshing} onClick={onRefresh} testId="topics-refresh" />
          <Tooltip label="This connection is read-only" disabled={!readOnly}>
            <Button
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={onCreate}
              disabled={readOnly}
              data-testid="topic-create-open"
            >
              Create topic
            </Button>
          </Tooltip>
        </Group>
      </Group>
      {list.watermarksError ? (
        <Text size="xs" c="orange" mb="xs" data-testid="watermarks-error">
          Message counts are unavailable: {list.watermarksError}
        </Text>
      ) : null}

      <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
        <Box
          className="kd-topics-header"
          style={{ display: 'grid', gridTemplateColumns: GRID }}
          role="row"
          data-testid="topics-header"
        >
          {COLUMNS.map((c) => (
            <UnstyledButton
              key={c.key}
              onClick={() => sortBy(c.key)}
              px="sm"
              py={6}
              style={{ textAlign: c.numeric ? 'right' : 'left' }}
              data-testid={`topics-sort-${c.key}`}
              aria-sort={query.sort === c.key ? (query.descending ? 'descending' : 'ascending') : undefined}
            >
              <Text size="xs" fw={600} tt="uppercase" c="dimmed" span>
                {c.label}
              </Text>
              {query.sort === c.key ? (
                query.descending ? (
                  <IconArrowDown size={11} style={{ marginLeft: 3 }} />
                ) : (
                  <IconArrowUp size={11} style={{ marginLeft: 3 }} />
                )
              ) : null}
            </UnstyledButton>
          ))}
        </Box>
        {rows.length === 0 ? (
          <EmptyState
            icon={<IconTable size={22} />}
            title={list.topics.length === 0 ? 'No topics yet' : 'No topic matches'}
            description={
              list.topics.length === 0
                ? 'Create the first topic with "Create topic".'
                : 'Change the filter, or show internal topics.'
            }
            data-testid="topics-empty"
          />
        ) : (
          <VirtualRows
            count={rows.length}
            rowHeight={ROW_HEIGHT}
            height="calc(100vh - 250px)"
            minHeight={240}
            data-testid="topics-scroll"
            renderRow={(i, style) => <TopicRow key={rows[i].name} topic={rows[i]} style={style} onOpen={onOpen} />}
          />
        )}
      </Paper>
    </Box>
  );
}

function TopicRow({ topic, style, onOpen }: { topic: TopicSummary; style: CSSProperties; onOpen: (name: string) => void }) {
  return (
    <UnstyledButton
      className="kd-topic-row"
      onClick={() => onOpen(topic.name)}
      data-testid="topic-row"
      data-topic={topic.name}
      style={{
        ...style,
        display: 'grid',
        gridTemplateColumns: GRID,
        alignItems: 'center',
      }}
    >
      <Group gap={6} px="sm" wrap="nowrap" style={{ minWidth: 0 }}>
        <Text size="sm" className="kd-mono" truncate="end" title={topic.name}>
          {topic.name}
        </Text>
        {topic.internal ? (
          <Badge size="xs" variant="light" color="gray">
            internal
          </Badge>
        ) : null}
      </Group>
      <Num value={formatInteger(topic.partitions)} testid="topic-partitions" />
      <Num value={String(topic.replicationFactor)} testid="topic-rf" />
      <Num value={formatInteger(topic.underReplicated)} testid="topic-under-replicated" alert={topic.underReplicated > 0} />
      <Num value={formatInteger(topic.offline)} testid="topic-offline" alert={topic.offline > 0} />
      <Num value={formatCountOrUnknown(topic.messages)} testid="topic-messages" />
    </UnstyledButton>
  );
}

function Num({ value, testid, alert = false }: { value: string; testid: string; alert?: boolean }) {
  return (
    <Text size="sm" px="sm" ta="right" className="kd-mono" c={alert ? 'red' : undefined} fw={alert ? 600 : undefined} data-testid={testid}>
      {value}
    </Text>
  );
}
