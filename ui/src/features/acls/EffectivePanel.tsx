/**
 * Who can do what: for a principal (and client IP), every operation on one resource,
 * decided the way Kafka's StandardAuthorizer decides, with the binding(s) that decide.
 */
import { useState } from 'react';
import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { describeBinding, effectivePermissions, RESOURCE_TYPES, type DecisionReason, type EffectivePermissions, type ResourceType } from '../../api/acls';
import { toAppError, type AppError } from '../../api/errors';
import type { Profile } from '../../api/profiles';
import { ErrorBanner } from '../../components/ErrorBanner';

export function reasonText(reason: DecisionReason): string {
  switch (reason) {
    case 'SuperUser':
      return 'super user (super.users)';
    case 'DenyAcl':
      return 'denied by';
    case 'AllowAcl':
      return 'allowed by';
    case 'NoMatchingAcl':
      return 'no binding grants it (bindings exist on this resource)';
    case 'NoAclsDefault':
      return 'no binding covers this resource: allow.everyone.if.no.acl.found decides';
  }
}

export function EffectivePanel({ profile }: { profile: Profile }) {
  const [principal, setPrincipal] = useState('');
  const [host, setHost] = useState('');
  const [resourceType, setResourceType] = useState<ResourceType>('TOPIC');
  const [resourceName, setResourceName] = useState('');
  const [answer, setAnswer] = useState<EffectivePermissions | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => (error?.kind === 'InvalidInput' && error.detail === name ? error.message : undefined);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await effectivePermissions(profile.id, { principal, host, resourceType, resourceName }));
    } catch (e) {
      setError(toAppError(e));
      setAnswer(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="acls-effective">
      <Stack gap="sm">
        <Group align="flex-start" grow>
          <TextInput size="xs" label="Principal" placeholder="User:alice" value={principal} onChange={(e) => setPrincipal(e.currentTarget.value)} error={fieldError('principal')} data-testid="effective-principal" />
          <TextInput size="xs" label="Client IP" placeholder="* (no host-specific binding)" value={host} onChange={(e) => setHost(e.currentTarget.value)} error={fieldError('host')} data-testid="effective-host" />
          <Select size="xs" label="Resource" data={RESOURCE_TYPES} value={resourceType} onChange={(v) => v && setResourceType(v as ResourceType)} allowDeselect={false} data-testid="effective-type" />
          <TextInput
            size="xs"
            label="Name"
            placeholder={resourceType === 'CLUSTER' ? 'kafka-cluster' : 'orders'}
            disabled={resourceType === 'CLUSTER'}
            value={resourceName}
            onChange={(e) => setResourceName(e.currentTarget.value)}
            error={fieldError('resourceName')}
            data-testid="effective-name"
          />
        </Group>
        <Group>
          <Button size="xs" loading={busy} onClick={() => void check()} data-testid="effective-check">
            Check
          </Button>
        </Group>
        {error ? <ErrorBanner error={error} /> : null}
        {answer ? (
          <>
            <Text size="xs" c="dimmed" data-testid="effective-summary">
              {answer.securityDisabled
                ? 'This cluster has no authorizer (SECURITY_DISABLED): every client may do everything.'
                : `${answer.principal} from ${answer.host === '*' ? 'any host' : answer.host} on ${answer.resourceType} ${answer.resourceName}. ${
                    answer.superUsers === null ? 'Super users unknown: the broker does not reveal super.users; a super user may do everything.' : `Super users: ${answer.superUsers.join(', ') || 'none'}.`
                  } ${answer.resourceBindings.length} binding(s) cover this resource.`}
            </Text>
            <Table className="kd-table" data-testid="effective-table" withTableBorder>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Operation</Table.Th>
                  <Table.Th>Decision</Table.Th>
                  <Table.Th>Why</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {answer.decisions.map((d) => (
                  <Table.Tr key={d.operation} data-testid="effective-row" data-operation={d.operation} data-allowed={d.allowed}>
                    <Table.Td className="kd-mono">{d.operation}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={d.allowed ? 'teal' : 'red'} data-testid="effective-decision">
                        {d.allowed ? 'ALLOWED' : 'DENIED'}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{reasonText(d.reason)}</Text>
                      {d.deciding.map((b) => (
                        <Text key={describeBinding(b)} size="xs" className="kd-mono" data-testid="effective-deciding">
                          {describeBinding(b)}
                        </Text>
                      ))}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
