/**
 * "Local clusters": Apache Kafka on this machine, started by KafkaDesk. Shows
 * where Java and Kafka come from (or exactly what to install), the saved local
 * clusters with their state, ports and processes, a form for a new one, a log
 * viewer per node, and start / stop / connect / delete per cluster.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Loader,
  Modal,
  NumberInput,
  Paper,
  ScrollArea,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconFileText,
  IconFolderOpen,
  IconPlayerPlay,
  IconPlayerStop,
  IconPlugConnected,
  IconPlus,
  IconServer2,
  IconTrash,
} from '@tabler/icons-react';
import { invalidField, type AppError } from '../../api/errors';
import { fetchLocalLog, freeClusterName, suggestedInput, type LocalCluster, type LocalSetup } from '../../api/local';
import { pickKafkaFolder } from '../../api/files';
import { EmptyState } from '../../components/EmptyState';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import type { LocalClustersModel } from './useLocalClusters';

export interface LocalClustersViewProps {
  model: LocalClustersModel;
  /** Opens the cluster's saved connection. */
  onConnect: (cluster: LocalCluster) => void;
  onError: (error: AppError) => void;
}

const STATE_COLOR = { running: 'teal', stopped: 'gray', degraded: 'orange' } as const;

export function LocalClustersView({ model, onConnect, onError }: LocalClustersViewProps) {
  const [creating, setCreating] = useState(false);
  const [logsOf, setLogsOf] = useState<LocalCluster | null>(null);
  const [deleteTarget, setDeleteTarget] = useState<LocalCluster | null>(null);
  const { setup, clusters, loading, busy } = model;
  const ready = setup !== null && setup.java !== null && setup.kafka !== null;

  return (
    <Stack gap="lg" data-testid="local-clusters-view">
      <Group justify="space-between">
        <div>
          <Title order={2} size="h3">
            Local clusters
          </Title>
          <Text c="dimmed" size="sm" mt={4}>
            Apache Kafka in KRaft mode on this machine, 1 or 3 nodes on loopback ports. Data and logs stay in KafkaDesk’s data folder.
          </Text>
        </div>
        <Button leftSection={<IconPlus size={14} />} onClick={() => setCreating(true)} disabled={!setup} data-testid="local-new">
          New local cluster
        </Button>
      </Group>

      {setup ? <SetupPanel setup={setup} onChooseKafka={model.chooseKafkaDir} /> : <Loader size="sm" />}

      {!loading && clusters.length === 0 ? (
        <Paper withBorder radius="md">
          <EmptyState
            data-testid="local-empty-state"
            icon={<IconServer2 size={22} />}
            title="No local clusters yet"
            description={
              ready
                ? 'Create one: it gets its own data folder, ports and a saved connection.'
                : 'Install what the panel above asks for, then create one.'
            }
          />
        </Paper>
      ) : null}

      {clusters.map((cluster) => (
        <ClusterCard
          key={cluster.id}
          cluster={cluster}
          busy={busy[cluster.id]}
          onStart={() => void model.start(cluster.id)}
          onStop={() => void model.stop(cluster.id)}
          onConnect={() => onConnect(cluster)}
          onLogs={() => setLogsOf(cluster)}
          onDelete={() => setDeleteTarget(cluster)}
        />
      ))}

      {setup ? (
        <CreateModal
          opened={creating}
          setup={setup}
          clusters={clusters}
          onClose={() => setCreating(false)}
          onCreate={async (input) => {
            const created = await model.create(input);
            setCreating(false);
            void model.start(created.id);
          }}
        />
      ) : null}
      <LogModal cluster={logsOf} onClose={() => setLogsOf(null)} onError={onError} />
      <TypedConfirmModal
        opened={deleteTarget !== null}
        title="Delete local cluster?"
        expected={deleteTarget?.name ?? ''}
        confirmLabel="Stop and delete"
        loading={deleteTarget !== null && busy[deleteTarget.id] === 'deleting'}
        onConfirm={() => {
          const target = deleteTarget;
          if (target) void model.remove(target.id).then(() => setDeleteTarget(null));
        }}
        onCancel={() => setDeleteTarget(null)}
        testId="local-delete-confirm"
      >
        “{deleteTarget?.name}” will be stopped, and its topics, messages, logs and saved connection deleted from this machine.
      </TypedConfirmModal>
    </Stack>
  );
}

