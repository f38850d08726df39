/**
 * Create a topic right the first time: Kafka's name rules as you type, the common
 * configs as fields plus any other key, and "Validate only" to let the controller
 * check it all without creating anything. A refused field shows its error beside it.
 */
import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconCheck, IconPlus, IconTrash } from '@tabler/icons-react';
import { invalidField, toAppError, type AppError } from '../../api/errors';
import { createTopic, type ConfigValue } from '../../api/topics';
import { ErrorBanner } from '../../components/ErrorBanner';
import { collidingTopic, topicNameError } from './topicName';

/** The configs people set most, shown as fields; empty means "the broker's default". */
const COMMON_CONFIGS: { name: string; label: string; options?: string[]; placeholder: string }[] = [
  { name: 'cleanup.policy', label: 'Cleanup policy', options: ['delete', 'compact', 'compact,delete'], placeholder: 'default' },
  { name: 'retention.ms', label: 'Retention (ms)', placeholder: 'default (7 days)' },
  { name: 'retention.bytes', label: 'Retention bytes', placeholder: 'default (unlimited)' },
  { name: 'min.insync.replicas', label: 'Min in-sync replicas', placeholder: 'default' },
  {
    name: 'compression.type',
    label: 'Compression',
    options: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'],
    placeholder: 'default (producer)',
  },
  { name: 'max.message.bytes', label: 'Max message bytes', placeholder: 'default' },
];

export interface CreateTopicModalProps {
  opened: boolean;
  profileId: string;
  liveBrokers: number;
  existing: string[];
  onClose: () => void;
  onCreated: (name: string) => void;
}

