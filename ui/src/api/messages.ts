/** Messages: mirrors `src-tauri/src/commands/messages.rs`. Long jobs report over a Channel. */
import { Channel } from '@tauri-apps/api/core';
import { command } from './invoke';
import type { BrowseRequest } from './generated/BrowseRequest';
import type { DecodeAs } from './generated/DecodeAs';
import type { Decoded } from './generated/Decoded';
import type { ExportFormat } from './generated/ExportFormat';
import type { FileProduceRequest } from './generated/FileProduceRequest';
import type { Filter } from './generated/Filter';
import type { HeaderInput } from './generated/HeaderInput';
import type { InputFormat } from './generated/InputFormat';
import type { JobProgress } from './generated/JobProgress';
import type { MessageDetail } from './generated/MessageDetail';
import type { MessageRow } from './generated/MessageRow';
import type { ProduceRequest } from './generated/ProduceRequest';
import type { SendProgress } from './generated/SendProgress';
import type { SendReport } from './generated/SendReport';
import type { SessionStatus } from './generated/SessionStatus';
import type { Window } from './generated/Window';
import type { TopicList, TopicSummary } from './topics';
import type { SchemaChoice } from './generated/SchemaChoice';

export type {
  BrowseRequest,
  DecodeAs,
  Decoded,
  ExportFormat,
  FileProduceRequest,
  Filter,
  HeaderInput,
  InputFormat,
  JobProgress,
  MessageDetail,
  MessageRow,
  ProduceRequest,
  SendProgress,
  SendReport,
  SessionStatus,
  Window,
};

function channel<T>(onProgress: (p: T) => void): Channel<T> {
  const ch = new Channel<T>();
  ch.onmessage = onProgress;
  return ch;
}

/** A fresh id for a cancellable job. */
export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A topic a producer or browser can pick: the user topics of the one topic list (`topics_list`). */
export type TopicChoice = Pick<TopicSummary, 'name' | 'partitions'>;

export function topicChoices(list: TopicList): TopicChoice[] {
  return list.topics
    .filter((t) => !t.internal)
    .map((t) => ({ name: t.name, partitions: t.partitions }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const keyPartition = (profileId: string, topic: string, key: string, keyFormat: InputFormat) =>
  command<number>('messages_key_partition', { profileId, topic, key, keyFormat });

export const produce = (profileId: string, jobId: string, request: ProduceRequest, onProgress: (p: SendProgress) => void) =>
  command<SendReport>('messages_produce', { profileId, jobId, request, onProgress: channel(onProgress) });

export const produceFile = (
  profileId: string,
  jobId: string,
  request: FileProduceRequest,
  onProgress: (p: SendProgress) => void,
  keySchema: SchemaChoice | null = null,
  valueSchema: SchemaChoice | null = null,
) =>
  command<SendReport>('messages_produce_file', { profileId, jobId, request, keySchema, valueSchema, onProgress: channel(onProgress) });

export const cancelJob = (jobId: string) => command<boolean>('messages_cancel', { jobId });

/** Starts a browse session; `onStatus` gets its status whenever rows arrive (the first at once). */
export const startBrowse = (profileId: string, request: BrowseRequest, onStatus: (s: SessionStatus) => void) =>
  command<SessionStatus>('messages_browse_start', { profileId, request, onStatus: channel(onStatus) });

export const browseStatus = (sessionId: string) => command<SessionStatus>('messages_browse_status', { sessionId });
export const stopBrowse = (sessionId: string) => command<void>('messages_browse_stop', { sessionId });
export const closeBrowse = (sessionId: string) => command<void>('messages_browse_close', { sessionId });

export const fetchWindow = (sessionId: string, start: number, count: number, keyAs: DecodeAs, valueAs: DecodeAs) =>
  command<Window>('messages_window', { sessionId, start, count, keyAs, valueAs });

export const fetchDetail = (sessionId: string, seq: number, keyAs: DecodeAs, valueAs: DecodeAs, full: boolean) =>
  command<MessageDetail>('messages_detail', { sessionId, seq, keyAs, valueAs, full });

export type { ValueChunk } from './generated/ValueChunk';
import type { ValueChunk } from './generated/ValueChunk';

/** A piece of a message's value (bytes `offset` to at most `maxBytes`), for streaming a large one. */
export const fetchValueChunk = (sessionId: string, seq: number, offset: number, maxBytes: number, valueAs: DecodeAs) =>
  command<ValueChunk>('messages_value_chunk', { sessionId, seq, offset, maxBytes, valueAs });

export const applyFilter = (sessionId: string, jobId: string, filter: Filter, onProgress: (p: JobProgress) => void) =>
  command<number>('messages_filter', { sessionId, jobId, filter, onProgress: channel(onProgress) });

export const exportMessages = (
  sessionId: string,
  jobId: string,
  path: string,
  format: ExportFormat,
  onProgress: (p: JobProgress) => void,
) => command<number>('messages_export', { sessionId, jobId, path, format, onProgress: channel(onProgress) });

export const copyMessages = (
  profileId: string,
  sessionId: string,
  jobId: string,
  topic: string,
  keepPartitions: boolean,
  onProgress: (p: SendProgress) => void,
) =>
  command<SendReport>('messages_copy', {
    profileId,
    sessionId,
    jobId,
    topic,
    keepPartitions,
    onProgress: channel(onProgress),
  });

export type { Library } from './generated/Library';
export type { SavedMessage } from './generated/SavedMessage';
import type { Library } from './generated/Library';

export const fetchLibrary = (topic?: string) => command<Library>('messages_library', { topic });
export const saveTemplate = (name: string, request: ProduceRequest) =>
  command<Library>('messages_template_save', { name, request });
export const deleteTemplate = (name: string) => command<void>('messages_template_delete', { name });
