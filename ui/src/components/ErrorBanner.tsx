/**
 * The one way the UI shows a failed backend call: a red banner whose title
 * names the cause (from the error kind) and whose body is the backend's
 * `message`, verbatim.
 */
import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { errorTitle, type AppError } from '../api/errors';

export interface ErrorBannerProps {
  error: AppError;
  onClose?: () => void;
}

export function ErrorBanner({ error, onClose }: ErrorBannerProps) {
  // For InvalidInput the detail is a field name, not something to show.
  const detail = error.kind !== 'InvalidInput' ? error.detail : undefined;
  return (
    <Alert
      role="alert"
      data-testid="error-banner"
      data-error-kind={error.kind}
      color="red"
      variant="light"
      radius="md"
      icon={<IconAlertTriangle size={18} />}
      title={errorTitle(error.kind)}
      withCloseButton={!!onClose}
      onClose={onClose}
      closeButtonLabel="Dismiss error"
    >
      <Text size="sm" data-testid="error-message" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
        {error.message}
      </Text>
      {detail ? (
        <Text size="xs" c="dimmed" mt={4} className="kd-mono" style={{ wordBreak: 'break-all' }}>
          {detail}
        </Text>
      ) : null}
    </Alert>
  );
}