export function CreateTopicModal({ opened, profileId, liveBrokers, existing, onClose, onCreated }: CreateTopicModalProps) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState<number | string>(1);
  const [replication, setReplication] = useState<number | string>(Math.min(3, Math.max(1, liveBrokers)));
  const [common, setCommon] = useState<Record<string, string>>({});
  const [extra, setExtra] = useState<ConfigValue[]>([]);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<'validate' | 'create' | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [validated, setValidated] = useState(false);

  const nameError = touched ? topicNameError(name) : null;
  const collision = collidingTopic(name, existing);
  const field = error ? invalidField(error) : undefined;
  const fieldError = (f: string) => (field === f ? error?.message : undefined);
  /** A change to a field answers the backend's complaint about it: the error goes at once. */
  const changed = (f: string) => {
    setValidated(false);
    if (field === f) setError(null);
  };

  const reset = () => {
    setName('');
    setPartitions(1);
    setCommon({});
    setExtra([]);
    setTouched(false);
    setError(null);
    setValidated(false);
  };

  const submit = async (validateOnly: boolean) => {
    setTouched(true);
    setBusy(validateOnly ? 'validate' : 'create');
    setError(null);
    setValidated(false);
    const configs: ConfigValue[] = [
      ...Object.entries(common)
        .filter(([, value]) => value.trim() !== '')
        .map(([n, value]) => ({ name: n, value: value.trim() })),
      ...extra.filter((c) => c.name.trim() !== '' || c.value.trim() !== ''),
    ];
    try {
      await createTopic(profileId, {
        name,
        partitions: Number(partitions),
        replicationFactor: Number(replication),
        configs,
        validateOnly,
      });
      if (validateOnly) {
        setValidated(true);
      } else {
        reset();
        onCreated(name);
      }
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={() => {
        reset();
        onClose();
      }}
      title={<Text fw={600}>Create topic</Text>}
      size="lg"
      data-testid="create-topic-modal"
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit(false);
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="Name"
            required
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setTouched(true);
              changed('name');
            }}
            error={nameError ?? fieldError('name')}
            description={
              collision ? (
                <Text span size="xs" c="orange" data-testid="topic-name-collision">
                  Collides with "{collision}": Kafka's metrics treat '.' and '_' alike.
                </Text>
              ) : (
                "1–249 characters: letters, digits, '.', '_' and '-'."
              )
            }
            data-testid="create-topic-name"
            data-autofocus
            spellCheck={false}
            autoComplete="off"
          />
          <SimpleGrid cols={2}>
            <NumberInput
              label="Partitions"
              required
              value={partitions}
              onChange={(v) => {
                setPartitions(v);
                changed('partitions');
              }}
              allowDecimal={false}
              error={fieldError('partitions')}
              data-testid="create-topic-partitions"
            />
            <NumberInput
              label="Replication factor"
              required
              value={replication}
              onChange={(v) => {
                setReplication(v);
                changed('replicationFactor');
              }}
              allowDecimal={false}
              description={`At most ${liveBrokers} (live brokers).`}
              error={fieldError('replicationFactor')}
              data-testid="create-topic-replication"
            />
          </SimpleGrid>
          <SimpleGrid cols={3}>
            {COMMON_CONFIGS.map((c) =>
              c.options ? (
                <Select
                  key={c.name}
                  label={c.label}
                  placeholder={c.placeholder}
                  data={c.options}
                  clearable
                  value={common[c.name] || null}
                  onChange={(v) => {
                    setCommon((all) => ({ ...all, [c.name]: v ?? '' }));
                    changed('configs');
                  }}
                  data-testid={`create-topic-config-${c.name}`}
                />
              ) : (
                <TextInput
                  key={c.name}
                  label={c.label}
                  placeholder={c.placeholder}
                  value={common[c.name] ?? ''}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    setCommon((all) => ({ ...all, [c.name]: value }));
                    changed('configs');
                  }}
                  data-testid={`create-topic-config-${c.name}`}
                />
              ),
            )}
          </SimpleGrid>
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              Other configs
            </Text>
            {extra.map((c, i) => (
              <Group key={i} gap="xs" wrap="nowrap">
                <TextInput
                  placeholder="key, e.g. segment.ms"
                  value={c.name}
                  onChange={(e) => {
                    const n = e.currentTarget.value;
                    setExtra((all) => all.map((x, j) => (j === i ? { ...x, name: n } : x)));
                    changed('configs');
                  }}
                  style={{ flex: 1 }}
                  size="xs"
                  data-testid="create-topic-extra-key"
                  spellCheck={false}
                />
                <TextInput
                  placeholder="value"
                  value={c.value}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setExtra((all) => all.map((x, j) => (j === i ? { ...x, value: v } : x)));
                    changed('configs');
                  }}
                  style={{ flex: 1 }}
                  size="xs"
                  data-testid="create-topic-extra-value"
                  spellCheck={false}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label="Remove config"
                  onClick={() => {
                    setExtra((all) => all.filter((_, j) => j !== i));
                    changed('configs');
                  }}
                >
                  <IconTrash size={14} />
                </ActionIcon>
              </Group>
            ))}
            {fieldError('configs') ? (
              <Text size="xs" c="red" data-testid="create-topic-configs-error">
                {fieldError('configs')}
              </Text>
            ) : null}
            <Group>
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconPlus size={14} />}
                onClick={() => setExtra((all) => [...all, { name: '', value: '' }])}
                data-testid="create-topic-add-config"
              >
                Add config
              </Button>
            </Group>
          </Stack>
          {error && !field ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
          {validated ? (
            <Alert color="green" variant="light" icon={<IconCheck size={16} />} data-testid="create-topic-validated">
              The cluster would accept this topic. Nothing was created.
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button
              variant="default"
              size="xs"
              loading={busy === 'validate'}
              disabled={busy === 'create'}
              onClick={() => void submit(true)}
              data-testid="create-topic-validate"
            >
              Validate only
            </Button>
            <Button
              type="submit"
              size="xs"
              loading={busy === 'create'}
              disabled={busy === 'validate' || !!topicNameError(name)}
              data-testid="create-topic-submit"
            >
              Create
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
