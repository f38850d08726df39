import { Button, Group, Progress, Text } from '@mantine/core';
import { formatCount } from '../../lib/format';
import type { Progress as P } from './useJob';

/** A progress bar with counts and a Cancel button, for any long messages job. */
export function JobProgressBar({ label, progress, onCancel }: { label: string; progress: P | null; onCancel: () => void }) {
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;
  return (
    <Group gap="sm" wrap="nowrap" data-testid="job-progress">
      <Text size="xs" style={{ whiteSpace: 'nowrap' }}>
        {label} {progress ? `${formatCount(progress.done)} / ${progress.estimated ? '≈ ' : ''}${formatCount(progress.total)}` : '…'}
      </Text>
      <Progress value={pct} style={{ flex: 1 }} animated />
      <Button size="compact-xs" variant="default" onClick={onCancel} data-testid="job-cancel">
        Cancel
      </Button>
    </Group>
  );
}
