import { useState, type ReactNode } from 'react';
import { Box, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';

export interface TypedConfirmModalProps {
  opened: boolean;
  title: ReactNode;
  children: ReactNode;
  /** What the user must type to enable the action (the topic's or group's name). */
  expected: string;
  confirmLabel: string;
  loading?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
}

/** A destructive action that only runs once the user has typed `expected`. */
export function TypedConfirmModal({
  opened,
  title,
  children,
  expected,
  confirmLabel,
  loading = false,
  onConfirm,
  onCancel,
  testId = 'typed-confirm',
}: TypedConfirmModalProps) {
  const [typed, setTyped] = useState('');
  const close = () => {
    setTyped('');
    onCancel();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>{title}</Text>} data-testid={testId}>
      <Stack gap="sm">
        <Box fz="sm">{children}</Box>
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
          autoComplete="off"
          spellCheck={false}
        />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={close} data-testid="typed-confirm-cancel">
            Cancel
          </Button>
          <Button
            size="xs"
            color="red"
            disabled={typed !== expected}
            loading={loading}
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
