import { ActionIcon, Badge, Box, Group, Text, Tooltip } from '@mantine/core';
import { IconKeyboard, IconShieldOff, IconStack2 } from '@tabler/icons-react';
import type { ActiveCluster } from '../features/cluster/useClusterSession';
import { ColorDot } from '../components/ColorDot';
import { ReadOnlyBadge } from '../features/profiles/ProfileEditor';
import { loweredSecurity } from '../features/profiles/securityWarnings';
import { DiagnosticsMenu } from './DiagnosticsMenu';
import { ThemeToggle } from './ThemeToggle';

export interface AppHeaderProps {
  active: ActiveCluster | null;
  onShowShortcuts: () => void;
}

export function AppHeader({ active, onShowShortcuts }: AppHeaderProps) {
  return (
    <Group h="100%" px="md" justify="space-between" wrap="nowrap">
      <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
        <Group gap={8} wrap="nowrap">
          <IconStack2 size={20} color="var(--mantine-primary-color-filled)" aria-hidden />
          <Text fw={700} size="md" style={{ letterSpacing: -0.2 }} data-testid="app-title">
            KafkaDesk
          </Text>
        </Group>
        {active ? (
          <>
            <Text c="dimmed" aria-hidden>
              /
            </Text>
            <Group gap={8} wrap="nowrap" style={{ minWidth: 0 }} data-testid="header-cluster">
              <ColorDot id={active.profile.id} color={active.profile.color} size={8} />
              <Text size="sm" fw={600} truncate="end" data-testid="header-cluster-name">
                {active.profile.name}
              </Text>
              <Badge size="xs" variant="dot" color="teal" radius="sm" style={{ textTransform: 'none' }}>
                connected
              </Badge>
              {active.profile.readOnly ? <ReadOnlyBadge /> : null}
              <SecurityBadge warnings={loweredSecurity(active.profile)} />
            </Group>
          </>
        ) : null}
      </Group>
      <Box>
        <Group gap={4} wrap="nowrap">
          <Tooltip label="Keyboard shortcuts (?)">
            <ActionIcon
              variant="subtle"
              color="gray"
              size="lg"
              onClick={onShowShortcuts}
              aria-label="Keyboard shortcuts"
              data-testid="shortcuts-button"
            >
              <IconKeyboard size={18} />
            </ActionIcon>
          </Tooltip>
          <DiagnosticsMenu />
          <ThemeToggle />
        </Group>
      </Box>
    </Group>
  );
}

/** Shown while connected with security lowered by extra properties; the reasons on hover. */
function SecurityBadge({ warnings }: { warnings: string[] }) {
  if (warnings.length === 0) return null;
  return (
    <Tooltip label={warnings.join(' ')} multiline w={360}>
      <Badge size="xs" color="red" variant="light" radius="sm" leftSection={<IconShieldOff size={11} />} data-testid="header-security-warning" style={{ textTransform: 'none' }}>
        security lowered
      </Badge>
    </Tooltip>
  );
}
