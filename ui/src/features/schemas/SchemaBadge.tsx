/** Which schema a decoded key or value was written with, or why it could not be decoded. */
import { Badge, Tooltip } from '@mantine/core';
import type { Decoded } from '../../api/messages';

const KIND: Record<string, string> = { avro: 'Avro', protobuf: 'Protobuf', json: 'JSON Schema' };

export function SchemaBadge({ decoded }: { decoded: Decoded }) {
  if (decoded.note) {
    return (
      <Tooltip label={decoded.note} multiline w={360}>
        <Badge size="xs" color="orange" variant="light" data-testid="schema-note">not decoded</Badge>
      </Tooltip>
    );
  }
  const tag = decoded.schema;
  if (!tag) return null;
  const where = tag.subject ? `${tag.subject} v${tag.version ?? '?'}` : tag.message ?? 'local';
  return (
    <Tooltip label={`${KIND[tag.kind]} · ${where}${tag.id !== null ? ` · id ${tag.id}` : ''}${tag.message ? ` · ${tag.message}` : ''}`}>
      <Badge size="xs" variant="light" data-testid="schema-badge">{KIND[tag.kind]}</Badge>
    </Tooltip>
  );
}
