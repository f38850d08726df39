import { useEffect, useState } from 'react';
import { Button, Group, Loader, Paper, Text } from '@mantine/core';
import type { PendingConnect } from '../features/cluster/useClusterSession';

/**
 * Shown while `cluster_connect` runs: who we are waiting for, for how long,
 * and a Cancel that stops waiting (the backend call ends by itself within ~10 s).
 */
export function ConnectingNotice({ pending, onCancel }: { pending: PendingConnect; onCancel: () => void }) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((t) => t + 1), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((Date.now() - pending.startedAt) / 1000));
  return (
    <Paper withBorder radius="md" px="md" py="xs" data-testid="connecting-notice" role="status">
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Loader size={16} />
          <Text size="sm" truncate="end">
            Connecting to <b>{pending.profile.name}</b>
            <Text span c="dimmed" size="sm">
              {' '}
              … {seconds > 0 ? `${seconds}s` : ''}
            </Text>
          </Text>
        </Group>
        <Button size="compact-sm" variant="default" onClick={onCancel} data-testid="connect-cancel">
          Cancel
        </Button>
      </Group>
    </Paper>
  );
}
