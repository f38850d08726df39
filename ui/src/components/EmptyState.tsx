import type { ReactNode } from 'react';
import { EmptyState as MantineEmptyState } from '@mantine/core';

export interface EmptyStateProps {
  icon: ReactNode;
  title: ReactNode;
  /** Says what to do next. */
  description: ReactNode;
  action?: ReactNode;
  'data-testid'?: string;
}

/** A centred "nothing here yet — here is what to do" block. */
export function EmptyState({ icon, title, description, action, ...rest }: EmptyStateProps) {
  return (
    <MantineEmptyState
      py="lg"
      size="sm"
      variant="light"
      icon={icon}
      title={title}
      description={description}
      data-testid={rest['data-testid']}
    >
      {action ? <MantineEmptyState.Actions>{action}</MantineEmptyState.Actions> : null}
    </MantineEmptyState>
  );
}
