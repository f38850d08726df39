/** The detail pane's line about schema data: which schema decoded it, or why it could not. */
import { Alert, Group, Text } from '@mantine/core';
import type { Decoded } from '../../api/messages';
import { SchemaBadge } from './SchemaBadge';

export function SchemaNote({ decoded }: { decoded: Decoded }) {
  if (decoded.note) {
    return (
      <Alert color="orange" variant="light" p="xs" data-testid="detail-schema-note">
        <Text size="xs">{decoded.note} The raw bytes are shown as hex.</Text>
      </Alert>
    );
  }
  const tag = decoded.schema;
  if (!tag) return null;
  return (
    <Group gap="xs" data-testid="detail-schema">
      <SchemaBadge decoded={decoded} />
      <Text size="xs" c="dimmed" className="kd-mono">
        {tag.subject ? `${tag.subject} version ${tag.version ?? '?'}` : 'local Protobuf'}
        {tag.id !== null ? ` · schema id ${tag.id}` : ''}
        {tag.message ? ` · ${tag.message}` : ''} · choose Hex or Base64 above for the raw bytes
      </Text>
    </Group>
  );
}
