import { Group, Kbd, Modal, Table, Text } from '@mantine/core';
import { useOs } from '@mantine/hooks';
import { SHORTCUTS } from './shortcuts';

export function ShortcutsModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const os = useOs();
  const mod = os === 'macos' ? '⌘' : 'Ctrl';
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Keyboard shortcuts</Text>} size="md">
      <Table verticalSpacing={8} withRowBorders data-testid="shortcuts-list">
        <Table.Tbody>
          {SHORTCUTS.map((shortcut) => (
            <Table.Tr key={shortcut.description}>
              <Table.Td>
                <Text size="sm">{shortcut.description}</Text>
              </Table.Td>
              <Table.Td ta="right">
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  {shortcut.keys.map((key) => (
                    <Kbd key={key} size="sm">
                      {key === 'mod' ? mod : key}
                    </Kbd>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="md">
        Shortcuts are ignored while you type in a field.
      </Text>
    </Modal>
  );
}