function SetupPanel({ setup, onChooseKafka }: { setup: LocalSetup; onChooseKafka: (dir: string | null) => Promise<void> }) {
  const choose = async () => {
    const dir = await pickKafkaFolder();
    if (dir) await onChooseKafka(dir);
  };
  return (
    <Paper withBorder radius="md" p="md" data-testid="local-setup">
      <Stack gap="xs">
        <Group gap="xs" align="flex-start" wrap="nowrap">
          {setup.java ? <IconCheck size={16} color="var(--mantine-color-teal-6)" /> : <IconAlertTriangle size={16} color="var(--mantine-color-orange-6)" />}
          <div style={{ minWidth: 0 }}>
            <Text size="sm" fw={600}>
              Java
            </Text>
            {setup.java ? (
              <Text size="xs" c="dimmed" data-testid="local-java">
                Java {setup.java.major} · <span className="kd-mono">{setup.java.path}</span>
              </Text>
            ) : (
              <Text size="xs" c="orange" data-testid="local-java-problem">
                {setup.javaProblem}
              </Text>
            )}
          </div>
        </Group>
        <Group gap="xs" align="flex-start" wrap="nowrap" justify="space-between">
          <Group gap="xs" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
            {setup.kafka ? <IconCheck size={16} color="var(--mantine-color-teal-6)" /> : <IconAlertTriangle size={16} color="var(--mantine-color-orange-6)" />}
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={600}>
                Kafka installation
              </Text>
              {setup.kafka ? (
                <Text size="xs" c="dimmed" data-testid="local-kafka">
                  Apache Kafka {setup.kafka.version} · <span className="kd-mono">{setup.kafka.libs}</span>
                </Text>
              ) : (
                <Text size="xs" c="orange" data-testid="local-kafka-problem">
                  {setup.kafkaProblem}
                </Text>
              )}
            </div>
          </Group>
          <Group gap={4} wrap="nowrap">
            {setup.chosenKafkaDir ? (
              <Button size="compact-xs" variant="subtle" onClick={() => void onChooseKafka(null)}>
                Find automatically
              </Button>
            ) : null}
            <Button size="compact-xs" variant="light" leftSection={<IconFolderOpen size={13} />} onClick={() => void choose()} data-testid="local-choose-kafka">
              Choose folder…
            </Button>
          </Group>
        </Group>
        <Text size="xs" c="dimmed">
          Data folder: <span className="kd-mono">{setup.dataRoot}</span>
        </Text>
      </Stack>
    </Paper>
  );
}

interface ClusterCardProps {
  cluster: LocalCluster;
  busy: string | undefined;
  onStart: () => void;
  onStop: () => void;
  onConnect: () => void;
  onLogs: () => void;
  onDelete: () => void;
}

