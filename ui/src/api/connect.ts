/** Kafka Connect: mirrors `src-tauri/src/commands/connect.rs`. */
import { command } from './invoke';
import type { ConfigField } from './generated/ConfigField';
import type { ConnectCluster } from './generated/ConnectCluster';
import type { ConnectClusterInput } from './generated/ConnectClusterInput';
import type { ConnectInfo } from './generated/ConnectInfo';
import type { ConnectorDetail } from './generated/ConnectorDetail';
import type { ConnectorOffset } from './generated/ConnectorOffset';
import type { ConnectorSummary } from './generated/ConnectorSummary';
import type { ConnectSettings } from './generated/ConnectSettings';
import type { ConnectTls } from './generated/ConnectTls';
import type { PluginInfo } from './generated/PluginInfo';
import type { Profile } from './generated/Profile';
import type { RestartRequest } from './generated/RestartRequest';
import type { TaskState } from './generated/TaskState';
import type { Validation } from './generated/Validation';

export type {
  ConfigField,
  ConnectCluster,
  ConnectClusterInput,
  ConnectInfo,
  ConnectorDetail,
  ConnectorOffset,
  ConnectorSummary,
  ConnectSettings,
  ConnectTls,
  PluginInfo,
  RestartRequest,
  TaskState,
  Validation,
};

/** A connector's config as Connect takes it. */
export type ConnectorConfig = Record<string, string>;

/** What a masked secret shows (the backend puts the real value back on save). */
export const MASK = '********';

/** Where a Connect call goes: one profile's one Connect cluster. */
export interface ConnectTarget {
  profileId: string;
  connectId: string;
}

export function saveConnectSettings(profileId: string, clusters: ConnectClusterInput[]): Promise<Profile> {
  return command<Profile>('connect_settings_save', { profileId, clusters });
}

export function testConnectSettings(profileId: string, cluster: ConnectClusterInput): Promise<ConnectInfo> {
  return command<ConnectInfo>('connect_settings_test', { profileId, cluster });
}

export function listConnectors(t: ConnectTarget): Promise<ConnectorSummary[]> {
  return command<ConnectorSummary[]>('connect_list', { ...t });
}

export function connectorDetail(t: ConnectTarget, name: string): Promise<ConnectorDetail> {
  return command<ConnectorDetail>('connect_detail', { ...t, name });
}

export function listPlugins(t: ConnectTarget): Promise<PluginInfo[]> {
  return command<PluginInfo[]>('connect_plugins', { ...t });
}

/** Connect's own validation; changes nothing. */
export function validateConfig(t: ConnectTarget, plugin: string, config: ConnectorConfig): Promise<Validation> {
  return command<Validation>('connect_validate', { ...t, plugin, config });
}

export function connectorOffsets(t: ConnectTarget, name: string): Promise<ConnectorOffset[]> {
  return command<ConnectorOffset[]>('connect_offsets', { ...t, name });
}

export function createConnector(t: ConnectTarget, name: string, config: ConnectorConfig): Promise<void> {
  return command<void>('connect_create', { ...t, name, config });
}

export function updateConnector(t: ConnectTarget, name: string, config: ConnectorConfig): Promise<void> {
  return command<void>('connect_update', { ...t, name, config });
}

export type ConnectorAction = 'pause' | 'resume' | 'stop';

export function setConnectorState(t: ConnectTarget, name: string, action: ConnectorAction): Promise<void> {
  return command<void>('connect_set_state', { ...t, name, action });
}

export function restartConnector(t: ConnectTarget, name: string, request: RestartRequest): Promise<void> {
  return command<void>('connect_restart', { ...t, name, request });
}

export function restartTask(t: ConnectTarget, name: string, task: number): Promise<void> {
  return command<void>('connect_restart_task', { ...t, name, task });
}

export function resetOffsets(t: ConnectTarget, name: string): Promise<string> {
  return command<string>('connect_offsets_reset', { ...t, name });
}

export function alterOffsets(t: ConnectTarget, name: string, offsets: ConnectorOffset[]): Promise<string> {
  return command<string>('connect_offsets_alter', { ...t, name, offsets });
}

export function deleteConnector(t: ConnectTarget, name: string): Promise<void> {
  return command<void>('connect_delete', { ...t, name });
}
