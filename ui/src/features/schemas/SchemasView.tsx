/**
 * The Subjects view: subjects of the profile's Schema Registry with type, latest version and
 * compatibility; a subject's versions, schema, references (followed by a click), a
 * side-by-side diff of two versions, compatibility read and changed, a new version checked
 * and registered from an editor, and soft / hard deletes behind a typed confirmation.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  Alert,
  Badge,
  Box,
  Button,
  Checkbox,
  Group,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDatabase, IconPlus, IconTrash } from '@tabler/icons-react';
import type { AppError } from '../../api/errors';
import type { Profile } from '../../api/profiles';
import {
  checkSchema,
  COMPATIBILITY_LEVELS,
  deleteSchema,
  diffVersions,
  listSubjects,
  registerSchema,
  setCompatibility,
  subjectDetail,
  type CheckResult,
  type DiffRow,
  type SchemaKind,
  type SubjectDetail,
  type SubjectList,
} from '../../api/registry';
import { EmptyState } from '../../components/EmptyState';
import { ErrorBanner } from '../../components/ErrorBanner';
import { RefreshButton } from '../../components/RefreshButton';
import { TypedConfirmModal } from '../../components/TypedConfirmModal';
import { jsonErrorAt } from '../../lib/jsonText';
import { JsonEditor } from '../messages/JsonEditor';

const KIND_LABEL: Record<SchemaKind, string> = { avro: 'Avro', protobuf: 'Protobuf', json: 'JSON Schema' };

export function SchemasView({ profile }: { profile: Profile }) {
  const [list, setList] = useState<SubjectList | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [loading, setLoading] = useState(false);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<{ subject: string; version: number | null } | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(() => {
    setLoading(true);
    listSubjects(profile.id)
      .then((l) => {
        setList(l);
        setError(null);
      }, (e) => setError(e as AppError))
      .finally(() => setLoading(false));
  }, [profile.id]);
  useEffect(load, [load]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (list?.subjects ?? []).filter((s) => !q || s.subject.toLowerCase().includes(q) || (s.kind && KIND_LABEL[s.kind].toLowerCase().includes(q)));
  }, [list, query]);

  if (!profile.schemaRegistry) {
    return (
      <EmptyState
        icon={<IconDatabase size={28} />}
        title="No Schema Registry for this connection"
        description="Add the registry's URL (and its credentials) in the connection editor; then its subjects show here and Avro / Protobuf / JSON Schema messages decode in Messages."
      />
    );
  }

  return (
    <Stack gap="sm" data-testid="schemas-view">
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      <Group justify="space-between">
        <Group gap="xs">
          <TextInput placeholder="Filter subjects or type" value={query} onChange={(e) => setQuery(e.currentTarget.value)} w={260} data-testid="schemas-filter" />
          <Text size="xs" c="dimmed">
            {shown.length} of {list?.subjects.length ?? 0} subjects · global compatibility{' '}
            <GlobalCompatibility profileId={profile.id} level={list?.globalCompatibility ?? null} readOnly={profile.readOnly} onChanged={load} onError={setError} />
          </Text>
        </Group>
        <Group gap="xs">
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => {
              setCreating(true);
              setSelected(null);
            }}
            disabled={profile.readOnly}
            data-testid="schemas-new"
          >
            New subject
          </Button>
          <RefreshButton onClick={load} loading={loading} testId="schemas-refresh" />
        </Group>
      </Group>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <Paper withBorder w={420} style={{ flexShrink: 0 }}>
          <ScrollArea h="calc(100vh - 260px)">
            <Table highlightOnHover fz="xs" data-testid="subjects-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Latest</Table.Th>
                  <Table.Th>Compatibility</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((s) => (
                  <Table.Tr
                    key={s.subject}
                    onClick={() => {
                      setCreating(false);
                      setSelected({ subject: s.subject, version: null });
                    }}
                    style={{ cursor: 'pointer', background: selected?.subject === s.subject ? 'var(--mantine-color-blue-light)' : undefined }}
                    data-testid="subject-row"
                    data-subject={s.subject}
                  >
                    <Table.Td className="kd-mono">{s.subject}</Table.Td>
                    <Table.Td>{s.kind ? <Badge size="xs" variant="light" style={{ minWidth: 'max-content' }}>{KIND_LABEL[s.kind]}</Badge> : <Text size="xs" c="red" title={s.error ?? ''}>?</Text>}</Table.Td>
                    <Table.Td>{s.latestVersion ?? '—'}</Table.Td>
                    <Table.Td>{s.compatibility ?? <Text span size="xs" c="dimmed">global</Text>}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {list && list.subjects.length === 0 ? (
              <Text size="sm" c="dimmed" p="md">The registry has no subjects yet. Register one with “New subject”, or produce with a serializer that registers its schema.</Text>
            ) : null}
          </ScrollArea>
        </Paper>
        <Box style={{ flex: 1, minWidth: 0 }}>
          {creating ? (
            <SchemaEditor profileId={profile.id} readOnly={profile.readOnly} onRegistered={(subject) => {
              setCreating(false);
              load();
              setSelected({ subject, version: null });
            }} />
          ) : selected ? (
            <SubjectPanel
              key={`${selected.subject}`}
              profile={profile}
              subject={selected.subject}
              initialVersion={selected.version}
              onFollow={(subject, version) => setSelected({ subject, version })}
              onChanged={load}
            />
          ) : (
            <EmptyState icon={<IconDatabase size={28} />} title="Choose a subject" description="Its versions, schema, references and compatibility show here." />
          )}
        </Box>
      </Group>
    </Stack>
  );
}

function GlobalCompatibility({ profileId, level, readOnly, onChanged, onError }: { profileId: string; level: string | null; readOnly: boolean; onChanged: () => void; onError: (e: AppError) => void }) {
  return (
    <Select
      size="xs"
      w={200}
      display="inline-block"
      data={COMPATIBILITY_LEVELS}
      value={level}
      disabled={readOnly}
      allowDeselect={false}
      onChange={(v) => v && setCompatibility(profileId, null, v).then(onChanged, (e) => onError(e as AppError))}
      data-testid="global-compatibility"
    />
  );
}

interface SubjectPanelProps {
  profile: Profile;
  subject: string;
  initialVersion: number | null;
  onFollow: (subject: string, version: number) => void;
  onChanged: () => void;
}

function SubjectPanel({ profile, subject, initialVersion, onFollow, onChanged }: SubjectPanelProps) {
  const [version, setVersion] = useState<number | null>(initialVersion);
  const [detail, setDetail] = useState<SubjectDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [tab, setTab] = useState<string>('schema');
  const [confirm, setConfirm] = useState<null | { version: number | null }>(null);
  const [permanent, setPermanent] = useState(false);
  const [deleting, setDeleting] = useState(false);

  const load = useCallback(() => {
    subjectDetail(profile.id, subject, version).then((d) => {
      setDetail(d);
      setError(null);
    }, (e) => setError(e as AppError));
  }, [profile.id, subject, version]);
  useEffect(load, [load]);

  const remove = async () => {
    if (!confirm) return;
    setDeleting(true);
    try {
      await deleteSchema(profile.id, subject, confirm.version, permanent);
      setConfirm(null);
      setPermanent(false);
      onChanged();
      if (confirm.version === null) setDetail(null);
      else {
        setVersion(null);
        load();
      }
    } catch (e) {
      setError(e as AppError);
      setConfirm(null);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <Stack gap="sm" data-testid="subject-panel" data-subject={subject}>
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {detail ? (
        <>
          <Group justify="space-between" wrap="wrap">
            <Group gap="xs">
              <Text fw={600} className="kd-mono">{subject}</Text>
              <Badge variant="light">{KIND_LABEL[detail.schema.schemaType]}</Badge>
              <Badge variant="outline" className="kd-mono">id {detail.schema.id}</Badge>
              <Select
                size="xs"
                w={130}
                allowDeselect={false}
                data={detail.versions.map((v) => ({ value: String(v), label: `version ${v}` }))}
                value={String(detail.schema.version)}
                onChange={(v) => v && setVersion(Number(v))}
                data-testid="subject-version"
              />
            </Group>
            <Group gap="xs">
              <Text size="xs" c="dimmed">Compatibility</Text>
              <Select
                size="xs"
                w={210}
                data={[{ value: '', label: `global (${detail.globalCompatibility ?? '?'})` }, ...COMPATIBILITY_LEVELS.map((l) => ({ value: l, label: l }))]}
                value={detail.compatibility ?? ''}
                allowDeselect={false}
                disabled={profile.readOnly}
                onChange={(v) => v && setCompatibility(profile.id, subject, v).then(() => { load(); onChanged(); }, (e) => setError(e as AppError))}
                data-testid="subject-compatibility"
              />
              <Button size="xs" variant="light" color="red" leftSection={<IconTrash size={12} />} disabled={profile.readOnly} onClick={() => setConfirm({ version: detail.schema.version })} data-testid="delete-version">
                Delete version
              </Button>
              <Button size="xs" variant="light" color="red" disabled={profile.readOnly} onClick={() => setConfirm({ version: null })} data-testid="delete-subject">
                Delete subject
              </Button>
            </Group>
          </Group>
          <Tabs value={tab} onChange={(v) => v && setTab(v)}>
            <Tabs.List>
              <Tabs.Tab value="schema" data-testid="subject-tab-schema">Schema</Tabs.Tab>
              <Tabs.Tab value="diff" data-testid="subject-tab-diff" disabled={detail.versions.length < 2}>Compare versions</Tabs.Tab>
              <Tabs.Tab value="edit" data-testid="subject-tab-edit" disabled={profile.readOnly}>New version</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="schema" pt="xs">
              <Stack gap="xs">
                <JsonEditor value={detail.schema.schema} json={detail.schema.schemaType !== 'protobuf'} readOnly height="calc(100vh - 420px)" data-testid="subject-schema" />
                <Text size="sm" fw={600}>References</Text>
                {detail.schema.references.length === 0 ? (
                  <Text size="xs" c="dimmed">This version references no other schema.</Text>
                ) : (
                  <Group gap="xs" data-testid="subject-references">
                    {detail.schema.references.map((r) => (
                      <Button key={r.name} size="compact-xs" variant="light" onClick={() => onFollow(r.subject, r.version)}>
                        {r.name} → {r.subject} v{r.version}
                      </Button>
                    ))}
                  </Group>
                )}
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="diff" pt="xs">
              {tab === 'diff' ? <DiffView profileId={profile.id} subject={subject} versions={detail.versions} /> : null}
            </Tabs.Panel>
            <Tabs.Panel value="edit" pt="xs">
              {tab === 'edit' ? (
                <SchemaEditor profileId={profile.id} readOnly={profile.readOnly} subject={subject} kind={detail.schema.schemaType} initial={detail.schema.schema}
                  onRegistered={() => { setVersion(null); load(); onChanged(); setTab('schema'); }} />
              ) : null}
            </Tabs.Panel>
          </Tabs>
        </>
      ) : null}
      <TypedConfirmModal
        opened={confirm !== null}
        title={confirm?.version === null ? `Delete subject ${subject}` : `Delete version ${confirm?.version} of ${subject}`}
        expected={subject}
        confirmLabel={permanent ? 'Delete permanently' : 'Delete'}
        loading={deleting}
        onConfirm={() => void remove()}
        onCancel={() => setConfirm(null)}
        testId="schema-delete-confirm"
      >
        <Stack gap="xs">
          <Text size="sm">A soft delete hides it from clients that ask for versions; ids stay readable. A permanent delete (after a soft one) removes it for good.</Text>
          <Checkbox label="Permanent (hard) delete" checked={permanent} onChange={(e) => setPermanent(e.currentTarget.checked)} data-testid="schema-delete-permanent" />
        </Stack>
      </TypedConfirmModal>
    </Stack>
  );
}

function DiffView({ profileId, subject, versions }: { profileId: string; subject: string; versions: number[] }) {
  const [left, setLeft] = useState(versions[versions.length - 2] ?? versions[0]);
  const [right, setRight] = useState(versions[versions.length - 1]);
  const [rows, setRows] = useState<DiffRow[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    diffVersions(profileId, subject, left, right).then(setRows, (e) => setError(e as AppError));
  }, [profileId, subject, left, right]);
  const data = versions.map((v) => ({ value: String(v), label: `version ${v}` }));
  const color = (c: DiffRow['change'], side: 'left' | 'right') =>
    c === 'same' ? undefined : c === 'added' || (c === 'changed' && side === 'right') ? 'var(--mantine-color-green-light)' : 'var(--mantine-color-red-light)';
  return (
    <Stack gap="xs" data-testid="schema-diff">
      {error ? <ErrorBanner error={error} /> : null}
      <Group gap="xs">
        <Select size="xs" w={130} data={data} value={String(left)} onChange={(v) => v && setLeft(Number(v))} allowDeselect={false} data-testid="diff-left" />
        <Text size="xs">against</Text>
        <Select size="xs" w={130} data={data} value={String(right)} onChange={(v) => v && setRight(Number(v))} allowDeselect={false} data-testid="diff-right" />
        {rows ? <Text size="xs" c="dimmed">{rows.filter((r) => r.change !== 'same').length} lines differ</Text> : null}
      </Group>
      <ScrollArea h="calc(100vh - 420px)">
        <Box style={{ display: 'grid', gridTemplateColumns: '36px 1fr 36px 1fr', fontSize: 12 }} className="kd-mono">
          {(rows ?? []).map((r, i) => (
            <Box key={i} style={{ display: 'contents' }} data-testid="diff-row" data-change={r.change}>
              <Text size="xs" c="dimmed" ta="right" pr={4}>{r.leftLine ?? ''}</Text>
              <Box px={4} style={{ background: r.left !== null ? color(r.change, 'left') : undefined, whiteSpace: 'pre-wrap' }}>{r.left ?? ''}</Box>
              <Text size="xs" c="dimmed" ta="right" pr={4}>{r.rightLine ?? ''}</Text>
              <Box px={4} style={{ background: r.right !== null ? color(r.change, 'right') : undefined, whiteSpace: 'pre-wrap' }}>{r.right ?? ''}</Box>
            </Box>
          ))}
        </Box>
      </ScrollArea>
    </Stack>
  );
}

interface SchemaEditorProps {
  profileId: string;
  readOnly: boolean;
  subject?: string;
  kind?: SchemaKind;
  initial?: string;
  onRegistered: (subject: string) => void;
}

function SchemaEditor({ profileId, readOnly, subject: fixedSubject, kind: fixedKind, initial, onRegistered }: SchemaEditorProps) {
  const [subject, setSubject] = useState(fixedSubject ?? '');
  const [kind, setKind] = useState<SchemaKind>(fixedKind ?? 'avro');
  const [text, setText] = useState(initial ?? '');
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const [registered, setRegistered] = useState<number | null>(null);
  const syntax = kind !== 'protobuf' && text.trim() ? jsonErrorAt(text) : null;
  const schema = { subject: subject.trim(), kind, schema: text, references: [] };

  const run = async (what: 'check' | 'register') => {
    setBusy(true);
    setError(null);
    setRegistered(null);
    try {
      if (what === 'check') setCheck(await checkSchema(profileId, schema));
      else {
        const id = await registerSchema(profileId, schema);
        setRegistered(id);
        onRegistered(schema.subject);
      }
    } catch (e) {
      setError(e as AppError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs" data-testid="schema-editor">
      <Group gap="xs" align="flex-end">
        <TextInput label="Subject" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} disabled={!!fixedSubject} w={280} className="kd-mono" data-testid="schema-editor-subject"
          error={error?.detail === 'subject' ? error.message : undefined} />
        <SegmentedControl size="xs" data={[{ value: 'avro', label: 'Avro' }, { value: 'protobuf', label: 'Protobuf' }, { value: 'json', label: 'JSON Schema' }]} value={kind} onChange={(v) => setKind(v as SchemaKind)} disabled={!!fixedKind} />
      </Group>
      <JsonEditor value={text} onChange={(v) => { setText(v); setCheck(null); }} json={kind !== 'protobuf'} height="calc(100vh - 520px)" data-testid="schema-editor-text" />
      {syntax ? <Text size="xs" c="red" data-testid="schema-editor-syntax">{syntax}</Text> : null}
      {check ? (
        <Alert color={check.compatible ? 'green' : 'red'} variant="light" p="xs" data-testid="schema-check-result" data-compatible={check.compatible}>
          <Text size="sm">{!check.syntaxOk ? 'The schema does not parse.' : check.compatible ? 'Compatible: it can be registered.' : 'Not compatible with the latest version.'}</Text>
          {check.messages.map((m, i) => <Text key={i} size="xs" className="kd-mono">{m}</Text>)}
        </Alert>
      ) : null}
      {error ? <ErrorBanner error={error} onClose={() => setError(null)} /> : null}
      {registered !== null ? <Text size="sm" c="green" data-testid="schema-registered">Registered with id {registered}.</Text> : null}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" size="xs" onClick={() => void run('check')} loading={busy} disabled={!text.trim() || !subject.trim() || !!syntax} data-testid="schema-check">
          Check compatibility
        </Button>
        <Button size="xs" onClick={() => void run('register')} loading={busy} disabled={readOnly || !text.trim() || !subject.trim() || !!syntax} data-testid="schema-register">
          Register
        </Button>
      </Group>
    </Stack>
  );
}
