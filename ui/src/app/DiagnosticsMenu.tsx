/** Help for a user with a problem: the log folder, and diagnostics to paste into a report. */
import { ActionIcon, Menu } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClipboardCopy, IconFolderOpen, IconLifebuoy } from '@tabler/icons-react';
import { copyDiagnostics, openLogsFolder } from '../api/app';
import type { AppError } from '../api/errors';

export function DiagnosticsMenu() {
  const fail = (e: unknown) => notifications.show({ color: 'red', message: (e as AppError).message ?? String(e) });
  const copy = async () => {
    try {
      const text = await copyDiagnostics();
      await navigator.clipboard.writeText(text);
      notifications.show({ color: 'gray', message: 'Diagnostics copied (versions, connections count, last log lines; no secrets).', autoClose: 3000 });
    } catch (e) {
      fail(e);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label="Logs and diagnostics" title="Logs and diagnostics" data-testid="diagnostics-button">
          <IconLifebuoy size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item leftSection={<IconFolderOpen size={14} />} onClick={() => openLogsFolder().catch(fail)} data-testid="open-logs-folder">
          Open logs folder
        </Menu.Item>
        <Menu.Item leftSection={<IconClipboardCopy size={14} />} onClick={() => void copy()} data-testid="copy-diagnostics">
          Copy diagnostics
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
