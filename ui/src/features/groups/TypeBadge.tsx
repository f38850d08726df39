import { Badge, Tooltip } from '@mantine/core';

const TYPES: Record<string, { color: string; label: string; tip: string }> = {
  Classic: { color: 'gray', label: 'Classic', tip: 'The classic rebalance protocol: the group leader assigns partitions.' },
  Consumer: { color: 'blue', label: 'Consumer', tip: 'KIP-848 consumer protocol: the broker assigns partitions, members move to a target assignment epoch by epoch.' },
  Share: { color: 'grape', label: 'Share', tip: 'KIP-932 share group: members share partitions and acknowledge records one by one; it keeps a start offset per partition instead of committed offsets.' },
  Streams: { color: 'teal', label: 'Streams', tip: 'KIP-1071 Kafka Streams group.' },
};

/** A group's type (protocol family), coloured, with what it means on hover. */
export function TypeBadge({ type }: { type: string }) {
  const known = TYPES[type];
  return (
    <Tooltip label={known?.tip ?? 'The broker does not say which protocol this group uses (Kafka before 3.7).'} multiline w={280} openDelay={300}>
      <Badge size="sm" variant="outline" radius="sm" color={known?.color ?? 'gray'} style={{ textTransform: 'none' }} data-testid="group-type">
        {known?.label ?? type}
      </Badge>
    </Tooltip>
  );
}
