/** Topics, partitions and configs: mirrors `src-tauri/src/commands/topics.rs`. */
import { command } from './invoke';
import type { ConfigEntry } from './generated/ConfigEntry';
import type { ConfigSource } from './generated/ConfigSource';
import type { ConfigValue } from './generated/ConfigValue';
import type { CreateTopicOutcome } from './generated/CreateTopicOutcome';
import type { NewTopicRequest } from './generated/NewTopicRequest';
import type { PartitionDetail } from './generated/PartitionDetail';
import type { PurgeRequest } from './generated/PurgeRequest';
import type { TopicDetail } from './generated/TopicDetail';
import type { TopicList } from './generated/TopicList';
import type { TopicSummary } from './generated/TopicSummary';

export type {
  ConfigEntry,
  ConfigSource,
  ConfigValue,
  CreateTopicOutcome,
  NewTopicRequest,
  PartitionDetail,
  PurgeRequest,
  TopicDetail,
  TopicList,
  TopicSummary,
};

export function listTopics(profileId: string): Promise<TopicList> {
  return command<TopicList>('topics_list', { profileId });
}

export function fetchTopicDetail(profileId: string, topic: string): Promise<TopicDetail> {
  return command<TopicDetail>('topic_detail', { profileId, topic });
}

export function createTopic(profileId: string, request: NewTopicRequest): Promise<CreateTopicOutcome> {
  return command<CreateTopicOutcome>('topic_create', { profileId, request });
}

export function deleteTopic(profileId: string, topic: string): Promise<void> {
  return command<void>('topic_delete', { profileId, topic });
}

export function addPartitions(profileId: string, topic: string, total: number): Promise<void> {
  return command<void>('topic_add_partitions', { profileId, topic, total });
}

/** Returns how many partitions were purged. */
export function purgeRecords(profileId: string, request: PurgeRequest): Promise<number> {
  return command<number>('topic_purge', { profileId, request });
}

export function fetchTopicConfigs(profileId: string, topic: string): Promise<ConfigEntry[]> {
  return command<ConfigEntry[]>('topic_configs', { profileId, topic });
}

/** Sets `set` and reverts `reset` to their defaults, in one IncrementalAlterConfigs. */
export function alterTopicConfigs(profileId: string, topic: string, set: ConfigValue[], reset: string[]): Promise<void> {
  return command<void>('topic_alter_configs', { profileId, topic, set, reset });
}

export function fetchBrokerConfigs(profileId: string, brokerId: number): Promise<ConfigEntry[]> {
  return command<ConfigEntry[]>('broker_configs', { profileId, brokerId });
}
