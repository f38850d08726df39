import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

export interface TypedConfirmModalProps {
  opened: boolean;
  title: ReactNode;
  children: ReactNode;
  /** What the user must type to enable the action (the group's name). */
  expected: string;
  confirmLabel: string;
  loading?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A destructive action's last step: type the name to enable the red button. */
export function TypedConfirmModal({ opened, title, children, expected, confirmLabel, loading, onConfirm, onCancel }: TypedConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onCancel();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{title}</Text>} size="md" data-testid="typed-confirm">
      <Stack gap="sm">
        <Text size="sm">{children}</Text>
        <TextInput
          label={
            <>
              Type <span className="kd-mono">{expected}</span> to confirm
            </>
          }
          value={typed}
          onChange={(e) => setTyped(e.currentTarget.value)}
          data-testid="typed-confirm-input"
          data-autofocus
          spellCheck={false}
          autoComplete="off"
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={close} data-testid="typed-confirm-cancel">
            Cancel
          </Button>
          <Button
            size="xs"
            color="red"
            loading={loading}
            disabled={typed !== expected}
            onClick={() => {
              setTyped('');
              onConfirm();
            }}
            data-testid="typed-confirm-accept"
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
