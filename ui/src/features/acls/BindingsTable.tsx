/** A table of ACL bindings; optionally with a checkbox per row. */
import { Badge, Checkbox, Table } from '@mantine/core';
import { bindingKey, type AclBinding } from '../../api/acls';
import { VirtualTable } from '../../components/VirtualTable';

export interface BindingsTableProps {
  bindings: AclBinding[];
  testId: string;
  selected?: Set<string>;
  onToggle?: (binding: AclBinding) => void;
  maxHeight?: number;
}

export function BindingsTable({ bindings, testId, selected, onToggle, maxHeight = 480 }: BindingsTableProps) {
  return (
    <VirtualTable
      rows={bindings}
      testId={testId}
      maxHeight={maxHeight}
      head={
        <Table.Tr>
          {onToggle ? <Table.Th w={32} /> : null}
          <Table.Th>Principal</Table.Th>
          <Table.Th>Permission</Table.Th>
          <Table.Th>Operation</Table.Th>
          <Table.Th>Resource</Table.Th>
          <Table.Th>Name</Table.Th>
          <Table.Th>Pattern</Table.Th>
          <Table.Th>Host</Table.Th>
        </Table.Tr>
      }
      row={(b) => {
        const key = bindingKey(b);
        return (
          <Table.Tr key={key} data-testid="acl-row" data-principal={b.principal} data-operation={b.operation} data-resource={b.resourceName}>
            {onToggle ? (
              <Table.Td>
                <Checkbox
                  size="xs"
                  aria-label="Select binding"
                  checked={selected?.has(key) ?? false}
                  onChange={() => onToggle(b)}
                  data-testid="acl-select"
                />
              </Table.Td>
            ) : null}
            <Table.Td className="kd-mono">{b.principal}</Table.Td>
            <Table.Td>
              <Badge size="sm" variant="light" color={b.permission === 'ALLOW' ? 'teal' : 'red'}>
                {b.permission}
              </Badge>
            </Table.Td>
            <Table.Td className="kd-mono">{b.operation}</Table.Td>
            <Table.Td>{b.resourceType}</Table.Td>
            <Table.Td className="kd-mono">{b.resourceName}</Table.Td>
            <Table.Td>{b.patternType}</Table.Td>
            <Table.Td className="kd-mono">{b.host}</Table.Td>
          </Table.Tr>
        );
      }}
    />
  );
}
