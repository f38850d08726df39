import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  Stable: 'teal',
  Empty: 'gray',
  PreparingRebalance: 'yellow',
  CompletingRebalance: 'yellow',
  Assigning: 'yellow',
  Reconciling: 'yellow',
  Dead: 'red',
};

/** A group's state, coloured: green running, grey idle, yellow rebalancing, red dead. */
export function StateBadge({ state }: { state: string }) {
  return (
    <Badge size="sm" variant="light" radius="sm" color={COLORS[state] ?? 'gray'} style={{ textTransform: 'none' }} data-testid="group-state">
      {state}
    </Badge>
  );
}
