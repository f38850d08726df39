/**
 * One topic: its partitions (table + broker map), its configs (edit / revert), and the
 * actions that change it: add partitions (confirmed), purge and delete (typed).
 */
import { useState } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  NumberInput,
  Select,
  Stack,
  Tabs,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowLeft,
  IconChevronDown,
  IconEraser,
  IconPlus,
  IconSettings,
  IconTable,
  IconTrash,
} from '@tabler/icons-react';
import { invalidField, toAppError, type AppError } from '../../api/errors';
import {
  addPartitions,
  alterTopicConfigs,
  deleteTopic,
  fetchTopicConfigs,
  fetchTopicDetail,
  purgeRecords,
} from '../../api/topics';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { formatCount, formatCountOrUnknown, formatInteger } from '../../lib/format';
import { BrokerMap } from './BrokerMap';
import { ConfigsTable } from './ConfigsTable';
import { PartitionsTable } from './PartitionsTable';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { useBackend } from '../../lib/useBackend';

export interface TopicDetailViewProps {
  profileId: string;
  topic: string;
  readOnly: boolean;
  onBack: () => void;
  onDeleted: () => void;
}

type Dialog = 'add-partitions' | 'confirm-partitions' | 'purge' | 'delete' | null;

export function TopicDetailView({ profileId, topic, readOnly, onBack, onDeleted }: TopicDetailViewProps) {
  const detail = useBackend(() => fetchTopicDetail(profileId, topic), `${profileId}/${topic}`);
  const configs = useBackend(() => fetchTopicConfigs(profileId, topic), `${profileId}/${topic}/configs`);
  const [tab, setTab] = useState<string>('partitions');
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<AppError | null>(null);
  const [newTotal, setNewTotal] = useState<number | string>('');
  const [purgePartition, setPurgePartition] = useState<string>('all');
  const [purgeOffset, setPurgeOffset] = useState<number | string>('');

  const d = detail.data;
  const current = d?.partitions.length ?? 0;

  /** Runs a change, shows its error inline (or beside its field) and refreshes on success. */
  const run = async (label: string, work: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(label);
    setActionError(null);
    try {
      await work();
      notifications.show({ message: done, color: 'green' });
      detail.reload();
      configs.reload();
      return true;
    } catch (e) {
      setActionError(toAppError(e));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const fieldError = (field: string) =>
    actionError && invalidField(actionError) === field ? actionError.message : undefined;

  return (
    <Stack gap="md" data-testid="topic-detail" data-topic={topic}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Tooltip label="All topics">
            <ActionIcon variant="default" onClick={onBack} aria-label="Back to all topics" data-testid="topic-back">
              <IconArrowLeft size={16} />
            </ActionIcon>
          </Tooltip>
          <Title order={2} size="h4" className="kd-mono" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {topic}
          </Title>
          {d?.internal ? <Badge variant="light" color="gray">internal</Badge> : null}
          {d ? (
            <Text size="sm" c="dimmed" data-testid="topic-summary">
              {formatInteger(current)} partitions · RF {d.replicationFactor} · {formatCountOrUnknown(d.messages)} messages
            </Text>
          ) : null}
        </Group>
        <Group gap="xs" wrap="nowrap">
          <RefreshButton
            loading={detail.loading || configs.loading}
            onClick={() => {
              detail.reload();
              configs.reload();
            }}
            testId="topic-refresh"
          />
          <Menu position="bottom-end" disabled={readOnly || !d}>
            <Menu.Target>
              <Button size="xs" rightSection={<IconChevronDown size={14} />} disabled={readOnly || !d} data-testid="topic-actions">
                Actions
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item
                leftSection={<IconPlus size={14} />}
                onClick={() => {
                  setNewTotal(current + 1);
                  setActionError(null);
                  setDialog('add-partitions');
                }}
                data-testid="action-add-partitions"
              >
                Add partitions
              </Menu.Item>
              <Menu.Item
                leftSection={<IconEraser size={14} />}
                onClick={() => {
                  setActionError(null);
                  setDialog('purge');
                }}
                data-testid="action-purge"
              >
                Purge records
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item
                color="red"
                leftSection={<IconTrash size={14} />}
                onClick={() => {
                  setActionError(null);
                  setDialog('delete');
                }}
                data-testid="action-delete"
              >
                Delete topic
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      {detail.error ? <ErrorBanner error={detail.error} onClose={detail.clearError} /> : null}
      {actionError && !dialog ? <ErrorBanner error={actionError} onClose={() => setActionError(null)} /> : null}
      {d?.watermarksError ? (
        <Text size="xs" c="orange">
          Offsets are unavailable: {d.watermarksError}
        </Text>
      ) : null}

      <Tabs value={tab} onChange={(v) => v && setTab(v)} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="partitions" leftSection={<IconTable size={14} />} data-testid="topic-tab-partitions">
            Partitions
          </Tabs.Tab>
          <Tabs.Tab value="configs" leftSection={<IconSettings size={14} />} data-testid="topic-tab-configs">
            Configs
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="partitions">
          {d ? (
            <Stack gap="md">
              <PartitionsTable partitions={d.partitions} />
              <BrokerMap detail={d} />
            </Stack>
          ) : null}
        </Tabs.Panel>
        <Tabs.Panel value="configs">
          {configs.error ? <ErrorBanner error={configs.error} onClose={configs.clearError} /> : null}
          {configs.data ? (
            <ConfigsTable
              entries={configs.data}
              busy={busy}
              onSave={
                readOnly
                  ? undefined
                  : (name, value) =>
                      run(name, () => alterTopicConfigs(profileId, topic, [{ name, value }], []), `${name} set to ${value}.`)
              }
              onRevert={(name) =>
                run(name, () => alterTopicConfigs(profileId, topic, [], [name]), `${name} reverted to its default.`)
              }
              data-testid="topic-configs"
            />
          ) : null}
        </Tabs.Panel>
      </Tabs>

      <Modal
        opened={dialog === 'add-partitions'}
        onClose={() => setDialog(null)}
        title={<Text fw={600}>Add partitions</Text>}
        size="sm"
        data-testid="add-partitions-modal"
      >
        <Stack gap="sm">
          <Text size="sm">
            "{topic}" has {current} partitions. Kafka can add partitions but never remove them, and keys will map to
            different partitions afterwards.
          </Text>
          <NumberInput
            label="New partition count"
            value={newTotal}
            onChange={setNewTotal}
            min={current + 1}
            allowDecimal={false}
            error={fieldError('partitions')}
            data-testid="add-partitions-total"
          />
          <Group justify="flex-end" gap="xs">
            <Button size="xs" variant="default" onClick={() => setDialog(null)}>
              Cancel
            </Button>
            <Button
              size="xs"
              disabled={!(Number(newTotal) > current)}
              onClick={() => setDialog('confirm-partitions')}
              data-testid="add-partitions-next"
            >
              Continue
            </Button>
          </Group>
        </Stack>
      </Modal>
      <ConfirmModal
        opened={dialog === 'confirm-partitions'}
        title="Add partitions?"
        confirmLabel={`Grow to ${newTotal} partitions`}
        loading={busy === 'partitions'}
        onCancel={() => setDialog('add-partitions')}
        onConfirm={async () => {
          const ok = await run(
            'partitions',
            () => addPartitions(profileId, topic, Number(newTotal)),
            `"${topic}" now has ${newTotal} partitions.`,
          );
          setDialog(ok ? null : 'add-partitions');
        }}
      >
        "{topic}" goes from {current} to {newTotal} partitions. This cannot be undone.
      </ConfirmModal>

      <TypedConfirmModal
        opened={dialog === 'purge'}
        title="Purge records"
        testId="purge-modal"
        expected={topic}
        confirmLabel="Purge"
        loading={busy === 'purge'}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          const ok = await run(
            'purge',
            () =>
              purgeRecords(profileId, {
                topic,
                partition: purgePartition === 'all' ? null : Number(purgePartition),
                beforeOffset: purgePartition === 'all' || purgeOffset === '' ? null : Number(purgeOffset),
              }),
            `Records purged from "${topic}".`,
          );
          if (ok) setDialog(null);
        }}
      >
        <Stack gap="xs">
          <span>Deletes records from the start of the log. They cannot be recovered.</span>
          <Select
            label="Partitions"
            data={[
              { value: 'all', label: 'All partitions' },
              ...(d?.partitions ?? []).map((p) => ({ value: String(p.partition), label: `Partition ${p.partition}` })),
            ]}
            value={purgePartition}
            onChange={(v) => setPurgePartition(v ?? 'all')}
            allowDeselect={false}
            error={fieldError('partition')}
            data-testid="purge-partition"
          />
          <NumberInput
            label="Delete records before offset"
            description="Leave empty to delete everything up to the end."
            value={purgeOffset}
            onChange={setPurgeOffset}
            min={0}
            allowDecimal={false}
            disabled={purgePartition === 'all'}
            error={fieldError('beforeOffset')}
            data-testid="purge-offset"
          />
          {actionError && !invalidField(actionError) ? <ErrorBanner error={actionError} /> : null}
        </Stack>
      </TypedConfirmModal>

      <TypedConfirmModal
        opened={dialog === 'delete'}
        title="Delete topic"
        testId="delete-modal"
        expected={topic}
        confirmLabel="Delete topic"
        loading={busy === 'delete'}
        onCancel={() => setDialog(null)}
        onConfirm={async () => {
          setBusy('delete');
          setActionError(null);
          try {
            await deleteTopic(profileId, topic);
            notifications.show({ message: `Topic "${topic}" deleted.`, color: 'green' });
            setDialog(null);
            onDeleted();
          } catch (e) {
            setActionError(toAppError(e));
          } finally {
            setBusy(null);
          }
        }}
      >
        Deletes "{topic}" with all {formatCount(d?.messages)} messages in its {current} partitions. This cannot be undone.
        {actionError ? <ErrorBanner error={actionError} /> : null}
      </TypedConfirmModal>
    </Stack>
  );
}
