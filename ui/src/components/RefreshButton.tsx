import { Button } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';

/** The small "Refresh" button views put beside their data; spins while a reload runs. */
export function RefreshButton({ loading, onClick, testId }: { loading: boolean; onClick: () => void; testId: string }) {
  return (
    <Button
      size="xs"
      variant="default"
      leftSection={<IconRefresh size={14} />}
      loading={loading}
      onClick={onClick}
      data-testid={testId}
    >
      Refresh
    </Button>
  );
}
