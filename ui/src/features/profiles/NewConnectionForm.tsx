/**
 * "New connection": name + bootstrap servers, checked as the backend checks
 * them before anything is sent. Errors sit under their field — the
 * client-side ones, and the backend's InvalidInput ones (whose `detail` names
 * the field). Other failures are the caller's to show.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Button, Group, Stack, TextInput } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import type { ProfileInput } from '../../api/profiles';
import {
  hasErrors,
  normalizeProfileInput,
  validateProfileInput,
  type FieldErrors,
  type ProfileField,
} from './validation';

export type SubmitResult =
  /** Saved: the form clears. */
  | { ok: true }
  /** Not saved: these errors go under their fields (may be empty when the caller showed a banner). */
  | { ok: false; fieldErrors: FieldErrors };

export interface NewConnectionFormProps {
  onSubmit: (input: ProfileInput) => Promise<SubmitResult>;
  /** The connect that follows a save is running. */
  connecting: boolean;
  /** Changes whenever the name input should take focus (mod+N, the "New" button). */
  focusRequest: number;
}

const EMPTY: ProfileInput = { name: '', bootstrapServers: '' };

export function NewConnectionForm({ onSubmit, connecting, focusRequest }: NewConnectionFormProps) {
  const [values, setValues] = useState<ProfileInput>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [saving, setSaving] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (focusRequest > 0) nameRef.current?.focus();
  }, [focusRequest]);

  const setField = (field: ProfileField, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    // Once the user has tried to submit, errors follow the typing; a backend
    // error stays until its field is edited.
    if (submitted) {
      const check = validateProfileInput(next);
      setErrors((current) => ({ ...current, [field]: check[field] }));
    } else if (errors[field]) {
      setErrors((current) => ({ ...current, [field]: undefined }));
    }
  };

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    const clientErrors = validateProfileInput(values);
    setErrors(clientErrors);
    if (hasErrors(clientErrors)) {
      focusFirstError(clientErrors);
      return;
    }
    setSaving(true);
    let result: SubmitResult;
    try {
      result = await onSubmit(normalizeProfileInput(values));
    } finally {
      setSaving(false);
    }
    if (result.ok) {
      setValues(EMPTY);
      setErrors({});
      setSubmitted(false);
    } else {
      setErrors(result.fieldErrors);
      focusFirstError(result.fieldErrors);
    }
  };

  const focusFirstError = (fieldErrors: FieldErrors) => {
    const id = fieldErrors.name ? 'new-connection-name' : fieldErrors.bootstrapServers ? 'new-connection-bootstrap' : null;
    if (id) document.getElementById(id)?.focus();
  };

  return (
    <form onSubmit={handleSubmit} noValidate data-testid="new-connection-form" aria-label="New connection">
      <Stack gap="sm">
        <TextInput
          ref={nameRef}
          id="new-connection-name"
          data-testid="new-connection-name"
          label="Name"
          placeholder="Production"
          autoComplete="off"
          spellCheck={false}
          value={values.name}
          onChange={(event) => setField('name', event.currentTarget.value)}
          error={errors.name}
          errorProps={{ 'data-testid': 'new-connection-name-error' }}
          withAsterisk
        />
        <TextInput
          id="new-connection-bootstrap"
          data-testid="new-connection-bootstrap"
          label="Bootstrap servers"
          description="Comma-separated host:port pairs"
          placeholder="host1:9092,host2:9092"
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          classNames={{ input: 'kd-mono' }}
          value={values.bootstrapServers}
          onChange={(event) => setField('bootstrapServers', event.currentTarget.value)}
          error={errors.bootstrapServers}
          errorProps={{ 'data-testid': 'new-connection-bootstrap-error' }}
          withAsterisk
        />
        <Group justify="flex-end" mt={4}>
          <Button
            type="submit"
            size="sm"
            loading={saving || connecting}
            leftSection={<IconPlugConnected size={16} />}
            data-testid="new-connection-submit"
          >
            Save and connect
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
