/**
 * Choose a registered schema (subject, version or latest, Protobuf message type) for a
 * key or value to be produced with; the typed JSON is then checked and encoded by the backend.
 */
import { useEffect, useState } from 'react';
import { Group, Select, TextInput } from '@mantine/core';
import { listSubjects, type SchemaChoice, type SubjectSummary } from '../../api/registry';

/**
 * The registry's subjects, read once for all the pickers of a form: empty when the profile
 * has no registry or it cannot be reached (the pickers then do not show).
 */
export function useSubjects(profileId: string): SubjectSummary[] {
  const [subjects, setSubjects] = useState<SubjectSummary[]>([]);
  useEffect(() => {
    let current = true;
    listSubjects(profileId).then(
      (l) => current && setSubjects(l.subjects),
      () => current && setSubjects([]),
    );
    return () => {
      current = false;
    };
  }, [profileId]);
  return subjects;
}

export interface SchemaPickerProps {
  subjects: SubjectSummary[];
  label: string;
  value: SchemaChoice | null | undefined;
  onChange: (value: SchemaChoice | null) => void;
  /** Offered first: `<topic>-key` / `<topic>-value`. */
  suggested?: string;
  testId: string;
}

export function SchemaPicker({ subjects, label, value, onChange, suggested, testId }: SchemaPickerProps) {
  if (subjects.length === 0) return null;
  const names = subjects.map((s) => s.subject).sort((a, b) => (a === suggested ? -1 : b === suggested ? 1 : a.localeCompare(b)));
  const chosen = subjects.find((s) => s.subject === value?.subject);
  return (
    <Group gap="xs" align="flex-end" wrap="nowrap">
      <Select
        label={label}
        placeholder="No schema (raw)"
        searchable
        clearable
        w={260}
        data={names}
        value={value?.subject ?? null}
        onChange={(subject) => onChange(subject ? { subject, version: undefined, message: undefined } : null)}
        data-testid={testId}
      />
      {value ? (
        <TextInput
          label="Version"
          w={90}
          placeholder="latest"
          value={value.version ?? ''}
          onChange={(e) => {
            const n = Number(e.currentTarget.value);
            onChange({ ...value, version: e.currentTarget.value && Number.isInteger(n) ? n : undefined });
          }}
          data-testid={`${testId}-version`}
        />
      ) : null}
      {value && chosen?.kind === 'protobuf' ? (
        <TextInput label="Message type" w={200} placeholder="first in the file" value={value.message ?? ''} onChange={(e) => onChange({ ...value, message: e.currentTarget.value || undefined })} className="kd-mono" />
      ) : null}
    </Group>
  );
}
