import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  RUNNING: 'teal',
  PAUSED: 'yellow',
  STOPPED: 'gray',
  FAILED: 'red',
  UNASSIGNED: 'orange',
  RESTARTING: 'blue',
};

/** A connector's or task's state as Connect reports it: green running, red failed. */
export function ConnectStateBadge({ state, testId = 'connector-state' }: { state: string; testId?: string }) {
  return (
    <Badge size="sm" variant="light" radius="sm" color={COLORS[state] ?? 'gray'} data-testid={testId} data-state={state}>
      {state}
    </Badge>
  );
}