function ClusterCard({ cluster, busy, onStart, onStop, onConnect, onLogs, onDelete }: ClusterCardProps) {
  const running = cluster.state !== 'stopped';
  return (
    <Paper withBorder radius="md" p="md" data-testid="local-cluster" data-cluster-name={cluster.name} data-state={cluster.state}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Text fw={600}>{cluster.name}</Text>
          <Badge size="sm" variant="light" color={STATE_COLOR[cluster.state]} data-testid="local-cluster-state">
            {busy ?? cluster.state}
          </Badge>
          <Text size="xs" c="dimmed">
            {cluster.nodes.length} {cluster.nodes.length === 1 ? 'node' : 'nodes'}
            {cluster.kafkaVersion ? ` · Kafka ${cluster.kafkaVersion}` : ''}
          </Text>
        </Group>
        <Group gap={6}>
          {running ? (
            <>
              <Button size="xs" variant="light" leftSection={<IconPlugConnected size={14} />} onClick={onConnect} disabled={!cluster.profileId} data-testid="local-connect">
                Connect
              </Button>
              <Button size="xs" variant="default" leftSection={<IconPlayerStop size={14} />} onClick={onStop} loading={busy === 'stopping'} disabled={!!busy && busy !== 'stopping'} data-testid="local-stop">
                Stop
              </Button>
            </>
          ) : (
            <Button size="xs" leftSection={<IconPlayerPlay size={14} />} onClick={onStart} loading={busy === 'starting'} disabled={!!busy && busy !== 'starting'} data-testid="local-start">
              Start
            </Button>
          )}
          <Tooltip label="Broker logs">
            <Button size="xs" variant="subtle" leftSection={<IconFileText size={14} />} onClick={onLogs} data-testid="local-logs">
              Logs
            </Button>
          </Tooltip>
          <Button size="xs" variant="subtle" color="red" leftSection={<IconTrash size={14} />} onClick={onDelete} disabled={!!busy} data-testid="local-delete">
            Delete
          </Button>
        </Group>
      </Group>
      <Table className="kd-table" tabularNums withRowBorders={false}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>Node</Table.Th>
            <Table.Th>Broker</Table.Th>
            <Table.Th>Controller</Table.Th>
            <Table.Th w={120}>Process</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {cluster.nodes.map((node) => (
            <Table.Tr key={node.id} data-testid="local-node">
              <Table.Td>{node.id}</Table.Td>
              <Table.Td className="kd-mono">127.0.0.1:{node.brokerPort}</Table.Td>
              <Table.Td className="kd-mono">127.0.0.1:{node.controllerPort}</Table.Td>
              <Table.Td>{node.pid ? <Text size="xs">pid {node.pid}</Text> : <Text size="xs" c="dimmed">stopped</Text>}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt="xs">
        Bootstrap <span className="kd-mono">{cluster.bootstrap}</span> · data in <span className="kd-mono">{cluster.dataDir}</span>
      </Text>
    </Paper>
  );
}

interface CreateModalProps {
  opened: boolean;
  setup: LocalSetup;
  clusters: LocalCluster[];
  onClose: () => void;
  onCreate: (input: { name: string; nodes: number; brokerPorts: number[]; controllerPorts: number[] }) => Promise<void>;
}

function CreateModal({ opened, setup, clusters, onClose, onCreate }: CreateModalProps) {
  const [name, setName] = useState('');
  const [nodes, setNodes] = useState<1 | 3>(1);
  const [brokerPorts, setBrokerPorts] = useState<number[]>([]);
  const [controllerPorts, setControllerPorts] = useState<number[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!opened) return;
    const input = suggestedInput(setup, freeClusterName('Local Kafka', clusters), nodes);
    setName(input.name);
    setBrokerPorts(input.brokerPorts);
    setControllerPorts(input.controllerPorts);
    setError(null);
    // Re-suggest when the dialog opens or the node count changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [opened, nodes]);

  const field = error ? invalidField(error) ?? null : null;
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      await onCreate({ name, nodes, brokerPorts, controllerPorts });
    } catch (caught) {
      setError(caught as AppError);
    } finally {
      setSaving(false);
    }
  };
  const portInputs = (label: string, ports: number[], set: (next: number[]) => void, testId: string, fieldName: string) => (
    <Group gap="xs" align="flex-end">
      {ports.map((port, i) => (
        <NumberInput
          key={i}
          label={i === 0 ? label : undefined}
          value={port}
          min={1024}
          max={65535}
          hideControls
          w={110}
          error={field === fieldName && i === 0 ? true : undefined}
          onChange={(v) => set(ports.map((p, j) => (j === i ? Number(v) || 0 : p)))}
          data-testid={`${testId}-${i + 1}`}
        />
      ))}
    </Group>
  );
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>New local cluster</Text>} data-testid="local-create">
      <Stack gap="sm">
        <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={field === 'name' ? true : undefined} data-testid="local-name" />
        <div>
          <Text size="sm" fw={500} mb={4}>
            Nodes (broker + controller each)
          </Text>
          <SegmentedControl
            value={String(nodes)}
            onChange={(v) => setNodes(v === '3' ? 3 : 1)}
            data={[
              { label: '1 node', value: '1' },
              { label: '3 nodes', value: '3' },
            ]}
            data-testid="local-nodes"
          />
        </div>
        {portInputs('Broker ports (clients connect here)', brokerPorts, setBrokerPorts, 'local-broker-port', 'brokerPorts')}
        {portInputs('Controller ports (the KRaft quorum)', controllerPorts, setControllerPorts, 'local-controller-port', 'controllerPorts')}
        {error ? (
          <Alert color="red" variant="light" data-testid="local-create-error">
            {error.message}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} loading={saving} data-testid="local-create-submit">
            Create and start
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function LogModal({ cluster, onClose, onError }: { cluster: LocalCluster | null; onClose: () => void; onError: (e: AppError) => void }) {
  const [node, setNode] = useState(1);
  const [text, setText] = useState<string | null>(null);
  const load = async (id: string, n: number) => {
    setText(null);
    try {
      setText(await fetchLocalLog(id, n));
    } catch (caught) {
      onError(caught as AppError);
      setText('');
    }
  };
  useEffect(() => {
    if (cluster) void load(cluster.id, node);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cluster?.id, node]);
  return (
    <Modal opened={cluster !== null} onClose={onClose} size="80%" title={<Text fw={600}>Logs of “{cluster?.name}”</Text>} data-testid="local-log">
      <Stack gap="xs">
        <Group justify="space-between">
          {cluster && cluster.nodes.length > 1 ? (
            <SegmentedControl
              size="xs"
              value={String(node)}
              onChange={(v) => setNode(Number(v))}
              data={cluster.nodes.map((n) => ({ label: `Node ${n.id}`, value: String(n.id) }))}
            />
          ) : (
            <span />
          )}
          <Button size="compact-xs" variant="light" onClick={() => cluster && void load(cluster.id, node)}>
            Refresh
          </Button>
        </Group>
        <ScrollArea h={420} type="auto">
          {text === null ? (
            <Loader size="sm" />
          ) : text.trim() === '' ? (
            <Text size="sm" c="dimmed">
              No log yet: this node has not been started.
            </Text>
          ) : (
            <Code block fz={11} data-testid="local-log-text">
              {text}
            </Code>
          )}
        </ScrollArea>
        <Text size="xs" c="dimmed">
          The last 400 lines of node-{node}/server.log.
        </Text>
      </Stack>
    </Modal>
  );
}
