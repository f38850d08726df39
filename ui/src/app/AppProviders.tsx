import type { ReactNode } from 'react';
import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { colorSchemeManager, theme } from '../theme';

/** Theme + notifications; shared by main.tsx and the component tests. */
export function AppProviders({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} colorSchemeManager={colorSchemeManager} defaultColorScheme="auto">
      <Notifications position="bottom-right" limit={3} />
      {children}
    </MantineProvider>
  );
}
