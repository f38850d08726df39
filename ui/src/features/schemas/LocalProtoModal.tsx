/**
 * Protobuf without a registry: choose `.proto` files (imports are looked up beside them) or
 * a descriptor set for a topic, then the message type of its keys and values. Remembered
 * per topic; the next browse of the topic decodes with it.
 */
import { useEffect, useState } from 'react';
import { Button, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { open } from '@tauri-apps/plugin-dialog';
import type { AppError } from '../../api/errors';
import { localProto, saveLocalProto } from '../../api/registry';
import { ErrorBanner } from '../../components/ErrorBanner';

export function LocalProtoModal({ profileId, topic, opened, onClose }: { profileId: string; topic: string; opened: boolean; onClose: () => void }) {
  const [files, setFiles] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [keyMessage, setKeyMessage] = useState<string | null>(null);
  const [valueMessage, setValueMessage] = useState<string | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!opened) return;
    setError(null);
    localProto(profileId, topic).then((c) => {
      setFiles(c?.files.join(', ') ?? '');
      setKeyMessage(c?.keyMessage ?? null);
      setValueMessage(c?.valueMessage ?? null);
      setTypes([c?.keyMessage, c?.valueMessage].filter((m): m is string => !!m));
    }, (e) => setError(e as AppError));
  }, [opened, profileId, topic]);

  const list = () => files.split(',').map((f) => f.trim()).filter(Boolean);
  const save = async (key: string | null, value: string | null) => {
    setBusy(true);
    setError(null);
    try {
      const loaded = await saveLocalProto(profileId, topic, { files: list(), keyMessage: key, valueMessage: value });
      setTypes(loaded.messages);
      return true;
    } catch (e) {
      setError(e as AppError);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const choose = async () => {
    const chosen = await open({ multiple: true, directory: false, filters: [{ name: 'Protobuf', extensions: ['proto', 'desc', 'pb', 'protoset', 'binpb'] }] });
    if (Array.isArray(chosen)) setFiles(chosen.join(', '));
    else if (typeof chosen === 'string') setFiles(chosen);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={`Protobuf types for ${topic}`} size="lg" data-testid="local-proto">
      <Stack gap="sm">
        <Text size="xs" c="dimmed">Without a Schema Registry: the .proto files (or a descriptor set) that describe this topic's keys and values.</Text>
        <Group align="flex-end" wrap="nowrap">
          <TextInput style={{ flex: 1 }} label="Files" placeholder="/path/order.proto, /path/common.proto" value={files} onChange={(e) => setFiles(e.currentTarget.value)} className="kd-mono" data-testid="local-proto-files" />
          <Button variant="default" onClick={() => void choose()}>Choose…</Button>
          <Button variant="light" loading={busy} disabled={list().length === 0} onClick={() => void save(null, null)} data-testid="local-proto-load">Load</Button>
        </Group>
        <Group grow>
          <Select label="Key message" placeholder="Not Protobuf" clearable searchable data={types} value={keyMessage} onChange={setKeyMessage} />
          <Select label="Value message" placeholder="Not Protobuf" clearable searchable data={types} value={valueMessage} onChange={setValueMessage} data-testid="local-proto-value" />
        </Group>
        {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
        <Group justify="space-between">
          <Button variant="subtle" color="red" onClick={() => void saveLocalProto(profileId, topic, { files: [], keyMessage: null, valueMessage: null }).then(onClose, (e) => setError(e as AppError))}>
            Forget
          </Button>
          <Button disabled={!keyMessage && !valueMessage} loading={busy} onClick={() => void save(keyMessage, valueMessage).then((ok) => ok && onClose())} data-testid="local-proto-save">
            Use for this topic
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
